# hvsdk:checkpoint-create
$v=V
if($a.type){Hyper-V\Set-VM -VM $v -CheckpointType $a.type}
$s=Hyper-V\Checkpoint-VM -VM $v -SnapshotName $a.name -Passthru
Out-R @{ok=$true;data=[ordered]@{id=$s.Id.ToString();name=$s.Name;parentId="$($s.ParentSnapshotId)";created=$s.CreationTime.ToUniversalTime().ToString('o');type=$s.SnapshotType.ToString()}}
