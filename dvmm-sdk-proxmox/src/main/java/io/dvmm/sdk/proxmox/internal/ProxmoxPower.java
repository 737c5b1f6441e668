package io.dvmm.sdk.proxmox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.PowerSteps;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Proxmox's power steps: {@code status/start|shutdown|stop|reboot|suspend|resume} tasks, or,
 * for an HA-managed VM, the HA resource's requested state (a {@code status/start} would only
 * answer with a {@code hastart} task that ends at once while the HA manager acts later), with the
 * VM's actual state polled until it matches.
 */
final class ProxmoxPower implements PowerSteps<ProxmoxPower.Vm> {

    /** A VM as read for a power operation: where it is and its {@code status/current}. */
    record Vm(String node, int vmid, JsonNode status) {
    }

    private final ProxmoxHypervisor hv;

    ProxmoxPower(ProxmoxHypervisor hv) {
        this.hv = hv;
    }

    @Override
    public CompletableFuture<Vm> read(VmId id, OperationRun run) {
        return hv.onVm(run.operation(), id, (node, vmid) -> hv.status(run.operation(), node, vmid, run.deadline())
                .thenApply(s -> new Vm(node, vmid, s)));
    }

    @Override
    public PowerState state(Vm vm) {
        return ProxmoxHypervisor.powerStateOf(vm.status());
    }

    private CompletableFuture<Void> task(Vm vm, String action, Map<String, String> form, OperationRun run) {
        return hv.powerTask(ProxmoxHypervisor.vmPath(vm.node(), vm.vmid(), "status", action), form, run).thenApply(x -> null);
    }

    /** Sets the HA resource's requested state and polls the VM until it is {@code wanted}, within {@code within}. */
    private CompletableFuture<Void> haState(Vm vm, String haState, PowerState wanted, Duration within, OperationRun run) {
        run.check();
        run.progress(-1, "requested HA state " + haState + " for vm:" + vm.vmid());
        return hv.client.put(run.operation(), ProxmoxHypervisor.haResourcePath(vm.vmid()), Map.of("state", haState), run.deadline())
                .thenCompose(x -> run.pollFor(within, "VM " + vm.vmid() + " to be " + wanted + " (HA state " + haState + ")",
                        hv.stateBackoff, () -> hv.status(run.operation(), vm.node(), vm.vmid(), run.deadline())
                                .thenApply(s -> ProxmoxHypervisor.powerStateOf(s) == wanted ? Optional.of(s) : Optional.<JsonNode>empty())))
                .thenApply(reached -> {
                    if (reached.isEmpty()) {
                        throw new OperationTimeoutException("VM " + vm.vmid() + " did not reach " + wanted + " within " + within
                                + " (HA state " + haState + ")", run.context());
                    }
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> powerOn(Vm vm, OperationRun run) {
        if (ProxmoxHypervisor.haManaged(vm.status())) {
            return haState(vm, "started", PowerState.POWERED_ON, run.deadline().remaining(), run);
        }
        return task(vm, "start", Map.of(), run);
    }

    /**
     * A {@code shutdown} task without {@code forceStop}: PVE ends it with "got timeout" once the
     * guest ignored the request for {@code grace}, which the skeleton turns into a power off when
     * the stop spec asks for one.
     */
    @Override
    public CompletableFuture<Void> shutDown(Vm vm, Duration grace, OperationRun run) {
        if (ProxmoxHypervisor.haManaged(vm.status())) {
            return haState(vm, "stopped", PowerState.POWERED_OFF, grace, run);
        }
        long seconds = Math.max(1, grace.toSeconds());
        return task(vm, "shutdown", Map.of("timeout", Long.toString(seconds)), run).exceptionallyCompose(e -> {
            Throwable cause = Futures.unwrap(e);
            return Futures.failed(cause instanceof OperationTimeoutException ? cause
                    : cause.getMessage() != null && cause.getMessage().contains("got timeout")
                    ? new OperationTimeoutException("the guest of VM " + vm.vmid() + " did not shut down within " + grace,
                    run.context(), cause) : cause);
        });
    }

    @Override
    public CompletableFuture<Void> powerOff(Vm vm, OperationRun run) {
        if (ProxmoxHypervisor.haManaged(vm.status())) {
            return haState(vm, "stopped", PowerState.POWERED_OFF, run.deadline().remaining(), run);
        }
        return task(vm, "stop", Map.of(), run);
    }

    @Override
    public CompletableFuture<Void> restart(Vm vm, OperationRun run) {
        return task(vm, "reboot", Map.of(), run);
    }

    @Override
    public CompletableFuture<Void> suspend(Vm vm, OperationRun run) {
        return task(vm, "suspend", Map.of(), run);
    }

    @Override
    public CompletableFuture<Void> resume(Vm vm, OperationRun run) {
        return task(vm, "resume", Map.of(), run);
    }

    @Override
    public CompletableFuture<VmInfo> describe(VmId id, Vm before, boolean changed, OperationRun run) {
        return hv.details(run.operation(), before.node(), before.vmid(), run.deadline());
    }
}
