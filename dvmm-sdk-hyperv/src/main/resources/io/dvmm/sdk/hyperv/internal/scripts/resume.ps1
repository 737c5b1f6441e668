# hvsdk:resume
$v=V
if($v.State -eq 'Saved'){Hyper-V\Start-VM -VM $v}elseif($v.State -eq 'Paused'){Hyper-V\Resume-VM -VM $v}elseif($v.State -ne 'Running'){E HvsdkInvalidState "VM is $($v.State)"}
Out-R @{ok=$true;data=(P (V))}
