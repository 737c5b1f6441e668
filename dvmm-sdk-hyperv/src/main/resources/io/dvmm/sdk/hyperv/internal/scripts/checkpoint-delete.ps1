# hvsdk:checkpoint-delete
$v=V
$s=@(Hyper-V\Get-VMSnapshot -VM $v).Where({$_.Id.ToString() -eq $a.checkpoint -or $_.Name -ceq $a.checkpoint})
if($s.Count -ne 1){E $(if($s.Count){'HvsdkAmbiguous'}else{'HvsdkNotFound'}) "$($s.Count) checkpoints match $($a.checkpoint)"}
if($a.children){Hyper-V\Remove-VMSnapshot -VMSnapshot $s[0] -IncludeAllChildSnapshots -Confirm:$false}else{Hyper-V\Remove-VMSnapshot -VMSnapshot $s[0] -Confirm:$false}
Out-R @{ok=$true;data=[ordered]@{deleted=$s[0].Id.ToString()}}
