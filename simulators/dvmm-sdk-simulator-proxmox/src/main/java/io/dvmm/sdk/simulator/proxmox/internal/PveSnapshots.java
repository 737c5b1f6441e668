package io.dvmm.sdk.simulator.proxmox.internal;

import static io.dvmm.sdk.simulator.proxmox.internal.PveCluster.checkLock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Snapshots: list (with the {@code current} pseudo-entry), take, roll back and delete, each as a task. */
final class PveSnapshots {

    private final PveCluster cluster;

    PveSnapshots(PveCluster cluster) {
        this.cluster = cluster;
    }

    List<Map<String, Object>> list(String node, String vmid) {
        PveVm vm = cluster.vm(node, vmid);
        List<Map<String, Object>> out = new ArrayList<>();
        for (PveVm.Snapshot s : vm.snapshots.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("description", s.description());
            m.put("snaptime", s.snaptime());
            if (s.parent() != null) {
                m.put("parent", s.parent());
            }
            if (s.vmstate()) {
                m.put("vmstate", 1);
            }
            out.add(m);
        }
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("name", "current");
        current.put("description", "You are here!");
        current.put("digest", "0000");
        current.put("running", vm.running() ? 1 : 0);
        if (vm.parentSnapshot != null) {
            current.put("parent", vm.parentSnapshot);
        }
        out.add(current);
        return out;
    }

    String take(String node, String vmid, Map<String, String> p, String user) {
        PveVm vm = cluster.vm(node, vmid);
        checkLock(vm, p);
        String name = p.get("snapname");
        if (vm.snapshots.containsKey(name) || "current".equals(name)) {
            throw new PveError(500, "snapshot name '" + name + "' already used");
        }
        boolean vmstate = Boolean.TRUE.equals(PveSchema.parseBoolean(p.getOrDefault("vmstate", "0")));
        PveVm.Snapshot s = new PveVm.Snapshot(name, p.getOrDefault("description", ""), System.currentTimeMillis() / 1000,
                vm.parentSnapshot, vmstate && vm.running(), new LinkedHashMap<>(vm.config), vm.status);
        vm.lock = "snapshot";
        PveTask t = cluster.tasks.start(node, "qmsnapshot", vmid, user, cluster.tasks.defaultMillis());
        t.log.add("snapshotting 'drive-scsi0' (" + vm.config.get("scsi0").split(",")[0] + ")");
        t.onSuccess = () -> {
            vm.snapshots.put(name, s);
            vm.parentSnapshot = name;
            vm.lock = null;
        };
        t.onFailure = () -> vm.lock = null;
        return t.upid;
    }

    private static PveVm.Snapshot existing(PveVm vm, String name) {
        PveVm.Snapshot s = vm.snapshots.get(name);
        if (s == null) {
            throw new PveError(500, "snapshot '" + name + "' does not exist");
        }
        return s;
    }

    String rollback(String node, String vmid, String name, String user) {
        PveVm vm = cluster.vm(node, vmid);
        checkLock(vm, Map.of());
        PveVm.Snapshot s = existing(vm, name);
        vm.lock = "rollback";
        PveTask t = cluster.tasks.start(node, "qmrollback", vmid, user, cluster.tasks.defaultMillis());
        t.onSuccess = () -> {
            vm.config.clear();
            vm.config.putAll(s.config());
            vm.name = vm.config.getOrDefault("name", vm.name);
            vm.parentSnapshot = name;
            vm.status = s.vmstate() ? "running" : "stopped";
            vm.lock = null;
        };
        t.onFailure = () -> vm.lock = null;
        return t.upid;
    }

    String delete(String node, String vmid, String name, String user) {
        PveVm vm = cluster.vm(node, vmid);
        checkLock(vm, Map.of());
        PveVm.Snapshot s = existing(vm, name);
        PveTask t = cluster.tasks.start(node, "qmdelsnapshot", vmid, user, cluster.tasks.defaultMillis());
        t.onSuccess = () -> {
            vm.snapshots.remove(name);
            for (Map.Entry<String, PveVm.Snapshot> e : vm.snapshots.entrySet()) {
                PveVm.Snapshot c = e.getValue();
                if (name.equals(c.parent())) {
                    e.setValue(new PveVm.Snapshot(c.name(), c.description(), c.snaptime(), s.parent(), c.vmstate(),
                            c.config(), c.status()));
                }
            }
            if (name.equals(vm.parentSnapshot)) {
                vm.parentSnapshot = s.parent();
            }
        };
        return t.upid;
    }
}
