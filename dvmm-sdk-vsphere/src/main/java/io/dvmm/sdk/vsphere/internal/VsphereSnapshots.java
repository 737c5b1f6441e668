package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.PropertySpec;
import com.vmware.vim25.VirtualMachineConfigSpec;
import com.vmware.vim25.VirtualMachineSnapshotInfo;
import com.vmware.vim25.VirtualMachineSnapshotTree;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.Progress.Stage;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.vsphere.internal.VimSession.Scope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Snapshots by name: the VM's snapshot tree read in one call, then one task
 * ({@code CreateSnapshot_Task}, {@code RevertToSnapshot_Task}, {@code RemoveSnapshot_Task}); a
 * revert also restores the CPU and memory the snapshot recorded when the server did not.
 */
final class VsphereSnapshots {

    private final VsphereHypervisor hv;

    VsphereSnapshots(VsphereHypervisor hv) {
        this.hv = hv;
    }

    private CompletableFuture<List<VirtualMachineSnapshotTree>> nodes(Scope scope, VmId id, List<Snapshot> out) {
        return hv.retrieve(scope, VmMapper.vmRef(id), "snapshot", "config.template").handle((props, e) -> {
            if (e != null) {
                Throwable cause = Futures.unwrap(e);
                throw new CompletionException(cause instanceof NotFoundException nf
                        ? new NotFoundException("VM " + id + " does not exist", nf.context(), nf) : cause);
            }
            List<VirtualMachineSnapshotTree> nodes = new ArrayList<>();
            if (props.get("snapshot") instanceof VirtualMachineSnapshotInfo info) {
                VmMapper.flatten(info.getRootSnapshotList(), null, out, nodes);
            }
            return nodes;
        });
    }

    private CompletableFuture<VirtualMachineSnapshotTree> named(Scope scope, VmId id, String name) {
        return nodes(scope, id, new ArrayList<>()).thenApply(nodes -> nodes.stream().filter(t -> name.equals(t.getName()))
                .findFirst().orElseThrow(() -> new NotFoundException("VM " + id + " has no snapshot named '" + name + "'",
                        VimErrors.ctx(scope.operation()))));
    }

    CompletableFuture<Snapshot> create(OperationRun run, VmId id, SnapshotSpec snapshot) {
        Scope scope = VimTasks.scope(run);
        List<Snapshot> existing = new ArrayList<>();
        return nodes(scope, id, existing).thenCompose(n -> {
            if (existing.stream().anyMatch(s -> s.name().equals(snapshot.name()))) {
                throw new ConflictException("VM " + id + " already has a snapshot named '" + snapshot.name() + "'",
                        VimErrors.ctx("createSnapshot").withServer("DuplicateName", null));
            }
            run.stage(Stage.SNAPSHOT, 0, 99, "taking snapshot " + snapshot.name());
            return hv.tasks().run(run, s -> hv.port().createSnapshotTask(s, VmMapper.vmRef(id), snapshot.name(),
                    snapshot.description(), snapshot.includeMemory()));
        }).thenCompose(x -> {
            List<Snapshot> after = new ArrayList<>();
            return nodes(scope, id, after).thenApply(n -> after.stream().filter(s -> s.name().equals(snapshot.name()))
                    .reduce((a, b) -> b).orElseThrow(() -> new NotFoundException("snapshot '" + snapshot.name() + "' vanished",
                            VimErrors.ctx("createSnapshot"))));
        });
    }

    CompletableFuture<List<Snapshot>> list(Scope scope, VmId id) {
        List<Snapshot> out = new ArrayList<>();
        return nodes(scope, id, out).thenApply(n -> {
            out.sort(Comparator.comparing((Snapshot s) -> s.created().orElse(Instant.EPOCH)));
            return out;
        });
    }

    CompletableFuture<VmInfo> revert(OperationRun run, VmId id, String name) {
        Scope scope = VimTasks.scope(run);
        ManagedObjectReference vm = VmMapper.vmRef(id);
        return named(scope, id, name).thenCompose(node -> {
            run.stage(Stage.REVERT, 0, 99, "reverting to " + name);
            return hv.tasks().run(run, s -> hv.port().revertToSnapshotTask(s, node.getSnapshot()))
                    .thenCompose(x -> restoreHardware(run, vm, node.getSnapshot()));
        }).thenCompose(x -> hv.vmInfo(scope, id));
    }

    /** Reads the VM's and the snapshot's CPU and memory in one call and applies what the revert did not restore. */
    private CompletableFuture<Object> restoreHardware(OperationRun run, ManagedObjectReference vm, ManagedObjectReference snapshot) {
        PropertyFilterSpec a = VimPort.objectSpec(vm, "config.hardware.numCPU", "config.hardware.memoryMB");
        PropertyFilterSpec b = VimPort.objectSpec(snapshot, "config.hardware.numCPU", "config.hardware.memoryMB");
        PropertyFilterSpec both = new PropertyFilterSpec();
        both.setObjectSet(new ObjectSpec[]{a.getObjectSet()[0], b.getObjectSet()[0]});
        both.setPropSet(new PropertySpec[]{a.getPropSet()[0], b.getPropSet()[0]});
        return hv.port().retrievePropertiesEx(VimTasks.scope(run), both, 100, false).thenCompose(r -> {
            Map<ManagedObjectReference, Map<String, Object>> props = new HashMap<>();
            if (r != null && r.getObjects() != null) {
                for (ObjectContent oc : r.getObjects()) {
                    props.put(oc.getObj(), VimCatalog.properties(oc));
                }
            }
            Map<String, Object> now = props.getOrDefault(vm, Map.of());
            Map<String, Object> snap = props.getOrDefault(snapshot, Map.of());
            VirtualMachineConfigSpec fix = new VirtualMachineConfigSpec();
            boolean any = false;
            if (snap.get("config.hardware.numCPU") instanceof Number n && !n.equals(now.get("config.hardware.numCPU"))) {
                fix.setNumCPUs(n.intValue());
                any = true;
            }
            if (snap.get("config.hardware.memoryMB") instanceof Number n && !n.equals(now.get("config.hardware.memoryMB"))) {
                fix.setMemoryMB(n.longValue());
                any = true;
            }
            return any ? hv.tasks().run(run, s -> hv.port().reconfigVmTask(s, vm, fix)) : CompletableFuture.completedFuture(null);
        });
    }

    CompletableFuture<Void> delete(OperationRun run, VmId id, String name) {
        return named(VimTasks.scope(run), id, name).thenCompose(node -> {
            run.stage(Stage.SNAPSHOT, 0, 99, "deleting snapshot " + name);
            return hv.tasks().run(run, s -> hv.port().removeSnapshotTask(s, node.getSnapshot()));
        }).thenApply(x -> (Void) null);
    }
}
