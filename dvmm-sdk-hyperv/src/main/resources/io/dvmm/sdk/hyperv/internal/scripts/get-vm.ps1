# hvsdk:get-vm
$v=Hyper-V\Get-VM -Id $a.id -ErrorAction SilentlyContinue
if(!$v){Out-R @{ok=$true;data=$null};exit 0}
$r=P $v;$r.gen=$v.Generation;$r.version=$v.Version;$r.memMin=$v.MemoryMinimum;$r.memMax=$v.MemoryMaximum;$r.memAssigned=$v.MemoryAssigned
$r.uptimeSec=[int64]$v.Uptime.TotalSeconds;$r.path=$v.Path;$r.checkpointId="$($v.ParentSnapshotId)";$r.dvds=@(foreach($x in $v.DVDDrives){$x.Path})
$r.vlans=@(foreach($x in $v.NetworkAdapters){$x.VlanSetting.AccessVlanId})
$r.vhds=@(foreach($x in $v.HardDrives){if($x.Path){$h=Hyper-V\Get-VHD -Path $x.Path;[ordered]@{path=$h.Path;sizeBytes=$h.Size;fileBytes=$h.FileSize;type=$h.VhdType.ToString();parent=$h.ParentPath}}})
Out-R @{ok=$true;data=$r}
