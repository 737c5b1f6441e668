# hvsdk:set-metadata
$v=V
if($null -ne $a.expected -and "$($v.Notes)" -cne $a.expected){E HvsdkConflict 'Notes changed since they were read'}
Hyper-V\Set-VM -VM $v -Notes "$($a.notes)"
Out-R @{ok=$true;data=(P (V))}
