# hvsdk:restart
$v=V
if($v.State -ne 'Running'){E HvsdkInvalidState "VM is $($v.State)"}
if($a.guest){$q="SELECT * FROM Msvm_ShutdownComponent WHERE SystemName='$($v.VMId)'"
$r=CimCmdlets\Invoke-CimMethod -Namespace root\virtualization\v2 -Query $q -MethodName InitiateReboot -Arguments @{Force=[bool]$a.force;Reason='hvsdk'}
if(!$r){E HvsdkInvalidState 'no shutdown integration service'}
if($r.ReturnValue -notin 0,4096){E HvsdkOperationFailed "InitiateReboot returned $($r.ReturnValue)"}}
else{Hyper-V\Restart-VM -VM $v -Force -Confirm:$false}
Out-R @{ok=$true;data=(P (V))}
