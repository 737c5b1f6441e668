# hvsdk:turn-off
$v=V
if($v.State -eq 'Saved'){Hyper-V\Remove-VMSavedState -VM $v}elseif($v.State -ne 'Off'){Hyper-V\Stop-VM -VM $v -TurnOff -Force -Confirm:$false}
Out-R @{ok=$true;data=(P (V))}
