package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ArrayOfGuestNicInfo;
import com.vmware.vim25.GuestNicInfo;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.VirtualMachinePowerState;
import com.vmware.vim25.VirtualMachineSnapshotTree;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Maps vim25 property values to SDK values. The VmId of a VM is its managed object id ({@code vm-42}). */
final class VmMapper {

    /** The only VM properties the SDK reads, for lists, gets and waits alike. */
    static final String[] VM_PROPS = {"name", "runtime.powerState", "runtime.host", "config.hardware.numCPU",
            "config.hardware.memoryMB", "config.template", "guest.net", "guest.ipAddress"};

    private VmMapper() {
    }

    static ManagedObjectReference vmRef(VmId id) {
        return VimConnection.moRef("VirtualMachine", id.value());
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
        return b.build();
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
