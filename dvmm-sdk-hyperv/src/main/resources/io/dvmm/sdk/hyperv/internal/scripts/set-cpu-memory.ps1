# hvsdk:set-cpu-memory
$v=V
if($a.cpu){Hyper-V\Set-VMProcessor -VM $v -Count $a.cpu}
$m=@{VM=$v}
if($null -ne $a.dynamicMemory){$m.DynamicMemoryEnabled=[bool]$a.dynamicMemory}
if($a.memBytes){$m.StartupBytes=$a.memBytes}
if($a.memMinBytes){$m.MinimumBytes=$a.memMinBytes}
if($a.memMaxBytes){$m.MaximumBytes=$a.memMaxBytes}
if($m.Count -gt 1){Hyper-V\Set-VMMemory @m}
Out-R @{ok=$true;data=(P (V))}
