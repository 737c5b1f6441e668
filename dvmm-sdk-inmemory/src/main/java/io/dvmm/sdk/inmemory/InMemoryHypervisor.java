package io.dvmm.sdk.inmemory;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ConnectionInfo;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Progress.Stage;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.spi.AbstractHypervisor;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.PowerSteps;
import io.dvmm.sdk.spi.support.ProviderProperties;
import io.dvmm.sdk.spi.support.ProvisioningSteps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to an {@link InMemoryCloud}. Every call behaves like a remote one: it is
 * authenticated, counted, may be delayed or failed by {@link InMemoryFaults}, and completes on a
 * scheduler thread; tasks take {@code inmemory.taskMillis} in steps that report progress.
 */
final class InMemoryHypervisor extends AbstractHypervisor {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryHypervisor.class);
    private static final int TASK_STEPS = 5;

    final InMemoryCloud cloud;
    final Duration taskDuration;
    final Duration ipDelay;
    private final Set<Capability> capabilities;
    private final Object loginLock = new Object();
    /** The cloud's session epoch this connection is logged in to; -1 before the first login. */
    private volatile long sessionEpoch = -1;

    InMemoryHypervisor(HypervisorConfig config) {
        super(InMemoryProvider.TYPE, config);
        String path = config.endpoint().getPath() != null ? config.endpoint().getPath()
                : config.endpoint().getSchemeSpecificPart();
        this.cloud = InMemoryCloud.named(path);
        ProviderProperties props = ProviderProperties.of(config, InMemoryProvider.PROPERTIES);
        this.taskDuration = Duration.ofMillis(props.number(InMemoryProvider.TASK_MILLIS));
        this.ipDelay = Duration.ofMillis(props.number(InMemoryProvider.IP_DELAY_MILLIS));
        EnumSet<Capability> caps = EnumSet.copyOf(InMemoryProvider.CAPABILITIES);
        for (String c : props.list(InMemoryProvider.DISABLED_CAPABILITIES)) {
            caps.remove(Capability.valueOf(c.toUpperCase(Locale.ROOT)));
        }
        this.capabilities = Collections.unmodifiableSet(caps);
    }

    @Override
    protected ProvisioningSteps<?, ?> provisioning() {
        return new InMemoryProvisioning(this);
    }

    @Override
    protected PowerSteps<?> power() {
        return new InMemoryPower(this);
    }

    // ---- the "wire" -----------------------------------------------------------------------------------

    /**
     * One remote-like request: authentication, counting, injected latency and faults, an async hop.
     * A lost answer applies the request, then fails as a reset connection would.
     */
    <T> CompletableFuture<T> request(String op, Supplier<T> body) {
        try {
            authenticate(op);
        } catch (HypervisorException e) {
            return Futures.failed(e);
        }
        cloud.countRequest(op);
        HypervisorException fault = cloud.faults().nextFailure(op);
        long latency = cloud.faults().latency(op).toNanos();
        return poller.delay(latency).thenApply(v -> {
            if (fault != null) {
                throw fault;
            }
            T value = body.get();
            if (cloud.faults().answerLost(op)) {
                throw new UnavailableException("connection reset after the request was sent (injected)", ctx(op));
            }
            return value;
        });
    }

    /**
     * Logs in once per session of the cloud ({@link InMemoryCloud#expireSessions()} ends them),
     * reading the secret at each login; a refused login whose rotating secret has changed since it
     * was read is tried once more with the new one.
     */
    private void authenticate(String op) {
        long epoch = cloud.sessionEpoch();
        if (sessionEpoch == epoch) {
            return;
        }
        synchronized (loginLock) {
            if (sessionEpoch == epoch) {
                return;
            }
            Credentials c = config.credentials();
            boolean ok;
            switch (c.kind()) {
                case NONE -> ok = true;
                case PASSWORD, API_TOKEN -> {
                    String principal = c.principal().orElse(null);
                    String secret = c.secret().orElse(null);
                    ok = cloud.login(c.kind(), principal, secret);
                    if (!ok && c.rotates()) {
                        String again = c.secret().orElse(null);
                        if (!again.equals(secret)) {
                            LOG.info("login to in-memory cloud {} as {} refused; the secret changed since it was read, "
                                    + "logging in once more", cloud.name(), principal);
                            ok = cloud.login(c.kind(), principal, again);
                        }
                    }
                }
                default -> ok = false;
            }
            if (!ok) {
                throw new AuthenticationException("authentication failure for " + c.principal().orElse("(none)"), ctx(op));
            }
            sessionEpoch = epoch;
        }
    }

    /**
     * A simulated hypervisor task: takes the configured time in steps, reports each step as the
     * run's progress, and stops when the run is cancelled (its wait).
     */
    CompletableFuture<Void> task(OperationRun run) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger step = new AtomicInteger();
        long stepNanos = taskDuration.toNanos() / TASK_STEPS;
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (done.isDone()) {
                return;
            }
            int n = step.incrementAndGet();
            run.progress(n * 100 / TASK_STEPS, run.currentStage().id());
            if (n >= TASK_STEPS) {
                done.complete(null);
            } else {
                scheduler.schedule(tick[0], stepNanos, TimeUnit.NANOSECONDS);
            }
        };
        scheduler.schedule(tick[0], stepNanos, TimeUnit.NANOSECONDS);
        return run.waitFor(done);
    }

    /** Runs {@code action} after {@code delay} on the connection's scheduler: the cloud's own work. */
    void later(Duration delay, Runnable action) {
        scheduler.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- the cloud's records ----------------------------------------------------------------------------

    InMemoryCloud.VmRecord find(VmId id, String op) {
        InMemoryCloud.VmRecord vm = cloud.vm(id.value());
        if (vm == null) {
            throw new NotFoundException("VM " + id + " does not exist", ctx(op));
        }
        return vm;
    }

    InMemoryCloud.VmRecord unlocked(VmId id, String op) {
        InMemoryCloud.VmRecord vm = find(id, op);
        if (vm.locked) {
            throw new BusyException("VM " + id + " is locked (clone)", ctx(op));
        }
        return vm;
    }

    void powerOn(InMemoryCloud.VmRecord vm) {
        synchronized (vm) {
            vm.power = PowerState.POWERED_ON;
            vm.rawState = "running";
            vm.ipVisibleAtNanos = System.nanoTime() + vm.ipDelay.toNanos();
            if (vm.ip == null) {
                String fixed = vm.nics.isEmpty() ? null : vm.nics.get(0)[2];
                vm.ip = fixed != null ? fixed : cloud.nextIp();
            }
        }
    }

    void powerOff(InMemoryCloud.VmRecord vm) {
        synchronized (vm) {
            vm.power = PowerState.POWERED_OFF;
            vm.rawState = "stopped";
            vm.ipVisibleAtNanos = Long.MAX_VALUE;
        }
    }

    VmInfo info(InMemoryCloud.VmRecord vm) {
        synchronized (vm) {
            boolean ipVisible = vm.power == PowerState.POWERED_ON && System.nanoTime() >= vm.ipVisibleAtNanos && vm.ip != null;
            List<NicInfo> nics = new ArrayList<>();
            for (int i = 0; i < vm.nics.size(); i++) {
                String[] n = vm.nics.get(i);
                nics.add(new NicInfo("net" + i, n[0], n[1], i == 0 && ipVisible ? List.of(vm.ip) : List.of()));
            }
            List<DiskInfo> disks = new ArrayList<>();
            disks.add(new DiskInfo("disk0", vm.diskGiB, vm.datastore));
            for (int i = 0; i < vm.extraDisks.size(); i++) {
                disks.add(new DiskInfo("disk" + (i + 1), vm.extraDisks.get(i), vm.datastore));
            }
            return VmInfo.builder().id(VmId.of(vm.id)).name(vm.name).powerState(vm.locked ? PowerState.UNKNOWN : vm.power)
                    .rawState(vm.rawState).cpuCount(vm.cpu).memoryMiB(vm.memoryMiB).host(vm.host).nics(nics).disks(disks)
                    .metadata(vm.metadata).build();
        }
    }

    // ---- connection, inventory, listing -------------------------------------------------------------------

    @Override
    public CompletableFuture<ConnectionInfo> testConnection() {
        long start = System.nanoTime();
        return guarded(null, "testConnection", () -> request("testConnection", () -> new ConnectionInfo(providerType,
                "DVMM in-memory hypervisor", "1.0", "1", Duration.ofNanos(System.nanoTime() - start))));
    }

    @Override
    public CompletableFuture<Set<Capability>> capabilities() {
        return CompletableFuture.completedFuture(capabilities);
    }

    @Override
    public CompletableFuture<Inventory> inventory() {
        return guarded(Capability.INVENTORY, "inventory", () -> request("inventory", cloud::inventory));
    }

    @Override
    public CompletableFuture<List<VmInfo>> listVms(VmQuery query) {
        return guarded(Capability.LIST_VMS, "listVms", () -> request("listVms", () -> cloud.allVms().stream().map(this::info)
                .filter(query::matches).sorted(Comparator.comparing(VmInfo::name).thenComparing(v -> v.id().value())).toList()));
    }

    @Override
    public CompletableFuture<VmInfo> getVm(VmId id) {
        return guarded(Capability.LIST_VMS, "getVm", () -> request("getVm", () -> info(find(id, "getVm"))));
    }

    // ---- reconfigure and delete ---------------------------------------------------------------------------

    @Override
    public CompletableFuture<VmInfo> reconfigureVm(VmId id, VmReconfigureSpec change, OperationOptions options) {
        return operation(Capability.RECONFIGURE, "reconfigureVm", options, run -> request("reconfigureVm", () -> {
            InMemoryCloud.VmRecord vm = unlocked(id, "reconfigureVm");
            boolean shrinks = change.cpuCount().orElse(vm.cpu) < vm.cpu || change.memoryMiB().orElse(vm.memoryMiB) < vm.memoryMiB;
            if (shrinks && vm.power != PowerState.POWERED_OFF) {
                throw new ConflictException("CPU and memory can only grow while VM " + vm.id + " runs; stop it first",
                        ctx("reconfigureVm"));
            }
            return vm;
        }).thenCompose(vm -> {
            run.stage(Stage.RECONFIGURE, 0, 99, "changing CPU and memory of " + vm.id);
            return task(run).thenApply(x -> {
                synchronized (vm) {
                    change.cpuCount().ifPresent(c -> vm.cpu = c);
                    change.memoryMiB().ifPresent(m -> vm.memoryMiB = m);
                }
                return info(vm);
            });
        }));
    }

    @Override
    public CompletableFuture<Boolean> deleteVm(VmId id, OperationOptions options) {
        return operation(Capability.DELETE, "deleteVm", options, run -> request("deleteVm", () -> {
            InMemoryCloud.VmRecord vm = cloud.vm(id.value());
            if (vm != null && vm.locked) {
                throw new BusyException("VM " + id + " is locked (clone)", ctx("deleteVm"));
            }
            return vm;
        }).thenCompose(vm -> {
            if (vm == null) {
                return CompletableFuture.completedFuture(false);
            }
            run.stage(Stage.DELETE, 0, 99, "deleting " + vm.id);
            return task(run).thenApply(x -> {
                powerOff(vm);
                return cloud.remove(vm.id);
            });
        }));
    }

    // ---- snapshots ----------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Snapshot> createSnapshot(VmId id, SnapshotSpec spec, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "createSnapshot", options, run -> request("createSnapshot", () -> {
            InMemoryCloud.VmRecord vm = unlocked(id, "createSnapshot");
            synchronized (vm) {
                if (vm.snapshots.containsKey(spec.name())) {
                    throw new ConflictException("snapshot '" + spec.name() + "' already exists on VM " + id, ctx("createSnapshot"));
                }
                boolean memory = spec.includeMemory() && vm.power == PowerState.POWERED_ON;
                Snapshot snap = new Snapshot(spec.name(), spec.description(), Instant.now(), memory, vm.currentSnapshot);
                vm.snapshots.put(spec.name(), new InMemoryCloud.SnapshotRecord(snap,
                        memory ? PowerState.POWERED_ON : PowerState.POWERED_OFF, vm.cpu, vm.memoryMiB));
                vm.currentSnapshot = spec.name();
                // Removed again if the task does not finish.
                run.undo("snapshot " + spec.name() + " of VM " + id, () -> {
                    synchronized (vm) {
                        vm.snapshots.remove(spec.name());
                        vm.currentSnapshot = snap.parentName().orElse(null);
                    }
                    return CompletableFuture.completedFuture(null);
                });
                return snap;
            }
        }).thenCompose(snap -> {
            run.stage(Stage.SNAPSHOT, 0, 99, "taking snapshot " + spec.name());
            return task(run).thenApply(x -> snap);
        }));
    }

    @Override
    public CompletableFuture<List<Snapshot>> listSnapshots(VmId id) {
        return guarded(Capability.SNAPSHOTS, "listSnapshots", () -> request("listSnapshots", () -> {
            InMemoryCloud.VmRecord vm = find(id, "listSnapshots");
            synchronized (vm) {
                return vm.snapshots.values().stream().map(InMemoryCloud.SnapshotRecord::snapshot).toList();
            }
        }));
    }

    @Override
    public CompletableFuture<VmInfo> revertToSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "revertToSnapshot", options, run -> request("revertToSnapshot", () -> {
            InMemoryCloud.VmRecord vm = unlocked(id, "revertToSnapshot");
            InMemoryCloud.SnapshotRecord s;
            synchronized (vm) {
                s = vm.snapshots.get(snapshotName);
            }
            if (s == null) {
                throw new NotFoundException("no snapshot '" + snapshotName + "' on VM " + id, ctx("revertToSnapshot"));
            }
            return new Object[] {vm, s};
        }).thenCompose(pair -> {
            InMemoryCloud.VmRecord vm = (InMemoryCloud.VmRecord) pair[0];
            InMemoryCloud.SnapshotRecord s = (InMemoryCloud.SnapshotRecord) pair[1];
            run.stage(Stage.REVERT, 0, 99, "reverting to " + snapshotName);
            return task(run).thenApply(x -> {
                synchronized (vm) {
                    vm.cpu = s.cpu();
                    vm.memoryMiB = s.memoryMiB();
                    vm.currentSnapshot = snapshotName;
                }
                if (s.power() == PowerState.POWERED_ON) {
                    powerOn(vm);
                } else {
                    powerOff(vm);
                }
                return info(vm);
            });
        }));
    }

    @Override
    public CompletableFuture<Void> deleteSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "deleteSnapshot", options, run -> request("deleteSnapshot", () -> {
            InMemoryCloud.VmRecord vm = unlocked(id, "deleteSnapshot");
            synchronized (vm) {
                if (!vm.snapshots.containsKey(snapshotName)) {
                    throw new NotFoundException("no snapshot '" + snapshotName + "' on VM " + id, ctx("deleteSnapshot"));
                }
            }
            return vm;
        }).thenCompose(vm -> {
            run.stage(Stage.SNAPSHOT, 0, 99, "deleting snapshot " + snapshotName);
            return task(run).thenApply(x -> {
                synchronized (vm) {
                    InMemoryCloud.SnapshotRecord removed = vm.snapshots.remove(snapshotName);
                    if (removed != null && snapshotName.equals(vm.currentSnapshot)) {
                        vm.currentSnapshot = removed.snapshot().parentName().orElse(null);
                    }
                }
                return (Void) null;
            });
        }));
    }

    @Override
    protected void closeTransport() {
        LOG.debug("Closed connection to in-memory cloud {}", cloud.name());
    }

    static void require(boolean ok, String field, String rule, String op) {
        if (!ok) {
            throw new InvalidSpecException(field, rule, io.dvmm.sdk.ErrorContext.of(InMemoryProvider.TYPE, op));
        }
    }
}
