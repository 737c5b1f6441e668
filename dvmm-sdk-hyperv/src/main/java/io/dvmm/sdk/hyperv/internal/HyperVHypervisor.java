package io.dvmm.sdk.hyperv.internal;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ConnectionInfo;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.Progress.Stage;
import io.dvmm.sdk.ProviderOptions;
import io.dvmm.sdk.ProviderProperty;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.hyperv.HyperVOptions;
import io.dvmm.sdk.hyperv.HyperVProvider;
import io.dvmm.sdk.hyperv.internal.scripts.HyperVScript;
import io.dvmm.sdk.spi.AbstractHypervisor;
import io.dvmm.sdk.spi.support.Addresses;
import io.dvmm.sdk.spi.support.Backoff;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.PowerSteps;
import io.dvmm.sdk.spi.support.ProviderProperties;
import io.dvmm.sdk.spi.support.ProvisioningSteps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * A connection to one Hyper-V host: the API on top of {@link HyperVClient} (one script per request),
 * {@link HyperVProvisioning} (the create steps), {@link HyperVPower} (the power steps) and {@link HyperVMapper}.
 * VM ids are Hyper-V VMIds (GUIDs); names may repeat on Hyper-V, so every script addresses VMs by id.
 */
public final class HyperVHypervisor extends AbstractHypervisor {
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    final HyperVClient client;
    final ProviderProperties props;
    final List<String> families;
    final Backoff pollBackoff;
    private final long inventoryTtlNanos;
    private final Object inventoryLock = new Object();
    private volatile String hostName;
    private CompletableFuture<HyperVWire.Inventory> cachedInventory;
    private long inventoryReadAt;

    /**
     * @param config the configuration
     * @param declared the properties the provider declares
     */
    public HyperVHypervisor(HypervisorConfig config, List<ProviderProperty> declared) {
        // winrm4j blocks a thread per command, and at most one command runs per shell.
        super(HyperVProvider.TYPE, config, (int) ProviderProperties.of(config, declared).number(HyperVProvider.SHELLS));
        this.props = ProviderProperties.of(config, declared);
        Duration read = config.readTimeout();
        // The WS-Man OperationTimeout (the host's long poll of one Receive) stays within the read timeout, and at most 30 s.
        Duration operationTimeout = Duration.ofMillis(Math.max(1000, Math.min(30_000, read.toMillis() / 2)));
        WinRmTransport transport = new WinRmTransport(config, props.string(HyperVProvider.AUTH),
                props.string(HyperVProvider.TRANSPORT), props.flag(HyperVProvider.ALLOW_UNENCRYPTED_HTTP), operationTimeout,
                (int) props.number(HyperVProvider.SHELLS));
        this.client = new HyperVClient(config, transport, (int) props.number(HyperVProvider.SHELLS),
                Duration.ofSeconds(props.number(HyperVProvider.SHELL_IDLE_SECONDS)), calls, executor, scheduler);
        this.families = props.list(HyperVProvider.IP_FAMILIES).isEmpty() ? List.of("ipv4", "ipv6") : props.list(HyperVProvider.IP_FAMILIES);
        long first = props.number(HyperVProvider.POLL_INITIAL);
        this.pollBackoff = new Backoff(Duration.ofMillis(first), Duration.ofMillis(Math.max(first, props.number(HyperVProvider.POLL_MAX))), 1.5);
        this.inventoryTtlNanos = Duration.ofSeconds(props.number(HyperVProvider.INVENTORY_CACHE_SECONDS)).toNanos();
        this.hostName = config.endpoint().getHost();
    }

    @Override
    protected ProvisioningSteps<?, ?> provisioning() {
        return new HyperVProvisioning(this);
    }

    @Override
    protected PowerSteps<?> power() {
        return new HyperVPower(this);
    }

    @Override
    protected Class<? extends ProviderOptions> providerOptionsType() {
        return HyperVOptions.class;
    }

    @Override
    protected Backoff waitBackoff() {
        return pollBackoff;
    }

    ErrorContext context(String operation) {
        return ctx(operation);
    }

    String host() {
        return hostName;
    }

    /** Runs a script for an SDK operation. */
    <T> CompletableFuture<T> script(String operation, HyperVScript script, Map<String, ?> args, Deadline deadline, Class<T> type) {
        return client.run(operation, script, args, deadline, type, null);
    }

    VmInfo info(HyperVWire.Vm vm) {
        return HyperVMapper.vm(vm, hostName, families);
    }

    // ---- connection -------------------------------------------------------------------------------

    @Override
    public CompletableFuture<ConnectionInfo> testConnection() {
        return guarded(null, "testConnection", () -> {
            long start = System.nanoTime();
            return script("testConnection", HyperVScript.TEST_CONNECTION, Map.of(), null, HyperVWire.Host.class).thenApply(h -> {
                if (h.host() != null) {
                    hostName = h.host();
                }
                String product = "Microsoft Hyper-V" + (h.os() == null ? "" : " on " + h.os());
                String version = h.hypervVersion() != null ? h.hypervVersion() : String.valueOf(h.osVersion());
                return new ConnectionInfo(HyperVProvider.TYPE, product, version,
                        "PowerShell over WinRM; VM configuration " + (h.vmVersionDefault() == null ? "unknown" : h.vmVersionDefault()),
                        Duration.ofNanos(System.nanoTime() - start));
            });
        });
    }

    @Override
    public CompletableFuture<Set<Capability>> capabilities() {
        return CompletableFuture.completedFuture(HyperVProvider.CAPABILITIES);
    }

    @Override
    protected void closeTransport() {
        client.close();
    }

    // ---- inventory --------------------------------------------------------------------------------

    private Map<String, Object> inventoryArguments() {
        Map<String, Object> args = new LinkedHashMap<>();
        String templates = props.string(HyperVProvider.TEMPLATES_PATH);
        if (templates != null && !templates.isBlank()) {
            args.put("templates", templates);
        }
        String root = props.string(HyperVProvider.VM_ROOT);
        if (root != null && !root.isBlank()) {
            args.put("roots", List.of(root));
        }
        return args;
    }

    /** Reads the host's inventory now and keeps it for {@code createVm}. */
    CompletableFuture<HyperVWire.Inventory> readInventory(String operation, Deadline deadline) {
        CompletableFuture<HyperVWire.Inventory> f = script(operation, HyperVScript.INVENTORY, inventoryArguments(), deadline,
                HyperVWire.Inventory.class);
        synchronized (inventoryLock) {
            cachedInventory = f;
            inventoryReadAt = System.nanoTime();
        }
        f.whenComplete((inv, e) -> {
            if (e != null) {
                synchronized (inventoryLock) {
                    if (cachedInventory == f) {
                        cachedInventory = null;
                    }
                }
            } else if (inv.host() != null) {
                hostName = inv.host();
            }
        });
        return f;
    }

    /** The inventory read within the cache time, else read now (one read for concurrent callers). */
    CompletableFuture<HyperVWire.Inventory> knownInventory(String operation, Deadline deadline) {
        synchronized (inventoryLock) {
            if (cachedInventory != null && !cachedInventory.isCompletedExceptionally()
                    && System.nanoTime() - inventoryReadAt < inventoryTtlNanos) {
                return cachedInventory;
            }
        }
        return readInventory(operation, deadline);
    }

    @Override
    public CompletableFuture<Inventory> inventory() {
        return guarded(Capability.INVENTORY, "inventory", () -> readInventory("inventory", null).thenApply(HyperVMapper::inventory));
    }

    /** The folder the SDK makes VM folders in, for VMs whose Notes do not name their own. */
    CompletableFuture<String> defaultRoot(String operation, Deadline deadline) {
        String root = props.string(HyperVProvider.VM_ROOT);
        if (root != null && !root.isBlank()) {
            return CompletableFuture.completedFuture(stripSlash(root));
        }
        return knownInventory(operation, deadline).thenApply(inv -> stripSlash(inv.vmPath()) + "\\dvmm");
    }

    static String stripSlash(String path) {
        String p = path == null ? "" : path;
        while (p.length() > 3 && (p.endsWith("\\") || p.endsWith("/"))) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    // ---- listing and lookup -------------------------------------------------------------------------

    @Override
    public CompletableFuture<List<VmInfo>> listVms(VmQuery query) {
        return guarded(Capability.LIST_VMS, "listVms", () -> script("listVms", HyperVScript.LIST_VMS, Map.of(), null,
                HyperVWire.Vm[].class).thenApply(all -> {
                    List<VmInfo> out = new ArrayList<>();
                    for (HyperVWire.Vm w : all == null ? new HyperVWire.Vm[0] : all) {
                        if (!HyperVMapper.isTemplate(w)) {
                            VmInfo vm = info(w);
                            if (query.matches(vm)) {
                                out.add(vm);
                            }
                        }
                    }
                    out.sort(Comparator.comparing(VmInfo::name).thenComparing(v -> v.id().value()));
                    return out;
                }));
    }

    /** @return whether {@code id} can be a VMId; any other id names no VM, without asking the host */
    static boolean isVmId(VmId id) {
        return id != null && GUID.matcher(id.value()).matches();
    }

    NotFoundException notFound(VmId id, String operation) {
        return new NotFoundException("no Hyper-V VM with id '" + (id == null ? null : id.value()) + "' (ids are VMIds, GUIDs)",
                ctx(operation));
    }

    /** {@code get-vm}: the VM with its details, or {@link NotFoundException}. */
    CompletableFuture<HyperVWire.Vm> details(String operation, VmId id, Deadline deadline) {
        if (!isVmId(id)) {
            return Futures.failed(notFound(id, operation));
        }
        return script(operation, HyperVScript.GET_VM, Map.of("id", id.value()), deadline, HyperVWire.Vm.class).thenApply(vm -> {
            if (vm == null || HyperVMapper.isTemplate(vm)) {
                throw notFound(id, operation);
            }
            return vm;
        });
    }

    @Override
    public CompletableFuture<VmInfo> getVm(VmId id) {
        return guarded(Capability.LIST_VMS, "getVm", () -> details("getVm", id, null).thenApply(this::info));
    }

    /** {@code find-vm}: every VM of exactly this name (templates included). */
    CompletableFuture<List<HyperVWire.Vm>> byName(String operation, String name, Deadline deadline) {
        return script(operation, HyperVScript.FIND_VM, Map.of("name", name), deadline, HyperVWire.Vm[].class)
                .thenApply(a -> a == null ? List.of() : List.of(a));
    }

    @Override
    public CompletableFuture<Optional<VmInfo>> findVm(String name) {
        if (name == null || name.isEmpty()) {
            return Futures.failed(new InvalidSpecException("name", "must not be empty", ctx("findVm")));
        }
        return guarded(Capability.LIST_VMS, "findVm", () -> byName("findVm", name, null).thenApply(list -> single(name,
                list.stream().filter(v -> !HyperVMapper.isTemplate(v)).map(this::info).toList())));
    }

    @Override
    public CompletableFuture<VmInfo> waitForGuestIp(VmId id, Duration timeout) {
        return guarded(Capability.GUEST_IP, "waitForGuestIp", () -> {
            if (!isVmId(id)) {
                return Futures.failed(notFound(id, "waitForGuestIp"));
            }
            return poller.until(ctx("waitForGuestIp"), "a guest IP on VM " + id, pollBackoff, Deadline.after(timeout),
                    () -> guestIps("waitForGuestIp", id, null).thenApply(vm -> Addresses.usable(vm.ipAddresses()).isEmpty()
                            ? Optional.empty() : Optional.of(vm)));
        });
    }

    /** {@code guest-ips}: the VM with the addresses its adapters and its KVP items report. */
    CompletableFuture<VmInfo> guestIps(String operation, VmId id, Deadline deadline) {
        return script(operation, HyperVScript.GUEST_IPS, Map.of("id", id.value()), deadline, HyperVWire.Vm.class)
                .thenApply(this::info);
    }

    // ---- reconfigure and delete ---------------------------------------------------------------------

    @Override
    public CompletableFuture<VmInfo> reconfigureVm(VmId id, VmReconfigureSpec change, OperationOptions options) {
        return operation(Capability.RECONFIGURE, "reconfigureVm", options, run -> {
            if (!isVmId(id)) {
                return Futures.failed(notFound(id, "reconfigureVm"));
            }
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("id", id.value());
            change.cpuCount().ifPresent(c -> args.put("cpu", c));
            if (change.memoryMiB().isPresent()) {
                long mib = change.memoryMiB().getAsLong();
                if (mib % 2 != 0) {
                    throw new InvalidSpecException("memoryMiB", "Hyper-V memory is a multiple of 2 MiB, was " + mib, ctx("reconfigureVm"));
                }
                args.put("memBytes", mib * HyperVMapper.MIB);
            }
            run.stage(Stage.RECONFIGURE, 0, 99, "changing CPU and memory of VM " + id);
            // A lost answer: the VM already as asked is the change made; otherwise it is sent again (setting the same
            // values twice changes nothing more).
            return client.confirmed("reconfigureVm", HyperVScript.SET_CPU_MEMORY, args, run.deadline(), HyperVWire.Vm.class,
                    change.cpuCount().isPresent() ? "cpuCount" : "memoryMiB",
                    () -> details("reconfigureVm", id, run.deadline()).thenApply(vm -> Optional.ofNullable(
                            (change.cpuCount().isEmpty() || Integer.valueOf(change.cpuCount().getAsInt()).equals(vm.cpu()))
                            && (change.memoryMiB().isEmpty() || Long.valueOf(change.memoryMiB().getAsLong() * HyperVMapper.MIB)
                                    .equals(vm.memStartup())) ? vm : null)),
                    true).thenApply(this::info);
        });
    }

    @Override
    public CompletableFuture<Boolean> deleteVm(VmId id, OperationOptions options) {
        return operation(Capability.DELETE, "deleteVm", options, run -> {
            if (!isVmId(id)) {
                return CompletableFuture.completedFuture(false);
            }
            run.stage(Stage.DELETE, 0, 99, "deleting VM " + id);
            return remove("deleteVm", id, null, run.deadline());
        });
    }

    /**
     * Turns the VM off and removes it with the disks and files the SDK made for it: those under the folder its Notes
     * name, else under the SDK's root; never a template's parent disk, never anything outside.
     *
     * @param operation the SDK operation
     * @param id the VM
     * @param folder the VM's folder when the caller knows it (a VM this create made), else {@code null}
     * @param deadline the deadline
     * @return whether a VM was removed
     */
    CompletableFuture<Boolean> remove(String operation, VmId id, String folder, Deadline deadline) {
        CompletableFuture<String> owned;
        if (folder != null) {
            owned = CompletableFuture.completedFuture(folder);
        } else {
            owned = script(operation, HyperVScript.GET_VM, Map.of("id", id.value()), deadline, HyperVWire.Vm.class).thenCompose(vm -> {
                if (vm == null) {
                    return CompletableFuture.completedFuture(null);
                }
                String own = NotesFrame.parse(vm.notes()).sdk().get(NotesFrame.FOLDER);
                return own != null ? CompletableFuture.completedFuture(own) : defaultRoot(operation, deadline);
            });
        }
        return owned.thenCompose(root -> {
            if (root == null) {
                return CompletableFuture.completedFuture(false);
            }
            // A lost answer: a VM no longer there was removed by this request; one still there is sent the delete again.
            return client.confirmed(operation, HyperVScript.DELETE, Map.of("id", id.value(), "ownedRoot", root), deadline,
                            HyperVWire.Deleted.class, null, () -> script(operation, HyperVScript.GET_VM, Map.of("id", id.value()),
                                    deadline, HyperVWire.Vm.class).thenApply(vm -> Optional.ofNullable(vm == null
                                    ? new HyperVWire.Deleted(List.of()) : null)), true)
                    .thenApply(d -> true)
                    .exceptionallyCompose(e -> Futures.unwrap(e) instanceof NotFoundException
                            ? CompletableFuture.completedFuture(false) : CompletableFuture.failedFuture(Futures.unwrap(e)));
        });
    }

    // ---- snapshots (checkpoints) --------------------------------------------------------------------

    private CompletableFuture<HyperVWire.Checkpoints> checkpoints(String operation, VmId id, Deadline deadline) {
        if (!isVmId(id)) {
            return Futures.failed(notFound(id, operation));
        }
        return script(operation, HyperVScript.CHECKPOINT_LIST, Map.of("id", id.value()), deadline, HyperVWire.Checkpoints.class);
    }

    private static List<Snapshot> snapshots(HyperVWire.Checkpoints list) {
        Map<String, HyperVWire.Checkpoint> byId = new HashMap<>();
        list.checkpoints().forEach(c -> byId.put(c.id(), c));
        List<Snapshot> out = new ArrayList<>();
        list.checkpoints().forEach(c -> out.add(HyperVMapper.snapshot(c, byId)));
        out.sort(Comparator.comparing((Snapshot s) -> s.created().orElse(Instant.EPOCH)).thenComparing(Snapshot::name));
        return out;
    }

    /**
     * Takes a checkpoint; Hyper-V allows several of one name, the SDK does not. A snapshot with memory is a Standard
     * checkpoint, one without a Production checkpoint (application-consistent where the guest can, else Standard).
     */
    @Override
    public CompletableFuture<Snapshot> createSnapshot(VmId id, SnapshotSpec snapshot, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "createSnapshot", options, run -> checkpoints("createSnapshot", id, run.deadline())
                .thenCompose(list -> {
                    if (list.checkpoints().stream().anyMatch(c -> snapshot.name().equals(c.name()))) {
                        throw new ConflictException("VM " + id + " already has a checkpoint named '" + snapshot.name() + "'",
                                ctx("createSnapshot"));
                    }
                    run.check();
                    run.stage(Stage.SNAPSHOT, 0, 99, "taking checkpoint " + snapshot.name());
                    Map<String, Object> args = new LinkedHashMap<>();
                    args.put("id", id.value());
                    args.put("name", snapshot.name());
                    args.put("type", snapshot.includeMemory() ? "Standard" : "Production");
                    Set<String> before = new java.util.HashSet<>();
                    list.checkpoints().forEach(c -> before.add(c.id()));
                    // A lost answer: a new checkpoint of this name is the one this request took; none, and the call fails
                    // with nothing made (it is not sent again: one taken late would be a second of the name).
                    return client.confirmed("createSnapshot", HyperVScript.CHECKPOINT_CREATE, args, run.deadline(),
                                    HyperVWire.Checkpoint.class, null, () -> checkpoints("createSnapshot", id, run.deadline())
                                            .thenApply(now -> now.checkpoints().stream().filter(c -> snapshot.name().equals(c.name())
                                                    && !before.contains(c.id())).findFirst()), false)
                            .thenApply(c -> {
                                Map<String, HyperVWire.Checkpoint> byId = new HashMap<>();
                                list.checkpoints().forEach(x -> byId.put(x.id(), x));
                                Snapshot s = HyperVMapper.snapshot(c, byId);
                                return new Snapshot(s.name(), snapshot.description(), s.createdAt(), snapshot.includeMemory(), s.parent());
                            });
                }));
    }

    @Override
    public CompletableFuture<List<Snapshot>> listSnapshots(VmId id) {
        return guarded(Capability.SNAPSHOTS, "listSnapshots", () -> checkpoints("listSnapshots", id, null)
                .thenApply(HyperVHypervisor::snapshots));
    }

    @Override
    public CompletableFuture<VmInfo> revertToSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "revertToSnapshot", options, run -> {
            if (!isVmId(id)) {
                return Futures.failed(notFound(id, "revertToSnapshot"));
            }
            run.stage(Stage.REVERT, 0, 99, "reverting VM " + id + " to " + snapshotName);
            return client.run("revertToSnapshot", HyperVScript.CHECKPOINT_RESTORE, Map.of("id", id.value(), "checkpoint", snapshotName),
                    run.deadline(), HyperVWire.Vm.class, "snapshotName").thenApply(this::info);
        });
    }

    @Override
    public CompletableFuture<Void> deleteSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "deleteSnapshot", options, run -> {
            if (!isVmId(id)) {
                return Futures.failed(notFound(id, "deleteSnapshot"));
            }
            run.stage(Stage.SNAPSHOT, 0, 99, "deleting checkpoint " + snapshotName);
            return client.run("deleteSnapshot", HyperVScript.CHECKPOINT_DELETE, Map.of("id", id.value(), "checkpoint", snapshotName),
                    run.deadline(), com.fasterxml.jackson.databind.JsonNode.class, "snapshotName").thenApply(x -> (Void) null);
        });
    }

    // ---- for tests ----------------------------------------------------------------------------------

    /** @return commands that completed on the host over this connection */
    public long commandsSent() {
        return client.commandCount();
    }

    /** @return the most WinRM shells this connection had open at once */
    public int peakShells() {
        return client.peakShells();
    }
}
