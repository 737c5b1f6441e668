# hvsdk:save
$v=V
if($v.State -eq 'Running' -or $v.State -eq 'Paused'){Hyper-V\Save-VM -VM $v}elseif($v.State -ne 'Saved'){E HvsdkInvalidState "VM is $($v.State)"}
Out-R @{ok=$true;data=(P (V))}
