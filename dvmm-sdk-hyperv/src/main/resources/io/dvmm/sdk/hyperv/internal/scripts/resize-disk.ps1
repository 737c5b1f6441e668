# hvsdk:resize-disk
$v=V
$d=@($v.HardDrives).Where({$_.Path -eq $a.path})
if(!$d.Count){E HvsdkNotFound "VM has no disk $($a.path)"}
$h=Hyper-V\Get-VHD -Path $d[0].Path
if($a.sizeBytes -lt $h.Size){E HvsdkInvalidArgument "disk is $($h.Size) bytes; shrinking is refused"}
if($a.sizeBytes -gt $h.Size){Hyper-V\Resize-VHD -Path $d[0].Path -SizeBytes $a.sizeBytes}
Out-R @{ok=$true;data=(P (V))}
