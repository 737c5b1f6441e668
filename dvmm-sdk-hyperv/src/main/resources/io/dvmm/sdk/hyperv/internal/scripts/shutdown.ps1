# hvsdk:shutdown
$v=V
if($v.State -ne 'Off'){$q="SELECT * FROM Msvm_ShutdownComponent WHERE SystemName='$($v.VMId)'"
$r=CimCmdlets\Invoke-CimMethod -Namespace root\virtualization\v2 -Query $q -MethodName InitiateShutdown -Arguments @{Force=[bool]$a.force;Reason='hvsdk'}
if(!$r){E HvsdkInvalidState "no shutdown integration service (VM is $($v.State))"}
if($r.ReturnValue -notin 0,4096){E HvsdkOperationFailed "InitiateShutdown returned $($r.ReturnValue)"}}
Out-R @{ok=$true;data=(P (V))}
