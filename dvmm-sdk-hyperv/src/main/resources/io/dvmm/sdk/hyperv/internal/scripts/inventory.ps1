# hvsdk:inventory
$h=Hyper-V\Get-VMHost
$w=@(foreach($s in Hyper-V\Get-VMSwitch){[ordered]@{id=$s.Id.ToString();name=$s.Name;type=$s.SwitchType.ToString()}})
$ds=@();$seen=@{}
foreach($p in @($h.VirtualHardDiskPath,$h.VirtualMachinePath)+@($a.roots)){if(!$p -or $seen[$p]){continue};$seen[$p]=1
$v=Storage\Get-Volume -FilePath $p -ErrorAction SilentlyContinue
$ds+=@{path=$p;volume=$v.UniqueId;fs=$v.FileSystem;capacityBytes=$v.Size;freeBytes=$v.SizeRemaining}}
$t=@()
if($a.templates){foreach($f in Microsoft.PowerShell.Management\Get-ChildItem -LiteralPath $a.templates -Filter *.vhdx){$d=Hyper-V\Get-VHD -Path $f.FullName -ErrorAction SilentlyContinue
if($d){$t+=[ordered]@{kind='vhdx';name=$f.BaseName;path=$f.FullName;sizeBytes=$d.Size;type=$d.VhdType.ToString();parent=$d.ParentPath}}}}
foreach($v in Hyper-V\Get-VM){if("$($v.Notes)" -match '\[hvsdk-template\]'){$t+=[ordered]@{kind='vm';name=$v.Name;id=$v.VMId.ToString();path=@($v.HardDrives)[0].Path}}}
Out-R @{ok=$true;data=[ordered]@{host=$h.ComputerName;vmPath=$h.VirtualMachinePath;vhdPath=$h.VirtualHardDiskPath;switches=$w;datastores=$ds;templates=$t}}
