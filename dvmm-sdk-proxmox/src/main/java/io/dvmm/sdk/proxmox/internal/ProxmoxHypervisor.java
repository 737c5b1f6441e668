package io.dvmm.sdk.proxmox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ConnectionInfo;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationOptions;
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
import io.dvmm.sdk.spi.Backoff;
import io.dvmm.sdk.spi.Deadline;
import io.dvmm.sdk.spi.Futures;
import io.dvmm.sdk.spi.ProgressReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A connection to one Proxmox VE cluster. VM ids are VMIDs ({@code "101"}); the node of each VM
 * is cached from the last listing and looked up again when PVE says the VM is not there.
 */
final class ProxmoxHypervisor extends AbstractHypervisor {

    private static final Duration NODE_CACHE_TTL = Duration.ofSeconds(60);

    final ProxmoxClient client;
    final TaskWaiter tasks;
    /** Back-off of the polls of a VM's actual state (HA-managed start and stop). */
    private final Backoff stateBackoff;
    private final Map<Integer, String> nodeOfVm = new ConcurrentHashMap<>();
    private final Map<String, CachedBridges> bridges = new ConcurrentHashMap<>();
    private final CloneProvisioning provisioning;
    private final Object listingLock = new Object();
    private CompletableFuture<JsonNode> listingInFlight;
    private CompletableFuture<JsonNode> listingQueued;

    private record CachedBridges(Set<String> names, Instant fetched) {
    }

    ProxmoxHypervisor(HypervisorConfig config) {
        super(ProxmoxProvider.TYPE, config);
        this.client = new ProxmoxClient(config, executor, calls);
        long first = Long.parseLong(config.property("proxmox.taskPollInitialMillis").orElse("100"));
        long max = Long.parseLong(config.property("proxmox.taskPollMaxMillis").orElse("2000"));
        this.stateBackoff = new Backoff(Duration.ofMillis(first), Duration.ofMillis(Math.max(first, max)), 1.5);
        this.tasks = new TaskWaiter(client, poller, stateBackoff);
        this.provisioning = new CloneProvisioning(this, config);
    }

    Deadline deadlineOf(OperationOptions options) {
        return deadline(options);
    }

    io.dvmm.sdk.spi.Poller poller() {
        return poller;
    }

    void checkOptions(VmProvisionSpec spec) {
        checkProviderOptions(spec, io.dvmm.sdk.proxmox.ProxmoxOptions.class);
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
        return guarded(Capability.INVENTORY, "inventory", () -> {
            CompletableFuture<JsonNode> resources = client.get("inventory", ProxmoxClient.path("cluster", "resources"), Map.of());
            CompletableFuture<JsonNode> pools = client.get("inventory", ProxmoxClient.path("pools"), Map.of());
            return resources.thenCompose(res -> {
                List<String> nodes = new ArrayList<>();
                for (JsonNode r : res) {
                    if ("node".equals(ProxmoxMapper.asText(r.get("type"), "")) && "online".equals(ProxmoxMapper.asText(r.get("status"), ""))) {
                        nodes.add(ProxmoxMapper.asText(r.get("node"), ""));
                    }
                }
                List<CompletableFuture<Set<String>>> nets = nodes.stream().map(n -> bridges("inventory", n)).toList();
                return CompletableFuture.allOf(nets.toArray(CompletableFuture[]::new)).thenCombine(pools, (x, poolList) -> {
                    Set<String> allBridges = new java.util.TreeSet<>();
                    nets.forEach(f -> allBridges.addAll(f.join()));
                    return buildInventory(res, poolList, allBridges);
                });
            });
        });
    }

    private Inventory buildInventory(JsonNode res, JsonNode poolList, Set<String> allBridges) {
        List<Inventory.Host> hosts = new ArrayList<>();
        Map<String, Inventory.Datastore> stores = new LinkedHashMap<>();
        List<Inventory.Template> templates = new ArrayList<>();
        for (JsonNode r : res) {
            String type = ProxmoxMapper.asText(r.get("type"), "");
            String node = ProxmoxMapper.asText(r.get("node"), "");
            switch (type) {
                case "node" -> hosts.add(new Inventory.Host(node, node, "pve", "online".equals(ProxmoxMapper.asText(r.get("status"), "")),
                        ProxmoxMapper.asInt(r.get("maxcpu"), 0), ProxmoxMapper.asLong(r.get("maxmem"), 0) / (1024 * 1024)));
                case "storage" -> {
                    String name = ProxmoxMapper.asText(r.get("storage"), "");
                    long max = ProxmoxMapper.asLong(r.get("maxdisk"), 0);
                    long used = ProxmoxMapper.asLong(r.get("disk"), 0);
                    Inventory.Datastore prev = stores.get(name);
                    Inventory.Datastore d = new Inventory.Datastore(name, name, ProxmoxMapper.asText(r.get("plugintype"), ""),
                            max, Math.max(0, max - used), ProxmoxMapper.asBool(r.get("shared")));
                    if (prev == null || d.shared()) {
                        stores.put(name, d);
                    } else {
                        stores.put(name, new Inventory.Datastore(name, name, prev.type(), prev.capacityBytes() + max,
                                prev.freeBytes() + d.freeBytes(), false));
                    }
                }
                case "qemu" -> {
                    remember(r);
                    if (ProxmoxMapper.isTemplate(r)) {
                        templates.add(new Inventory.Template(Integer.toString(ProxmoxMapper.asInt(r.get("vmid"), 0)),
                                ProxmoxMapper.asText(r.get("name"), ""), node, ProxmoxMapper.asInt(r.get("maxcpu"), 0),
                                ProxmoxMapper.asLong(r.get("maxmem"), 0) / (1024 * 1024),
                                (long) Math.ceil(ProxmoxMapper.asLong(r.get("maxdisk"), 0) / (1024.0 * 1024 * 1024))));
                    }
                }
                default -> {
                    // lxc, sdn, pool: not part of the portable inventory
                }
            }
        }
        List<Inventory.Network> networks = allBridges.stream().map(b -> new Inventory.Network(b, b, "bridge")).toList();
        List<Inventory.ResourcePool> pools = new ArrayList<>();
        for (JsonNode p : poolList) {
            String id = ProxmoxMapper.asText(p.get("poolid"), "");
            pools.add(new Inventory.ResourcePool(id, id));
        }
        templates.sort(Comparator.comparing(Inventory.Template::name));
        hosts.sort(Comparator.comparing(Inventory.Host::name));
        return new Inventory(List.of(new Inventory.Datacenter("pve", "pve")), List.of(new Inventory.Cluster("pve", "pve", "pve")),
                hosts, new ArrayList<>(stores.values()), networks, pools, templates);
    }

    /** The bridges of a node, cached for a minute. */
    CompletableFuture<Set<String>> bridges(String operation, String node) {
        CachedBridges c = bridges.get(node);
        if (c != null && c.fetched().plus(NODE_CACHE_TTL).isAfter(Instant.now())) {
            return CompletableFuture.completedFuture(c.names());
        }
        return client.get(operation, ProxmoxClient.path("nodes", node, "network"), Map.of("type", "any_bridge"))
                .thenApply(list -> {
                    Set<String> names = new HashSet<>();
                    for (JsonNode n : list) {
                        names.add(ProxmoxMapper.asText(n.get("iface"), ""));
                    }
                    bridges.put(node, new CachedBridges(Set.copyOf(names), Instant.now()));
                    return names;
                });
    }

    /**
     * {@code /cluster/resources?type=vm}: every guest in one request. Concurrent callers share
     * fetches, but each gets a listing requested after its own call began: while one fetch is in
     * flight, later callers wait for the single next one. 500 concurrent createVm calls on a
     * 10,000-VM cluster thus cost a handful of listings, not 500.
     */
    CompletableFuture<JsonNode> vmResources(String operation) {
        CompletableFuture<JsonNode> mine;
        synchronized (listingLock) {
            if (listingInFlight != null && !listingInFlight.isDone()) {
                if (listingQueued == null) {
                    listingQueued = new CompletableFuture<>();
                }
                return listingQueued;
            }
            mine = new CompletableFuture<>();
            listingInFlight = mine;
        }
        fetchVmResources(operation, mine);
        return mine;
    }

    private void fetchVmResources(String operation, CompletableFuture<JsonNode> target) {
        client.get(operation, ProxmoxClient.path("cluster", "resources"), Map.of("type", "vm")).whenComplete((list, e) -> {
            CompletableFuture<JsonNode> next;
            synchronized (listingLock) {
                next = listingQueued;
                listingQueued = null;
                listingInFlight = next;
            }
            if (e != null) {
                target.completeExceptionally(Futures.unwrap(e));
            } else {
                for (JsonNode r : list) {
                    remember(r);
                }
                target.complete(list);
            }
            if (next != null) {
                fetchVmResources(operation, next);
            }
        });
    }

    private void remember(JsonNode r) {
        if ("qemu".equals(ProxmoxMapper.asText(r.get("type"), ""))) {
            nodeOfVm.put(ProxmoxMapper.asInt(r.get("vmid"), -1), ProxmoxMapper.asText(r.get("node"), ""));
        }
    }

    void remember(int vmid, String node) {
        nodeOfVm.put(vmid, node);
    }

    void forget(int vmid) {
        nodeOfVm.remove(vmid);
    }

    @Override
    public CompletableFuture<List<VmInfo>> listVms(VmQuery query) {
        return guarded(Capability.LIST_VMS, "listVms", () -> vmResources("listVms").thenApply(list -> {
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
                io.dvmm.sdk.ErrorContext.of(ProxmoxProvider.TYPE, operation));
    }

    /** Finds the node of a VM: from the cache, else from one listing. */
    CompletableFuture<String> locate(String operation, int vmid, boolean refresh) {
        String cached = refresh ? null : nodeOfVm.get(vmid);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return vmResources(operation).thenApply(list -> {
            String node = nodeOfVm.get(vmid);
            boolean found = false;
            for (JsonNode r : list) {
                if (ProxmoxMapper.asInt(r.get("vmid"), -1) == vmid) {
                    found = true;
                    node = ProxmoxMapper.asText(r.get("node"), node);
                }
            }
            if (!found) {
                nodeOfVm.remove(vmid);
                throw new NotFoundException("VM " + vmid + " does not exist", io.dvmm.sdk.ErrorContext.of(ProxmoxProvider.TYPE, operation));
            }
            return node;
        });
    }

    /** Runs {@code body} on the VM's node; when the cached node was stale, looks it up once more. */
    <T> CompletableFuture<T> onVm(String operation, VmId id, BiFunction<String, Integer, CompletableFuture<T>> body) {
        int vmid = vmid(id, operation);
        boolean cached = nodeOfVm.containsKey(vmid);
        return locate(operation, vmid, false).thenCompose(node -> body.apply(node, vmid))
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    if (cached && cause instanceof NotFoundException) {
                        nodeOfVm.remove(vmid);
                        return locate(operation, vmid, true).thenCompose(node -> body.apply(node, vmid));
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    List<String> vmPath(String node, int vmid, String... rest) {
        List<String> p = new ArrayList<>(List.of("nodes", node, "qemu", Integer.toString(vmid)));
        p.addAll(List.of(rest));
        return p;
    }

    CompletableFuture<JsonNode> status(String operation, String node, int vmid) {
        return client.get(operation, vmPath(node, vmid, "status", "current"), Map.of());
    }

    @Override
    public CompletableFuture<VmInfo> getVm(VmId id) {
        return guarded(Capability.LIST_VMS, "getVm", () -> onVm("getVm", id, (node, vmid) -> details("getVm", node, vmid)));
    }

    /** status/current and config in parallel, then the guest agent's interfaces when the VM runs one. */
    CompletableFuture<VmInfo> details(String operation, String node, int vmid) {
        CompletableFuture<JsonNode> status = status(operation, node, vmid);
        CompletableFuture<JsonNode> config = client.get(operation, vmPath(node, vmid, "config"), Map.of());
        return status.thenCombine(config, (s, c) -> new JsonNode[] {s, c}).thenCompose(sc -> {
            boolean running = "running".equals(ProxmoxMapper.asText(sc[0].get("status"), ""));
            boolean agent = ProxmoxMapper.asBool(sc[0].get("agent")) || agentEnabled(ProxmoxMapper.asText(sc[1].get("agent"), ""));
            if (!running || !agent) {
                return CompletableFuture.completedFuture(ProxmoxMapper.fromDetails(vmid, node, sc[0], sc[1], null));
            }
            return client.get(operation, vmPath(node, vmid, "agent", "network-get-interfaces"), Map.of())
                    .handle((a, e) -> ProxmoxMapper.fromDetails(vmid, node, sc[0], sc[1], e == null ? a : null));
        });
    }

    static boolean agentEnabled(String agent) {
        return agent.equals("1") || agent.startsWith("1,") || agent.contains("enabled=1");
    }

    // ---- create -----------------------------------------------------------------------------------

    @Override
    public CompletableFuture<VmInfo> createVm(VmProvisionSpec spec, OperationOptions options) {
        Capability needed = spec.cloneMode() == io.dvmm.sdk.CloneMode.LINKED ? Capability.CLONE_LINKED : Capability.CLONE_FULL;
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<VmInfo>> run = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<VmInfo> outer = guarded(needed, "createVm", () -> {
            CompletableFuture<VmInfo> f = provisioning.create(spec, options);
            run.set(f);
            return f;
        });
        // The caller holds a future derived from the run's: cancelling it must cancel the run.
        outer.whenComplete((v, e) -> {
            CompletableFuture<VmInfo> f = run.get();
            if (outer.isCancelled() && f != null) {
                f.cancel(true);
            }
        });
        return outer;
    }

    // ---- power ------------------------------------------------------------------------------------

    /**
     * Runs an operation the caller can cancel: cancelling the returned future cancels the run,
     * which stops the PVE task being waited for ({@code DELETE /nodes/{node}/tasks/{upid}}) and
     * the polling, and sends no further request.
     */
    private <T> CompletableFuture<T> cancellable(Capability capability, String operation,
                                                 Function<OperationRun, CompletableFuture<T>> body) {
        OperationRun run = new OperationRun(operation);
        return run.boundTo(guarded(capability, operation, () -> body.apply(run)));
    }

    /**
     * Waits for the task a request answered with, as part of {@code run}; an answer that is no
     * UPID (finished synchronously) passes through. A task whose UPID arrives after the run was
     * cancelled is stopped at once.
     */
    CompletableFuture<JsonNode> awaitTask(String operation, JsonNode answer, Deadline deadline, OperationRun run) {
        if (!ProxmoxMapper.isUpid(answer)) {
            return CompletableFuture.completedFuture(answer);
        }
        String upid = answer.asText();
        if (run.isCancelled()) {
            tasks.stop(operation, ProxmoxMapper.upidNode(upid), upid);
            return CompletableFuture.failedFuture(new CancellationException(operation + " was cancelled"));
        }
        return run.waitFor(tasks.await(operation, upid, deadline));
    }

    /** Sends a task-returning request and waits for the task. */
    CompletableFuture<JsonNode> runTask(String operation, List<String> path, Map<String, String> form, Deadline deadline,
                                        ProgressReporter progress, String stage, OperationRun run) {
        run.check();
        progress.report(stage, -1, "sent " + path.get(path.size() - 1));
        return client.post(operation, path, form).thenCompose(upid -> awaitTask(operation, upid, deadline, run));
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

    /**
     * Starts or stops an HA-managed VM. {@code status/start|stop} would only answer with a
     * {@code hastart}/{@code hastop} task that ends at once while the HA manager acts later, so the
     * HA resource's requested state is set instead and the VM's actual state is polled until it
     * matches. The HA manager stops a VM by a shutdown with its own timeout.
     */
    private CompletableFuture<JsonNode> requestHaState(String operation, String node, int vmid, String haState, PowerState wanted,
                                                       Deadline d, ProgressReporter p, String stage, OperationRun run) {
        run.check();
        p.report(stage, -1, "requested HA state " + haState + " for vm:" + vmid);
        return client.put(operation, haResourcePath(vmid), Map.of("state", haState)).thenCompose(x -> {
            run.check();
            return run.waitFor(poller.until(ctx(operation), "VM " + vmid + " to be " + wanted + " (HA state " + haState + ")",
                    stateBackoff, d, () -> status(operation, node, vmid)
                            .thenApply(s -> powerStateOf(s) == wanted ? Optional.of(s) : Optional.<JsonNode>empty())));
        });
    }

    @Override
    public CompletableFuture<VmInfo> startVm(VmId id, OperationOptions options) {
        return cancellable(Capability.POWER, "startVm", run -> {
            Deadline d = deadline(options);
            ProgressReporter p = new ProgressReporter("startVm", options.listener());
            return onVm("startVm", id, (node, vmid) -> status("startVm", node, vmid).thenCompose(s -> {
                PowerState st = powerStateOf(s);
                if (st == PowerState.POWERED_ON) {
                    return details("startVm", node, vmid);
                }
                boolean paused = st == PowerState.SUSPENDED && "running".equals(ProxmoxMapper.asText(s.get("status"), ""));
                if (!paused && haManaged(s)) {
                    return requestHaState("startVm", node, vmid, "started", PowerState.POWERED_ON, d, p, "start", run)
                            .thenCompose(x -> details("startVm", node, vmid));
                }
                return runTask("startVm", vmPath(node, vmid, "status", paused ? "resume" : "start"), Map.of(), d, p, "start", run)
                        .thenCompose(x -> details("startVm", node, vmid));
            })).whenComplete((v, e) -> finish(p, "start", e));
        });
    }

    private static void finish(ProgressReporter p, String stage, Throwable e) {
        if (e == null) {
            p.report(stage, 100, "done");
        }
    }

    @Override
    public CompletableFuture<VmInfo> stopVm(VmId id, StopSpec how, OperationOptions options) {
        return cancellable(Capability.POWER, "stopVm", run -> {
            Deadline d = deadline(options);
            ProgressReporter p = new ProgressReporter("stopVm", options.listener());
            return onVm("stopVm", id, (node, vmid) -> status("stopVm", node, vmid).thenCompose(s -> {
                if ("stopped".equals(ProxmoxMapper.asText(s.get("status"), ""))) {
                    return details("stopVm", node, vmid);
                }
                if (haManaged(s)) {
                    return requestHaState("stopVm", node, vmid, "stopped", PowerState.POWERED_OFF, d, p, "stop", run)
                            .thenCompose(x -> details("stopVm", node, vmid));
                }
                Map<String, String> form = new LinkedHashMap<>();
                String action = "stop";
                if (how.graceful()) {
                    action = "shutdown";
                    form.put("timeout", Long.toString(Math.max(1, how.gracefulTimeout().toSeconds())));
                    if (how.forceAfterTimeout()) {
                        form.put("forceStop", "1");
                    }
                }
                return runTask("stopVm", vmPath(node, vmid, "status", action), form, d, p, action, run)
                        .thenCompose(x -> details("stopVm", node, vmid));
            })).whenComplete((v, e) -> finish(p, "stop", e));
        });
    }

    private CompletableFuture<VmInfo> requireRunningThen(String operation, VmId id, OperationOptions options, String action,
                                                         boolean mustBePaused, OperationRun run) {
        Deadline d = deadline(options);
        ProgressReporter p = new ProgressReporter(operation, options.listener());
        return onVm(operation, id, (node, vmid) -> status(operation, node, vmid).thenCompose(s -> {
            PowerState st = powerStateOf(s);
            PowerState wanted = mustBePaused ? PowerState.SUSPENDED : PowerState.POWERED_ON;
            if (st != wanted) {
                return CompletableFuture.<VmInfo>failedFuture(new ConflictException("VM " + vmid + " is " + st + ", "
                        + operation + " needs it " + wanted, io.dvmm.sdk.ErrorContext.of(ProxmoxProvider.TYPE, operation)));
            }
            return runTask(operation, vmPath(node, vmid, "status", action), Map.of(), d, p, action, run)
                    .thenCompose(x -> details(operation, node, vmid));
        })).whenComplete((v, e) -> finish(p, action, e));
    }

    @Override
    public CompletableFuture<VmInfo> restartVm(VmId id, OperationOptions options) {
        return cancellable(Capability.POWER, "restartVm", run -> requireRunningThen("restartVm", id, options, "reboot", false, run));
    }

    @Override
    public CompletableFuture<VmInfo> suspendVm(VmId id, OperationOptions options) {
        return cancellable(Capability.SUSPEND, "suspendVm", run -> requireRunningThen("suspendVm", id, options, "suspend", false, run));
    }

    @Override
    public CompletableFuture<VmInfo> resumeVm(VmId id, OperationOptions options) {
        return cancellable(Capability.SUSPEND, "resumeVm", run -> requireRunningThen("resumeVm", id, options, "resume", true, run));
    }

    @Override
    public CompletableFuture<VmInfo> reconfigureVm(VmId id, VmReconfigureSpec change, OperationOptions options) {
        return cancellable(Capability.RECONFIGURE, "reconfigureVm", run -> {
            Deadline d = deadline(options);
            Map<String, String> form = new LinkedHashMap<>();
            change.cpuCount().ifPresent(c -> form.put("cores", Integer.toString(c)));
            change.memoryMiB().ifPresent(m -> form.put("memory", Long.toString(m)));
            form.put("background_delay", "5");
            return onVm("reconfigureVm", id, (node, vmid) -> client.post("reconfigureVm", vmPath(node, vmid, "config"), form)
                    .thenCompose(r -> awaitTask("reconfigureVm", r, d, run))
                    .thenCompose(x -> details("reconfigureVm", node, vmid)));
        });
    }

    @Override
    public CompletableFuture<Boolean> deleteVm(VmId id, OperationOptions options) {
        return cancellable(Capability.DELETE, "deleteVm", run -> {
            int vmid;
            try {
                vmid = vmid(id, "deleteVm");
            } catch (NotFoundException e) {
                return CompletableFuture.completedFuture(false);
            }
            Deadline d = deadline(options);
            ProgressReporter p = new ProgressReporter("deleteVm", options.listener());
            return onVm("deleteVm", id, (node, v) -> destroy("deleteVm", node, vmid, d, p, run))
                    .exceptionallyCompose(e -> Futures.unwrap(e) instanceof NotFoundException
                            ? CompletableFuture.completedFuture(false) : CompletableFuture.failedFuture(Futures.unwrap(e)))
                    .whenComplete((v, e) -> finish(p, "delete", e));
        });
    }

    /** {@link #destroy(String, String, int, Deadline, ProgressReporter, OperationRun)} that is never cancelled. */
    CompletableFuture<Boolean> destroy(String operation, String node, int vmid, Deadline d, ProgressReporter p) {
        return destroy(operation, node, vmid, d, p, OperationRun.uncancellable(operation));
    }

    /**
     * Removes the VM from HA if it is an HA resource (PVE refuses to destroy it otherwise, and the
     * HA manager would act on it), stops it if it runs, then destroys it with purge and
     * unreferenced disks.
     */
    CompletableFuture<Boolean> destroy(String operation, String node, int vmid, Deadline d, ProgressReporter p, OperationRun run) {
        return status(operation, node, vmid).thenCompose(s -> {
            CompletableFuture<JsonNode> unmanaged = haConfigured(s) ? removeHaResource(operation, vmid, p, run)
                    : CompletableFuture.completedFuture(null);
            return unmanaged.thenCompose(x -> "stopped".equals(ProxmoxMapper.asText(s.get("status"), ""))
                    ? CompletableFuture.<JsonNode>completedFuture(null)
                    : runTask(operation, vmPath(node, vmid, "status", "stop"), Map.of(), d, p, "stop", run));
        }).thenCompose(x -> {
            run.check();
            p.report("delete", 50, "destroying VM " + vmid);
            return client.delete(operation, vmPath(node, vmid), Map.of("purge", "1", "destroy-unreferenced-disks", "1"));
        }).thenCompose(upid -> awaitTask(operation, upid, d, run)).thenApply(x -> {
            forget(vmid);
            return true;
        });
    }

    private CompletableFuture<JsonNode> removeHaResource(String operation, int vmid, ProgressReporter p, OperationRun run) {
        run.check();
        p.report("delete", 10, "removing HA resource vm:" + vmid);
        return client.delete(operation, haResourcePath(vmid), Map.of()).exceptionallyCompose(e -> {
            Throwable cause = Futures.unwrap(e);
            // removed concurrently by someone else: what was wanted
            return cause.getMessage() != null && cause.getMessage().contains("not HA managed")
                    ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(cause);
        });
    }

    // ---- snapshots --------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Snapshot> createSnapshot(VmId id, SnapshotSpec snapshot, OperationOptions options) {
        return cancellable(Capability.SNAPSHOTS, "createSnapshot", run -> {
            Deadline d = deadline(options);
            ProgressReporter p = new ProgressReporter("createSnapshot", options.listener());
            return onVm("createSnapshot", id, (node, vmid) -> {
                Map<String, String> form = new LinkedHashMap<>();
                form.put("snapname", snapshot.name());
                if (!snapshot.description().isEmpty()) {
                    form.put("description", snapshot.description());
                }
                if (snapshot.includeMemory()) {
                    form.put("vmstate", "1");
                }
                return runTask("createSnapshot", vmPath(node, vmid, "snapshot"), form, d, p, "snapshot", run)
                        .thenCompose(x -> snapshots("createSnapshot", node, vmid))
                        .thenApply(list -> list.stream().filter(s -> s.name().equals(snapshot.name())).findFirst()
                                .orElseGet(() -> new Snapshot(snapshot.name(), snapshot.description(), Instant.now(),
                                        snapshot.includeMemory(), null)));
            }).whenComplete((v, e) -> finish(p, "snapshot", e));
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
        return cancellable(Capability.SNAPSHOTS, "revertToSnapshot", run -> {
            checkSnapshotName(snapshotName, "revertToSnapshot");
            Deadline d = deadline(options);
            ProgressReporter p = new ProgressReporter("revertToSnapshot", options.listener());
            return onVm("revertToSnapshot", id, (node, vmid) -> runTask("revertToSnapshot",
                    vmPath(node, vmid, "snapshot", snapshotName, "rollback"), Map.of(), d, p, "rollback", run)
                    .thenCompose(x -> details("revertToSnapshot", node, vmid)))
                    .whenComplete((v, e) -> finish(p, "rollback", e));
        });
    }

    @Override
    public CompletableFuture<Void> deleteSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return cancellable(Capability.SNAPSHOTS, "deleteSnapshot", run -> {
            checkSnapshotName(snapshotName, "deleteSnapshot");
            Deadline d = deadline(options);
            return onVm("deleteSnapshot", id, (node, vmid) -> client.delete("deleteSnapshot",
                            vmPath(node, vmid, "snapshot", snapshotName), Map.of())
                    .thenCompose(upid -> awaitTask("deleteSnapshot", upid, d, run))
                    .thenApply(x -> (Void) null));
        });
    }
    private static void checkSnapshotName(String name, String operation) {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_-]{0,39}")) {
            throw new NotFoundException("no snapshot named '" + name + "' (snapshot names hold only letters, digits, '-' and '_')",
                    io.dvmm.sdk.ErrorContext.of(ProxmoxProvider.TYPE, operation));
        }
    }
}
