# hvsdk:add-disk
$v=V;$x=U $a.path $a.root
if([IO.File]::Exists($x)){E HvsdkConflict "$x exists"}
$null=Hyper-V\New-VHD -Path $x -SizeBytes $a.sizeBytes -Dynamic
try{Hyper-V\Add-VMHardDiskDrive -VM $v -ControllerType SCSI -Path $x}catch{Microsoft.PowerShell.Management\Remove-Item -LiteralPath $x -Force;throw}
Out-R @{ok=$true;data=(P (V))}
