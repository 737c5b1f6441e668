package io.dvmm.sdk.inmemory;

import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state behind the {@code inmemory} provider: one simulated hypervisor, named by the path
 * of its URI ({@code inmemory:/default}, {@code inmemory:/ci-42}). Every connection to the same
 * name in one JVM sees the same VMs, as clients of one real endpoint do. Seeded with templates,
 * networks, datastores and hosts; thread-safe.
 */
public final class InMemoryCloud {
    private static final Map<String, InMemoryCloud> CLOUDS = new ConcurrentHashMap<>();

    /** The user name {@link io.dvmm.sdk.Credentials#password} must carry. */
    public static final String USERNAME = "admin";
    /** The password {@link io.dvmm.sdk.Credentials#password} must carry, until {@link #changePassword(String)}. */
    public static final String PASSWORD = "inmemory";
    /** The token id {@link io.dvmm.sdk.Credentials#apiToken} must carry. */
    public static final String TOKEN_ID = "admin!sdk";
    /** The token secret {@link io.dvmm.sdk.Credentials#apiToken} must carry, until {@link #changeTokenSecret(String)}. */
    public static final String TOKEN_SECRET = "inmemory-token";

    private final String name;
    private final InMemoryFaults faults = new InMemoryFaults();
    private final Map<String, VmRecord> vms = new ConcurrentHashMap<>();
    private final Map<String, String> namesInUse = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(100);
    private final AtomicLong ips = new AtomicLong(10);
    private final AtomicLong sessionEpoch = new AtomicLong();
    private final AtomicLong logins = new AtomicLong();
    private volatile String password = PASSWORD;
    private volatile String tokenSecret = TOKEN_SECRET;
    private final Inventory inventory;

    private InMemoryCloud(String name) {
        this.name = name;
        this.inventory = seed();
    }

    /**
     * @param name the cloud's name, the path of its URI without the leading slash
     * @return the cloud of that name, created and seeded on first use
     */
    public static InMemoryCloud named(String name) {
        return CLOUDS.computeIfAbsent(normalize(name), InMemoryCloud::new);
    }

    /**
     * Forgets a cloud: the next connection to its name starts from the seed again.
     *
     * @param name the cloud's name
     */
    public static void drop(String name) {
        CLOUDS.remove(normalize(name));
    }

    static String normalize(String name) {
        String n = name == null ? "" : name;
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        return n.isEmpty() ? "default" : n;
    }

    private static Inventory seed() {
        return Inventory.builder()
                .datacenters(List.of(Inventory.Datacenter.builder("dc-1", "dc1").path("/dc1").build()))
                .clusters(List.of(Inventory.Cluster.builder("cluster-1", "cluster1").datacenter("dc1").path("/dc1/host/cluster1").build(),
                        Inventory.Cluster.builder("cluster-2", "cluster2").datacenter("dc1").path("/dc1/host/cluster2").build()))
                .hosts(List.of(
                        Inventory.Host.builder("host-1", "host1").datacenter("dc1").cluster("cluster1").cpuCount(32).memoryMiB(131072).build(),
                        Inventory.Host.builder("host-2", "host2").datacenter("dc1").cluster("cluster1").cpuCount(32).memoryMiB(131072).build()))
                .datastores(List.of(
                        Inventory.Datastore.builder("ds-1", "datastore1").datacenter("dc1").type("lvmthin").capacityBytes(2L << 40)
                                .freeBytes(1L << 40).build(),
                        Inventory.Datastore.builder("ds-2", "nfs-shared").datacenter("dc1").type("nfs").capacityBytes(8L << 40)
                                .freeBytes(6L << 40).shared(true).build()))
                .networks(List.of(Inventory.Network.builder("net-1", "vm-network").datacenter("dc1").type("bridge").build(),
                        Inventory.Network.builder("net-2", "backend").datacenter("dc1").type("bridge").build()))
                .resourcePools(List.of(Inventory.ResourcePool.builder("pool-1", "default").datacenter("dc1")
                                .path("/dc1/host/cluster1/Resources/default").build(),
                        Inventory.ResourcePool.builder("pool-2", "dev").datacenter("dc1").path("/dc1/host/cluster1/Resources/dev").build(),
                        // A second pool named "dev" in another cluster: the name alone is ambiguous.
                        Inventory.ResourcePool.builder("pool-3", "dev").datacenter("dc1").path("/dc1/host/cluster2/Resources/dev").build()))
                .templates(List.of(
                        Inventory.Template.builder("tpl-9000", "ubuntu-22.04").datacenter("dc1").host("host1").cpuCount(2)
                                .memoryMiB(2048).diskGiB(20).build(),
                        Inventory.Template.builder("tpl-9001", "debian-12").datacenter("dc1").host("host1").cpuCount(1)
                                .memoryMiB(1024).diskGiB(10).build(),
                        Inventory.Template.builder("tpl-9002", "windows-2022").datacenter("dc1").host("host2").cpuCount(4)
                                .memoryMiB(8192).diskGiB(60).build()))
                .build();
    }

    /** @return the cloud's name */
    public String name() {
        return name;
    }

    /** @return the seeded inventory */
    public Inventory inventory() {
        return inventory;
    }

    /** @return the fault injection switches */
    public InMemoryFaults faults() {
        return faults;
    }

    /** @return how many VMs exist, templates excluded */
    public int vmCount() {
        return vms.size();
    }

    /**
     * @param operation an operation name, such as {@code createVm}
     * @return how many calls of it reached the cloud (after local validation passed)
     */
    public long requestCount(String operation) {
        AtomicLong c = requests.get(operation);
        return c == null ? 0 : c.get();
    }

    /** @return how many calls of any operation reached the cloud */
    public long totalRequests() {
        return requests.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Removes every VM, fault and counter, restores the seeded password and token secret and ends every session; the seed stays. */
    public void reset() {
        synchronized (this) {
            vms.clear();
            namesInUse.clear();
        }
        requests.clear();
        faults.clear();
        password = PASSWORD;
        tokenSecret = TOKEN_SECRET;
        logins.set(0);
        expireSessions();
    }

    /**
     * Rotates {@link #USERNAME}'s password, as an administrator or a vault would. Sessions that
     * are logged in stay valid (as on real endpoints) until {@link #expireSessions()}.
     *
     * @param newPassword the password logins must carry from now on
     */
    public void changePassword(String newPassword) {
        this.password = java.util.Objects.requireNonNull(newPassword, "newPassword");
    }

    /**
     * Rotates the secret of the token {@link #TOKEN_ID}; requests with the old secret are refused
     * from the next session on ({@link #expireSessions()}).
     *
     * @param newSecret the secret the token carries from now on
     */
    public void changeTokenSecret(String newSecret) {
        this.tokenSecret = java.util.Objects.requireNonNull(newSecret, "newSecret");
    }

    /** Ends every session: each connection logs in again on its next request, as after a session timeout. */
    public void expireSessions() {
        sessionEpoch.incrementAndGet();
    }

    /** @return how many logins succeeded or failed since the cloud was made or {@link #reset()} */
    public long logins() {
        return logins.get();
    }

    long sessionEpoch() {
        return sessionEpoch.get();
    }

    /** One login attempt: whether the principal and secret are accepted. */
    boolean login(io.dvmm.sdk.Credentials.Kind kind, String principal, String secret) {
        logins.incrementAndGet();
        return switch (kind) {
            case PASSWORD -> USERNAME.equals(principal) && password.equals(secret);
            case API_TOKEN -> TOKEN_ID.equals(principal) && tokenSecret.equals(secret);
            default -> false;
        };
    }

    void countRequest(String operation) {
        requests.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    /** Reserves a name and creates the VM record, or returns empty if the name is taken. */
    synchronized Optional<VmRecord> reserve(String vmName, Inventory.Template template, String host, String marker) {
        if (namesInUse.containsKey(vmName)) {
            return Optional.empty();
        }
        String id = "vm-" + ids.incrementAndGet();
        VmRecord r = new VmRecord(id, vmName, template, host, marker);
        vms.put(id, r);
        namesInUse.put(vmName, id);
        return Optional.of(r);
    }

    /**
     * Adds a VM the way another tool would, without the SDK's name check: for tests of what the
     * SDK does when two VMs share a name.
     *
     * @param vmName the name, possibly one already taken
     * @return the new VM's id
     */
    public synchronized String addVmBehindTheSdk(String vmName) {
        Inventory.Template t = inventory.templates().get(0);
        String id = "vm-" + ids.incrementAndGet();
        VmRecord r = new VmRecord(id, vmName, t, t.host(), null);
        r.locked = false;
        r.rawState = "stopped";
        vms.put(id, r);
        namesInUse.putIfAbsent(vmName, id);
        return id;
    }

    synchronized boolean remove(String id) {
        VmRecord r = vms.remove(id);
        if (r == null) {
            return false;
        }
        namesInUse.remove(r.name, id);
        return true;
    }

    VmRecord vm(String id) {
        return vms.get(id);
    }

    VmRecord vmWithMarker(String marker) {
        return vms.values().stream().filter(v -> marker.equals(v.marker)).findFirst().orElse(null);
    }

    synchronized boolean nameTaken(String vmName) {
        return namesInUse.containsKey(vmName) || vms.values().stream().anyMatch(v -> v.name.equals(vmName));
    }

    List<VmRecord> allVms() {
        return new ArrayList<>(vms.values());
    }

    String nextIp() {
        long n = ips.incrementAndGet();
        return "10.77." + ((n >> 8) & 0xff) + "." + Math.max(1, n & 0xff);
    }

    /** One VM's mutable state; guarded by its own monitor. */
    static final class VmRecord {
        final String id;
        final String name;
        final String template;
        final String marker;
        String host;
        String rawState = "creating";
        PowerState power = PowerState.POWERED_OFF;
        int cpu;
        long memoryMiB;
        long diskGiB;
        String datastore;
        final List<String[]> nics = new ArrayList<>(); // {network, mac, staticIp or null}
        final List<Long> extraDisks = new ArrayList<>();
        final Map<String, String> metadata = new LinkedHashMap<>();
        final Map<String, SnapshotRecord> snapshots = new LinkedHashMap<>();
        String currentSnapshot;
        long ipVisibleAtNanos = Long.MAX_VALUE;
        String ip;
        boolean locked = true;
        Duration ipDelay = Duration.ZERO;

        VmRecord(String id, String name, Inventory.Template template, String host, String marker) {
            this.marker = marker;
            this.id = Objects.requireNonNull(id);
            this.name = Objects.requireNonNull(name);
            this.template = template.name();
            this.host = host;
            this.cpu = template.cpuCount();
            this.memoryMiB = template.memoryMiB();
            this.diskGiB = template.diskGiB();
        }
    }

    /** A snapshot and the state it captured. */
    record SnapshotRecord(Snapshot snapshot, PowerState power, int cpu, long memoryMiB) {
    }
}
