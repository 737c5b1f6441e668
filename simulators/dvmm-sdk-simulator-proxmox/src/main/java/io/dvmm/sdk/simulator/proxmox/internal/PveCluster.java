package io.dvmm.sdk.simulator.proxmox.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The simulated cluster's state (nodes, guests, HA resources, settings) and its rooms, one per
 * part of the API: {@link PveTasks} (UPIDs), {@link PveHa} (HA resources and manager),
 * {@link PveInventory} (cluster and node listings), {@link PveGuests} (clone, config, power,
 * destroy), {@link PveSnapshots} and {@link PveGuestAgent}. Handlers return the value of
 * {@code data} or throw {@link PveError}.
 *
 * <p>One monitor, this object, guards all state: {@link PveApi} holds it while a request runs,
 * the task and HA schedulers take it for their callbacks, and the fixture methods here are
 * synchronized. It is never held while sleeping.
 */
public final class PveCluster {

    public static final int TEMPLATE_VMID = 9000;
    public static final String TEMPLATE_NAME = "ubuntu-22.04-template";
    public static final String BRIDGE = "vmbr0";
    public static final String STORAGE = "local-lvm";
    public static final String POOL = "dvmm";
    static final List<String> STORAGES = List.of("local", STORAGE);

    final List<String> nodes = new ArrayList<>();
    final NavigableMap<Integer, PveVm> vms = new ConcurrentSkipListMap<>();
    final ScheduledExecutorService scheduler;
    volatile long taskDurationMillis;
    volatile long agentDelayMillis;
    volatile long haDelayMillis = 100;
    /** How long a new guest shows as {@code status: unknown} without a name in {@code /cluster/resources} (pvestatd's cycle). */
    volatile long statusLagMillis;
    /** Clones a storage runs at once; more fail with its lock timeout. 0: no limit. */
    volatile int clonesPerStorage;
    /** Privilege-separated tokens: the VMIDs each may see (templates included); every other VM is 403 to it. */
    final Map<String, Set<Integer>> visible = new ConcurrentHashMap<>();

    final PveTasks tasks = new PveTasks(this);
    final PveHa ha = new PveHa(this);
    final PveInventory inventory = new PveInventory(this);
    final PveGuests guests = new PveGuests(this);
    final PveSnapshots snapshots = new PveSnapshots(this);
    final PveGuestAgent agent = new PveGuestAgent(this);

    public PveCluster(int nodeCount, int vmCount, Duration taskDuration, Duration agentDelay) {
        this.taskDurationMillis = taskDuration.toMillis();
        this.agentDelayMillis = agentDelay.toMillis();
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "pve-sim-tasks");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
        for (int i = 1; i <= Math.max(1, nodeCount); i++) {
            nodes.add("pve" + i);
        }
        PveVm tpl = PveVm.seeded(TEMPLATE_VMID, nodes.get(0), TEMPLATE_NAME);
        tpl.template = true;
        tpl.config.put("template", "1");
        tpl.config.put("scsi0", STORAGE + ":base-9000-disk-0,size=10G");
        vms.put(TEMPLATE_VMID, tpl);
        for (int i = 0; i < vmCount; i++) {
            int id = 10_000 + i;
            PveVm vm = PveVm.seeded(id, nodes.get(i % nodes.size()), "vm-" + id);
            if (i % 2 == 0) {
                vm.status = "running";
                vm.bootedAtMillis = System.currentTimeMillis() - 3_600_000L;
            }
            vms.put(id, vm);
        }
    }

    // ---- settings --------------------------------------------------------------------------------

    public void taskDuration(Duration d) {
        taskDurationMillis = d.toMillis();
    }

    public void agentDelay(Duration d) {
        agentDelayMillis = d.toMillis();
    }

    /** How long the simulated HA manager (CRM/LRM) takes to act on a changed requested state. */
    public void haDelay(Duration d) {
        haDelayMillis = d.toMillis();
    }

    public synchronized void lockTimeoutNext(int count) {
        guests.lockTimeoutNext(count);
    }

    public synchronized void vmidRaceNext(int count) {
        guests.vmidRaceNext(count);
    }

    public synchronized void failNextTask(String type, int count, String exitstatus) {
        tasks.failNext(type, count, exitstatus);
    }

    // ---- fixture: what tests read and stage directly ------------------------------------------

    public List<String> nodes() {
        return List.copyOf(nodes);
    }

    public synchronized int vmCount() {
        return vms.size();
    }

    /** @return every guest that is not a template: VMID to name */
    public synchronized java.util.SortedMap<Integer, String> guestNames() {
        java.util.SortedMap<Integer, String> out = new java.util.TreeMap<>();
        vms.forEach((id, vm) -> {
            if (!vm.template) {
                out.put(id, vm.name);
            }
        });
        return out;
    }

    public synchronized boolean vmExists(int vmid) {
        return vms.containsKey(vmid);
    }

    /** The status ({@code running}/{@code stopped}) of a guest, or null when it does not exist. */
    public synchronized String vmStatus(int vmid) {
        PveVm vm = vms.get(vmid);
        return vm == null ? null : vm.status;
    }

    /** Adds a guest directly, e.g. to stage a VMID clash. */
    public synchronized void addVm(String node, int vmid, String name, boolean running) {
        PveVm vm = PveVm.seeded(vmid, node, name);
        if (running) {
            vm.boot();
        }
        vms.put(vmid, vm);
    }

    /** Puts a guest under HA directly, as {@code ha-manager add} would; the HA manager then acts on {@code state}. */
    public synchronized void haManage(int vmid, String state) {
        ha.manage(vmid, state);
    }

    /** The requested HA state of a guest, or null when it is not an HA resource. */
    public synchronized String haState(int vmid) {
        return ha.state(vmid);
    }

    public void close() {
        scheduler.shutdownNow();
    }

    // ---- lookups every room shares (the monitor is held) ----------------------------------------

    void requireNode(String node) {
        if (!nodes.contains(node)) {
            throw new PveError(500, "hostname lookup '" + node + "' failed - failed to get address info for: "
                    + node + ": Name or service not known");
        }
    }

    /** The guest {@code vmid} on {@code node}; PVE's own 500 when it is elsewhere or nowhere. */
    /** Throws PVE's 403 when a privilege-separated token lacks VM.Audit on the VM (existing or not). */
    void checkVisible(String user, String vmidText) {
        Set<Integer> allowed = user == null ? null : visible.get(user);
        if (allowed == null || vmidText == null) {
            return;
        }
        int vmid;
        try {
            vmid = Integer.parseInt(vmidText);
        } catch (NumberFormatException e) {
            return;
        }
        if (!allowed.contains(vmid)) {
            throw new PveError(403, "Permission check failed (/vms/" + vmid + ", VM.Audit)");
        }
    }

    /** Adds a restricted token's view: the template only, until VMs are granted or made by it. */
    public void restrict(String tokenId) {
        Set<Integer> set = ConcurrentHashMap.newKeySet();
        set.add(TEMPLATE_VMID);
        visible.put(tokenId, set);
    }

    public void grant(String tokenId, int vmid) {
        visible.get(tokenId).add(vmid);
    }

    public synchronized void setConfig(int vmid, String key, String value) {
        vms.get(vmid).config.put(key, value);
    }

    public void statusLag(Duration lag) {
        statusLagMillis = lag.toMillis();
    }

    public void clonesPerStorage(int limit) {
        clonesPerStorage = limit;
    }

    boolean canSee(String user, int vmid) {
        Set<Integer> allowed = user == null ? null : visible.get(user);
        return allowed == null || allowed.contains(vmid);
    }

    PveVm vm(String node, String vmidText) {
        requireNode(node);
        int vmid = Integer.parseInt(vmidText);
        PveVm vm = vms.get(vmid);
        if (vm == null || !vm.node.equals(node)) {
            throw new PveError(500, "Configuration file 'nodes/" + node + "/qemu-server/" + vmid + ".conf' does not exist");
        }
        return vm;
    }

    static void checkLock(PveVm vm, Map<String, String> p) {
        if (vm.lock != null && !"1".equals(p.get("skiplock"))) {
            throw new PveError(500, "VM is locked (" + vm.lock + ")");
        }
    }
}
