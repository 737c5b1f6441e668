# hvsdk:start
$v=V
if($v.State -eq 'Paused'){Hyper-V\Resume-VM -VM $v}elseif($v.State -ne 'Running'){Hyper-V\Start-VM -VM $v}
$v=V;$r=P $v
$r.vhds=@(foreach($x in $v.HardDrives){if($x.Path){$h=Hyper-V\Get-VHD -Path $x.Path;[ordered]@{path=$h.Path;sizeBytes=$h.Size;fileBytes=$h.FileSize;type=$h.VhdType.ToString();parent=$h.ParentPath}}})
Out-R @{ok=$true;data=$r}
