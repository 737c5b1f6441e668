# hvsdk:copy-file
$f=U $a.path $a.root;$d=[Convert]::FromBase64String($a.chunk)
if($a.gzip){$z=[IO.Compression.GZipStream]::new([IO.MemoryStream]::new($d),[IO.Compression.CompressionMode]::Decompress);$o=[IO.MemoryStream]::new();$z.CopyTo($o);$d=$o.ToArray()}
[void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($f))
$s=[IO.File]::Open($f,'OpenOrCreate','Write');$w=$true
try{if(!$a.offset){$s.SetLength(0)}elseif($s.Length -eq $a.offset+$d.Length){$w=$false}elseif($s.Length -ne $a.offset){E HvsdkConflict "file has $($s.Length) bytes, chunk starts at $($a.offset)"}
if($w){$s.Position=$a.offset;$s.Write($d,0,$d.Length)};$l=$s.Length}finally{$s.Dispose()}
$h=$(if($a.last){(Microsoft.PowerShell.Utility\Get-FileHash -LiteralPath $f -Algorithm SHA256).Hash})
Out-R @{ok=$true;data=[ordered]@{path=$f;length=$l;written=$w;sha256=$h}}
