package io.dvmm.sdk.simulator.proxmox.internal;

import static io.dvmm.sdk.simulator.proxmox.internal.PveCluster.POOL;
import static io.dvmm.sdk.simulator.proxmox.internal.PveCluster.STORAGE;
import static io.dvmm.sdk.simulator.proxmox.internal.PveCluster.STORAGES;
import static io.dvmm.sdk.simulator.proxmox.internal.PveCluster.checkLock;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guest's life: clone (with locks, VMID clashes and injected lock timeouts and VMID races),
 * config read and update, disk resize, current status, power actions (through HA when the guest
 * is HA-managed) and destroy.
 */
final class PveGuests {

    private static final Pattern NET = Pattern.compile("^net\\d+$");
    private static final Pattern URLENCODED = Pattern.compile("^[-%a-zA-Z0-9_.!~*'()]*$");
    private static final Set<String> CONFIG_META = Set.of("node", "vmid", "digest", "background_delay", "skiplock",
            "delete", "revert", "force");

    private final PveCluster cluster;
    private int lockTimeouts;
    private int vmidRaces;

    PveGuests(PveCluster cluster) {
        this.cluster = cluster;
    }

    void lockTimeoutNext(int count) {
        lockTimeouts += count;
    }

    void vmidRaceNext(int count) {
        vmidRaces += count;
    }

    // ---- clone ------------------------------------------------------------------------------------

    String cloneVm(String node, String vmidText, Map<String, String> p, String user) {
        PveVm src = cluster.vm(node, vmidText);
        int newid = Integer.parseInt(p.get("newid"));
        String target = p.getOrDefault("target", node);
        cluster.requireNode(target);
        boolean full = p.containsKey("full") ? Boolean.TRUE.equals(PveSchema.parseBoolean(p.get("full"))) : !src.template;
        if (!full && p.containsKey("storage")) {
            throw PveError.param("storage", "parameter 'storage' not allowed for linked clones");
        }
        if (!full && !src.template) {
            throw PveError.param("full", "linked clone only possible for templates");
        }
        if (p.containsKey("storage") && !STORAGES.contains(p.get("storage"))) {
            throw new PveError(500, "storage '" + p.get("storage") + "' does not exist");
        }
        if (p.containsKey("pool") && !POOL.equals(p.get("pool"))) {
            throw new PveError(500, "pool '" + p.get("pool") + "' does not exist");
        }
        if (lockTimeouts > 0) {
            lockTimeouts--;
            throw new PveError(500, "can't lock file '/var/lock/qemu-server/lock-" + newid + ".conf' - got timeout");
        }
        PveVm existing = cluster.vms.get(newid);
        if (existing != null) {
            throw new PveError(500, "VM " + newid + " already exists on node '" + existing.node + "'");
        }
        if (!src.template && src.lock != null) {
            throw new PveError(500, "VM is locked (" + src.lock + ")");
        }
        PveTask t = cluster.tasks.start(node, "qmclone", Integer.toString(src.vmid), user, cluster.tasks.defaultMillis());
        if (vmidRaces > 0) {
            vmidRaces--;
            // Another client took the VMID between our check and the worker's config creation.
            cluster.addVm(cluster.nodes.get(cluster.nodes.size() - 1), newid, "foreign-" + newid, false);
            t.failure = "clone failed: unable to create VM " + newid + ": config file already exists";
            return t.upid;
        }
        PveVm vm = new PveVm(newid);
        java.util.Set<Integer> mine = cluster.visible.get(user);
        if (mine != null) {
            mine.add(newid);
        }
        String storageLock = p.getOrDefault("storage", STORAGE);
        int limit = cluster.clonesPerStorage;
        long running = cluster.vms.values().stream().filter(v -> storageLock.equals(v.cloningTo)).count();
        vm.node = target;
        vm.name = p.getOrDefault("name", "Copy-of-VM-" + src.name);
        vm.lock = "clone";
        vm.pool = p.get("pool");
        for (Map.Entry<String, String> e : src.config.entrySet()) {
            String k = e.getKey();
            if (k.equals("template") || k.equals("name")) {
                continue;
            }
            String v = e.getValue();
            if (NET.matcher(k).matches()) {
                v = v.replaceFirst("=([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}", "=" + PveVm.mac(newid));
            } else if (k.startsWith("scsi") || k.startsWith("ide") || k.startsWith("virtio") || k.startsWith("sata")) {
                String storage = p.getOrDefault("storage", STORAGE);
                v = v.replaceFirst("^[^:]+:(base|vm)-\\d+-", storage + ":vm-" + newid + "-");
            }
            vm.config.put(k, v);
        }
        vm.config.put("name", vm.name);
        if (p.containsKey("description")) {
            vm.config.put("description", p.get("description"));
        }
        cluster.vms.put(newid, vm);
        if (limit > 0 && running >= limit) {
            // The worker waits for the storage's lock and gives up; the half-made config goes with the task.
            t.failure = "clone failed: can't lock file '/var/lock/pve-manager/pve-storage-" + storageLock + "' - got timeout";
            t.onFailure = () -> cluster.vms.remove(newid, vm);
            return t.upid;
        }
        vm.cloningTo = storageLock;
        t.log.add("create " + (full ? "full" : "linked") + " clone of drive scsi0 (" + src.config.get("scsi0").split(",")[0] + ")");
        t.log.add("transferred 10.0 GiB of 10.0 GiB (100.00%)");
        t.onSuccess = () -> {
            vm.lock = null;
            vm.cloningTo = null;
        };
        t.onFailure = () -> cluster.vms.remove(newid, vm);
        return t.upid;
    }

    // ---- config -----------------------------------------------------------------------------------

    Map<String, Object> config(String node, String vmid) {
        PveVm vm = cluster.vm(node, vmid);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : vm.config.entrySet()) {
            String k = e.getKey();
            if (k.equals("cores") || k.equals("sockets") || k.equals("template")) {
                out.put(k, Integer.parseInt(e.getValue()));
            } else {
                out.put(k, e.getValue());
            }
        }
        if (vm.lock != null) {
            out.put("lock", vm.lock);
        }
        if (vm.parentSnapshot != null) {
            out.put("parent", vm.parentSnapshot);
        }
        out.put("digest", Integer.toHexString(vm.config.hashCode()) + "0000000000000000000000000000000");
        return out;
    }

    /** POST (async) and PUT (sync) config. Returns a UPID, or null when finished synchronously. */
    String updateConfig(String node, String vmid, Map<String, String> p, boolean async, String user) {
        PveVm vm = cluster.vm(node, vmid);
        checkLock(vm, p);
        if (p.containsKey("sshkeys") && !URLENCODED.matcher(p.get("sshkeys")).matches()) {
            throw PveError.param("sshkeys", "invalid urlencoded string: " + p.get("sshkeys"));
        }
        if (p.containsKey("delete")) {
            for (String k : p.get("delete").split("[,;\\s]+")) {
                vm.config.remove(k);
            }
        }
        for (Map.Entry<String, String> e : p.entrySet()) {
            String k = e.getKey();
            if (CONFIG_META.contains(k)) {
                continue;
            }
            String v = e.getValue();
            if (NET.matcher(k).matches()) {
                v = normalizeNet(vm.vmid, v);
            }
            if (k.equals("name")) {
                vm.name = v;
            }
            vm.config.put(k, v);
        }
        if (!async || p.containsKey("background_delay")) {
            return null;
        }
        return cluster.tasks.start(node, "qmconfig", vmid, user, Math.min(cluster.tasks.defaultMillis(), 50)).upid;
    }

    /** {@code net0=virtio,bridge=vmbr0} gets a MAC, as PVE writes it back: {@code virtio=BC:24:11:...,bridge=vmbr0}. */
    private static String normalizeNet(int vmid, String v) {
        String[] parts = v.split(",");
        String first = parts[0];
        if (!first.contains("=")) {
            parts[0] = first + "=" + PveVm.mac(vmid);
        } else if (first.startsWith("model=")) {
            parts[0] = first.substring(6) + "=" + PveVm.mac(vmid);
        }
        return String.join(",", parts);
    }

    String resize(String node, String vmid, Map<String, String> p, String user) {
        PveVm vm = cluster.vm(node, vmid);
        checkLock(vm, p);
        String disk = p.get("disk");
        String drive = vm.config.get(disk);
        if (drive == null) {
            throw new PveError(500, "disk '" + disk + "' does not exist");
        }
        Matcher m = DiskSize.SIZE.matcher(p.get("size"));
        if (!m.matches()) {
            throw PveError.param("size", "value does not match the regex pattern");
        }
        long current = DiskSize.ofDrive(drive);
        long requested = DiskSize.bytes(m.group(2) + (m.group(3) == null ? "" : m.group(3)));
        long newSize = m.group(1) != null ? current + requested : requested;
        if (newSize < current) {
            throw new PveError(500, "shrinking disks is not supported");
        }
        PveTask t = cluster.tasks.start(node, "resize", vmid, user, Math.min(cluster.tasks.defaultMillis(), 100));
        t.log.add("  Size of logical volume pve/vm-" + vmid + "-disk-0 changed to " + DiskSize.text(newSize));
        t.onSuccess = () -> vm.config.put(disk, drive.replaceFirst("size=[^,]+", "size=" + DiskSize.text(newSize)));
        return t.upid;
    }

    // ---- status and power -------------------------------------------------------------------------

    Map<String, Object> statusCurrent(String node, String vmid) {
        PveVm vm = cluster.vm(node, vmid);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vmid", vm.vmid);
        m.put("name", vm.name);
        m.put("status", vm.status);
        m.put("qmpstatus", vm.paused ? "paused" : vm.status);
        m.put("cpus", vm.cpus());
        m.put("maxmem", vm.memoryMib() * 1024L * 1024L);
        m.put("maxdisk", vm.maxDiskBytes());
        m.put("mem", vm.running() ? vm.memoryMib() * 512L * 1024L : 0);
        m.put("uptime", vm.uptimeSeconds(System.currentTimeMillis()));
        m.put("cpu", 0);
        PveHa.Resource hr = cluster.ha.resource(vm.vmid);
        if (hr == null) {
            m.put("ha", Map.of("managed", 0));
        } else {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("managed", 1);
            h.put("state", hr.state);
            if (hr.group != null) {
                h.put("group", hr.group);
            }
            m.put("ha", h);
        }
        if ("1".equals(vm.config.get("agent")) || String.valueOf(vm.config.get("agent")).startsWith("enabled=1")) {
            m.put("agent", 1);
        }
        if (vm.running()) {
            m.put("pid", 4242 + vm.vmid);
            m.put("running-qemu", "9.2.0");
            m.put("running-machine", "pc-i440fx-9.2+pve1");
        }
        if (vm.template) {
            m.put("template", 1);
        }
        if (vm.lock != null) {
            m.put("lock", vm.lock);
        }
        if (vm.config.containsKey("tags")) {
            m.put("tags", vm.config.get("tags"));
        }
        return m;
    }

    String power(String node, String vmid, String action, Map<String, String> p, String user) {
        PveVm vm = cluster.vm(node, vmid);
        checkLock(vm, p);
        if (vm.template && "start".equals(action)) {
            throw new PveError(500, "you can't start a vm if it's a template");
        }
        PveHa.Resource hr = cluster.ha.resource(vm.vmid);
        if (hr != null && hr.managing() && (action.equals("start") || action.equals("stop") || action.equals("shutdown"))) {
            return cluster.ha.power(hr, node, vmid, action, user);
        }
        PveTask t = cluster.tasks.start(node, "qm" + action, vmid, user, cluster.tasks.defaultMillis());
        switch (action) {
            case "start" -> {
                t.log.add("generating cloud-init ISO");
                t.onSuccess = () -> {
                    if (vm.running()) {
                        throw new PveError(500, "VM " + vm.vmid + " already running");
                    }
                    vm.boot();
                };
            }
            case "stop" -> t.onSuccess = vm::halt;
            case "shutdown", "reboot", "suspend" -> t.onSuccess = () -> {
                if (!vm.running()) {
                    throw new PveError(500, "VM " + vm.vmid + " not running");
                }
                if (action.equals("shutdown")) {
                    vm.halt();
                } else if (action.equals("reboot")) {
                    vm.bootedAtMillis = System.currentTimeMillis();
                } else {
                    vm.paused = true;
                }
            };
            case "resume" -> t.onSuccess = () -> {
                if (!vm.running()) {
                    throw new PveError(500, "VM " + vm.vmid + " not running");
                }
                vm.paused = false;
            };
            default -> throw new PveError(501, "Method not implemented");
        }
        return t.upid;
    }

    // ---- destroy ----------------------------------------------------------------------------------

    String destroy(String node, String vmid, Map<String, String> p, String user) {
        PveVm vm = cluster.vm(node, vmid);
        checkLock(vm, p);
        if (vm.running()) {
            throw new PveError(500, "VM " + vm.vmid + " is running - destroy failed");
        }
        boolean purge = Boolean.TRUE.equals(PveSchema.parseBoolean(p.getOrDefault("purge", "0")));
        if (cluster.ha.resource(vm.vmid) != null && !purge) {
            throw new PveError(500, "unable to remove VM " + vm.vmid + " - used in HA resources and purge parameter not set.");
        }
        vm.lock = "destroyed";
        PveTask t = cluster.tasks.start(node, "qmdestroy", vmid, user, Math.min(cluster.tasks.defaultMillis(), 200));
        t.log.add("  Logical volume \"vm-" + vmid + "-disk-0\" successfully removed.");
        t.onSuccess = () -> {
            cluster.vms.remove(vm.vmid, vm);
            cluster.ha.forget(vm.vmid);
        };
        t.onFailure = () -> vm.lock = null;
        return t.upid;
    }
}
