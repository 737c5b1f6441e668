package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ArrayOfGuestNicInfo;
import com.vmware.vim25.ArrayOfOptionValue;
import com.vmware.vim25.ArrayOfVirtualDevice;
import com.vmware.vim25.OptionValue;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDeviceFileBackingInfo;
import com.vmware.vim25.VirtualDisk;
import io.dvmm.sdk.DiskInfo;
import com.vmware.vim25.GuestNicInfo;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.VirtualMachinePowerState;
import com.vmware.vim25.VirtualMachineSnapshotTree;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.spi.support.Addresses;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Locale;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Maps vim25 property values to SDK values. The VmId of a VM is its managed object id ({@code vm-42}). */
final class VmMapper {

    /** The only VM properties the SDK reads for one VM (gets and waits): everything a VmInfo holds. */
    static final String[] VM_PROPS = {"name", "runtime.powerState", "runtime.host", "config.hardware.numCPU",
            "config.hardware.memoryMB", "config.template", "guest.net", "guest.ipAddress", "config.hardware.device",
            "config.extraConfig"};

    /**
     * What {@code listVms} reads per VM: {@link #VM_PROPS} without the device list, the largest
     * property by far, so a listing of thousands of VMs stays small. Listed VMs carry no disks;
     * {@code getVm} has them. extraConfig stays: metadata is a listing filter.
     */
    static final String[] LIST_PROPS = java.util.Arrays.stream(VM_PROPS)
            .filter(p -> !p.equals("config.hardware.device")).toArray(String[]::new);

    /**
     * Metadata lives in the VM's extraConfig under this prefix (not {@code guestinfo.*}, so the
     * guest can neither read nor change it). Keys are escaped, values prefixed with '=' so an empty
     * value (a tag) is not taken for a removal.
     */
    static final String META_PREFIX = "dvmm.meta.";
    private static final long KIB_PER_GIB = 1024L * 1024L;

    private VmMapper() {
    }

    static ManagedObjectReference vmRef(VmId id) {
        return VimSession.moRef("VirtualMachine", id.value());
    }

    /** Whether the guest reports an address a client can use (not loopback, link-local or unspecified). */
    static boolean hasUsableIp(Map<String, Object> props) {
        if (props.get("guest.ipAddress") instanceof String ip && Addresses.isUsable(ip)) {
            return true;
        }
        if (props.get("guest.net") instanceof ArrayOfGuestNicInfo arr && arr.getGuestNicInfo() != null) {
            for (GuestNicInfo nic : arr.getGuestNicInfo()) {
                if (nic.getIpAddress() != null) {
                    for (String ip : nic.getIpAddress()) {
                        if (Addresses.isUsable(ip)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** The properties of one object in a retrieval, by path (unset ones left out). */
    static Map<String, Object> properties(com.vmware.vim25.ObjectContent oc) {
        return VimCatalog.properties(oc);
    }

    static boolean isTemplate(Map<String, Object> props) {
        return Boolean.TRUE.equals(props.get("config.template"));
    }

    static PowerState powerState(Object raw) {
        if (raw instanceof VirtualMachinePowerState s) {
            return switch (s) {
                case poweredOn -> PowerState.POWERED_ON;
                case poweredOff -> PowerState.POWERED_OFF;
                case suspended -> PowerState.SUSPENDED;
            };
        }
        return PowerState.UNKNOWN;
    }

    static VmInfo toVmInfo(ManagedObjectReference ref, Map<String, Object> props, Function<ManagedObjectReference, String> hostName) {
        if (ref == null || ref.getVal() == null) {
            throw VimErrors.protocol("a retrieved object carries no <obj> reference", "RetrievePropertiesEx", "read", null);
        }
        Object raw = props.get("runtime.powerState");
        VmInfo.Builder b = VmInfo.builder()
                .id(VmId.of(ref.getVal()))
                .name(props.get("name") == null ? ref.getVal() : props.get("name").toString())
                .powerState(powerState(raw))
                .rawState(raw == null ? "unknown" : raw.toString())
                .cpuCount(props.get("config.hardware.numCPU") instanceof Number n ? n.intValue() : 0)
                .memoryMiB(props.get("config.hardware.memoryMB") instanceof Number n ? n.longValue() : 0);
        if (props.get("runtime.host") instanceof ManagedObjectReference host) {
            b.host(hostName.apply(host));
        }
        if (props.get("guest.ipAddress") instanceof String ip && !ip.isBlank()) {
            b.addIpAddress(ip);
        }
        List<NicInfo> nics = new ArrayList<>();
        if (props.get("guest.net") instanceof ArrayOfGuestNicInfo arr && arr.getGuestNicInfo() != null) {
            int i = 0;
            for (GuestNicInfo nic : arr.getGuestNicInfo()) {
                List<String> ips = nic.getIpAddress() == null ? List.of() : List.of(nic.getIpAddress());
                nics.add(new NicInfo("nic" + i++, nic.getNetwork() == null ? "" : nic.getNetwork(),
                        nic.getMacAddress() == null ? "" : nic.getMacAddress(), ips));
            }
        }
        b.nics(nics);
        b.disks(disks(props.get("config.hardware.device") instanceof ArrayOfVirtualDevice a ? a.getVirtualDevice() : null));
        b.metadata(metadata(props.get("config.extraConfig")));
        return b.build();
    }

    /** The VM's disks in device order, sizes rounded down to whole GiB. */
    static List<DiskInfo> disks(VirtualDevice[] devices) {
        List<DiskInfo> out = new ArrayList<>();
        if (devices == null) {
            return out;
        }
        for (VirtualDevice d : devices) {
            if (d instanceof VirtualDisk disk) {
                String label = disk.getDeviceInfo() != null && disk.getDeviceInfo().getLabel() != null
                        ? disk.getDeviceInfo().getLabel() : "disk-" + disk.getControllerKey() + "-" + disk.getUnitNumber();
                String datastore = disk.getBacking() instanceof VirtualDeviceFileBackingInfo f ? datastoreOf(f.getFileName()) : "";
                out.add(new DiskInfo(label, capacityKiB(disk) / KIB_PER_GIB, datastore));
            }
        }
        return out;
    }

    static long capacityKiB(VirtualDisk disk) {
        if (disk.getCapacityInBytes() != null && disk.getCapacityInBytes() > 0) {
            return disk.getCapacityInBytes() / 1024;
        }
        return disk.getCapacityInKB();
    }

    /** {@code "[LocalDS_0] vm/vm.vmdk"} to {@code LocalDS_0}. */
    static String datastoreOf(String fileName) {
        if (fileName == null || !fileName.startsWith("[")) {
            return "";
        }
        int end = fileName.indexOf(']');
        return end < 0 ? "" : fileName.substring(1, end);
    }

    /** The SDK metadata held in an extraConfig array. */
    static Map<String, String> metadata(Object extraConfig) {
        Map<String, String> out = new TreeMap<>();
        if (extraConfig instanceof ArrayOfOptionValue arr && arr.getOptionValue() != null) {
            for (OptionValue o : arr.getOptionValue()) {
                if (o.getKey() != null && o.getKey().startsWith(META_PREFIX) && o.getValue() != null) {
                    String raw = o.getValue().toString();
                    if (raw.startsWith("=")) {
                        String key = decodeKey(o.getKey().substring(META_PREFIX.length()));
                        if (key != null) {
                            out.put(key, raw.substring(1));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The extraConfig option storing one metadata entry. */
    static OptionValue metadataOption(String key, String value) {
        OptionValue o = new OptionValue();
        o.setKey(META_PREFIX + encodeKey(key));
        o.setValue("=" + value);
        return o;
    }

    /** Keeps {@code [a-z0-9-]}; every other UTF-8 byte becomes {@code _xx} (lowercase hex), so keys survive case-insensitive VMX keys. */
    static String encodeKey(String key) {
        StringBuilder sb = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
                sb.append(c);
            } else {
                sb.append('_').append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
        }
        return sb.toString();
    }

    /** The inverse of {@link #encodeKey}; {@code null} for a key this SDK did not write. */
    static String decodeKey(String encoded) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        String lower = encoded.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c == '_') {
                if (i + 2 >= lower.length()) {
                    return null;
                }
                int hi = Character.digit(lower.charAt(i + 1), 16);
                int lo = Character.digit(lower.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Flattens a snapshot tree, parents before children. */
    static void flatten(VirtualMachineSnapshotTree[] trees, String parent, List<Snapshot> out,
                        List<VirtualMachineSnapshotTree> nodes) {
        if (trees == null) {
            return;
        }
        for (VirtualMachineSnapshotTree t : trees) {
            out.add(new Snapshot(t.getName(), t.getDescription() == null ? "" : t.getDescription(),
                    t.getCreateTime() == null ? null : t.getCreateTime().toInstant(),
                    t.getState() == VirtualMachinePowerState.poweredOn, parent));
            nodes.add(t);
            flatten(t.getChildSnapshotList(), t.getName(), out, nodes);
        }
    }
}
