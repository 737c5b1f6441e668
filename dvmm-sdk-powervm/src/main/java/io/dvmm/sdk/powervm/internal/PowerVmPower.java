package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.UnsupportedCapabilityException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.powervm.PowerVmOptions;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.PowerSteps;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * PowerVM's power steps, all through the HMC's jobs on {@code LogicalPartition/{uuid}/do/…}: start
 * is the PowerOn job with the LPAR's profile ({@code HSCL3681}, already on, is success); a graceful
 * stop is an OS shutdown ({@code osshutdown}, immediate) while RMC is active, else, or when the HMC
 * answers {@code HSCL0DB4} (no RMC), or when the OS did not stop within half the grace, a VSP
 * shutdown ({@code shutdown}, normal), each within its share of the grace; a hard stop is a VSP
 * immediate shutdown ({@code HSCL1558}, already off, is success); a restart is the PowerOff job
 * with {@code restart=true}. After a job the LPAR's state is read until it settled. Suspend and
 * resume are not PowerVM operations: the capability is absent, so they are refused before any
 * request.
 */
final class PowerVmPower implements PowerSteps<PowerVmPower.Lpar> {

    /** An LPAR as read for a power operation. */
    record Lpar(String uuid, HmcObjects.LogicalPartition view) {
    }

    private final PowerVmHypervisor hv;

    PowerVmPower(PowerVmHypervisor hv) {
        this.hv = hv;
    }

    @Override
    public CompletableFuture<Lpar> read(VmId id, OperationRun run) {
        return hv.readVmLpar(run.operation(), id, run.deadline()).thenApply(e -> new Lpar(e.id().toUpperCase(
                java.util.Locale.ROOT), e.content()));
    }

    @Override
    public PowerState state(Lpar vm) {
        return PowerVmMapper.powerState(vm.view().state());
    }

    private static HmcPath target(String uuid) {
        return HmcPath.uom("LogicalPartition", uuid);
    }

    /**
     * The PowerOn job with the LPAR's profile.
     *
     * @param uuid the LPAR
     * @param profileUuid its profile
     * @param mode how it boots
     * @param run the run
     * @return completes when the job ended
     */
    CompletableFuture<Void> powerOnJob(String uuid, String profileUuid, PowerVmOptions.BootMode mode, OperationRun run) {
        Map<String, String> p = new LinkedHashMap<>();
        if (profileUuid != null) {
            p.put("LogicalPartitionProfile", profileUuid);
        }
        p.put("bootmode", mode.jobValue());
        return hv.jobs.run(target(uuid), "PowerOn", "LogicalPartition", p, Set.of(HmcErrors.ALREADY_ON),
                HmcClient.Resend.IDEMPOTENT, run).thenApply(r -> null);
    }

    private CompletableFuture<Void> powerOff(String uuid, String operation, boolean immediate, boolean restart,
                                             OperationRun run) {
        return powerOff(uuid, operation, immediate, restart, null, run);
    }

    private CompletableFuture<Void> powerOff(String uuid, String operation, boolean immediate, boolean restart, Duration within,
                                             OperationRun run) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("operation", operation);
        p.put("immediate", Boolean.toString(immediate));
        if (restart) {
            p.put("restart", "true");
        }
        return hv.jobs.run(target(uuid), "PowerOff", "LogicalPartition", p, restart ? Set.of() : Set.of(HmcErrors.ALREADY_OFF),
                HmcClient.Resend.IDEMPOTENT, within, run).thenApply(r -> null);
    }

    /** Reads the LPAR's state until it is {@code wanted}, within {@code within}. */
    private CompletableFuture<Void> settle(String uuid, PowerState wanted, Duration within, OperationRun run) {
        return run.pollFor(within, "LPAR " + uuid + " to be " + wanted, hv.stateBackoff(),
                () -> hv.quick(run.operation(), uuid, run.deadline()).thenApply(q -> PowerVmMapper.powerState(q.state()) == wanted
                        ? Optional.of(q) : Optional.<PowerVmHypervisor.Quick>empty())).thenApply(q -> {
                            if (q.isEmpty()) {
                                throw new OperationTimeoutException("LPAR " + uuid + " did not become " + wanted + " within "
                                        + within, run.context());
                            }
                            return null;
                        });
    }

    @Override
    public CompletableFuture<Void> powerOn(Lpar vm, OperationRun run) {
        String profile = vm.view().profile() == null ? null : vm.view().profile().uuid();
        return powerOnJob(vm.uuid(), profile, PowerVmOptions.BootMode.NORMAL, run)
                .thenCompose(x -> settle(vm.uuid(), PowerState.POWERED_ON, run.deadline().remaining(), run));
    }

    /**
     * OS shutdown while RMC is active, VSP normal shutdown otherwise or after it; each within its
     * share of {@code grace}. Past the grace the skeleton cuts the power if the stop spec asks.
     */
    @Override
    public CompletableFuture<Void> shutDown(Lpar vm, Duration grace, OperationRun run) {
        long start = System.nanoTime();
        boolean rmc = "active".equalsIgnoreCase(vm.view().rmcState());
        CompletableFuture<Boolean> os = !rmc ? CompletableFuture.completedFuture(false)
                : powerOff(vm.uuid(), "osshutdown", true, false, positive(grace.dividedBy(2)), run)
                .thenApply(x -> true).exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    boolean noRmc = cause instanceof OperationFailedException f
                            && HmcErrors.NO_RMC.equals(f.serverCode().orElse(""));
                    if (noRmc || cause instanceof OperationTimeoutException && !run.isCancelled()) {
                        run.progress(50, "the OS shutdown " + (noRmc ? "needs RMC (HSCL0DB4)" : "did not finish in time")
                                + "; asking the service processor (VSP normal shutdown)");
                        return CompletableFuture.completedFuture(false);
                    }
                    return Futures.failed(cause);
                });
        return os.thenCompose(done -> {
            if (done) {
                return settle(vm.uuid(), PowerState.POWERED_OFF, left(grace, start), run);
            }
            run.check();
            return powerOff(vm.uuid(), "shutdown", false, false, positive(left(grace, start)), run)
                    .thenCompose(x -> settle(vm.uuid(), PowerState.POWERED_OFF, left(grace, start), run));
        });
    }

    private static Duration left(Duration grace, long startNanos) {
        Duration d = grace.minusNanos(System.nanoTime() - startNanos);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static Duration positive(Duration d) {
        return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d;
    }

    @Override
    public CompletableFuture<Void> powerOff(Lpar vm, OperationRun run) {
        return powerOff(vm.uuid(), "shutdown", true, false, run)
                .thenCompose(x -> settle(vm.uuid(), PowerState.POWERED_OFF, run.deadline().remaining(), run));
    }

    @Override
    public CompletableFuture<Void> restart(Lpar vm, OperationRun run) {
        boolean rmc = "active".equalsIgnoreCase(vm.view().rmcState());
        CompletableFuture<Void> job = rmc ? powerOff(vm.uuid(), "osshutdown", true, true, run).exceptionallyCompose(e -> {
            Throwable cause = Futures.unwrap(e);
            if (cause instanceof OperationFailedException f && HmcErrors.NO_RMC.equals(f.serverCode().orElse(""))) {
                return powerOff(vm.uuid(), "shutdown", true, true, run);
            }
            return Futures.failed(cause);
        }) : powerOff(vm.uuid(), "shutdown", true, true, run);
        return job.thenCompose(x -> settle(vm.uuid(), PowerState.POWERED_ON, run.deadline().remaining(), run));
    }

    @Override
    public CompletableFuture<Void> suspend(Lpar vm, OperationRun run) {
        return Futures.failed(new UnsupportedCapabilityException(Capability.SUSPEND, "PowerVM has no suspend", run.context()));
    }

    @Override
    public CompletableFuture<Void> resume(Lpar vm, OperationRun run) {
        return Futures.failed(new UnsupportedCapabilityException(Capability.SUSPEND, "PowerVM has no resume", run.context()));
    }

    @Override
    public CompletableFuture<VmInfo> describe(VmId id, Lpar before, boolean changed, OperationRun run) {
        return hv.details(run.operation(), before.uuid(), run.deadline());
    }
}
