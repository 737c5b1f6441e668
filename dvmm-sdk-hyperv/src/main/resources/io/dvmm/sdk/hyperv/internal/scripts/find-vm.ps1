# hvsdk:find-vm
Out-R @{ok=$true;data=@(foreach($v in Hyper-V\Get-VM){if($v.Name -ceq $a.name){P $v}})}
