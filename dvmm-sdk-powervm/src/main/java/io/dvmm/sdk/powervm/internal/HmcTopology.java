package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.powervm.PowerVmProvider;
import io.dvmm.sdk.spi.support.Deadline;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a connection remembers of the HMC between calls: the managed system it serves (named in
 * the endpoint's path by name or UUID, or the only one the HMC manages), the system's logical
 * memory block size, its virtual networks (VLANs on virtual switches) and its SSP clusters. These
 * change rarely; they are read on first use and read again when a lookup misses. Free memory,
 * processor units, VIOS mappings and storage pools are never taken from here: they are read fresh
 * where they matter (or guarded by ETags). Thread-safe.
 */
final class HmcTopology {
    private static final Pattern UUID = Pattern.compile("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Names the HMC's search syntax {@code (Name=='value')} can carry as a path segment. */
    private static final Pattern SEARCHABLE = Pattern.compile("[A-Za-z0-9 _.:@=,+!#%^{}-]{1,63}");

    /** The managed system of the connection. */
    record SystemRef(String uuid, String name) {
    }

    /**
     * A VLAN on a virtual switch.
     *
     * @param name the network's name, such as {@code VLAN1-ETHERNET0}
     * @param vlan the VLAN ID
     * @param vswitchHref the switch
     * @param vswitchId the switch's ID
     */
    record Network(String name, int vlan, String vswitchHref, int vswitchId) {
    }

    /**
     * An SSP cluster.
     *
     * @param uuid the cluster
     * @param name its name
     * @param poolUuid its shared storage pool
     * @param nodes the UUIDs of its VIOS nodes
     */
    record ClusterRef(String uuid, String name, String poolUuid, List<String> nodes) {
    }

    private final HmcClient client;
    private final String wanted;
    private volatile SystemRef system;
    private volatile long lmb;
    private volatile List<Network> networks;
    private volatile List<ClusterRef> clusters;
    private volatile java.util.Map<String, String> poolNames = java.util.Map.of();
    private volatile long[] hmcDate;

    HmcTopology(HmcClient client, URI endpoint) {
        this.client = client;
        String path = endpoint.getPath();
        String name = path == null ? "" : path.replaceAll("^/+|/+$", "");
        this.wanted = name.isEmpty() ? null : java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
    }

    static boolean isUuid(String s) {
        return s != null && UUID.matcher(s).matches();
    }

    static boolean searchable(String s) {
        return s != null && SEARCHABLE.matcher(s).matches() && !s.contains("'");
    }

    private static ErrorContext ctx(String operation) {
        return ErrorContext.of(PowerVmProvider.TYPE, operation);
    }

    /** @return the managed system, when it was looked up already; no request */
    SystemRef knownSystem() {
        return system;
    }

    /**
     * @return the HMC's clock now, in epoch millis, as its last {@code Date} header tells it (to
     *         the second); the local clock when no answer carried one
     */
    long hmcNowMillis() {
        long[] d = hmcDate;
        if (d == null) {
            return System.currentTimeMillis();
        }
        return d[0] + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - d[1]);
    }

    private void date(String header) {
        if (header == null) {
            return;
        }
        try {
            long millis = java.time.ZonedDateTime.parse(header, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant().toEpochMilli();
            hmcDate = new long[] {millis, System.nanoTime()};
        } catch (java.time.format.DateTimeParseException e) {
            // A Date header the HMC did not write the standard way: the local clock stays the estimate.
        }
    }

    /** @return the logical memory block size in MB, 0 until the managed system was read once */
    long memoryBlockMb() {
        return lmb;
    }

    /** @return the managed system, looked up once */
    CompletableFuture<SystemRef> system(String operation, Deadline deadline) {
        SystemRef s = system;
        return s != null ? CompletableFuture.completedFuture(s) : readSystem(operation, deadline).thenApply(e -> system);
    }

    /**
     * Reads the managed system now (its free memory and processor units are current).
     *
     * @param operation the SDK operation
     * @param deadline the operation's deadline
     * @return its entry
     */
    CompletableFuture<HmcXml.Entry<HmcObjects.ManagedSystem>> readSystem(String operation, Deadline deadline) {
        SystemRef known = system;
        ErrorContext ctx = ctx(operation);
        CompletableFuture<List<HmcXml.Entry<HmcObjects.ManagedSystem>>> read;
        if (known != null || isUuid(wanted)) {
            String uuid = known != null ? known.uuid() : wanted;
            read = client.get(operation, HmcPath.uom("ManagedSystem", uuid), deadline).thenApply(a -> {
                date(a.date());
                return HmcXml.entries(a.body(), HmcObjects.ManagedSystem.class, a.etag(), a.what(), ctx);
            });
        } else if (wanted != null && searchable(wanted)) {
            read = client.get(operation, HmcPath.uom("ManagedSystem", "search", "(SystemName=='" + wanted + "')"), deadline)
                    .thenApply(a -> {
                        date(a.date());
                        return HmcXml.entries(a.body(), HmcObjects.ManagedSystem.class, a.etag(), a.what(), ctx);
                    });
        } else {
            read = client.get(operation, HmcPath.uom("ManagedSystem"), deadline).thenApply(a -> {
                date(a.date());
                return HmcXml.entries(a.body(), HmcObjects.ManagedSystem.class, a.etag(), a.what(), ctx);
            });
        }
        return read.thenApply(list -> {
            List<HmcXml.Entry<HmcObjects.ManagedSystem>> matching = known != null || wanted == null ? list
                    : list.stream().filter(e -> wanted.equalsIgnoreCase(e.id()) || wanted.equals(e.content().name())).toList();
            if (matching.isEmpty()) {
                throw new InvalidSpecException("endpoint", wanted == null ? "the HMC manages no system"
                        : "the HMC manages no system named '" + wanted + "'", ctx);
            }
            if (matching.size() > 1) {
                throw new InvalidSpecException("endpoint", "the HMC manages " + matching.size() + " systems ("
                        + matching.stream().map(e -> e.content().name()).collect(Collectors.joining(", "))
                        + "); name one in the endpoint's path, such as powervm://hmc:12443/" + matching.get(0).content().name(),
                        ctx);
            }
            HmcXml.Entry<HmcObjects.ManagedSystem> e = matching.get(0);
            system = new SystemRef(e.id(), e.content().name());
            if (e.content().memory() != null && e.content().memory().memoryRegionSize() != null) {
                lmb = e.content().memory().memoryRegionSize();
            }
            return e;
        });
    }

    /**
     * @param operation the SDK operation
     * @param deadline the deadline
     * @param refresh whether to read them again
     * @return the virtual networks of the managed system
     */
    CompletableFuture<List<Network>> networks(String operation, Deadline deadline, boolean refresh) {
        List<Network> known = networks;
        if (known != null && !refresh) {
            return CompletableFuture.completedFuture(known);
        }
        ErrorContext ctx = ctx(operation);
        return system(operation, deadline).thenCompose(s -> client.get(operation, HmcPath.uom("ManagedSystem", s.uuid(),
                "VirtualNetwork"), deadline)).thenApply(a -> {
            List<Network> out = new ArrayList<>();
            for (HmcXml.Entry<HmcObjects.VirtualNetwork> e : HmcXml.entries(a.body(), HmcObjects.VirtualNetwork.class, a.etag(),
                    a.what(), ctx)) {
                Network n = PowerVmMapper.network(e.content());
                if (n != null) {
                    out.add(n);
                }
            }
            networks = List.copyOf(out);
            return networks;
        });
    }

    /**
     * @param name a network's name
     * @param field the spec field that named it, for the error
     * @param operation the SDK operation
     * @param deadline the deadline
     * @return the network; read again once when it is not known
     */
    CompletableFuture<Network> network(String name, String field, String operation, Deadline deadline) {
        return networks(operation, deadline, false).thenCompose(list -> find(list, name) != null
                ? CompletableFuture.completedFuture(find(list, name))
                : networks(operation, deadline, true).thenApply(fresh -> {
                    Network n = find(fresh, name);
                    if (n == null) {
                        throw new InvalidSpecException(field, "no virtual network '" + name + "' on the managed system (networks: "
                                + fresh.stream().map(Network::name).sorted().collect(Collectors.joining(", ")) + ")", ctx(operation));
                    }
                    return n;
                }));
    }

    private static Network find(List<Network> list, String name) {
        return list.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseGet(() -> list.stream().filter(n -> n.name().equalsIgnoreCase(name)).findFirst().orElse(null));
    }

    /**
     * @param vlan a VLAN
     * @param vswitchId its switch
     * @return the name of that network as far as known, else {@code VLAN<n>}
     */
    String networkName(int vlan, Integer vswitchId) {
        List<Network> known = networks;
        if (known != null) {
            for (Network n : known) {
                if (n.vlan() == vlan && (vswitchId == null || n.vswitchId() == vswitchId)) {
                    return n.name();
                }
            }
        }
        return "VLAN" + vlan;
    }

    /**
     * @param operation the SDK operation
     * @param deadline the deadline
     * @param refresh whether to read them again
     * @return the SSP clusters the HMC knows
     */
    CompletableFuture<List<ClusterRef>> clusters(String operation, Deadline deadline, boolean refresh) {
        List<ClusterRef> known = clusters;
        if (known != null && !refresh) {
            return CompletableFuture.completedFuture(known);
        }
        ErrorContext ctx = ctx(operation);
        return client.get(operation, HmcPath.uom("Cluster"), deadline).thenApply(a -> {
            List<ClusterRef> out = new ArrayList<>();
            for (HmcXml.Entry<HmcObjects.Cluster> e : HmcXml.entries(a.body(), HmcObjects.Cluster.class, a.etag(), a.what(), ctx)) {
                HmcObjects.Cluster c = e.content();
                List<String> nodes = c.members().stream().filter(n -> n.vios() != null).map(n -> n.vios().uuid())
                        .map(u -> u.toUpperCase(Locale.ROOT)).toList();
                out.add(new ClusterRef(e.id(), c.name(), c.pool() == null ? null : c.pool().uuid(), nodes));
            }
            clusters = List.copyOf(out);
            return clusters;
        });
    }

    /**
     * @param poolUuid a shared storage pool
     * @param operation the SDK operation
     * @param deadline the deadline
     * @return its cluster; the clusters are read again once when none holds it
     */
    CompletableFuture<ClusterRef> clusterOf(String poolUuid, String operation, Deadline deadline) {
        return clusters(operation, deadline, false).thenCompose(list -> byPool(list, poolUuid) != null
                ? CompletableFuture.completedFuture(byPool(list, poolUuid))
                : clusters(operation, deadline, true).thenApply(fresh -> {
                    ClusterRef c = byPool(fresh, poolUuid);
                    if (c == null) {
                        throw new NotFoundException("no SSP cluster holds shared storage pool " + poolUuid, ctx(operation));
                    }
                    return c;
                }));
    }

    private static ClusterRef byPool(List<ClusterRef> list, String poolUuid) {
        return list.stream().filter(c -> poolUuid.equalsIgnoreCase(c.poolUuid())).findFirst().orElse(null);
    }

    /** Remembers a pool's name, for the disks of {@code getVm}. */
    void poolName(String poolUuid, String name) {
        java.util.Map<String, String> m = new java.util.HashMap<>(poolNames);
        m.put(poolUuid.toLowerCase(Locale.ROOT), name);
        poolNames = java.util.Map.copyOf(m);
    }

    /** @return the one pool name known, when exactly one is, else {@code shared storage pool} */
    String poolNameForDisks() {
        java.util.Map<String, String> m = poolNames;
        return m.size() == 1 ? m.values().iterator().next() : "shared storage pool";
    }
}
