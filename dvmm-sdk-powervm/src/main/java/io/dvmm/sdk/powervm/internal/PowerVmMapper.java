package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.spi.support.Addresses;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HMC objects to SDK values: partitions to {@link VmInfo} (state, CPUs, memory, the RMC IP
 * address, NICs from client network adapters, disks from the VSCSI mappings of every VIOS), and
 * the power-state table of partitions.
 */
final class PowerVmMapper {
    private PowerVmMapper() {
    }

    /**
     * The one table of partition states: {@code not activated} is off, {@code running} (and
     * {@code open firmware}, an LPAR stopped in its firmware menus, as for a network install) is
     * on, {@code suspended} is suspended; everything else ({@code starting}, {@code shutting down},
     * {@code migrating}, {@code error}, {@code not available}) is between states.
     *
     * @param state the {@code PartitionState}
     * @return the SDK's state
     */
    static PowerState powerState(String state) {
        if (state == null) {
            return PowerState.UNKNOWN;
        }
        return switch (state.trim().toLowerCase(Locale.ROOT)) {
            case "not activated" -> PowerState.POWERED_OFF;
            case "running", "open firmware" -> PowerState.POWERED_ON;
            case "suspended" -> PowerState.SUSPENDED;
            default -> PowerState.UNKNOWN;
        };
    }

    /**
     * @param mac a MAC as the HMC writes it ({@code FA3B1C2D3E4F})
     * @return six hex pairs with colons, lower case
     */
    static String mac(String mac) {
        if (mac == null || mac.length() != 12) {
            return mac;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                b.append(':');
            }
            b.append(mac, i, i + 2);
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * @param mac six hex pairs with colons
     * @return the HMC's form: twelve upper-case hex digits
     */
    static String hmcMac(String mac) {
        return mac == null ? null : mac.replace(":", "").toUpperCase(Locale.ROOT);
    }

    private static final Pattern NOT_AN_ADDRESS = Pattern.compile("(?i)(0\\.0\\.0\\.0|none|unknown)?");

    /**
     * @param rmcIp the {@code ResourceMonitoringIPAddress}
     * @return it when it is an address a client can reach
     */
    static List<String> ips(String rmcIp) {
        if (rmcIp == null || NOT_AN_ADDRESS.matcher(rmcIp.trim()).matches()) {
            return List.of();
        }
        return Addresses.isUsable(rmcIp.trim()) ? List.of(rmcIp.trim()) : List.of();
    }

    /**
     * @param id the LPAR's UUID
     * @param lpar the LPAR as read
     * @param host the managed system's name
     * @param nics its NICs, possibly none
     * @param disks its disks, possibly none
     * @return the VM
     */
    static VmInfo vm(String id, HmcObjects.LogicalPartition lpar, String host, List<NicInfo> nics, List<DiskInfo> disks) {
        VmInfo.Builder b = VmInfo.builder().id(VmId.of(id)).name(lpar.name() == null ? id : lpar.name())
                .powerState(powerState(lpar.state())).rawState(lpar.state() == null ? "unknown" : lpar.state())
                .cpuCount(lpar.processors() == null ? 0 : lpar.processors().cpus())
                .memoryMiB(lpar.memory() == null || lpar.memory().desired() == null ? 0 : lpar.memory().desired())
                .host(host).nics(nics).disks(disks);
        ips(lpar.rmcIp()).forEach(b::addIpAddress);
        return b.build();
    }

    /**
     * @param adapters the LPAR's client network adapters
     * @param topology where network names come from
     * @return its NICs, by slot
     */
    static List<NicInfo> nics(List<HmcObjects.ClientNetworkAdapter> adapters, HmcTopology topology) {
        List<HmcObjects.ClientNetworkAdapter> sorted = new ArrayList<>(adapters);
        sorted.sort(java.util.Comparator.comparing(a -> a.slot() == null ? Integer.MAX_VALUE : a.slot()));
        List<NicInfo> out = new ArrayList<>();
        for (HmcObjects.ClientNetworkAdapter a : sorted) {
            out.add(new NicInfo("slot " + (a.slot() == null ? "?" : a.slot()),
                    a.vlan() == null ? "" : topology.networkName(a.vlan(), a.vswitchId()), mac(a.mac()), List.of()));
        }
        return out;
    }

    /**
     * The LPAR's disks, each once although dual VIOSes map it twice.
     *
     * @param lparUuid the LPAR
     * @param vioses the VIOSes with their mappings
     * @param poolName the name to give shared storage pool disks
     * @return its disks (not its optical media)
     */
    static List<DiskInfo> disks(String lparUuid, List<VirtualStorage.Vios> vioses, String poolName) {
        Map<String, DiskInfo> out = new LinkedHashMap<>();
        for (VirtualStorage.Vios v : vioses) {
            for (HmcObjects.ScsiMapping m : v.view().mappings()) {
                if (!lparUuid.equalsIgnoreCase(m.clientUuid())) {
                    continue;
                }
                VirtualStorage.Device d = VirtualStorage.Device.of(m.storage());
                if (d == null || !d.isDisk()) {
                    continue;
                }
                String key = d.kind() + ":" + (d.udid() != null ? d.udid() : v.uuid() + "/" + d.name());
                String where = switch (d.kind()) {
                    case LOGICAL_UNIT -> poolName;
                    case VIRTUAL_DISK -> v.name();
                    default -> v.name() + " physical volume";
                };
                out.putIfAbsent(key, new DiskInfo(d.name(), gib(d.capacityGb()), where));
            }
        }
        return List.copyOf(out.values());
    }

    // ---- inventory ---------------------------------------------------------------------------------------

    private static final long GIB = 1L << 30;

    private static long bytes(BigDecimal gb) {
        return gb == null ? 0 : gb.multiply(BigDecimal.valueOf(GIB)).longValue();
    }

    /**
     * @param uuid the managed system
     * @param ms it as read
     * @return it as a host: installed processor units and memory
     */
    static io.dvmm.sdk.Inventory.Host host(String uuid, HmcObjects.ManagedSystem ms) {
        long memory = ms.memory() == null || ms.memory().installedMemory() == null ? 0 : ms.memory().installedMemory();
        BigDecimal units = ms.processors() == null || ms.processors().installedUnits() == null ? BigDecimal.ZERO
                : ms.processors().installedUnits();
        String state = ms.state() == null ? "operating" : ms.state().toLowerCase(Locale.ROOT);
        return io.dvmm.sdk.Inventory.Host.builder(uuid, ms.name() == null ? uuid : ms.name())
                .online(state.equals("operating") || state.equals("started")).cpuCount(units.intValue()).memoryMiB(memory)
                .build();
    }

    /**
     * @param uuid the pool
     * @param pool it as read
     * @return it as a shared datastore
     */
    static io.dvmm.sdk.Inventory.Datastore datastore(String uuid, HmcObjects.SharedStoragePool pool) {
        return io.dvmm.sdk.Inventory.Datastore.builder(uuid, pool.name() == null ? uuid : pool.name()).type("ssp").shared(true)
                .capacityBytes(bytes(pool.capacityGb())).freeBytes(bytes(pool.freeGb())).build();
    }

    /**
     * @param uuid the volume group
     * @param viosName the VIOS it belongs to
     * @param group it as read
     * @return it as a datastore named {@code <vios>/<group>}
     */
    static io.dvmm.sdk.Inventory.Datastore datastore(String uuid, String viosName, HmcObjects.VolumeGroup group) {
        return io.dvmm.sdk.Inventory.Datastore.builder(uuid, viosName + "/" + group.name()).type("volume group").shared(false)
                .capacityBytes(bytes(group.capacityGb())).freeBytes(bytes(group.freeGb() != null ? group.freeGb()
                        : group.availableGb())).build();
    }

    /**
     * @param n a virtual network
     * @return it as a network, named as the HMC names it
     */
    static io.dvmm.sdk.Inventory.Network network(HmcTopology.Network n) {
        return io.dvmm.sdk.Inventory.Network.builder(n.name(), n.name()).type("vlan " + n.vlan()).build();
    }

    /**
     * @param n a virtual network as read
     * @return it as the topology keeps it, or null when it lacks a name, VLAN or switch
     */
    static HmcTopology.Network network(HmcObjects.VirtualNetwork n) {
        if (n.name() == null || n.vlan() == null || n.vswitch() == null) {
            return null;
        }
        return new HmcTopology.Network(n.name(), n.vlan(), n.vswitch().href(), n.vswitchId() == null ? 0 : n.vswitchId());
    }

    /**
     * @param id the pool's Atom id
     * @param pool a shared processor pool
     * @return it as a resource pool, by its pool ID
     */
    static io.dvmm.sdk.Inventory.ResourcePool resourcePool(String id, HmcObjects.SharedProcessorPool pool) {
        return io.dvmm.sdk.Inventory.ResourcePool.builder(pool.poolId() == null ? id : Integer.toString(pool.poolId()),
                pool.name() == null ? "pool " + pool.poolId() : pool.name()).type("shared processor pool").build();
    }

    /**
     * @param uuid the reference LPAR
     * @param lpar it as read
     * @param host the managed system's name
     * @param diskGiB its boot disk's size, 0 when unknown
     * @return it as a template
     */
    static io.dvmm.sdk.Inventory.Template template(String uuid, HmcObjects.LogicalPartition lpar, String host, long diskGiB) {
        return io.dvmm.sdk.Inventory.Template.builder(uuid, lpar.name() == null ? uuid : lpar.name()).host(host)
                .cpuCount(lpar.processors() == null ? 0 : lpar.processors().cpus())
                .memoryMiB(lpar.memory() == null || lpar.memory().desired() == null ? 0 : lpar.memory().desired())
                .diskGiB(diskGiB).build();
    }

    static long gib(BigDecimal gb) {
        return gb == null ? 0 : gb.setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
