package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.VirtualMachinePowerState;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.PowerSteps;
import io.dvmm.sdk.vsphere.internal.VimSession.Scope;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The vSphere power steps (one task each: {@code PowerOnVM_Task}, {@code PowerOffVM_Task},
 * {@code ResetVM_Task}, {@code SuspendVM_Task}; a guest shutdown is {@code ShutdownGuest} and a
 * wait for {@code runtime.powerState} through the dispatcher), and the removal of a VM (power off,
 * {@code Destroy_Task}), which deletes and rollbacks share. The state table is the SDK's.
 */
final class VspherePower implements PowerSteps<VspherePower.Vm> {

    /** A VM as read for a power operation. */
    record Vm(VmId id, ManagedObjectReference ref, Map<String, Object> props) {
    }

    private final VsphereHypervisor hv;
    /** Removals in progress per VM: a delete and a rollback of the same VM run one after the other. */
    private final Map<String, CompletableFuture<Void>> removing = new ConcurrentHashMap<>();

    VspherePower(VsphereHypervisor hv) {
        this.hv = hv;
    }

    @Override
    public CompletableFuture<Vm> read(VmId id, OperationRun run) {
        return hv.vmProps(VimTasks.scope(run), id).thenApply(props -> new Vm(id, VmMapper.vmRef(id), props));
    }

    @Override
    public PowerState state(Vm vm) {
        return VmMapper.powerState(vm.props().get("runtime.powerState"));
    }

    @Override
    public CompletableFuture<Void> powerOn(Vm vm, OperationRun run) {
        return task(run, s -> hv.port().powerOnVmTask(s, vm.ref()));
    }

    @Override
    public CompletableFuture<Void> shutDown(Vm vm, Duration grace, OperationRun run) {
        run.check();
        Deadline within = Deadline.after(grace);
        return hv.port().shutdownGuest(new Scope(run.operation(), within), vm.ref())
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    // Tools not running, or the guest refuses: it did not shut down, which a stop spec may answer with a power off.
                    return Futures.failed(cause instanceof BusyException ? new OperationTimeoutException(
                            "the guest of " + vm.id() + " cannot be asked to shut down: " + cause.getMessage(), run.context(), cause) : cause);
                })
                .thenCompose(x -> run.waitFor(hv.updates().await(new Scope(run.operation(), within), vm.ref(),
                        new String[]{"runtime.powerState"}, p -> p.get("runtime.powerState") == VirtualMachinePowerState.poweredOff,
                        "the guest of " + vm.id() + " to shut down")))
                .thenApply(x -> null);
    }

    @Override
    public CompletableFuture<Void> powerOff(Vm vm, OperationRun run) {
        return task(run, s -> hv.port().powerOffVmTask(s, vm.ref()));
    }

    @Override
    public CompletableFuture<Void> restart(Vm vm, OperationRun run) {
        return task(run, s -> hv.port().resetVmTask(s, vm.ref()));
    }

    @Override
    public CompletableFuture<Void> suspend(Vm vm, OperationRun run) {
        return task(run, s -> hv.port().suspendVmTask(s, vm.ref()));
    }

    @Override
    public CompletableFuture<Void> resume(Vm vm, OperationRun run) {
        return task(run, s -> hv.port().powerOnVmTask(s, vm.ref()));
    }

    @Override
    public CompletableFuture<VmInfo> describe(VmId id, Vm before, boolean changed, OperationRun run) {
        if (!changed) {
            return CompletableFuture.completedFuture(VmMapper.toVmInfo(before.ref(), before.props(), hv::hostName));
        }
        return hv.vmInfo(VimTasks.scope(run), id);
    }

    private CompletableFuture<Void> task(OperationRun run, java.util.function.Function<Scope, CompletableFuture<ManagedObjectReference>> start) {
        return hv.tasks().run(run, start).thenApply(x -> null);
    }

    /**
     * Powers a VM off (if it runs) and destroys it with its disks, waiting for both tasks.
     *
     * @return completes once it is gone; fails with {@code NotFoundException} when it was not there
     */
    CompletableFuture<Void> destroy(ManagedObjectReference vm, OperationRun run) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> before = removing.put(vm.getVal(), mine);
        CompletableFuture<Void> start = before == null ? CompletableFuture.completedFuture(null) : before.handle((v, e) -> null);
        start.thenCompose(x -> destroyNow(vm, run)).whenComplete((v, e) -> {
            removing.remove(vm.getVal(), mine);
            if (e != null) {
                mine.completeExceptionally(Futures.unwrap(e));
            } else {
                mine.complete(null);
            }
        });
        return mine;
    }

    private CompletableFuture<Void> destroyNow(ManagedObjectReference vm, OperationRun run) {
        Scope scope = VimTasks.scope(run);
        return hv.retrieve(scope, vm, "runtime.powerState").thenCompose(props -> {
            if (props.isEmpty()) {
                throw new NotFoundException("VM " + vm.getVal() + " does not exist", run.context());
            }
            CompletableFuture<Object> off = props.get("runtime.powerState") == VirtualMachinePowerState.poweredOff
                    ? CompletableFuture.completedFuture(null) : hv.tasks().run(run, s -> hv.port().powerOffVmTask(s, vm));
            return off.thenCompose(x -> hv.tasks().run(run, s -> hv.port().destroyTask(s, vm)));
        }).thenApply(x -> null);
    }
}
