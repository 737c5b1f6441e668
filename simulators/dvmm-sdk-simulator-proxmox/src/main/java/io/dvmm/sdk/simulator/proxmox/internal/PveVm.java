package io.dvmm.sdk.simulator.proxmox.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** A guest (QEMU VM) and its config. Mutable; guarded by the {@link PveCluster} monitor. */
final class PveVm {

    /** A snapshot of a guest: its config and power state when taken. */
    record Snapshot(String name, String description, long snaptime, String parent, boolean vmstate,
                    Map<String, String> config, String status) {
    }

    final int vmid;
    String node;
    String name;
    boolean template;
    String status = "stopped";
    boolean paused;
    String lock;
    String pool;
    long bootedAtMillis;
    final long createdAtMillis = System.currentTimeMillis();
    /** The storage a running clone writes to (its lock), or null. */
    String cloningTo;
    final Map<String, String> config = new LinkedHashMap<>();
    final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
    String parentSnapshot;

    PveVm(int vmid) {
        this.vmid = vmid;
    }

    /** A guest as {@code qm create} from the seeded template would leave it. */
    static PveVm seeded(int vmid, String node, String name) {
        PveVm vm = new PveVm(vmid);
        vm.node = node;
        vm.name = name;
        vm.config.putAll(baseConfig(vmid, name));
        return vm;
    }

    static Map<String, String> baseConfig(int vmid, String name) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("cores", "2");
        c.put("sockets", "1");
        c.put("memory", "2048");
        c.put("ostype", "l26");
        c.put("agent", "1");
        c.put("scsihw", "virtio-scsi-single");
        c.put("boot", "order=scsi0");
        c.put("net0", "virtio=" + mac(vmid) + ",bridge=" + PveCluster.BRIDGE);
        c.put("scsi0", PveCluster.STORAGE + ":vm-" + vmid + "-disk-0,size=10G");
        c.put("ide2", PveCluster.STORAGE + ":vm-" + vmid + "-cloudinit,media=cdrom");
        return c;
    }

    /** A Proxmox-style MAC ({@code BC:24:11:...}) derived from a seed. */
    static String mac(int seed) {
        int r = ThreadLocalRandom.current().nextInt(256);
        return String.format("BC:24:11:%02X:%02X:%02X", (seed >> 8) & 0xff, seed & 0xff, r);
    }

    boolean running() {
        return "running".equals(status);
    }

    void boot() {
        status = "running";
        paused = false;
        bootedAtMillis = System.currentTimeMillis();
    }

    void halt() {
        status = "stopped";
        paused = false;
    }

    long uptimeSeconds(long nowMillis) {
        return running() ? Math.max(0, (nowMillis - bootedAtMillis) / 1000) : 0;
    }

    int cores() {
        return DiskSize.intOf(config.get("cores"), 1);
    }

    int cpus() {
        return cores() * DiskSize.intOf(config.get("sockets"), 1);
    }

    long memoryMib() {
        return DiskSize.intOf(config.get("memory"), 512);
    }

    long maxDiskBytes() {
        return DiskSize.ofDrive(config.get("scsi0"));
    }

    /** Whether {@code agent} enables the QEMU guest agent ({@code 1}, {@code enabled=1}, {@code 1,...}). */
    boolean agentEnabled() {
        String agent = config.get("agent");
        return agent != null && (agent.equals("1") || agent.startsWith("enabled=1") || agent.startsWith("1,"));
    }
}
