$ErrorActionPreference='Stop';$ProgressPreference='SilentlyContinue';$u=[Text.Encoding]::UTF8
function Out-R($o){'@@HVSDK@@'+[Convert]::ToBase64String($u.GetBytes((Microsoft.PowerShell.Utility\ConvertTo-Json -InputObject $o -Depth 8 -Compress)))}
trap{Out-R @{ok=$false;msg=$_.Exception.Message;type=$_.Exception.GetType().FullName;id=$_.FullyQualifiedErrorId};exit 1}
function E($i,$m){throw [Management.Automation.ErrorRecord]::new([Exception]::new($m),$i,'NotSpecified',$null)}
$b='__HVSDK_ARGS__';if(!$b){$b=$env:HVSDK_ARGS}
$a=Microsoft.PowerShell.Utility\ConvertFrom-Json -InputObject ($u.GetString([Convert]::FromBase64String($b)))
function V{$v=Hyper-V\Get-VM -Id $a.id -ErrorAction SilentlyContinue;if(!$v){E HvsdkNotFound "no VM $($a.id)"};$v}
function O($r){$r=[IO.Path]::GetFullPath($r).TrimEnd('\')+'\';if($r.Length -lt 4){E HvsdkInvalidArgument "drive root $r"};$r}
function U($p,$r){$r=O $r;$f=[IO.Path]::GetFullPath($p);if(!$f.StartsWith($r,'OrdinalIgnoreCase')){E HvsdkInvalidArgument "$p not under $r"};$f}
function P($v){@{id=$v.VMId.ToString();name=$v.Name;state=$v.State.ToString();cpu=$v.ProcessorCount;memStartup=$v.MemoryStartup;dynMem=$v.DynamicMemoryEnabled;notes=$v.Notes
nics=@(foreach($x in $v.NetworkAdapters){@{name=$x.Name;switch=$x.SwitchName;mac=$x.MacAddress;ips=@($x.IPAddresses)}});disks=@(foreach($x in $v.HardDrives){$x.Path})}}
