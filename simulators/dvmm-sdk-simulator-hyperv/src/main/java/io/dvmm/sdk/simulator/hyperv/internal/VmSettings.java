package io.dvmm.sdk.simulator.hyperv.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code set-cpu-memory}, {@code reconfigure}, {@code add-disk}, {@code resize-disk} and {@code set-metadata}, with
 * Hyper-V's rules: processors and static/dynamic memory change only while Off, memory in 2 MiB steps, firmware only on
 * generation 2 and while Off, a static MAC only while Off, adapters hot-added only on generation 2, IDE disks not
 * resized while running.
 */
final class VmSettings extends ScriptSupport {

    private static final Set<String> SECURE_BOOT_TEMPLATES = Set.of("MicrosoftWindows", "MicrosoftUEFICertificateAuthority",
            "OpenSourceShieldedVM");
    private static final long MIN_MEMORY = 32L << 20;

    VmSettings(HyperVHost host) {
        super(host);
    }

    static void checkMemory(long bytes, String cmdlet, String vmName) {
        if (bytes < MIN_MEMORY || bytes % VmCreation.TWO_MIB != 0) {
            throw ScriptError.hyperV("InvalidParameter", cmdlet, "'" + vmName + "' failed to modify device 'Memory'."
                    + " Invalid memory amount " + bytes + ": it must be at least 32 MB and a multiple of 2 MB.");
        }
    }

    static void processors(HyperVHost host, Vm vm, int cpu, String cmdlet) {
        int max = Math.min(host.info.cpus(), vm.generation == 1 ? 64 : 240);
        if (cpu < 1 || cpu > max) {
            throw ScriptError.hyperV("InvalidParameter", cmdlet, "'" + vm.name + "' failed to modify device 'Processor'."
                    + " The number of virtual processors (" + cpu + ") must be between 1 and " + max + " on this host.");
        }
        vm.cpu = cpu;
    }

    static void memory(Vm vm, boolean dynamic, long startup, Long min, Long max, String cmdlet) {
        checkMemory(startup, cmdlet, vm.name);
        if (dynamic) {
            long lo = min != null ? min : vm.memMin != 0 ? Math.min(vm.memMin, startup) : Math.min(startup, 512L << 20);
            long hi = max != null ? max : vm.memMax != 0 ? Math.max(vm.memMax, startup) : 1L << 40;
            checkMemory(lo, cmdlet, vm.name);
            checkMemory(hi, cmdlet, vm.name);
            if (lo > startup || startup > hi) {
                throw ScriptError.hyperV("InvalidParameter", cmdlet, "'" + vm.name + "' failed to modify device 'Memory'."
                        + " The minimum (" + lo + ") must not exceed the startup (" + startup + ") and the startup not the maximum (" + hi + ").");
            }
            vm.memMin = lo;
            vm.memMax = hi;
        }
        vm.dynMem = dynamic;
        vm.memStartup = startup;
    }

    ScriptRun cpuMemory(Args a) {
        Integer cpu = a.optInt32("cpu");
        Long mem = a.optInt64("memBytes");
        Boolean dynamic = a.optBool("dynamicMemory");
        Long min = a.optInt64("memMinBytes");
        Long max = a.optInt64("memMaxBytes");
        Vm vm = host.locked(() -> {
            Vm v = vm(a);
            boolean off = "Off".equals(v.state(host.now()));
            if (cpu != null && cpu != 0) {
                if (!off) {
                    throw ScriptError.hyperV("InvalidState", "SetVMProcessor", "'" + v.name + "' failed to modify device"
                            + " 'Processor'. The number of virtual processors cannot be changed while the virtual machine is running.");
                }
                processors(host, v, cpu, "SetVMProcessor");
            }
            boolean anyMemory = dynamic != null || (mem != null && mem != 0) || (min != null && min != 0) || (max != null && max != 0);
            if (anyMemory) {
                boolean dyn = dynamic != null ? dynamic : v.dynMem;
                if (dyn != v.dynMem && !off) {
                    throw ScriptError.hyperV("InvalidState", "SetVMMemory", "'" + v.name + "' failed to modify device 'Memory'."
                            + " Dynamic memory cannot be turned on or off while the virtual machine is running.");
                }
                if (!off && !dyn && mem != null && mem != 0 && v.generation == 1) {
                    throw ScriptError.hyperV("InvalidState", "SetVMMemory", "'" + v.name + "' failed to modify device 'Memory'."
                            + " The memory of a running generation 1 virtual machine cannot be changed.");
                }
                memory(v, dyn, mem != null && mem != 0 ? mem : v.memStartup, zeroAsNull(min), zeroAsNull(max), "SetVMMemory");
            }
            return v;
        });
        return ScriptRun.now(() -> host.locked(() -> ScriptReply.ok(p(vm))));
    }

    ScriptRun reconfigure(Args a) {
        String sbTemplate = a.optString("sbTemplate");
        Boolean secureBoot = a.optBool("secureBoot");
        List<Args> nics = a.objects("nics");
        boolean dvdGiven = a.has("dvd");
        String dvd = a.optString("dvd");
        Vm vm = host.locked(() -> {
            Vm v = vm(a);
            boolean off = "Off".equals(v.state(host.now()));
            if (sbTemplate != null) {
                firmware(v, off);
                if (!SECURE_BOOT_TEMPLATES.contains(sbTemplate)) {
                    throw ScriptError.hyperV("InvalidParameter", "SetVMFirmware", "The secure boot template '" + sbTemplate
                            + "' was not found. Valid templates: " + String.join(", ", SECURE_BOOT_TEMPLATES));
                }
                v.secureBootTemplate = sbTemplate;
            }
            if (Boolean.FALSE.equals(secureBoot)) {
                firmware(v, off);
                v.secureBoot = false;
            }
            for (Args c : nics) {
                adapter(v, c, off);
            }
            if (dvdGiven) {
                dvd(v, dvd, off);
            }
            return v;
        });
        return ScriptRun.now(() -> host.locked(() -> ScriptReply.ok(p(vm))));
    }

    private static void firmware(Vm v, boolean off) {
        if (v.generation != 2) {
            throw ScriptError.hyperV("InvalidParameter", "SetVMFirmware", "Firmware settings apply to generation 2 virtual"
                    + " machines only; '" + v.name + "' is generation 1.");
        }
        if (!off) {
            throw ScriptError.hyperV("InvalidState", "SetVMFirmware", "'" + v.name + "' failed to modify firmware settings."
                    + " The operation cannot be performed while the virtual machine is running.");
        }
    }

    private void adapter(Vm v, Args c, boolean off) {
        String name = c.optString("name");
        String sw = c.optString("switch");
        String mac = c.optString("mac");
        Integer vlan = c.optInt32("vlan");
        List<Vm.Nic> same = v.nics.stream().filter(n -> n.name.equals(name)).toList();
        if (same.size() > 1) {
            throw ScriptError.ambiguous(name);
        }
        if (sw != null && host.vswitch(sw) == null) {
            throw ScriptError.hyperV("ObjectNotFound", same.isEmpty() ? "AddVMNetworkAdapter" : "ConnectVMNetworkAdapter",
                    "Hyper-V was unable to find a virtual switch with name \"" + sw + "\".");
        }
        Vm.Nic nic;
        if (!same.isEmpty()) {
            nic = same.get(0);
            nic.switchName = sw == null ? null : host.vswitch(sw).name();
        } else {
            if (!off && v.generation == 1) {
                throw ScriptError.hyperV("InvalidState", "AddVMNetworkAdapter", "'" + v.name + "' failed to add device"
                        + " 'Synthetic Ethernet Port'. A generation 1 virtual machine must be off to add a network adapter.");
            }
            nic = new Vm.Nic(name == null ? "Network Adapter" : name, host.nextNicOrdinal());
            nic.dynamicMac = host.nextMac();
            nic.switchName = sw == null ? null : host.vswitch(sw).name();
            v.nics.add(nic);
        }
        if (mac != null) {
            if (!mac.matches("[0-9A-Fa-f]{12}") || (Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
                throw ScriptError.hyperV("InvalidParameter", "SetVMNetworkAdapter", "The MAC address '" + mac
                        + "' is not valid: 12 hexadecimal digits of a unicast address.");
            }
            if (!off) {
                throw ScriptError.hyperV("InvalidState", "SetVMNetworkAdapter", "'" + v.name + "' failed to modify device"
                        + " 'Synthetic Ethernet Port'. A static MAC address can be set only while the virtual machine is off.");
            }
            nic.staticMac = mac.toUpperCase(Locale.ROOT);
        }
        if (vlan != null) {
            if (vlan < 0 || vlan > 4094) {
                throw ScriptError.hyperV("InvalidParameter", "SetVMNetworkAdapterVlan", "The VLAN identifier " + vlan
                        + " is not in the range 1 to 4094.");
            }
            nic.vlan = vlan;
        }
    }

    private void dvd(Vm v, String iso, boolean off) {
        String path = iso == null ? null : WinPath.full(iso);
        if (path != null && !host.files.isFile(path)) {
            throw ScriptError.hyperV("ObjectNotFound", v.dvds.isEmpty() ? "AddVMDvdDrive" : "SetVMDvdDrive", "Failed to add"
                    + " device 'Virtual CD/DVD Disk'. The system cannot find the file specified. (" + iso + ")");
        }
        if (!v.dvds.isEmpty()) {
            v.dvds.set(0, path);
        } else if (path != null) {
            if (!off && v.generation == 1) {
                throw ScriptError.hyperV("InvalidState", "AddVMDvdDrive", "'" + v.name + "' failed to add device"
                        + " 'Virtual CD/DVD Disk'. The IDE controller does not take devices while the virtual machine is running.");
            }
            v.dvds.add(path);
        }
    }

    ScriptRun addDisk(Args a) {
        String path = a.string("path");
        String root = a.string("root");
        long size = a.int64("sizeBytes");
        Vm vm = host.locked(() -> {
            Vm v = vm(a);
            String x = under(path, root);
            if (host.files.exists(x)) {
                throw ScriptError.conflict(x + " exists");
            }
            String ext = x.toLowerCase(Locale.ROOT);
            if (!ext.endsWith(".vhdx") && !ext.endsWith(".vhd")) {
                throw ScriptError.hyperV("InvalidParameter", "NewVHD", "Failed to create the virtual hard disk. The file"
                        + " extension of '" + x + "' is not .vhd or .vhdx.");
            }
            if (size < (3L << 20) || size % 512 != 0) {
                throw ScriptError.hyperV("InvalidParameter", "NewVHD", "Failed to create the virtual hard disk. The size "
                        + size + " must be at least 3 MB and a multiple of 512 bytes.");
            }
            host.files.putFile(x, VmCreation.NEW_DIFFERENCING_FILE, null, new HostFiles.Vhd(size, "Dynamic", null), "NewVHD");
            v.drives.add(new Vm.Drive(x, "SCSI"));
            return v;
        });
        return ScriptRun.now(() -> host.locked(() -> ScriptReply.ok(p(vm))));
    }

    ScriptRun resizeDisk(Args a) {
        String path = a.string("path");
        long size = a.int64("sizeBytes");
        Vm vm = host.locked(() -> {
            Vm v = vm(a);
            Vm.Drive d = v.drives.stream().filter(x -> x.path().equalsIgnoreCase(path)).findFirst()
                    .orElseThrow(() -> ScriptError.notFound("VM has no disk " + path));
            HostFiles.Entry e = host.files.get(d.path());
            if (e == null || e.vhd == null) {
                throw ScriptError.hyperV("ObjectNotFound", "GetVHD", "The system cannot find the file specified. (" + d.path() + ")");
            }
            if (size < e.vhd.sizeBytes) {
                throw ScriptError.invalidArgument("disk is " + e.vhd.sizeBytes + " bytes; shrinking is refused");
            }
            if (size > e.vhd.sizeBytes) {
                if (d.controller().equals("IDE") && !"Off".equals(v.state(host.now()))) {
                    throw ScriptError.hyperV("InvalidOperation", "ResizeVHD", "Failed to resize the virtual disk. The"
                            + " operation cannot be performed while the disk is attached to a running IDE controller.");
                }
                e.vhd.sizeBytes = size;
            }
            return v;
        });
        return ScriptRun.now(() -> host.locked(() -> ScriptReply.ok(p(vm))));
    }

    ScriptRun metadata(Args a) {
        String notes = a.optString("notes");
        String expected = a.optString("expected");
        Vm vm = host.locked(() -> {
            Vm v = vm(a);
            if (expected != null && !v.notes.equals(expected)) {
                throw ScriptError.conflict("Notes changed since they were read");
            }
            v.notes = notes == null ? "" : notes;
            return v;
        });
        return ScriptRun.now(() -> host.locked(() -> ScriptReply.ok(p(vm))));
    }

    private static Long zeroAsNull(Long v) {
        return v == null || v == 0 ? null : v;
    }
}
