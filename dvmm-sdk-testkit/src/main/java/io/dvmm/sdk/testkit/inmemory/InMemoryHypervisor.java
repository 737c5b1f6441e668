package io.dvmm.sdk.testkit.inmemory;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ConnectionInfo;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.DiskSpec;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.spi.AbstractHypervisor;
import io.dvmm.sdk.spi.Deadline;
import io.dvmm.sdk.spi.Futures;
import io.dvmm.sdk.spi.ProgressReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection to an {@link InMemoryCloud}. */
final class InMemoryHypervisor extends AbstractHypervisor {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryHypervisor.class);
    /** The in-memory endpoint accepts DNS-style names only, like Proxmox: no spaces, no '_' at the ends. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final int TASK_STEPS = 4;

    private final InMemoryCloud cloud;
    private final Duration taskDuration;
    private final Duration ipDelay;
    private final Set<Capability> capabilities;
    private volatile boolean authenticated;

    InMemoryHypervisor(HypervisorConfig config) {
        super(InMemoryProvider.TYPE, config);
        String path = config.endpoint().getPath() != null ? config.endpoint().getPath()
                : config.endpoint().getSchemeSpecificPart();
        this.cloud = InMemoryCloud.named(path);
        this.taskDuration = Duration.ofMillis(longProperty(config, "inmemory.taskMillis", 200));
        this.ipDelay = Duration.ofMillis(longProperty(config, "inmemory.ipDelayMillis", 300));
        EnumSet<Capability> caps = EnumSet.allOf(Capability.class);
        for (String c : config.property("inmemory.disabledCapabilities").orElse("").split(",")) {
            if (!c.isBlank()) {
                try {
                    caps.remove(Capability.valueOf(c.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidSpecException("properties.inmemory.disabledCapabilities", "unknown capability '" + c.trim() + "'");
                }
            }
        }
        this.capabilities = java.util.Collections.unmodifiableSet(caps);
    }

    private static long longProperty(HypervisorConfig config, String key, long dflt) {
        String v = config.property(key).orElse(null);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("properties." + key, "must be a non-negative number of milliseconds, was '" + v + "'");
        }
    }

    /** The one entry of every remote-like call: auth, request counting, injected latency and faults, async hop. */
    private <T> CompletableFuture<T> call(Capability capability, String op, Supplier<CompletableFuture<T>> body) {
        return guarded(capability, op, () -> {
            authenticate(op);
            cloud.countRequest(op);
            HypervisorException fault = cloud.faults().nextFailure(op);
            long latency = cloud.faults().latency(op).toNanos();
            return poller.delay(latency).thenCompose(v -> {
                if (fault != null) {
                    throw fault;
                }
                return Futures.guard(body);
            });
        });
    }

    private void authenticate(String op) {
        if (authenticated) {
            return;
        }
        Credentials c = config.credentials();
        boolean ok = switch (c.kind()) {
            case NONE -> true;
            case PASSWORD -> InMemoryCloud.USERNAME.equals(c.principal().orElse(null))
                    && InMemoryCloud.PASSWORD.equals(c.secret().orElse(null));
            case API_TOKEN -> InMemoryCloud.TOKEN_ID.equals(c.principal().orElse(null))
                    && InMemoryCloud.TOKEN_SECRET.equals(c.secret().orElse(null));
            case PROVIDER_SPECIFIC -> false;
        };
        if (!ok) {
            throw new AuthenticationException("authentication failure for " + c.principal().orElse("(none)"), ctx(op));
        }
        authenticated = true;
    }

    @Override
    public CompletableFuture<ConnectionInfo> testConnection() {
        long start = System.nanoTime();
        return call(null, "testConnection", () -> CompletableFuture.completedFuture(
                new ConnectionInfo(providerType, "DVMM in-memory hypervisor", "1.0", "1",
                        Duration.ofNanos(System.nanoTime() - start))));
    }

    @Override
    public CompletableFuture<Set<Capability>> capabilities() {
        return CompletableFuture.completedFuture(capabilities);
    }

    @Override
    public CompletableFuture<Inventory> inventory() {
        return call(Capability.INVENTORY, "inventory", () -> CompletableFuture.completedFuture(cloud.inventory()));
    }

    @Override
    public CompletableFuture<List<VmInfo>> listVms(VmQuery query) {
        return call(Capability.LIST_VMS, "listVms", () -> CompletableFuture.completedFuture(
                cloud.allVms().stream().map(this::info).filter(query::matches)
                        .sorted(Comparator.comparing(VmInfo::name)).toList()));
    }

    @Override
    public CompletableFuture<VmInfo> getVm(VmId id) {
        return call(Capability.LIST_VMS, "getVm", () -> CompletableFuture.completedFuture(info(find(id, "getVm"))));
    }

    // ---- provisioning

    @Override
    public CompletableFuture<VmInfo> createVm(VmProvisionSpec spec, OperationOptions options) {
        try {
            checkProviderOptions(spec, null);
            requireFor(spec);
            if (!NAME.matcher(spec.name()).matches()) {
                throw new InvalidSpecException("name", "the in-memory endpoint accepts DNS-style names only: letters, digits, "
                        + "'.', '_' and '-', starting and ending with a letter or digit; was '" + spec.name() + "'", ctx("createVm"));
            }
        } catch (InvalidSpecException | io.dvmm.sdk.UnsupportedCapabilityException e) {
            return Futures.failed(e);
        }
        Capability clone = spec.cloneMode() == CloneMode.LINKED ? Capability.CLONE_LINKED : Capability.CLONE_FULL;
        CompletableFuture<VmInfo> result = new CompletableFuture<>();
        Deadline deadline = deadline(options);
        ProgressReporter progress = new ProgressReporter("createVm", options.listener());
        call(clone, "createVm", () -> provision(spec, deadline, progress, result)).whenComplete((vm, e) -> {
            if (e == null) {
                result.complete(vm);
            } else {
                result.completeExceptionally(Futures.unwrap(e));
            }
        });
        return result;
    }

    private CompletableFuture<VmInfo> provision(VmProvisionSpec spec, Deadline deadline, ProgressReporter progress,
                                                CompletableFuture<?> owner) {
        Inventory inv = cloud.inventory();
        Inventory.Template template = spec.templateName()
                .map(n -> inv.template(n).orElseThrow(() -> new InvalidSpecException("template",
                        "no template named '" + n + "' on this endpoint", ctx("createVm"))))
                .orElseGet(() -> inv.templates().stream().filter(t -> t.id().equals(spec.templateId().orElseThrow()))
                        .findFirst().orElseThrow(() -> new InvalidSpecException("templateId",
                                "no template with id '" + spec.templateId().orElseThrow() + "' on this endpoint", ctx("createVm"))));
        for (int i = 0; i < spec.nics().size(); i++) {
            String net = spec.nics().get(i).network();
            if (inv.networks().stream().noneMatch(n -> n.name().equals(net))) {
                throw new InvalidSpecException("nics[" + i + "].network", "no network named '" + net + "'", ctx("createVm"));
            }
        }
        String host = spec.placement().hostName().orElse(template.host());
        if (inv.hosts().stream().noneMatch(h -> h.name().equals(host))) {
            throw new InvalidSpecException("placement.host", "no host named '" + host + "'", ctx("createVm"));
        }
        String datastore = spec.placement().datastoreName().orElse(inv.datastores().get(0).name());
        checkDatastore(inv, datastore, "placement.datastore");
        for (int i = 0; i < spec.disks().size(); i++) {
            Optional<String> ds = spec.disks().get(i).datastoreName();
            if (ds.isPresent()) {
                checkDatastore(inv, ds.get(), "disks[" + i + "].datastore");
            }
        }
        spec.placement().resourcePoolName().ifPresent(p -> {
            if (inv.resourcePools().stream().noneMatch(rp -> rp.name().equals(p))) {
                throw new InvalidSpecException("placement.resourcePool", "no resource pool named '" + p + "'", ctx("createVm"));
            }
        });
        if (!spec.disks().isEmpty() && spec.disks().get(0).sizeGiB() < template.diskGiB()) {
            throw new InvalidSpecException("disks[0].sizeGiB", "cannot shrink the template's " + template.diskGiB()
                    + " GiB boot disk", ctx("createVm"));
        }
        InMemoryCloud.VmRecord vm = cloud.reserve(spec.name(), template, host).orElseThrow(() ->
                new ConflictException("a VM named '" + spec.name() + "' already exists", ctx("createVm")));
        LOG.debug("Cloning {} into {} ({})", template.name(), spec.name(), vm.id);
        progress.report("clone", 0, "cloning " + template.name());
        CompletableFuture<VmInfo> work = task(progress, "clone", 0, 50, deadline, owner)
                .thenCompose(v -> {
                    configure(vm, spec, datastore);
                    return task(progress, "configure", 50, 60, deadline, owner);
                })
                .thenCompose(v -> {
                    synchronized (vm) {
                        vm.locked = false;
                        vm.rawState = "stopped";
                    }
                    return spec.powerOn() ? task(progress, "power-on", 60, 80, deadline, owner)
                            .thenRun(() -> powerOn(vm)) : CompletableFuture.completedFuture(null);
                })
                .thenCompose(v -> spec.waitForIp()
                        ? poller.until(ctx("createVm"), "a guest IP on " + spec.name(), waitBackoff(), deadline, () -> {
                            if (owner.isDone()) {
                                return Futures.failed(new CancellationException("createVm cancelled"));
                            }
                            VmInfo info = info(vm);
                            progress.report("wait-ip", 85, "waiting for the guest agent");
                            return CompletableFuture.completedFuture(info.primaryIpAddress().isPresent()
                                    ? Optional.of(info) : Optional.empty());
                        })
                        : CompletableFuture.completedFuture(info(vm)));
        return work.handle((info, error) -> {
            if (error == null) {
                progress.report("done", 100, spec.name() + " is ready");
                return info;
            }
            // Nothing half-made stays behind: the VM record goes with the failure.
            cloud.remove(vm.id);
            LOG.debug("createVm {} failed, removed {}: {}", spec.name(), vm.id, Futures.unwrap(error).toString());
            throw new java.util.concurrent.CompletionException(Futures.unwrap(error));
        });
    }

    private void requireFor(VmProvisionSpec spec) {
        io.dvmm.sdk.GuestCustomization g = spec.guest();
        if (g.hostname().isPresent() || g.domain().isPresent() || g.username().isPresent() || !g.dnsServers().isEmpty()
                || !g.searchDomains().isEmpty() || spec.nics().stream().anyMatch(n -> !n.ip().isDhcp())) {
            require(Capability.GUEST_CUSTOMIZATION, "createVm");
        }
        if (spec.guest().userData().isPresent() || !spec.guest().sshKeys().isEmpty()) {
            require(Capability.CLOUD_INIT, "createVm");
        }
        if (!spec.disks().isEmpty()) {
            require(Capability.DISKS, "createVm");
        }
        if (!spec.metadata().isEmpty()) {
            require(Capability.METADATA, "createVm");
        }
        if (spec.powerOn()) {
            require(Capability.POWER, "createVm");
        }
        if (spec.waitForIp()) {
            require(Capability.GUEST_IP, "createVm");
        }
    }

    private void require(Capability c, String op) {
        if (!capabilities.contains(c)) {
            throw new io.dvmm.sdk.UnsupportedCapabilityException(c, ctx(op));
        }
    }

    private void checkDatastore(Inventory inv, String name, String field) {
        if (inv.datastores().stream().noneMatch(d -> d.name().equals(name))) {
            throw new InvalidSpecException(field, "no datastore named '" + name + "'", ctx("createVm"));
        }
    }

    private void configure(InMemoryCloud.VmRecord vm, VmProvisionSpec spec, String datastore) {
        synchronized (vm) {
            spec.cpuCount().ifPresent(c -> vm.cpu = c);
            spec.memoryMiB().ifPresent(m -> vm.memoryMiB = m);
            vm.datastore = datastore;
            if (!spec.disks().isEmpty()) {
                vm.diskGiB = spec.disks().get(0).sizeGiB();
                for (DiskSpec d : spec.disks().subList(1, spec.disks().size())) {
                    vm.extraDisks.add(d.sizeGiB());
                }
            }
            List<NicSpec> nics = spec.nics().isEmpty() ? List.of(NicSpec.dhcp(cloud.inventory().networks().get(0).name()))
                    : spec.nics();
            for (NicSpec n : nics) {
                String mac = n.mac().orElseGet(() -> String.format(Locale.ROOT, "bc:24:11:%02x:%02x:%02x",
                        (vm.id.hashCode() >> 16) & 0xff, (vm.id.hashCode() >> 8) & 0xff, (vm.nics.size() * 16 + vm.id.hashCode()) & 0xff));
                vm.nics.add(new String[] {n.network(), mac.toLowerCase(Locale.ROOT), n.ip().address().orElse(null)});
            }
            vm.metadata.putAll(spec.metadata());
            vm.ipDelay = ipDelay;
        }
    }

    private void powerOn(InMemoryCloud.VmRecord vm) {
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

    private void powerOff(InMemoryCloud.VmRecord vm) {
        synchronized (vm) {
            vm.power = PowerState.POWERED_OFF;
            vm.rawState = "stopped";
            vm.ipVisibleAtNanos = Long.MAX_VALUE;
        }
    }

    /**
     * A simulated hypervisor task: takes the configured time in steps, reports each step into its
     * slice of the overall percent, stops when the caller's future is done (cancelled), and fails
     * with a timeout when the deadline comes first.
     */
    private CompletableFuture<Void> task(ProgressReporter progress, String stage, int from, int to, Deadline deadline,
                                         CompletableFuture<?> owner) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger step = new AtomicInteger();
        long stepNanos = taskDuration.toNanos() / TASK_STEPS;
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (owner.isDone()) {
                done.completeExceptionally(new CancellationException(stage + " cancelled"));
                return;
            }
            int n = step.incrementAndGet();
            progress.reportSlice(stage, from, to, n * 100 / TASK_STEPS, stage);
            if (n >= TASK_STEPS) {
                done.complete(null);
            } else if (deadline.expired()) {
                done.completeExceptionally(new OperationTimeoutException("timed out after " + deadline.budget()
                        + " during " + stage, ctx(progress.operation())));
            } else {
                scheduler.schedule(tick[0], deadline.clampNanos(stepNanos), TimeUnit.NANOSECONDS);
            }
        };
        if (deadline.expired()) {
            done.completeExceptionally(new OperationTimeoutException("timed out after " + deadline.budget() + " before " + stage, ctx(stage)));
        } else {
            scheduler.schedule(tick[0], deadline.clampNanos(stepNanos), TimeUnit.NANOSECONDS);
        }
        return done;
    }

    // ---- power

    @Override
    public CompletableFuture<VmInfo> startVm(VmId id, OperationOptions options) {
        return powerOp(Capability.POWER, "startVm", id, options, vm -> {
            if (vm.power == PowerState.POWERED_ON) {
                return null;
            }
            return () -> powerOn(vm);
        });
    }

    @Override
    public CompletableFuture<VmInfo> stopVm(VmId id, StopSpec how, OperationOptions options) {
        return call(Capability.POWER, "stopVm", () -> {
            InMemoryCloud.VmRecord vm = unlocked(id, "stopVm");
            if (vm.power == PowerState.POWERED_OFF) {
                return CompletableFuture.completedFuture(info(vm));
            }
            ProgressReporter progress = new ProgressReporter("stopVm", options.listener());
            Deadline deadline = deadline(options);
            CompletableFuture<VmInfo> result = new CompletableFuture<>();
            CompletableFuture<Void> stop;
            if (!how.graceful()) {
                stop = task(progress, "power-off", 0, 100, deadline, result).thenRun(() -> powerOff(vm));
            } else if (!cloud.faults().ignoresShutdown(vm.name)) {
                stop = task(progress, "shutdown", 0, 100, deadline, result).thenRun(() -> powerOff(vm));
            } else {
                // The guest ignores the request: wait out the graceful deadline, then cut the power if asked.
                progress.report("shutdown", 0, "asked the guest to shut down");
                stop = poller.delay(Math.min(how.gracefulTimeout().toNanos(), deadline.remaining().toNanos()))
                        .thenCompose(v -> {
                            if (!how.forceAfterTimeout()) {
                                throw new OperationTimeoutException("the guest did not shut down within "
                                        + how.gracefulTimeout(), ctx("stopVm"));
                            }
                            return task(progress, "power-off", 50, 100, deadline, result).thenRun(() -> powerOff(vm));
                        });
            }
            stop.whenComplete((v, e) -> {
                if (e == null) {
                    progress.report("done", 100, vm.name + " is off");
                    result.complete(info(vm));
                } else {
                    result.completeExceptionally(Futures.unwrap(e));
                }
            });
            return result;
        });
    }

    @Override
    public CompletableFuture<VmInfo> restartVm(VmId id, OperationOptions options) {
        return powerOp(Capability.POWER, "restartVm", id, options, vm -> {
            if (vm.power != PowerState.POWERED_ON) {
                throw new ConflictException("VM " + vm.id + " is not running (" + vm.rawState + ")", ctx("restartVm"));
            }
            return () -> {
                powerOff(vm);
                powerOn(vm);
            };
        });
    }

    @Override
    public CompletableFuture<VmInfo> suspendVm(VmId id, OperationOptions options) {
        return powerOp(Capability.SUSPEND, "suspendVm", id, options, vm -> {
            if (vm.power == PowerState.SUSPENDED) {
                return null;
            }
            if (vm.power != PowerState.POWERED_ON) {
                throw new ConflictException("VM " + vm.id + " is not running (" + vm.rawState + ")", ctx("suspendVm"));
            }
            return () -> {
                synchronized (vm) {
                    vm.power = PowerState.SUSPENDED;
                    vm.rawState = "suspended";
                }
            };
        });
    }

    @Override
    public CompletableFuture<VmInfo> resumeVm(VmId id, OperationOptions options) {
        return powerOp(Capability.SUSPEND, "resumeVm", id, options, vm -> {
            if (vm.power == PowerState.POWERED_ON) {
                return null;
            }
            if (vm.power != PowerState.SUSPENDED) {
                throw new ConflictException("VM " + vm.id + " is not suspended (" + vm.rawState + ")", ctx("resumeVm"));
            }
            return () -> {
                synchronized (vm) {
                    vm.power = PowerState.POWERED_ON;
                    vm.rawState = "running";
                }
            };
        });
    }

    @Override
    public CompletableFuture<VmInfo> reconfigureVm(VmId id, VmReconfigureSpec change, OperationOptions options) {
        return powerOp(Capability.RECONFIGURE, "reconfigureVm", id, options, vm -> {
            boolean shrinks = change.cpuCount().orElse(vm.cpu) < vm.cpu || change.memoryMiB().orElse(vm.memoryMiB) < vm.memoryMiB;
            if (shrinks && vm.power != PowerState.POWERED_OFF) {
                throw new ConflictException("CPU and memory can only grow while VM " + vm.id + " runs; stop it first",
                        ctx("reconfigureVm"));
            }
            return () -> {
                synchronized (vm) {
                    change.cpuCount().ifPresent(c -> vm.cpu = c);
                    change.memoryMiB().ifPresent(m -> vm.memoryMiB = m);
                }
            };
        });
    }

    /** A task on one VM: {@code plan} checks the state and returns the change, or {@code null} if there is nothing to do. */
    private CompletableFuture<VmInfo> powerOp(Capability cap, String op, VmId id, OperationOptions options,
                                              java.util.function.Function<InMemoryCloud.VmRecord, Runnable> plan) {
        return call(cap, op, () -> {
            InMemoryCloud.VmRecord vm = unlocked(id, op);
            Runnable change;
            synchronized (vm) {
                change = plan.apply(vm);
            }
            if (change == null) {
                return CompletableFuture.completedFuture(info(vm));
            }
            ProgressReporter progress = new ProgressReporter(op, options.listener());
            CompletableFuture<VmInfo> result = new CompletableFuture<>();
            task(progress, op, 0, 100, deadline(options), result).whenComplete((v, e) -> {
                if (e == null) {
                    change.run();
                    progress.report("done", 100, op + " finished");
                    result.complete(info(vm));
                } else {
                    result.completeExceptionally(Futures.unwrap(e));
                }
            });
            return result;
        });
    }

    @Override
    public CompletableFuture<Boolean> deleteVm(VmId id, OperationOptions options) {
        return call(Capability.DELETE, "deleteVm", () -> {
            InMemoryCloud.VmRecord vm = cloud.vm(id.value());
            if (vm == null) {
                return CompletableFuture.completedFuture(false);
            }
            if (vm.locked) {
                throw new BusyException("VM " + id + " is locked (clone)", ctx("deleteVm"));
            }
            ProgressReporter progress = new ProgressReporter("deleteVm", options.listener());
            CompletableFuture<Boolean> result = new CompletableFuture<>();
            task(progress, "destroy", 0, 100, deadline(options), result).whenComplete((v, e) -> {
                if (e == null) {
                    powerOff(vm);
                    boolean removed = cloud.remove(vm.id);
                    progress.report("done", 100, vm.name + " deleted");
                    result.complete(removed);
                } else {
                    result.completeExceptionally(Futures.unwrap(e));
                }
            });
            return result;
        });
    }

    // ---- snapshots

    @Override
    public CompletableFuture<Snapshot> createSnapshot(VmId id, SnapshotSpec spec, OperationOptions options) {
        return call(Capability.SNAPSHOTS, "createSnapshot", () -> {
            InMemoryCloud.VmRecord vm = unlocked(id, "createSnapshot");
            Snapshot snap;
            synchronized (vm) {
                if (vm.snapshots.containsKey(spec.name())) {
                    throw new ConflictException("snapshot '" + spec.name() + "' already exists on VM " + id, ctx("createSnapshot"));
                }
                boolean memory = spec.includeMemory() && vm.power == PowerState.POWERED_ON;
                snap = new Snapshot(spec.name(), spec.description(), Instant.now(), memory, vm.currentSnapshot);
                vm.snapshots.put(spec.name(), new InMemoryCloud.SnapshotRecord(snap,
                        memory ? PowerState.POWERED_ON : PowerState.POWERED_OFF, vm.cpu, vm.memoryMiB));
                vm.currentSnapshot = spec.name();
            }
            ProgressReporter progress = new ProgressReporter("createSnapshot", options.listener());
            CompletableFuture<Snapshot> result = new CompletableFuture<>();
            task(progress, "snapshot", 0, 100, deadline(options), result).whenComplete((v, e) -> {
                if (e == null) {
                    progress.report("done", 100, "snapshot " + spec.name() + " taken");
                    result.complete(snap);
                } else {
                    synchronized (vm) {
                        vm.snapshots.remove(spec.name());
                        vm.currentSnapshot = snap.parentName().orElse(null);
                    }
                    result.completeExceptionally(Futures.unwrap(e));
                }
            });
            return result;
        });
    }

    @Override
    public CompletableFuture<List<Snapshot>> listSnapshots(VmId id) {
        return call(Capability.SNAPSHOTS, "listSnapshots", () -> {
            InMemoryCloud.VmRecord vm = find(id, "listSnapshots");
            synchronized (vm) {
                return CompletableFuture.completedFuture(
                        vm.snapshots.values().stream().map(InMemoryCloud.SnapshotRecord::snapshot).toList());
            }
        });
    }

    @Override
    public CompletableFuture<VmInfo> revertToSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return powerOp(Capability.SNAPSHOTS, "revertToSnapshot", id, options, vm -> {
            InMemoryCloud.SnapshotRecord s = vm.snapshots.get(snapshotName);
            if (s == null) {
                throw new NotFoundException("no snapshot '" + snapshotName + "' on VM " + id, ctx("revertToSnapshot"));
            }
            return () -> {
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
            };
        });
    }

    @Override
    public CompletableFuture<Void> deleteSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return powerOp(Capability.SNAPSHOTS, "deleteSnapshot", id, options, vm -> {
            if (!vm.snapshots.containsKey(snapshotName)) {
                throw new NotFoundException("no snapshot '" + snapshotName + "' on VM " + id, ctx("deleteSnapshot"));
            }
            return () -> {
                synchronized (vm) {
                    InMemoryCloud.SnapshotRecord removed = vm.snapshots.remove(snapshotName);
                    if (snapshotName.equals(vm.currentSnapshot)) {
                        vm.currentSnapshot = removed.snapshot().parentName().orElse(null);
                    }
                }
            };
        }).thenApply(vm -> null);
    }

    // ---- helpers

    private InMemoryCloud.VmRecord find(VmId id, String op) {
        InMemoryCloud.VmRecord vm = cloud.vm(id.value());
        if (vm == null) {
            throw new NotFoundException("VM " + id + " does not exist", ctx(op));
        }
        return vm;
    }

    private InMemoryCloud.VmRecord unlocked(VmId id, String op) {
        InMemoryCloud.VmRecord vm = find(id, op);
        if (vm.locked) {
            throw new BusyException("VM " + id + " is locked (clone)", ctx(op));
        }
        return vm;
    }

    private VmInfo info(InMemoryCloud.VmRecord vm) {
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
            return VmInfo.builder().id(VmId.of(vm.id)).name(vm.name).powerState(vm.power).rawState(vm.rawState)
                    .cpuCount(vm.cpu).memoryMiB(vm.memoryMiB).host(vm.host).nics(nics).disks(disks)
                    .metadata(vm.metadata).build();
        }
    }

    @Override
    protected void closeTransport() {
        LOG.debug("Closed connection to in-memory cloud {}", cloud.name());
    }
}
