# hvsdk:start
$v=V
if($v.State -eq 'Paused'){Hyper-V\Resume-VM -VM $v}elseif($v.State -ne 'Running'){Hyper-V\Start-VM -VM $v}
Out-R @{ok=$true;data=(P (V))}
