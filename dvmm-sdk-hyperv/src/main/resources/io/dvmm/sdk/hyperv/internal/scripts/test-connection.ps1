# hvsdk:test-connection
$h=Hyper-V\Get-VMHost
$o=CimCmdlets\Get-CimInstance -ClassName Win32_OperatingSystem
$f=[Environment]::ExpandEnvironmentVariables('%SystemRoot%\System32\vmms.exe')
$hv=$(if([IO.File]::Exists($f)){[Diagnostics.FileVersionInfo]::GetVersionInfo($f).ProductVersion})
$dv=(Hyper-V\Get-VMHostSupportedVersion -Default).Version.ToString()
Out-R @{ok=$true;data=[ordered]@{host=$h.ComputerName;fqdn=$h.FullyQualifiedDomainName;os=$o.Caption;osVersion=$o.Version;osBuild=$o.BuildNumber;hypervVersion=$hv;vmVersionDefault=$dv;cpus=$h.LogicalProcessorCount;memBytes=$h.MemoryCapacity}}
