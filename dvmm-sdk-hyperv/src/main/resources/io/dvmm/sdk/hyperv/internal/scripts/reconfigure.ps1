# hvsdk:reconfigure
$v=V
if($a.sbTemplate){Hyper-V\Set-VMFirmware -VM $v -SecureBootTemplate $a.sbTemplate}
if($a.secureBoot -eq $false){Hyper-V\Set-VMFirmware -VM $v -EnableSecureBoot Off}
foreach($c in $a.nics){
$n=@(Hyper-V\Get-VMNetworkAdapter -VM $v).Where({$_.Name -ceq $c.name})
if($n.Count -gt 1){E HvsdkAmbiguous $c.name}
if($n){$n=$n[0];if($c.switch){Hyper-V\Connect-VMNetworkAdapter -VMNetworkAdapter $n -SwitchName $c.switch}else{Hyper-V\Disconnect-VMNetworkAdapter -VMNetworkAdapter $n}}
else{$p=@{VM=$v;Passthru=$true};if($c.name){$p.Name=$c.name};if($c.switch){$p.SwitchName=$c.switch};$n=Hyper-V\Add-VMNetworkAdapter @p}
if($c.mac){Hyper-V\Set-VMNetworkAdapter -VMNetworkAdapter $n -StaticMacAddress $c.mac}
if($c.vlan){Hyper-V\Set-VMNetworkAdapterVlan -VMNetworkAdapter $n -Access -VlanId $c.vlan}elseif($null -ne $c.vlan){Hyper-V\Set-VMNetworkAdapterVlan -VMNetworkAdapter $n -Untagged}}
if($a.PSObject.Properties['dvd']){$d=@(Hyper-V\Get-VMDvdDrive -VM $v)
if($d){Hyper-V\Set-VMDvdDrive -VMDvdDrive $d[0] -Path $a.dvd}elseif($a.dvd){Hyper-V\Add-VMDvdDrive -VM $v -Path $a.dvd}}
Out-R @{ok=$true;data=(P (V))}
