# hvsdk:delete
$v=V;$r=O $a.ownedRoot;$f=@()
function I($p){"$p".StartsWith($r,'OrdinalIgnoreCase')}
function W($p){if(!$p){return};$p=[IO.Path]::GetFullPath($p);$d=[IO.Path]::GetDirectoryName($p)
while((I $p) -and [IO.Path]::GetDirectoryName($p) -eq $d){$script:f+=$p;$p=(Hyper-V\Get-VHD -Path $p).ParentPath}}
foreach($x in @($v.HardDrives)+@(foreach($s in Hyper-V\Get-VMSnapshot -VM $v){Hyper-V\Get-VMHardDiskDrive -VMSnapshot $s})){W $x.Path}
foreach($x in $v.DVDDrives){if(I $x.Path){$f+=$x.Path}}
if($v.State -notin 'Off','Saved'){Hyper-V\Stop-VM -VM $v -TurnOff -Force -Confirm:$false}
$t=@($v.Path)+@(foreach($x in $f){[IO.Path]::GetDirectoryName($x)})
Hyper-V\Remove-VM -VM $v -Force;$g=@()
foreach($x in $f){if([IO.File]::Exists($x)){Microsoft.PowerShell.Management\Remove-Item -LiteralPath $x -Force;$g+=$x}}
foreach($d in $t){while(((I $d) -or ("$d\" -eq $r -and $d -eq $t[0])) -and [IO.Directory]::Exists($d) -and ![IO.Directory]::GetFiles($d,'*','AllDirectories').Length){[IO.Directory]::Delete($d,$true);$d=[IO.Path]::GetDirectoryName($d)}}
Out-R @{ok=$true;data=@{files=$g}}
