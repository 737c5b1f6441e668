package io.dvmm.sdk.simulator.proxmox.internal;

import static io.dvmm.sdk.simulator.proxmox.internal.PveCluster.BRIDGE;
import static io.dvmm.sdk.simulator.proxmox.internal.PveCluster.POOL;
import static io.dvmm.sdk.simulator.proxmox.internal.PveCluster.STORAGE;
import static io.dvmm.sdk.simulator.proxmox.internal.PveCluster.STORAGES;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Listings: {@code /cluster/resources} (one call for every node, storage and guest),
 * {@code /cluster/nextid} (which reserves nothing), {@code /nodes}, a node's network, storage and
 * guests, {@code /storage} and {@code /pools}.
 */
final class PveInventory {

    private final PveCluster cluster;

    PveInventory(PveCluster cluster) {
        this.cluster = cluster;
    }

    List<Map<String, Object>> clusterResources(String type) {
        return clusterResources(type, null);
    }

    List<Map<String, Object>> clusterResources(String type, String user) {
        List<String> nodes = cluster.nodes;
        List<Map<String, Object>> out = new ArrayList<>(cluster.vms.size() + nodes.size() * 3);
        if (type == null || "node".equals(type)) {
            for (String n : nodes) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", "node/" + n);
                m.put("type", "node");
                m.put("node", n);
                m.put("status", "online");
                m.put("maxcpu", 32);
                m.put("maxmem", 137_438_953_472L);
                m.put("mem", 34_359_738_368L);
                m.put("cpu", 0.0731);
                m.put("maxdisk", 1_000_000_000_000L);
                m.put("disk", 10_000_000_000L);
                m.put("uptime", 864_000);
                m.put("level", "");
                m.put("cgroup-mode", 2);
                out.add(m);
            }
        }
        if (type == null || "storage".equals(type)) {
            for (String n : nodes) {
                for (String s : STORAGES) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", "storage/" + n + "/" + s);
                    m.put("type", "storage");
                    m.put("storage", s);
                    m.put("node", n);
                    m.put("status", "available");
                    m.put("plugintype", s.equals(STORAGE) ? "lvmthin" : "dir");
                    m.put("content", s.equals(STORAGE) ? "rootdir,images" : "iso,vztmpl,backup");
                    m.put("shared", 0);
                    m.put("maxdisk", 900_000_000_000L);
                    m.put("disk", 100_000_000_000L);
                    out.add(m);
                }
            }
        }
        if (type == null || "vm".equals(type)) {
            long now = System.currentTimeMillis();
            for (PveVm vm : cluster.vms.values()) {
                if (!cluster.canSee(user, vm.vmid)) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", "qemu/" + vm.vmid);
                if (now - vm.createdAtMillis < cluster.statusLagMillis) {
                    // pvestatd has not seen the new guest yet: no name, no sizes, status unknown.
                    m.put("type", "qemu");
                    m.put("vmid", vm.vmid);
                    m.put("node", vm.node);
                    m.put("status", "unknown");
                    m.put("template", 0);
                    out.add(m);
                    continue;
                }
                m.put("type", "qemu");
                m.put("vmid", vm.vmid);
                m.put("name", vm.name);
                m.put("node", vm.node);
                m.put("status", vm.status);
                m.put("template", vm.template ? 1 : 0);
                m.put("maxcpu", vm.cpus());
                m.put("maxmem", vm.memoryMib() * 1024L * 1024L);
                m.put("maxdisk", vm.maxDiskBytes());
                m.put("mem", vm.running() ? vm.memoryMib() * 512L * 1024L : 0);
                m.put("cpu", vm.running() ? 0.0123 : 0);
                m.put("uptime", vm.uptimeSeconds(now));
                m.put("disk", 0);
                m.put("diskread", 0);
                m.put("diskwrite", 0);
                m.put("netin", 0);
                m.put("netout", 0);
                if (vm.lock != null) {
                    m.put("lock", vm.lock);
                }
                PveHa.Resource hr = cluster.ha.resource(vm.vmid);
                if (hr != null) {
                    m.put("hastate", hr.state);
                }
                if (vm.pool != null) {
                    m.put("pool", vm.pool);
                }
                if (vm.config.containsKey("tags")) {
                    m.put("tags", vm.config.get("tags"));
                }
                out.add(m);
            }
        }
        return out;
    }

    String nextId(String requested) {
        if (requested != null) {
            int id = Integer.parseInt(requested);
            if (cluster.vms.containsKey(id)) {
                throw PveError.param("vmid", "VM " + id + " already exists");
            }
            return requested;
        }
        int id = 100;
        while (cluster.vms.containsKey(id)) {
            id++;
        }
        return Integer.toString(id);
    }

    List<Map<String, Object>> nodeList() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String n : cluster.nodes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", n);
            m.put("id", "node/" + n);
            m.put("type", "node");
            m.put("status", "online");
            m.put("maxcpu", 32);
            m.put("maxmem", 137_438_953_472L);
            m.put("mem", 34_359_738_368L);
            m.put("cpu", 0.0731);
            m.put("uptime", 864_000);
            m.put("level", "");
            m.put("ssl_fingerprint", "AA:BB");
            out.add(m);
        }
        return out;
    }

    List<Map<String, Object>> network(String node, String type) {
        cluster.requireNode(node);
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> bridge = new LinkedHashMap<>();
        bridge.put("iface", BRIDGE);
        bridge.put("type", "bridge");
        bridge.put("active", 1);
        bridge.put("autostart", 1);
        bridge.put("bridge_ports", "eno1");
        bridge.put("bridge_stp", "off");
        bridge.put("bridge_fd", "0");
        bridge.put("method", "static");
        bridge.put("families", List.of("inet"));
        bridge.put("cidr", "192.168.100." + (10 + cluster.nodes.indexOf(node)) + "/24");
        bridge.put("priority", 3);
        out.add(bridge);
        Map<String, Object> eth = new LinkedHashMap<>();
        eth.put("iface", "eno1");
        eth.put("type", "eth");
        eth.put("active", 1);
        eth.put("exists", 1);
        eth.put("method", "manual");
        eth.put("families", List.of("inet"));
        eth.put("priority", 2);
        out.add(eth);
        if (type == null || "any".equals(type)) {
            return out;
        }
        String wanted = "any_bridge".equals(type) ? "bridge" : type;
        out.removeIf(m -> !wanted.equals(m.get("type")));
        return out;
    }

    List<Map<String, Object>> storage(String node) {
        cluster.requireNode(node);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String s : STORAGES) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("storage", s);
            m.put("type", s.equals(STORAGE) ? "lvmthin" : "dir");
            m.put("content", s.equals(STORAGE) ? "rootdir,images" : "iso,vztmpl,backup");
            m.put("active", 1);
            m.put("enabled", 1);
            m.put("shared", 0);
            m.put("total", 900_000_000_000L);
            m.put("used", 100_000_000_000L);
            m.put("avail", 800_000_000_000L);
            m.put("used_fraction", 0.111);
            out.add(m);
        }
        return out;
    }

    List<Map<String, Object>> qemuList(String node) {
        cluster.requireNode(node);
        List<Map<String, Object>> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (PveVm vm : cluster.vms.values()) {
            if (!vm.node.equals(node)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vmid", vm.vmid);
            m.put("name", vm.name);
            m.put("status", vm.status);
            m.put("cpus", vm.cores());
            m.put("maxmem", vm.memoryMib() * 1024L * 1024L);
            m.put("maxdisk", vm.maxDiskBytes());
            m.put("uptime", vm.uptimeSeconds(now));
            if (vm.template) {
                m.put("template", 1);
            }
            if (vm.lock != null) {
                m.put("lock", vm.lock);
            }
            out.add(m);
        }
        return out;
    }

    List<Map<String, Object>> pools() {
        return List.of(Map.of("poolid", POOL, "comment", "DVMM SDK test pool"));
    }

    List<Map<String, Object>> storageConfig() {
        return List.of(Map.of("storage", "local", "type", "dir", "content", "iso,vztmpl,backup", "path", "/var/lib/vz"),
                Map.of("storage", STORAGE, "type", "lvmthin", "content", "rootdir,images", "thinpool", "data",
                        "vgname", "pve"));
    }
}
