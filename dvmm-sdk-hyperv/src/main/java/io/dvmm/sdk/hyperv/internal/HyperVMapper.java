package io.dvmm.sdk.hyperv.internal;

import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.IpConfig;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.spi.support.Addresses;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Between the scripts' objects ({@link HyperVWire}) and the SDK's values: VMs, power states, addresses, MACs,
 * inventory and checkpoints.
 */
final class HyperVMapper {
    static final long MIB = 1024L * 1024;
    static final long GIB = 1024L * MIB;

    private HyperVMapper() {
    }

    /**
     * The {@code Microsoft.HyperV.PowerShell.VMState} names: Running is on; Off is off; Saved, FastSaved, Hibernated and
     * Paused keep the VM's memory and are suspended; the {@code -ing} states, Reset, Other and the {@code Critical}
     * variants (storage unreachable) are unknown.
     *
     * @param state the state's name
     * @return the SDK's state
     */
    static PowerState powerState(String state) {
        if (state == null) {
            return PowerState.UNKNOWN;
        }
        return switch (state) {
            case "Running" -> PowerState.POWERED_ON;
            case "Off" -> PowerState.POWERED_OFF;
            case "Saved", "FastSaved", "Hibernated", "Paused" -> PowerState.SUSPENDED;
            default -> PowerState.UNKNOWN;
        };
    }

    /**
     * @param raw twelve hex digits as Hyper-V writes them ({@code 00155D01020A}); zeros before a dynamic MAC is assigned
     * @return lower case with colons, or an empty string when none is assigned
     */
    static String mac(String raw) {
        if (raw == null) {
            return "";
        }
        String hex = raw.replace(":", "").replace("-", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{12}") || hex.equals("000000000000")) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                b.append(':');
            }
            b.append(hex, i, i + 2);
        }
        return b.toString();
    }

    /**
     * @param mac six hex pairs with colons
     * @return the form Hyper-V takes: twelve upper-case hex digits
     */
    static String wireMac(String mac) {
        return mac.replace(":", "").replace("-", "").toUpperCase(Locale.ROOT);
    }

    /**
     * @param raw addresses as the guest reported them
     * @param families the families to keep, in order ({@code ipv4}, {@code ipv6})
     * @return the usable ones (no loopback, link-local, wildcard or multicast), by family, each once
     */
    static List<String> ips(List<String> raw, List<String> families) {
        Set<String> out = new LinkedHashSet<>();
        for (String family : families) {
            for (String ip : raw) {
                String a = ip == null ? "" : ip.strip();
                int zone = a.indexOf('%');
                if (zone > 0) {
                    a = a.substring(0, zone);
                }
                boolean v4 = IpConfig.isIpv4(a);
                if ((family.equals("ipv4") ? v4 : !v4 && IpConfig.isIpv6(a)) && Addresses.isUsable(a)) {
                    out.add(a.toLowerCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * @param vm the script's VM
     * @param host the host's name
     * @param families the address families to report
     * @return the SDK's VM
     */
    static VmInfo vm(HyperVWire.Vm vm, String host, List<String> families) {
        NotesFrame frame = NotesFrame.parse(vm.notes());
        List<NicInfo> nics = new ArrayList<>();
        List<String> kvp = kvpAddresses(vm.kvp());
        for (HyperVWire.Nic n : vm.nics()) {
            nics.add(new NicInfo(n.name() == null ? "" : n.name(), n.switchName(), mac(n.mac()), ips(n.ips(), families)));
        }
        VmInfo.Builder b = VmInfo.builder().id(VmId.of(vm.id())).name(vm.name()).powerState(powerState(vm.state()))
                .rawState(vm.state() == null ? "Unknown" : vm.state()).cpuCount(vm.cpu() == null ? 0 : vm.cpu())
                .memoryMiB(vm.memStartup() == null ? 0 : vm.memStartup() / MIB).host(host).nics(nics)
                .disks(disks(vm)).metadata(frame.metadata());
        for (String ip : ips(kvp, families)) {
            b.addIpAddress(ip);
        }
        return reorder(b.build(), families);
    }

    /** Addresses first by family, whichever NIC or KVP item reported them. */
    private static VmInfo reorder(VmInfo vm, List<String> families) {
        List<String> ordered = ips(vm.ipAddresses(), families);
        if (ordered.equals(vm.ipAddresses())) {
            return vm;
        }
        VmInfo.Builder b = VmInfo.builder().id(vm.id()).name(vm.name()).powerState(vm.powerState()).rawState(vm.rawState())
                .cpuCount(vm.cpuCount()).memoryMiB(vm.memoryMiB()).host(vm.host()).disks(vm.disks()).metadata(vm.metadata());
        ordered.forEach(b::addIpAddress);
        return b.nics(vm.nics()).build();
    }

    /** KVP's {@code NetworkAddressIPv4}/{@code IPv6} items: {@code ;}-separated addresses. */
    static List<String> kvpAddresses(Map<String, String> kvp) {
        List<String> out = new ArrayList<>();
        for (String key : List.of("NetworkAddressIPv4", "NetworkAddressIPv6")) {
            String v = kvp.get(key);
            if (v != null) {
                for (String a : v.split(";")) {
                    if (!a.isBlank()) {
                        out.add(a.strip());
                    }
                }
            }
        }
        return out;
    }

    private static List<DiskInfo> disks(HyperVWire.Vm vm) {
        List<DiskInfo> out = new ArrayList<>();
        if (!vm.vhds().isEmpty()) {
            for (HyperVWire.Vhd d : vm.vhds()) {
                out.add(new DiskInfo(d.path(), d.sizeBytes() == null ? 0 : d.sizeBytes() / GIB, folderOf(d.path())));
            }
            return out;
        }
        for (String path : vm.disks()) {
            if (path != null) {
                out.add(new DiskInfo(path, 0, folderOf(path)));
            }
        }
        return out;
    }

    /** @return the folder of a Windows path ({@code D:\vms\web1} of {@code D:\vms\web1\os.vhdx}) */
    static String folderOf(String path) {
        if (path == null) {
            return "";
        }
        int i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
        return i > 0 ? path.substring(0, i) : path;
    }

    /** @return whether the VM is marked as a template, so never listed as a VM */
    static boolean isTemplate(HyperVWire.Vm vm) {
        return NotesFrame.parse(vm.notes()).template();
    }

    /**
     * @param inv the host's inventory
     * @return the SDK's inventory: the host, its switches as networks, its storage paths as datastores, its templates
     */
    static Inventory inventory(HyperVWire.Inventory inv) {
        String host = inv.host() == null ? "" : inv.host();
        List<Inventory.Host> hosts = List.of(Inventory.Host.builder(host, host).online(true).build());
        List<Inventory.Network> networks = new ArrayList<>();
        for (HyperVWire.Switch s : inv.switches()) {
            networks.add(Inventory.Network.builder(s.id() == null ? s.name() : s.id(), s.name())
                    .type(s.type() == null ? "" : s.type().toLowerCase(Locale.ROOT)).build());
        }
        List<Inventory.Datastore> datastores = new ArrayList<>();
        for (HyperVWire.Datastore d : inv.datastores()) {
            datastores.add(Inventory.Datastore.builder(d.path(), d.path()).path(d.path()).type(d.fs() == null ? "" : d.fs())
                    .capacityBytes(d.capacityBytes() == null ? 0 : d.capacityBytes())
                    .freeBytes(d.freeBytes() == null ? 0 : d.freeBytes()).build());
        }
        List<Inventory.Template> templates = new ArrayList<>();
        for (HyperVWire.Template t : inv.templates()) {
            String id = "vm".equals(t.kind()) && t.id() != null ? t.id() : t.path();
            templates.add(Inventory.Template.builder(id == null ? t.name() : id, t.name()).host(host).path(t.path() == null ? "" : t.path())
                    .diskGiB(t.sizeBytes() == null ? 0 : (t.sizeBytes() + GIB - 1) / GIB).build());
        }
        return Inventory.builder().hosts(hosts).networks(networks).datastores(datastores).templates(templates).build();
    }

    /**
     * @param c a checkpoint
     * @param byId every checkpoint of the VM, for the parent's name
     * @return the SDK's snapshot; Standard checkpoints hold the VM's memory
     */
    static Snapshot snapshot(HyperVWire.Checkpoint c, Map<String, HyperVWire.Checkpoint> byId) {
        Instant created = null;
        if (c.created() != null && !c.created().isBlank()) {
            try {
                created = Instant.parse(c.created());
            } catch (DateTimeParseException e) {
                created = null;
            }
        }
        HyperVWire.Checkpoint parent = c.parentId() == null ? null : byId.get(c.parentId());
        return new Snapshot(c.name(), "", created, "Standard".equalsIgnoreCase(c.type()), parent == null ? null : parent.name());
    }
}
