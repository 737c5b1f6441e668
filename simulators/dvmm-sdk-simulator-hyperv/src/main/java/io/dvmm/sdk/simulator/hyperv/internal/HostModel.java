package io.dvmm.sdk.simulator.hyperv.internal;

import io.dvmm.sdk.simulator.hyperv.SimCheckpoint;
import io.dvmm.sdk.simulator.hyperv.SimFile;
import io.dvmm.sdk.simulator.hyperv.SimNic;
import io.dvmm.sdk.simulator.hyperv.SimSwitch;
import io.dvmm.sdk.simulator.hyperv.SimVhd;
import io.dvmm.sdk.simulator.hyperv.SimVm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the facade sees of the {@link HyperVHost}: snapshots as public records, seeding (volumes, folders, switches,
 * templates, files, VMs) and the guest-side controls a test needs (addresses, a guest that ignores shutdown, a state).
 */
public final class HostModel {

    private final HyperVHost host;

    public HostModel(HyperVHost host) {
        this.host = host;
    }

    // ---- seeding ---------------------------------------------------------------------------------

    public void addVolume(String drive, String fileSystem, long capacity, long free) {
        host.locked(() -> host.files.addVolume(new HostFiles.Volume(drive.toUpperCase(Locale.ROOT).substring(0, 2),
                "\\\\?\\Volume{" + host.guid() + "}\\", fileSystem, capacity, free)));
    }

    public void addFolder(String path) {
        host.locked(() -> host.files.createFolders(WinPath.full(path)));
    }

    public void addSwitch(String name, String type) {
        host.locked(() -> host.addSwitch(name, type));
    }

    /** A template parent VHDX (its folder is created). */
    public void addTemplateVhd(String path, long sizeBytes, long fileBytes, String guestOs) {
        host.locked(() -> {
            String full = WinPath.full(path);
            host.files.createFolders(WinPath.parent(full));
            HostFiles.Entry e = host.files.putFile(full, fileBytes, null, new HostFiles.Vhd(sizeBytes, "Dynamic", null), "seed");
            e.template = true;
            e.guestOs = guestOs;
        });
    }

    public void addFile(String path, byte[] content) {
        host.locked(() -> {
            String full = WinPath.full(path);
            host.files.createFolders(WinPath.parent(full));
            host.files.putFile(full, content.length, content.clone(), null, "seed");
        });
    }

    /** A VM made outside the SDK: a dynamic {@code os.vhdx} in {@code folder}, one adapter on {@code switchName} (or none). */
    public String addVm(String name, int generation, int cpu, long memoryBytes, String notes, String folder, String switchName,
                        boolean running) {
        return host.locked(() -> {
            String d = WinPath.full(folder);
            host.files.createFolders(d);
            String disk = WinPath.combine(d, "os.vhdx");
            if (!host.files.exists(disk)) {
                host.files.putFile(disk, 6L << 30, null, new HostFiles.Vhd(40L << 30, "Dynamic", null), "seed");
            }
            Vm vm = new Vm(host.guid(), name, generation, host.info.vmVersionDefault(), d);
            vm.cpu = cpu;
            vm.memStartup = memoryBytes;
            vm.memMin = Math.min(512L << 20, memoryBytes);
            vm.memMax = 1L << 40;
            vm.notes = notes == null ? "" : notes;
            vm.hostname = name.replaceAll("[^A-Za-z0-9-]", "-").toLowerCase(Locale.ROOT);
            Vm.Nic nic = new Vm.Nic("Network Adapter", host.nextNicOrdinal());
            nic.dynamicMac = host.nextMac();
            nic.switchName = switchName;
            vm.nics.add(nic);
            vm.drives.add(new Vm.Drive(disk, generation == 1 ? "IDE" : "SCSI"));
            if (generation == 2) {
                vm.secureBoot = true;
                vm.secureBootTemplate = "MicrosoftWindows";
            }
            if (running) {
                vm.everStarted = true;
                vm.force("Running");
                vm.bootedAt = host.now().minus(host.timings.guestIp());
            }
            host.vms.add(vm);
            return vm.id;
        });
    }

    // ---- guest-side controls ---------------------------------------------------------------------

    private Vm required(String id) {
        Vm v = host.vm(id);
        if (v == null) {
            throw new IllegalArgumentException("no VM " + id);
        }
        return v;
    }

    /** The addresses the guest reports on an adapter once its IP delay has passed (replacing the model's defaults). */
    public void setGuestAddresses(String vmId, String nicName, List<String> addresses) {
        host.locked(() -> required(vmId).nics.stream().filter(n -> n.name.equals(nicName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no adapter " + nicName)).guestAddresses = List.copyOf(addresses));
    }

    public void setIgnoresShutdown(String vmId, boolean ignores) {
        host.locked(() -> required(vmId).ignoresShutdown = ignores);
    }

    public void setShutdownReturnValue(String vmId, int value) {
        host.locked(() -> required(vmId).shutdownReturnValue = value);
    }

    public void setIntegrationServices(String vmId, boolean enabled) {
        host.locked(() -> required(vmId).integrationServices = enabled);
    }

    /** Puts the VM in any state name at once ({@code Paused}, {@code OffCritical}, ...). */
    public void setState(String vmId, String state) {
        host.locked(() -> {
            Vm v = required(vmId);
            v.force(state);
            if (state.equals("Running") && v.bootedAt == null) {
                v.bootedAt = host.now();
                v.everStarted = true;
            }
        });
    }

    // ---- snapshots -------------------------------------------------------------------------------

    public List<SimVm> vms() {
        return host.locked(() -> host.vms.stream().map(this::snapshot).toList());
    }

    public Optional<SimVm> vm(String id) {
        return host.locked(() -> Optional.ofNullable(host.vm(id)).map(this::snapshot));
    }

    private SimVm snapshot(Vm v) {
        Instant now = host.now();
        List<SimNic> nics = new ArrayList<>();
        for (Vm.Nic n : v.nics) {
            nics.add(new SimNic(n.name, n.switchName, n.staticMac == null && !v.everStarted ? "000000000000" : n.mac(),
                    n.staticMac != null, n.vlan, GuestNetwork.addresses(host, v, n, now)));
        }
        List<SimCheckpoint> cps = v.checkpoints.stream()
                .map(c -> new SimCheckpoint(c.id, c.name, c.parentId, c.created, c.type, c.cpu, c.memStartup)).toList();
        return new SimVm(v.id, v.name, v.state(now), v.generation, v.version, v.cpu, v.memStartup, v.dynMem, v.memMin,
                v.memMax, v.notes, v.path, v.secureBoot, v.secureBootTemplate, List.copyOf(nics),
                v.drives.stream().map(Vm.Drive::path).toList(), java.util.Collections.unmodifiableList(new ArrayList<>(v.dvds)),
                cps, v.currentCheckpoint);
    }

    public List<SimVhd> vhds() {
        return host.locked(() -> host.files.all().stream().filter(e -> e.vhd != null)
                .map(e -> new SimVhd(e.path, e.vhd.sizeBytes, e.length, e.vhd.type, e.vhd.parent)).toList());
    }

    public List<SimSwitch> switches() {
        return host.locked(() -> host.switches.stream().map(s -> new SimSwitch(s.id(), s.name(), s.type())).toList());
    }

    public List<SimFile> files() {
        return host.locked(() -> host.files.all().stream().filter(e -> !e.folder).map(HostModel::file).toList());
    }

    /** The file at {@code path}; empty when there is none or Windows could not name one so. */
    public Optional<SimFile> file(String path) {
        return host.locked(() -> {
            String full;
            try {
                full = WinPath.full(path);
            } catch (ScriptError invalid) {
                return Optional.<SimFile>empty();
            }
            HostFiles.Entry e = host.files.get(full);
            return e == null || e.folder ? Optional.<SimFile>empty() : Optional.of(file(e));
        });
    }

    public boolean folderExists(String path) {
        return host.locked(() -> {
            try {
                return host.files.isFolder(WinPath.full(path));
            } catch (ScriptError invalid) {
                return false;
            }
        });
    }

    private static SimFile file(HostFiles.Entry e) {
        return new SimFile(e.path, e.length, Optional.ofNullable(e.content).map(byte[]::clone));
    }
}
