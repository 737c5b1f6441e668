package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ArrayOfOptionValue;
import com.vmware.vim25.ArrayOfVirtualDevice;
import com.vmware.vim25.CustomizationAdapterMapping;
import com.vmware.vim25.CustomizationDhcpIpGenerator;
import com.vmware.vim25.CustomizationFixedIp;
import com.vmware.vim25.CustomizationFixedName;
import com.vmware.vim25.CustomizationGlobalIPSettings;
import com.vmware.vim25.CustomizationIPSettings;
import com.vmware.vim25.CustomizationLinuxPrep;
import com.vmware.vim25.CustomizationSpec;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.OptionValue;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDeviceConfigSpec;
import com.vmware.vim25.VirtualDeviceConfigSpecFileOperation;
import com.vmware.vim25.VirtualDeviceConfigSpecOperation;
import com.vmware.vim25.VirtualDisk;
import com.vmware.vim25.VirtualDiskFlatVer2BackingInfo;
import com.vmware.vim25.VirtualEthernetCard;
import com.vmware.vim25.VirtualEthernetCardNetworkBackingInfo;
import com.vmware.vim25.VirtualMachineCloneSpec;
import com.vmware.vim25.VirtualMachineConfigSpec;
import com.vmware.vim25.VirtualMachineRelocateSpec;
import com.vmware.vim25.VirtualSCSIController;
import com.vmware.vim25.VirtualVmxnet3;
import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.DiskSpec;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.vsphere.VsphereOptions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a {@link VmProvisionSpec} to the vim25 specs of a clone: the {@code VirtualMachineCloneSpec}
 * (placement, linked-clone snapshot, CPU, memory, NICs, extraConfig for cloud-init, metadata and
 * the create's marker, notes, power-on), the Linux {@code CustomizationSpec}, and the fix-ups a
 * server did not apply ({@code ReconfigVM_Task}, disks included). Pure: no requests.
 */
final class CloneSpecs {

    /** The extraConfig key that carries a create's marker, so that a clone whose answer was lost can be recognized. */
    static final String MARKER_KEY = "dvmm.marker";
    /** SCSI unit 7 is the controller's own. */
    private static final int SCSI_CONTROLLER_UNIT = 7;
    private static final int SCSI_UNITS = 16;
    private static final long KIB_PER_GIB = 1024L * 1024L;

    /** Where the clone goes. */
    record Placed(ManagedObjectReference folder, ManagedObjectReference pool, ManagedObjectReference host,
                  ManagedObjectReference datastore) {
    }

    private final VmProvisionSpec spec;

    CloneSpecs(VmProvisionSpec spec) {
        this.spec = spec;
    }

    private static InvalidSpecException invalid(String field, String rule) {
        return new InvalidSpecException(field, rule, VimErrors.ctx("createVm"));
    }

    /** The whole clone spec; {@code marker} goes into extraConfig. */
    VirtualMachineCloneSpec cloneSpec(Placed placed, ManagedObjectReference snapshot, VimCatalog.Within cat, VirtualDevice[] templateDevices,
                                      String marker) {
        VirtualMachineCloneSpec clone = new VirtualMachineCloneSpec();
        VirtualMachineRelocateSpec location = new VirtualMachineRelocateSpec();
        location.setPool(placed.pool());
        location.setDatastore(placed.datastore());
        location.setHost(placed.host());
        if (spec.cloneMode() == CloneMode.LINKED) {
            location.setDiskMoveType("createNewChildDiskBacking");
            clone.setSnapshot(snapshot);
        }
        clone.setLocation(location);
        clone.setConfig(config(cat, templateDevices, marker));
        clone.setCustomization(customization());
        clone.setPowerOn(spec.powerOn());
        clone.setTemplate(false);
        return clone;
    }

    /** CPU, memory, notes, NICs and extraConfig (cloud-init, metadata, marker). */
    VirtualMachineConfigSpec config(VimCatalog.Within cat, VirtualDevice[] templateDevices, String marker) {
        VirtualMachineConfigSpec c = new VirtualMachineConfigSpec();
        spec.cpuCount().ifPresent(c::setNumCPUs);
        spec.memoryMiB().ifPresent(m -> c.setMemoryMB(m));
        annotation().ifPresent(c::setAnnotation);
        List<OptionValue> extra = cloudInit();
        spec.metadata().forEach((k, v) -> extra.add(VmMapper.metadataOption(k, v)));
        if (marker != null) {
            extra.add(option(MARKER_KEY, marker));
        }
        c.setExtraConfig(extra.toArray(OptionValue[]::new));
        List<VirtualDeviceConfigSpec> changes = nicChanges(cat, templateDevices);
        if (!changes.isEmpty()) {
            c.setDeviceChange(changes.toArray(VirtualDeviceConfigSpec[]::new));
        }
        return c;
    }

    private java.util.Optional<String> annotation() {
        return spec.providerOptions(VsphereOptions.class).flatMap(VsphereOptions::annotation);
    }

    /** The extraConfig of cloud-init (guestinfo.userdata and guestinfo.metadata, base64), empty when the spec asks for none. */
    List<OptionValue> cloudInit() {
        GuestCustomization g = spec.guest();
        List<OptionValue> out = new ArrayList<>();
        if (g.userData().isEmpty() && g.sshKeys().isEmpty() && g.username().isEmpty()) {
            return out;
        }
        String userData = g.userData().orElseGet(() -> {
            StringBuilder sb = new StringBuilder("#cloud-config\n");
            g.username().ifPresent(u -> sb.append("users:\n  - name: ").append(u).append("\n    ssh_authorized_keys:\n"));
            if (g.username().isEmpty()) {
                sb.append("ssh_authorized_keys:\n");
            }
            for (String key : g.sshKeys()) {
                sb.append(g.username().isPresent() ? "      - " : "  - ").append(key).append('\n');
            }
            return sb.toString();
        });
        String hostname = g.hostname().orElse(spec.name());
        String metadata = "instance-id: " + spec.name() + "\nlocal-hostname: " + hostname + "\n";
        out.add(option("guestinfo.userdata", Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8))));
        out.add(option("guestinfo.userdata.encoding", "base64"));
        out.add(option("guestinfo.metadata", Base64.getEncoder().encodeToString(metadata.getBytes(StandardCharsets.UTF_8))));
        out.add(option("guestinfo.metadata.encoding", "base64"));
        return out;
    }

    /** Validates the NICs against the catalog (field {@code nics[i].network}) and maps them to device changes. */
    List<VirtualDeviceConfigSpec> nicChanges(VimCatalog.Within cat, VirtualDevice[] devices) {
        List<VirtualEthernetCard> cards = new ArrayList<>();
        if (devices != null) {
            for (VirtualDevice d : devices) {
                if (d instanceof VirtualEthernetCard card) {
                    cards.add(card);
                }
            }
        }
        List<VirtualDeviceConfigSpec> out = new ArrayList<>();
        for (int i = 0; i < spec.nics().size(); i++) {
            NicSpec nic = spec.nics().get(i);
            String field = "nics[" + i + "].network";
            VimCatalog.Entry net = cat.one("Network", nic.network(), field, "network");
            if (!"Network".equals(net.ref().getType())) {
                throw invalid(field, "'" + nic.network() + "' is a " + net.ref().getType() + "; only standard port groups are supported");
            }
            VirtualEthernetCardNetworkBackingInfo backing = new VirtualEthernetCardNetworkBackingInfo();
            backing.setDeviceName(net.name());
            backing.setNetwork(net.ref());
            VirtualEthernetCard card;
            VirtualDeviceConfigSpec change = new VirtualDeviceConfigSpec();
            if (i < cards.size()) {
                card = cards.get(i);
                change.setOperation(VirtualDeviceConfigSpecOperation.edit);
            } else {
                card = new VirtualVmxnet3();
                card.setKey(-100 - i);
                change.setOperation(VirtualDeviceConfigSpecOperation.add);
            }
            card.setBacking(backing);
            if (nic.mac().isPresent()) {
                card.setAddressType("manual");
                card.setMacAddress(nic.mac().get());
            }
            change.setDevice(card);
            out.add(change);
        }
        return out;
    }

    /** Linux guest customization (hostname, domain, DNS, static addresses), or {@code null} when the spec asks for none. */
    CustomizationSpec customization() {
        GuestCustomization g = spec.guest();
        boolean staticIp = spec.nics().stream().anyMatch(n -> !n.ip().isDhcp());
        if (g.hostname().isEmpty() && g.domain().isEmpty() && g.dnsServers().isEmpty() && g.searchDomains().isEmpty() && !staticIp) {
            return null;
        }
        CustomizationLinuxPrep linux = new CustomizationLinuxPrep();
        CustomizationFixedName name = new CustomizationFixedName();
        name.setName(g.hostname().orElse(spec.name().replaceAll("[^A-Za-z0-9-]", "-")));
        linux.setHostName(name);
        linux.setDomain(g.domain().orElse("localdomain"));
        linux.setHwClockUTC(Boolean.TRUE);
        CustomizationGlobalIPSettings global = new CustomizationGlobalIPSettings();
        if (!g.dnsServers().isEmpty()) {
            global.setDnsServerList(g.dnsServers().toArray(String[]::new));
        }
        if (!g.searchDomains().isEmpty()) {
            global.setDnsSuffixList(g.searchDomains().toArray(String[]::new));
        }
        List<CustomizationAdapterMapping> maps = new ArrayList<>();
        for (NicSpec nic : spec.nics()) {
            CustomizationIPSettings ip = new CustomizationIPSettings();
            if (nic.ip().isDhcp()) {
                ip.setIp(new CustomizationDhcpIpGenerator());
            } else {
                CustomizationFixedIp fixed = new CustomizationFixedIp();
                fixed.setIpAddress(nic.ip().address().orElseThrow());
                ip.setIp(fixed);
                ip.setSubnetMask(subnetMask(nic.ip().prefixLength()));
                nic.ip().gateway().ifPresent(gw -> ip.setGateway(new String[]{gw}));
            }
            if (!g.dnsServers().isEmpty()) {
                ip.setDnsServerList(g.dnsServers().toArray(String[]::new));
            }
            g.domain().ifPresent(ip::setDnsDomain);
            CustomizationAdapterMapping m = new CustomizationAdapterMapping();
            m.setAdapter(ip);
            maps.add(m);
        }
        CustomizationSpec cs = new CustomizationSpec();
        cs.setIdentity(linux);
        cs.setGlobalIPSettings(global);
        cs.setNicSettingMap(maps.toArray(CustomizationAdapterMapping[]::new));
        return cs;
    }

    /**
     * Checks the disks before any change: disk 0 may only grow the template's boot disk (and not
     * on a linked clone), added disks need a SCSI controller with free units and a known datastore.
     */
    void checkDisks(VimCatalog.Within cat, VirtualDevice[] templateDevices) {
        List<DiskSpec> disks = spec.disks();
        if (disks.isEmpty()) {
            return;
        }
        VirtualDisk boot = firstDisk(templateDevices);
        if (boot == null) {
            throw invalid("disks[0]", "the template has no disk to resize");
        }
        long have = VmMapper.capacityKiB(boot);
        long want = disks.get(0).sizeGiB() * KIB_PER_GIB;
        if (want < have) {
            throw invalid("disks[0].sizeGiB", "can only grow the template's boot disk of "
                    + (have + KIB_PER_GIB - 1) / KIB_PER_GIB + " GiB, was " + disks.get(0).sizeGiB());
        }
        if (want > have && spec.cloneMode() == CloneMode.LINKED) {
            throw invalid("disks[0].sizeGiB", "a linked clone keeps the template's disk size ("
                    + (have + KIB_PER_GIB - 1) / KIB_PER_GIB + " GiB)");
        }
        for (int i = 1; i < disks.size(); i++) {
            String field = "disks[" + i + "].datastore";
            disks.get(i).datastoreName().ifPresent(ds -> cat.one("Datastore", ds, field, "datastore"));
        }
        if (disks.size() > 1) {
            VirtualSCSIController scsi = scsiController(templateDevices);
            if (scsi == null) {
                throw invalid("disks[1]", "the template has no SCSI controller to add disks to");
            }
            if (freeUnits(scsi, templateDevices).size() < disks.size() - 1) {
                throw invalid("disks", "the template's SCSI controller has room for "
                        + freeUnits(scsi, templateDevices).size() + " more disks, " + (disks.size() - 1) + " asked");
            }
        }
    }

    /** The device changes for the disks: grow the clone's boot disk, add the others (thin) on its SCSI controller. */
    List<VirtualDeviceConfigSpec> diskChanges(VirtualDevice[] vmDevices) {
        List<DiskSpec> disks = spec.disks();
        List<VirtualDeviceConfigSpec> out = new ArrayList<>();
        if (disks.isEmpty()) {
            return out;
        }
        VirtualDisk boot = firstDisk(vmDevices);
        long want = disks.get(0).sizeGiB() * KIB_PER_GIB;
        if (boot != null && want > VmMapper.capacityKiB(boot)) {
            VirtualDisk grown = new VirtualDisk();
            grown.setKey(boot.getKey());
            grown.setDeviceInfo(boot.getDeviceInfo());
            grown.setBacking(boot.getBacking());
            grown.setConnectable(boot.getConnectable());
            grown.setControllerKey(boot.getControllerKey());
            grown.setUnitNumber(boot.getUnitNumber());
            grown.setCapacityInKB(want);
            grown.setCapacityInBytes(want * 1024);
            VirtualDeviceConfigSpec edit = new VirtualDeviceConfigSpec();
            edit.setOperation(VirtualDeviceConfigSpecOperation.edit);
            edit.setDevice(grown);
            out.add(edit);
        }
        if (disks.size() > 1) {
            VirtualSCSIController scsi = scsiController(vmDevices);
            if (scsi == null) {
                throw invalid("disks[1]", "the clone has no SCSI controller to add disks to");
            }
            List<Integer> units = freeUnits(scsi, vmDevices);
            for (int i = 1; i < disks.size(); i++) {
                if (units.isEmpty()) {
                    throw invalid("disks", "no free unit left on the clone's SCSI controller");
                }
                DiskSpec d = disks.get(i);
                VirtualDiskFlatVer2BackingInfo backing = new VirtualDiskFlatVer2BackingInfo();
                // "[ds]" puts the file in the VM's folder on that datastore; "" next to the VM.
                backing.setFileName(d.datastoreName().map(ds -> "[" + ds + "]").orElse(""));
                backing.setDiskMode("persistent");
                backing.setThinProvisioned(Boolean.TRUE);
                VirtualDisk disk = new VirtualDisk();
                disk.setKey(-200 - i);
                disk.setControllerKey(scsi.getKey());
                disk.setUnitNumber(units.remove(0));
                disk.setCapacityInKB(d.sizeGiB() * KIB_PER_GIB);
                disk.setCapacityInBytes(d.sizeGiB() * KIB_PER_GIB * 1024);
                disk.setBacking(backing);
                VirtualDeviceConfigSpec add = new VirtualDeviceConfigSpec();
                add.setOperation(VirtualDeviceConfigSpecOperation.add);
                add.setFileOperation(VirtualDeviceConfigSpecFileOperation.create);
                add.setDevice(disk);
                out.add(add);
            }
        }
        return out;
    }

    /**
     * What the server did not apply of the clone's config (vcsim 0.24 ignores CPU, memory and
     * notes), plus the disks, as one reconfiguration; {@code null} when nothing is missing.
     */
    VirtualMachineConfigSpec missingConfig(Map<String, Object> now) {
        VirtualMachineConfigSpec fix = new VirtualMachineConfigSpec();
        boolean any = false;
        Set<String> present = new HashSet<>();
        Map<String, String> values = new java.util.HashMap<>();
        if (now.get("config.extraConfig") instanceof ArrayOfOptionValue arr && arr.getOptionValue() != null) {
            for (OptionValue o : arr.getOptionValue()) {
                if (o.getKey() != null) {
                    present.add(o.getKey());
                    values.put(o.getKey(), o.getValue() == null ? null : o.getValue().toString());
                }
            }
        }
        List<OptionValue> missing = new ArrayList<>();
        Map<String, String> meta = VmMapper.metadata(now.get("config.extraConfig"));
        spec.metadata().forEach((k, v) -> {
            if (!v.equals(meta.get(k))) {
                missing.add(VmMapper.metadataOption(k, v));
            }
        });
        for (OptionValue o : cloudInit()) {
            if (!String.valueOf(o.getValue()).equals(values.get(o.getKey()))) {
                missing.add(o);
            }
        }
        if (!missing.isEmpty()) {
            fix.setExtraConfig(missing.toArray(OptionValue[]::new));
            any = true;
        }
        List<VirtualDeviceConfigSpec> disks = diskChanges(
                now.get("config.hardware.device") instanceof ArrayOfVirtualDevice a ? a.getVirtualDevice() : null);
        if (!disks.isEmpty()) {
            fix.setDeviceChange(disks.toArray(VirtualDeviceConfigSpec[]::new));
            any = true;
        }
        if (spec.cpuCount().isPresent() && !(now.get("config.hardware.numCPU") instanceof Number n && n.intValue() == spec.cpuCount().getAsInt())) {
            fix.setNumCPUs(spec.cpuCount().getAsInt());
            any = true;
        }
        if (spec.memoryMiB().isPresent() && !(now.get("config.hardware.memoryMB") instanceof Number n
                && n.longValue() == spec.memoryMiB().getAsLong())) {
            fix.setMemoryMB(spec.memoryMiB().getAsLong());
            any = true;
        }
        if (annotation().isPresent() && !annotation().get().equals(now.get("config.annotation"))) {
            fix.setAnnotation(annotation().get());
            any = true;
        }
        return any ? fix : null;
    }

    /** @return whether the VM's extraConfig carries this create's marker */
    static boolean hasMarker(Object extraConfig, String marker) {
        if (extraConfig instanceof ArrayOfOptionValue arr && arr.getOptionValue() != null) {
            for (OptionValue o : arr.getOptionValue()) {
                if (MARKER_KEY.equals(o.getKey()) && o.getValue() != null && marker.equals(o.getValue().toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    static VirtualDisk firstDisk(VirtualDevice[] devices) {
        if (devices != null) {
            for (VirtualDevice d : devices) {
                if (d instanceof VirtualDisk disk) {
                    return disk;
                }
            }
        }
        return null;
    }

    /** The SCSI controller holding the boot disk, else the first one. */
    private static VirtualSCSIController scsiController(VirtualDevice[] devices) {
        if (devices == null) {
            return null;
        }
        VirtualDisk boot = firstDisk(devices);
        VirtualSCSIController first = null;
        for (VirtualDevice d : devices) {
            if (d instanceof VirtualSCSIController c) {
                if (boot != null && boot.getControllerKey() != null && boot.getControllerKey() == c.getKey()) {
                    return c;
                }
                if (first == null) {
                    first = c;
                }
            }
        }
        return first;
    }

    private static List<Integer> freeUnits(VirtualSCSIController scsi, VirtualDevice[] devices) {
        Set<Integer> used = new HashSet<>();
        used.add(scsi.getScsiCtlrUnitNumber() == null ? SCSI_CONTROLLER_UNIT : scsi.getScsiCtlrUnitNumber());
        for (VirtualDevice d : devices) {
            if (d.getControllerKey() != null && d.getControllerKey() == scsi.getKey() && d.getUnitNumber() != null) {
                used.add(d.getUnitNumber());
            }
        }
        List<Integer> free = new ArrayList<>();
        for (int u = 0; u < SCSI_UNITS; u++) {
            if (!used.contains(u)) {
                free.add(u);
            }
        }
        return free;
    }

    static OptionValue option(String key, String value) {
        OptionValue o = new OptionValue();
        o.setKey(key);
        o.setValue(value);
        return o;
    }

    private static String subnetMask(int prefix) {
        long mask = prefix == 0 ? 0 : 0xffffffffL << (32 - prefix) & 0xffffffffL;
        return ((mask >> 24) & 255) + "." + ((mask >> 16) & 255) + "." + ((mask >> 8) & 255) + "." + (mask & 255);
    }
}
