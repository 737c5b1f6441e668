# hvsdk:list-vms
Out-R @{ok=$true;data=@(Hyper-V\Get-VM|Microsoft.PowerShell.Core\ForEach-Object {P $_})}
