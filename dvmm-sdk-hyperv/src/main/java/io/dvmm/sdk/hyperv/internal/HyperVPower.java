package io.dvmm.sdk.hyperv.internal;

import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.hyperv.internal.scripts.HyperVScript;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.PowerSteps;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Hyper-V's power steps, one script each: {@code start}, {@code turn-off} (a saved VM loses its saved state),
 * {@code save} (suspend), {@code resume}, {@code restart} (a guest reboot through the shutdown integration service,
 * else a reset), and a guest shutdown: {@code shutdown} asks the integration service and returns at once, then
 * {@code get-vm} is polled until the VM is off or the grace has passed. Every script answers with the VM, so the
 * state after a step is known without another read. A step whose answer was lost is settled by reading the VM
 * (see {@code confirmedStep}).
 */
final class HyperVPower implements PowerSteps<HyperVPower.Target> {

    /** A VM as read for a power operation, and as the last step left it. */
    static final class Target {
        final VmId id;
        final HyperVWire.Vm before;
        volatile HyperVWire.Vm after;

        Target(VmId id, HyperVWire.Vm before) {
            this.id = id;
            this.before = before;
        }
    }

    private final HyperVHypervisor hv;

    HyperVPower(HyperVHypervisor hv) {
        this.hv = hv;
    }

    @Override
    public CompletableFuture<Target> read(VmId id, OperationRun run) {
        return hv.details(run.operation(), id, run.deadline()).thenApply(vm -> new Target(id, vm));
    }

    @Override
    public PowerState state(Target vm) {
        return HyperVMapper.powerState(vm.before.state());
    }

    private CompletableFuture<Void> step(Target vm, HyperVScript script, Map<String, Object> args, OperationRun run) {
        run.check();
        return hv.client.run(run.operation(), script, args, run.deadline(), HyperVWire.Vm.class, null).thenAccept(after -> vm.after = after);
    }

    /**
     * A step whose lost answer is settled by looking: the VM is read until it is between no states, and a VM in one
     * of {@code reached} counts as the step taken; otherwise the step is sent once more (every such step does nothing
     * to a VM already where it leads, but Hyper-V refuses one while the VM is between states, so it is not simply
     * repeated).
     */
    private CompletableFuture<Void> confirmedStep(Target vm, HyperVScript script, Map<String, Object> args, OperationRun run,
                                                  Set<String> reached) {
        return confirmed(vm.id, script, args, run, reached).thenAccept(after -> vm.after = after);
    }

    private CompletableFuture<HyperVWire.Vm> confirmed(VmId id, HyperVScript script, Map<String, Object> args, OperationRun run,
                                                       Set<String> reached) {
        run.check();
        return hv.client.confirmed(run.operation(), script, args, run.deadline(), HyperVWire.Vm.class, null,
                () -> settled(id, run).thenApply(now -> reached.contains(now.state()) ? Optional.of(now) : Optional.empty()),
                true);
    }

    /**
     * {@code start}, its lost answer settled by looking as {@link #powerOn} does; for {@code createVm}'s power-on step.
     *
     * @return the VM as {@code start} (or the look) reported it, disks included
     */
    CompletableFuture<HyperVWire.Vm> start(VmId id, OperationRun run) {
        return confirmed(id, HyperVScript.START, Map.of("id", id.value()), run, Set.of("Running"));
    }

    /** The VM once it is in a state of its own (not Starting, Stopping, Saving...). */
    private CompletableFuture<HyperVWire.Vm> settled(VmId id, OperationRun run) {
        return run.poll("VM " + id + " to settle in a power state", hv.pollBackoff, () -> hv.details(run.operation(), id,
                run.deadline()).thenApply(now -> HyperVMapper.powerState(now.state()) == PowerState.UNKNOWN
                ? Optional.<HyperVWire.Vm>empty() : Optional.of(now)));
    }

    private static Map<String, Object> id(Target vm) {
        return Map.of("id", vm.id.value());
    }

    @Override
    public CompletableFuture<Void> powerOn(Target vm, OperationRun run) {
        return confirmedStep(vm, HyperVScript.START, id(vm), run, Set.of("Running"));
    }

    /**
     * Asks the guest through the shutdown integration service, then waits for Off within {@code grace}. A guest
     * without that service cannot be asked: that fails as the timeout would, so a stop spec that forces power off
     * does so at once.
     */
    @Override
    public CompletableFuture<Void> shutDown(Target vm, Duration grace, OperationRun run) {
        // A lost answer to the ask counts as asked: asking a guest that is shutting down again can fail, and the wait
        // below finds out either way (and a stop spec that forces power off does so when the grace passes).
        run.check();
        return hv.client.confirmed(run.operation(), HyperVScript.SHUTDOWN, Map.of("id", vm.id.value(), "force", false),
                        run.deadline(), HyperVWire.Vm.class, null,
                        () -> hv.details(run.operation(), vm.id, run.deadline()).thenApply(Optional::of), false)
                .thenAccept(after -> vm.after = after)
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    if (cause instanceof ConflictException c && "HvsdkInvalidState".equals(c.serverCode().orElse(""))) {
                        return Futures.failed(new OperationTimeoutException("the guest of VM " + vm.id + " cannot be asked to "
                                + "shut down: " + c.serverMessage().orElse("no shutdown integration service"), run.context(), c));
                    }
                    return Futures.failed(cause);
                })
                .thenCompose(x -> run.pollFor(grace, "VM " + vm.id + " to shut down", hv.pollBackoff,
                        () -> hv.details(run.operation(), vm.id, run.deadline()).thenApply(now -> {
                            vm.after = now;
                            return "Off".equals(now.state()) ? Optional.of(now) : Optional.<HyperVWire.Vm>empty();
                        })))
                .thenAccept(off -> {
                    if (off.isEmpty()) {
                        throw new OperationTimeoutException("the guest of VM " + vm.id + " did not shut down within " + grace,
                                run.context());
                    }
                });
    }

    @Override
    public CompletableFuture<Void> powerOff(Target vm, OperationRun run) {
        return confirmedStep(vm, HyperVScript.TURN_OFF, id(vm), run, Set.of("Off"));
    }

    /**
     * A guest reboot; a guest without the shutdown integration service is reset instead. Not confirmed: a VM that
     * restarted looks like one that did not, and a second restart is not harmless; a lost answer fails the call.
     */
    @Override
    public CompletableFuture<Void> restart(Target vm, OperationRun run) {
        return step(vm, HyperVScript.RESTART, Map.of("id", vm.id.value(), "guest", true), run).exceptionallyCompose(e -> {
            Throwable cause = Futures.unwrap(e);
            if (cause instanceof ConflictException c && "HvsdkInvalidState".equals(c.serverCode().orElse(""))
                    && !String.valueOf(c.serverMessage().orElse("")).startsWith("VM is ")) {
                return step(vm, HyperVScript.RESTART, Map.of("id", vm.id.value(), "guest", false), run);
            }
            return Futures.failed(cause);
        });
    }

    @Override
    public CompletableFuture<Void> suspend(Target vm, OperationRun run) {
        return confirmedStep(vm, HyperVScript.SAVE, id(vm), run, Set.of("Saved"));
    }

    @Override
    public CompletableFuture<Void> resume(Target vm, OperationRun run) {
        return confirmedStep(vm, HyperVScript.RESUME, id(vm), run, Set.of("Running"));
    }

    @Override
    public CompletableFuture<VmInfo> describe(VmId id, Target before, boolean changed, OperationRun run) {
        HyperVWire.Vm now = changed ? before.after : before.before;
        if (now != null) {
            return CompletableFuture.completedFuture(hv.info(now));
        }
        return hv.details(run.operation(), id, run.deadline()).thenApply(hv::info);
    }
}
