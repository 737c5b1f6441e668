package io.dvmm.sdk.proxmox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.PermissionDeniedException;
import io.dvmm.sdk.proxmox.ProxmoxProvider;
import io.dvmm.sdk.spi.support.Futures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the cluster holds, as few requests tell it: the guest listing ({@code /cluster/resources}),
 * shared between concurrent callers; each node's bridges, cached for a minute; the node of each
 * VM, remembered from the last listing; and the portable {@link Inventory}.
 */
final class ProxmoxInventory {
    private static final Duration NODE_CACHE_TTL = Duration.ofSeconds(60);
    /** A Proxmox cluster is one datacenter and one cluster, named so in the inventory. */
    static final String DATACENTER = "pve";

    private final ProxmoxClient client;
    private final Map<Integer, String> nodeOfVm = new ConcurrentHashMap<>();
    private final Map<String, CachedBridges> bridges = new ConcurrentHashMap<>();
    private final Map<Integer, CachedConfig> templateConfigs = new ConcurrentHashMap<>();
    private final Object listingLock = new Object();
    private CompletableFuture<JsonNode> listingInFlight;
    private CompletableFuture<JsonNode> listingQueued;

    private record CachedBridges(Set<String> names, Instant fetched) {
    }

    private record CachedConfig(JsonNode config, Instant fetched) {
    }

    private record CachedNodes(List<String> names, Instant fetched) {
    }

    private volatile CachedNodes nodeNames;

    ProxmoxInventory(ProxmoxClient client) {
        this.client = client;
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

    boolean knowsNodeOf(int vmid) {
        return nodeOfVm.containsKey(vmid);
    }

    /**
     * Finds the node of a VM: from the cache, else from one listing. A VM the listing does not
     * show may still exist where the credential may not see it (the listing is filtered by
     * permission): then each node's own endpoint for the VM is asked, and PVE's
     * {@code 403 Permission check failed} becomes {@link PermissionDeniedException}. Only when
     * every node says the VM does not exist is it {@link NotFoundException}.
     */
    CompletableFuture<String> locate(String operation, int vmid, boolean refresh) {
        String cached = refresh ? null : nodeOfVm.get(vmid);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return vmResources(operation).thenCompose(list -> {
            for (JsonNode r : list) {
                if (ProxmoxMapper.asInt(r.get("vmid"), -1) == vmid) {
                    return CompletableFuture.completedFuture(ProxmoxMapper.asText(r.get("node"), null));
                }
            }
            nodeOfVm.remove(vmid);
            return nodes(operation).thenCompose(nodes -> probe(operation, vmid, nodes, 0));
        });
    }

    private CompletableFuture<String> probe(String operation, int vmid, List<String> nodes, int i) {
        if (i >= nodes.size()) {
            return Futures.failed(new NotFoundException("VM " + vmid + " does not exist", ErrorContext.of(ProxmoxProvider.TYPE, operation)));
        }
        String node = nodes.get(i);
        return client.get(operation, ProxmoxHypervisor.vmPath(node, vmid, "status", "current"), Map.of())
                .thenApply(s -> {
                    nodeOfVm.put(vmid, node);
                    return node;
                })
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    if (cause instanceof PermissionDeniedException pd) {
                        return Futures.failed(new PermissionDeniedException("VM " + vmid + " is not visible to this credential "
                                + "(it may exist): " + pd.serverMessage().orElse("permission denied"), pd.context(), pd));
                    }
                    return cause instanceof NotFoundException ? probe(operation, vmid, nodes, i + 1) : Futures.failed(cause);
                });
    }

    /** The cluster's node names, cached for a minute. */
    CompletableFuture<List<String>> nodes(String operation) {
        CachedNodes c = nodeNames;
        if (c != null && c.fetched().plus(NODE_CACHE_TTL).isAfter(Instant.now())) {
            return CompletableFuture.completedFuture(c.names());
        }
        return client.get(operation, ProxmoxClient.path("nodes"), Map.of()).thenApply(list -> {
            List<String> names = new ArrayList<>();
            for (JsonNode n : list) {
                names.add(ProxmoxMapper.asText(n.get("node"), ""));
            }
            names.sort(null);
            nodeNames = new CachedNodes(List.copyOf(names), Instant.now());
            return names;
        });
    }

    /**
     * Completes listing entries that pvestatd has not caught up with yet (a new guest shows as
     * {@code status: unknown} without a name) from the guest's own {@code status/current}, so a
     * listing never reports {@code VM 123 / UNKNOWN} for a VM that exists.
     */
    CompletableFuture<List<JsonNode>> completed(String operation, JsonNode list) {
        List<CompletableFuture<JsonNode>> out = new ArrayList<>();
        for (JsonNode r : list) {
            if (!"qemu".equals(ProxmoxMapper.asText(r.get("type"), "")) || r.hasNonNull("name")) {
                out.add(CompletableFuture.completedFuture(r));
                continue;
            }
            int vmid = ProxmoxMapper.asInt(r.get("vmid"), -1);
            String node = ProxmoxMapper.asText(r.get("node"), "");
            out.add(client.get(operation, ProxmoxHypervisor.vmPath(node, vmid, "status", "current"), Map.of())
                    .handle((s, e) -> {
                        if (e != null || s == null || !s.isObject()) {
                            return r;
                        }
                        com.fasterxml.jackson.databind.node.ObjectNode merged = ((com.fasterxml.jackson.databind.node.ObjectNode) r).deepCopy();
                        s.properties().forEach(p -> merged.set(p.getKey(), p.getValue()));
                        merged.put("vmid", vmid);
                        merged.put("node", node);
                        merged.put("type", "qemu");
                        if (s.has("cpus") && !s.has("maxcpu")) {
                            merged.set("maxcpu", s.get("cpus"));
                        }
                        return (JsonNode) merged;
                    }));
        }
        return CompletableFuture.allOf(out.toArray(CompletableFuture[]::new)).thenApply(x -> out.stream().map(CompletableFuture::join).toList());
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

    /** A template's config (its description is kept on every clone), cached for a minute: templates rarely change. */
    CompletableFuture<JsonNode> templateConfig(String operation, String node, int vmid, io.dvmm.sdk.spi.support.Deadline deadline) {
        CachedConfig c = templateConfigs.get(vmid);
        if (c != null && c.fetched().plus(NODE_CACHE_TTL).isAfter(Instant.now())) {
            return CompletableFuture.completedFuture(c.config());
        }
        return client.get(operation, ProxmoxHypervisor.vmPath(node, vmid, "config"), Map.of(), deadline).thenApply(config -> {
            templateConfigs.put(vmid, new CachedConfig(config, Instant.now()));
            return config;
        });
    }

    CompletableFuture<Inventory> inventory(String operation) {
        CompletableFuture<JsonNode> resources = client.get(operation, ProxmoxClient.path("cluster", "resources"), Map.of());
        CompletableFuture<JsonNode> pools = client.get(operation, ProxmoxClient.path("pools"), Map.of());
        return resources.thenCompose(res -> {
            List<String> nodes = new ArrayList<>();
            for (JsonNode r : res) {
                if ("node".equals(ProxmoxMapper.asText(r.get("type"), "")) && "online".equals(ProxmoxMapper.asText(r.get("status"), ""))) {
                    nodes.add(ProxmoxMapper.asText(r.get("node"), ""));
                }
            }
            List<CompletableFuture<Set<String>>> nets = nodes.stream().map(n -> bridges(operation, n)).toList();
            return CompletableFuture.allOf(nets.toArray(CompletableFuture[]::new)).thenCombine(pools, (x, poolList) -> {
                Set<String> allBridges = new TreeSet<>();
                nets.forEach(f -> allBridges.addAll(f.join()));
                return build(res, poolList, allBridges);
            });
        });
    }

    private Inventory build(JsonNode res, JsonNode poolList, Set<String> allBridges) {
        String dc = DATACENTER;
        List<Inventory.Host> hosts = new ArrayList<>();
        Map<String, Inventory.Datastore> stores = new LinkedHashMap<>();
        List<Inventory.Template> templates = new ArrayList<>();
        for (JsonNode r : res) {
            String type = ProxmoxMapper.asText(r.get("type"), "");
            String node = ProxmoxMapper.asText(r.get("node"), "");
            switch (type) {
                case "node" -> hosts.add(Inventory.Host.builder(node, node).datacenter(dc).cluster(dc)
                        .online("online".equals(ProxmoxMapper.asText(r.get("status"), "")))
                        .cpuCount(ProxmoxMapper.asInt(r.get("maxcpu"), 0))
                        .memoryMiB(ProxmoxMapper.asLong(r.get("maxmem"), 0) / (1024 * 1024)).build());
                case "storage" -> {
                    String name = ProxmoxMapper.asText(r.get("storage"), "");
                    long max = ProxmoxMapper.asLong(r.get("maxdisk"), 0);
                    long used = ProxmoxMapper.asLong(r.get("disk"), 0);
                    boolean shared = ProxmoxMapper.asBool(r.get("shared"));
                    Inventory.Datastore prev = stores.get(name);
                    Inventory.Datastore.DatastoreBuilder d = Inventory.Datastore.builder(name, name).datacenter(dc)
                            .type(ProxmoxMapper.asText(r.get("plugintype"), "")).shared(shared);
                    if (prev == null || shared) {
                        stores.put(name, d.capacityBytes(max).freeBytes(Math.max(0, max - used)).build());
                    } else {
                        // A local storage of the same id on each node: the cluster's view sums them.
                        stores.put(name, d.type(prev.type()).capacityBytes(prev.capacityBytes() + max)
                                .freeBytes(prev.freeBytes() + Math.max(0, max - used)).build());
                    }
                }
                case "qemu" -> {
                    remember(r);
                    if (ProxmoxMapper.isTemplate(r)) {
                        String vmid = Integer.toString(ProxmoxMapper.asInt(r.get("vmid"), 0));
                        templates.add(Inventory.Template.builder(vmid, ProxmoxMapper.asText(r.get("name"), "")).datacenter(dc)
                                .host(node).cpuCount(ProxmoxMapper.asInt(r.get("maxcpu"), 0))
                                .memoryMiB(ProxmoxMapper.asLong(r.get("maxmem"), 0) / (1024 * 1024))
                                .diskGiB((long) Math.ceil(ProxmoxMapper.asLong(r.get("maxdisk"), 0) / (1024.0 * 1024 * 1024))).build());
                    }
                }
                default -> {
                    // lxc, sdn, pool: not part of the portable inventory
                }
            }
        }
        List<Inventory.Network> networks = allBridges.stream()
                .map(b -> Inventory.Network.builder(b, b).datacenter(dc).type("bridge").build()).toList();
        List<Inventory.ResourcePool> pools = new ArrayList<>();
        for (JsonNode p : poolList) {
            String id = ProxmoxMapper.asText(p.get("poolid"), "");
            pools.add(Inventory.ResourcePool.builder(id, id).datacenter(dc).type("pool").build());
        }
        templates.sort(Comparator.comparing(Inventory.Template::name));
        hosts.sort(Comparator.comparing(Inventory.Host::name));
        return Inventory.builder().datacenters(List.of(Inventory.Datacenter.builder(dc, dc).build()))
                .clusters(List.of(Inventory.Cluster.builder(dc, dc).datacenter(dc).build()))
                .hosts(hosts).datastores(new ArrayList<>(stores.values())).networks(networks).resourcePools(pools)
                .templates(templates).build();
    }
}
