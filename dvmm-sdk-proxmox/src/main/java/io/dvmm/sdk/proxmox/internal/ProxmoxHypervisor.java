package io.dvmm.sdk.proxmox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.ConnectionInfo;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.ProviderOptions;
import io.dvmm.sdk.ProviderProperty;
import io.dvmm.sdk.Progress.Stage;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.proxmox.ProxmoxOptions;
import io.dvmm.sdk.proxmox.ProxmoxProvider;
import io.dvmm.sdk.spi.AbstractHypervisor;
import io.dvmm.sdk.spi.support.Backoff;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.PowerSteps;
import io.dvmm.sdk.spi.support.ProviderProperties;
import io.dvmm.sdk.spi.support.ProvisioningSteps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * A connection to one Proxmox VE cluster: the API on top of {@link ProxmoxClient} (the wire),
 * {@link ProxmoxProvisioning} (the create steps), {@link ProxmoxPower} (the power steps),
 * {@link ProxmoxInventory} (listings and node lookup) and {@link TaskWaiter}. VM ids are VMIDs
 * ({@code "101"}).
 */
public final class ProxmoxHypervisor extends AbstractHypervisor {
    /** PVE's snapshot names: {@code pve-configid}, a letter first, at most 40 characters. */
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");

    final ProxmoxClient client;
    final TaskWaiter tasks;
    final ProxmoxInventory inventory;
    final ProviderProperties props;
    /** Back-off of the polls of a VM's actual state (HA-managed start and stop, locks). */
    final Backoff stateBackoff;
    private final ProxmoxClonePlanner planner;

    /**
     * @param config the configuration
     * @param declared the properties the provider declares
     */
    public ProxmoxHypervisor(HypervisorConfig config, List<ProviderProperty> declared) {
        super(ProxmoxProvider.TYPE, config);
        this.props = ProviderProperties.of(config, declared);
        long first = props.number(ProxmoxProvider.TASK_POLL_INITIAL);
        long max = props.number(ProxmoxProvider.TASK_POLL_MAX);
        this.client = new ProxmoxClient(config, executor, calls, props.number(ProxmoxProvider.TICKET_RENEW_MINUTES));
        this.stateBackoff = new Backoff(Duration.ofMillis(first), Duration.ofMillis(Math.max(first, max)), 1.5);
        this.tasks = new TaskWaiter(client, poller, stateBackoff);
        this.inventory = new ProxmoxInventory(client);
        this.planner = new ProxmoxClonePlanner(props);
    }

    @Override
    protected ProvisioningSteps<?, ?> provisioning() {
        return new ProxmoxProvisioning(this, planner);
    }

    @Override
    protected PowerSteps<?> power() {
        return new ProxmoxPower(this);
    }

    @Override
    protected Class<? extends ProviderOptions> providerOptionsType() {
        return ProxmoxOptions.class;
    }

    io.dvmm.sdk.spi.support.Poller poller() {
        return poller;
    }

    ErrorContext context(String operation) {
        return ctx(operation);
    }

    // ---- connection -------------------------------------------------------------------------------

    @Override
    public CompletableFuture<ConnectionInfo> testConnection() {
        return guarded(null, "testConnection", () -> {
            long start = System.nanoTime();
            return client.get("testConnection", ProxmoxClient.path("version"), Map.of())
                    .thenApply(v -> new ConnectionInfo(ProxmoxProvider.TYPE, "Proxmox VE",
                            ProxmoxMapper.asText(v.get("version"), "unknown"),
                            ProxmoxMapper.asText(v.get("release"), ProxmoxMapper.asText(v.get("version"), "unknown")),
                            Duration.ofNanos(System.nanoTime() - start)));
        });
    }

    @Override
    public CompletableFuture<Set<Capability>> capabilities() {
        return CompletableFuture.completedFuture(ProxmoxProvider.CAPABILITIES);
    }

    @Override
    protected void closeTransport() {
        client.close();
    }

    // ---- inventory and listing --------------------------------------------------------------------

    @Override
    public CompletableFuture<Inventory> inventory() {
        return guarded(Capability.INVENTORY, "inventory", () -> inventory.inventory("inventory"));
    }

    @Override
    public CompletableFuture<List<VmInfo>> listVms(VmQuery query) {
        return guarded(Capability.LIST_VMS, "listVms", () -> inventory.vmResources("listVms")
                .thenCompose(list -> inventory.completed("listVms", list)).thenApply(list -> {
            List<VmInfo> out = new ArrayList<>();
            for (JsonNode r : list) {
                if ("qemu".equals(ProxmoxMapper.asText(r.get("type"), "qemu")) && !ProxmoxMapper.isTemplate(r)) {
                    VmInfo vm = ProxmoxMapper.fromResource(r);
                    if (query.matches(vm)) {
                        out.add(vm);
                    }
                }
            }
            out.sort(Comparator.comparing(VmInfo::name).thenComparing(v -> v.id().value()));
            return out;
        }));
    }

    // ---- one VM -----------------------------------------------------------------------------------

    static int vmid(VmId id, String operation) {
        try {
            int v = Integer.parseInt(id.value());
            if (v >= 100) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new NotFoundException("no Proxmox VM with id '" + id.value() + "' (ids are VMIDs such as 101)",
                ErrorContext.of(ProxmoxProvider.TYPE, operation));
    }

    /** Runs {@code body} on the VM's node; when the cached node was stale, looks it up once more. */
    <T> CompletableFuture<T> onVm(String operation, VmId id, BiFunction<String, Integer, CompletableFuture<T>> body) {
        int vmid;
        try {
            vmid = vmid(id, operation);
        } catch (NotFoundException e) {
            return Futures.failed(e);
        }
        boolean cached = inventory.knowsNodeOf(vmid);
        return inventory.locate(operation, vmid, false).thenCompose(node -> body.apply(node, vmid))
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    if (cached && ProxmoxErrors.vmMissing(cause, vmid)) {
                        inventory.forget(vmid);
                        return inventory.locate(operation, vmid, true).thenCompose(node -> body.apply(node, vmid));
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    static List<String> vmPath(String node, int vmid, String... rest) {
        List<String> p = new ArrayList<>(List.of("nodes", node, "qemu", Integer.toString(vmid)));
        p.addAll(List.of(rest));
        return p;
    }

    CompletableFuture<JsonNode> status(String operation, String node, int vmid, Deadline deadline) {
        return client.get(operation, vmPath(node, vmid, "status", "current"), Map.of(), deadline);
    }

    @Override
    public CompletableFuture<VmInfo> getVm(VmId id) {
        return guarded(Capability.LIST_VMS, "getVm", () -> onVm("getVm", id, (node, vmid) -> details("getVm", node, vmid, null)));
    }

    /** status/current and config in parallel, then the guest agent's interfaces when the VM runs one. */
    CompletableFuture<VmInfo> details(String operation, String node, int vmid, Deadline deadline) {
        return details(operation, node, vmid, deadline, true);
    }

    /** {@link #details(String, String, int, Deadline)}, asking the guest agent only if {@code agentIps}. */
    CompletableFuture<VmInfo> details(String operation, String node, int vmid, Deadline deadline, boolean agentIps) {
        CompletableFuture<JsonNode> status = status(operation, node, vmid, deadline);
        CompletableFuture<JsonNode> config = client.get(operation, vmPath(node, vmid, "config"), Map.of(), deadline);
        return status.thenCombine(config, (s, c) -> new JsonNode[] {s, c}).thenCompose(sc -> {
            boolean running = "running".equals(ProxmoxMapper.asText(sc[0].get("status"), ""));
            boolean agent = ProxmoxMapper.asBool(sc[0].get("agent")) || agentEnabled(ProxmoxMapper.asText(sc[1].get("agent"), ""));
            if (!running || !agent || !agentIps) {
                return CompletableFuture.completedFuture(ProxmoxMapper.fromDetails(vmid, node, sc[0], sc[1], null));
            }
            return client.get(operation, vmPath(node, vmid, "agent", "network-get-interfaces"), Map.of(), deadline)
                    .handle((a, e) -> ProxmoxMapper.fromDetails(vmid, node, sc[0], sc[1], e == null ? a : null));
        });
    }

    static boolean agentEnabled(String agent) {
        return agent.equals("1") || agent.startsWith("1,") || agent.contains("enabled=1");
    }

    /**
     * Waits for the task a request answered with, as the run's current wait (cancelling the run
     * stops the task); an answer that is no UPID (finished synchronously) passes through.
     */
    CompletableFuture<JsonNode> awaitTask(String operation, JsonNode answer, OperationRun run) {
        if (!ProxmoxMapper.isUpid(answer)) {
            return CompletableFuture.completedFuture(answer);
        }
        return run.waitFor(tasks.await(operation, answer.asText(), run.deadline()));
    }

    /** Sends a task-returning POST and waits for the task. */
    CompletableFuture<JsonNode> runTask(List<String> path, Map<String, String> form, OperationRun run) {
        run.check();
        return client.post(run.operation(), path, form, run.deadline()).thenCompose(upid -> awaitTask(run.operation(), upid, run));
    }

    /**
     * A power action ({@code status/start}, {@code stop}, ...): sent again after a lost answer
     * (a repeated action is harmless), and a copy that finds the VM already where the action
     * leads ({@code already running}, {@code not running} for a stop) counts as done.
     */
    CompletableFuture<JsonNode> powerTask(List<String> path, Map<String, String> form, OperationRun run) {
        run.check();
        String action = path.get(path.size() - 1);
        return client.postRepeatable(run.operation(), path, form, run.deadline())
                .thenCompose(upid -> awaitTask(run.operation(), upid, run))
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    String msg = cause.getMessage() == null ? "" : cause.getMessage();
                    boolean there = action.equals("start") ? msg.contains("already running")
                            : (action.equals("stop") || action.equals("shutdown")) && msg.contains("not running");
                    return there ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(cause);
                });
    }

    static PowerState powerStateOf(JsonNode s) {
        return ProxmoxMapper.powerState(ProxmoxMapper.asText(s.get("status"), ""),
                ProxmoxMapper.asText(s.get("qmpstatus"), null), ProxmoxMapper.asText(s.get("lock"), null));
    }

    /** Whether {@code status/current} says the VM is an HA resource (in any requested state). */
    static boolean haConfigured(JsonNode status) {
        JsonNode ha = status.get("ha");
        return ha != null && ProxmoxMapper.asBool(ha.get("managed"));
    }

    /** Whether start and stop of the VM go through the HA manager ({@code ignored} resources bypass it). */
    static boolean haManaged(JsonNode status) {
        return haConfigured(status) && !"ignored".equals(ProxmoxMapper.asText(status.get("ha").get("state"), ""));
    }

    static List<String> haResourcePath(int vmid) {
        return ProxmoxClient.path("cluster", "ha", "resources", "vm:" + vmid);
    }

    // ---- reconfigure and delete -------------------------------------------------------------------

    @Override
    public CompletableFuture<VmInfo> reconfigureVm(VmId id, VmReconfigureSpec change, OperationOptions options) {
        return operation(Capability.RECONFIGURE, "reconfigureVm", options, run -> {
            Map<String, String> form = new LinkedHashMap<>();
            change.cpuCount().ifPresent(c -> form.put("cores", Integer.toString(c)));
            change.memoryMiB().ifPresent(m -> form.put("memory", Long.toString(m)));
            form.put("background_delay", "5");
            return onVm("reconfigureVm", id, (node, vmid) -> {
                run.stage(Stage.RECONFIGURE, 0, 99, "changing CPU and memory of VM " + vmid);
                return client.post("reconfigureVm", vmPath(node, vmid, "config"), form, run.deadline())
                        .thenCompose(r -> awaitTask("reconfigureVm", r, run))
                        .thenCompose(x -> details("reconfigureVm", node, vmid, run.deadline()));
            });
        });
    }

    @Override
    public CompletableFuture<Boolean> deleteVm(VmId id, OperationOptions options) {
        return operation(Capability.DELETE, "deleteVm", options, run -> {
            int vmid;
            try {
                vmid = vmid(id, "deleteVm");
            } catch (NotFoundException e) {
                return CompletableFuture.completedFuture(false);
            }
            return onVm("deleteVm", id, (node, v) -> destroy(node, vmid, run))
                    .exceptionallyCompose(e -> Futures.unwrap(e) instanceof NotFoundException
                            ? CompletableFuture.completedFuture(false) : CompletableFuture.failedFuture(Futures.unwrap(e)));
        });
    }

    /**
     * Removes the VM from HA if it is an HA resource (PVE refuses to destroy it otherwise, and the
     * HA manager would act on it), stops it if it runs, then destroys it with purge and
     * unreferenced disks.
     */
    CompletableFuture<Boolean> destroy(String node, int vmid, OperationRun run) {
        String op = run.operation();
        return status(op, node, vmid, run.deadline()).thenCompose(s -> {
            CompletableFuture<JsonNode> unmanaged = haConfigured(s) ? removeHaResource(op, vmid, run)
                    : CompletableFuture.completedFuture(null);
            return unmanaged.thenCompose(x -> "stopped".equals(ProxmoxMapper.asText(s.get("status"), ""))
                    ? CompletableFuture.<JsonNode>completedFuture(null)
                    : powerTask(vmPath(node, vmid, "status", "stop"), Map.of(), run));
        }).thenCompose(x -> {
            run.check();
            run.stage(Stage.DELETE, 50, 99, "destroying VM " + vmid);
            return client.delete(op, vmPath(node, vmid), Map.of("purge", "1", "destroy-unreferenced-disks", "1"), run.deadline());
        }).thenCompose(upid -> awaitTask(op, upid, run)).thenApply(x -> {
            inventory.forget(vmid);
            return true;
        });
    }

    private CompletableFuture<JsonNode> removeHaResource(String operation, int vmid, OperationRun run) {
        run.check();
        run.stage(Stage.DELETE, 10, 50, "removing HA resource vm:" + vmid);
        return client.delete(operation, haResourcePath(vmid), Map.of(), run.deadline()).exceptionallyCompose(e -> {
            Throwable cause = Futures.unwrap(e);
            // removed concurrently by someone else: what was wanted
            return cause.getMessage() != null && cause.getMessage().contains("not HA managed")
                    ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(cause);
        });
    }

    // ---- snapshots --------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Snapshot> createSnapshot(VmId id, SnapshotSpec snapshot, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "createSnapshot", options, run -> {
            checkSnapshotName(snapshot.name(), "snapshot.name", "createSnapshot");
            return onVm("createSnapshot", id, (node, vmid) -> {
                Map<String, String> form = new LinkedHashMap<>();
                form.put("snapname", snapshot.name());
                if (!snapshot.description().isEmpty()) {
                    form.put("description", snapshot.description());
                }
                if (snapshot.includeMemory()) {
                    form.put("vmstate", "1");
                }
                run.stage(Stage.SNAPSHOT, 0, 99, "taking snapshot " + snapshot.name());
                return runTask(vmPath(node, vmid, "snapshot"), form, run)
                        .thenCompose(x -> snapshots("createSnapshot", node, vmid))
                        .thenApply(list -> list.stream().filter(s -> s.name().equals(snapshot.name())).findFirst()
                                .orElseGet(() -> new Snapshot(snapshot.name(), snapshot.description(), Instant.now(),
                                        snapshot.includeMemory(), null)));
            });
        });
    }

    private CompletableFuture<List<Snapshot>> snapshots(String operation, String node, int vmid) {
        return client.get(operation, vmPath(node, vmid, "snapshot"), Map.of()).thenApply(list -> {
            List<Snapshot> out = new ArrayList<>();
            for (JsonNode s : list) {
                if (!"current".equals(ProxmoxMapper.asText(s.get("name"), ""))) {
                    out.add(ProxmoxMapper.fromSnapshot(s));
                }
            }
            out.sort(Comparator.comparing((Snapshot s) -> s.created().orElse(Instant.EPOCH)).thenComparing(Snapshot::name));
            return out;
        });
    }

    @Override
    public CompletableFuture<List<Snapshot>> listSnapshots(VmId id) {
        return guarded(Capability.SNAPSHOTS, "listSnapshots", () -> onVm("listSnapshots", id,
                (node, vmid) -> snapshots("listSnapshots", node, vmid)));
    }

    @Override
    public CompletableFuture<VmInfo> revertToSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "revertToSnapshot", options, run -> {
            checkSnapshotName(snapshotName, "snapshotName", "revertToSnapshot");
            return onVm("revertToSnapshot", id, (node, vmid) -> {
                run.stage(Stage.REVERT, 0, 99, "reverting VM " + vmid + " to " + snapshotName);
                return runTask(vmPath(node, vmid, "snapshot", snapshotName, "rollback"), Map.of(), run)
                        .thenCompose(x -> details("revertToSnapshot", node, vmid, run.deadline()));
            });
        });
    }

    @Override
    public CompletableFuture<Void> deleteSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "deleteSnapshot", options, run -> {
            checkSnapshotName(snapshotName, "snapshotName", "deleteSnapshot");
            return onVm("deleteSnapshot", id, (node, vmid) -> {
                run.stage(Stage.SNAPSHOT, 0, 99, "deleting snapshot " + snapshotName);
                return client.delete("deleteSnapshot", vmPath(node, vmid, "snapshot", snapshotName), Map.of(), run.deadline())
                        .thenCompose(upid -> awaitTask("deleteSnapshot", upid, run))
                        .thenApply(x -> (Void) null);
            });
        });
    }

    private static void checkSnapshotName(String name, String field, String operation) {
        if (name == null || !SNAPSHOT_NAME.matcher(name).matches()) {
            throw new InvalidSpecException(field, "Proxmox snapshot names start with a letter and hold only letters, digits, "
                    + "'-' and '_' (at most 40 characters)", ErrorContext.of(ProxmoxProvider.TYPE, operation));
        }
    }

    /** @return how many requests are in flight now (tests) */
    int requestsInFlight() {
        return calls.inFlight();
    }

    Optional<String> property(String key) {
        return Optional.ofNullable(props.string(key));
    }
}
