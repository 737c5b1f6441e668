# hvsdk:checkpoint-restore
$v=V
$s=@(Hyper-V\Get-VMSnapshot -VM $v).Where({$_.Id.ToString() -eq $a.checkpoint -or $_.Name -ceq $a.checkpoint})
if($s.Count -ne 1){E $(if($s.Count){'HvsdkAmbiguous'}else{'HvsdkNotFound'}) "$($s.Count) checkpoints match $($a.checkpoint)"}
Hyper-V\Restore-VMSnapshot -VMSnapshot $s[0] -Confirm:$false
Out-R @{ok=$true;data=(P (V))}
