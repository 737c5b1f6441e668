# hvsdk:guest-ips
$v=V;$k=[ordered]@{}
$c=@(CimCmdlets\Get-CimInstance -Namespace root\virtualization\v2 -ClassName Msvm_KvpExchangeComponent).Where({$_.SystemName -eq $v.VMId.ToString()})
foreach($i in @($c.GuestIntrinsicExchangeItems)){if($i -match 'NAME="Name"[^>]*>\s*<VALUE>(NetworkAddressIPv[46]|FullyQualifiedDomainName|OSName)</VALUE>'){$n=$matches[1]
if($i -match 'NAME="Data"[^>]*>\s*<VALUE>([^<]*)</VALUE>'){$k[$n]=$matches[1]}}}
$r=P $v;$r.heartbeat="$($v.Heartbeat)";$r.kvp=$k
$r.vhds=@(foreach($x in $v.HardDrives){if($x.Path){$h=Hyper-V\Get-VHD -Path $x.Path;[ordered]@{path=$h.Path;sizeBytes=$h.Size;fileBytes=$h.FileSize;type=$h.VhdType.ToString();parent=$h.ParentPath}}})
Out-R @{ok=$true;data=$r}
