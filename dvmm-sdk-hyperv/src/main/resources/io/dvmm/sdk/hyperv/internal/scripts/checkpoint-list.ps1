# hvsdk:checkpoint-list
$v=V
$l=@(foreach($s in Hyper-V\Get-VMSnapshot -VM $v){[ordered]@{id=$s.Id.ToString();name=$s.Name;parentId="$($s.ParentSnapshotId)";created=$s.CreationTime.ToUniversalTime().ToString('o');type=$s.SnapshotType.ToString()}})
Out-R @{ok=$true;data=[ordered]@{current="$($v.ParentSnapshotId)";checkpoints=$l}}
