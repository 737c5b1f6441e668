# hvsdk:create-full
if($a.folder -notmatch '^[\w-][\w.-]*$'){E HvsdkInvalidArgument "bad folder name $($a.folder)"}
$d=U ([IO.Path]::Combine($a.root,$a.folder)) $a.root
if([IO.Directory]::Exists($d)){E HvsdkConflict "$d exists"}
[void][IO.Directory]::CreateDirectory($d);$x=[IO.Path]::Combine($d,'os.vhdx')
try{Hyper-V\Convert-VHD -Path $a.template -DestinationPath $x -VHDType Dynamic
if($a.diskBytes){Hyper-V\Resize-VHD -Path $x -SizeBytes $a.diskBytes}
$p=@{Name=$a.name;Generation=$a.gen;MemoryStartupBytes=$a.memBytes;VHDPath=$x;Path=$d}
if($a.version){$p.Version=$a.version}
$v=Hyper-V\New-VM @p
$s=@{VM=$v;ProcessorCount=$a.cpu}
if($a.dynamicMemory){$s.DynamicMemory=$true;$s.MemoryMinimumBytes=$a.memMinBytes;$s.MemoryMaximumBytes=$a.memMaxBytes}else{$s.StaticMemory=$true}
if($a.notes){$s.Notes=$a.notes}
Hyper-V\Set-VM @s}
catch{if($v){Hyper-V\Remove-VM -VM $v -Force};Microsoft.PowerShell.Management\Remove-Item -LiteralPath $d -Recurse -Force;throw}
Out-R @{ok=$true;data=(P (Hyper-V\Get-VM -Id $v.VMId))}
