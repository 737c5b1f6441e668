package io.dvmm.sdk.simulator.hyperv.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code create-linked} and {@code create-full}: a new folder under the owned root, {@code os.vhdx} as a differencing
 * disk of the template (or a standalone copy of it), the VM with one disconnected adapter, then processors, memory and
 * Notes; on any failure what was made is removed again, as the scripts' {@code catch} does.
 */
final class VmCreation extends ScriptSupport {

    /** .NET's {@code \w} is Unicode-aware. */
    private static final Pattern FOLDER = Pattern.compile("^[\\w-][\\w.-]*$", Pattern.UNICODE_CHARACTER_CLASS);
    static final long TWO_MIB = 2L << 20;
    static final long NEW_DIFFERENCING_FILE = 4L << 20;

    VmCreation(HyperVHost host) {
        super(host);
    }

    ScriptRun linked(Args a) {
        return create(a, false);
    }

    ScriptRun full(Args a) {
        return create(a, true);
    }

    private ScriptRun create(Args a, boolean copy) {
        String name = a.string("name");
        String root = a.string("root");
        String folder = a.string("folder");
        String template = a.string("template");
        int gen = a.int32("gen");
        long mem = a.int64("memBytes");
        int cpu = a.int32("cpu");
        Long diskBytes = a.optInt64("diskBytes");
        String version = a.optString("version");
        boolean dynamic = a.flag("dynamicMemory");
        Long memMin = dynamic ? Long.valueOf(a.int64("memMinBytes")) : a.optInt64("memMinBytes");
        Long memMax = dynamic ? Long.valueOf(a.int64("memMaxBytes")) : a.optInt64("memMaxBytes");
        String notes = a.optString("notes");
        if (!FOLDER.matcher(folder).matches()) {
            throw ScriptError.invalidArgument("bad folder name " + folder);
        }
        Vm vm = host.locked(() -> {
            String d = under(WinPath.combine(root, folder), root);
            if (host.files.isFolder(d)) {
                throw ScriptError.conflict(d + " exists");
            }
            host.files.createFolders(d);
            String x = WinPath.combine(d, "os.vhdx");
            Vm made = null;
            try {
                HostFiles.Entry parent = host.files.get(WinPath.full(template));
                String cmdlet = copy ? "ConvertVHD" : "NewVHD";
                if (parent == null || parent.vhd == null) {
                    throw ScriptError.hyperV("ObjectNotFound", cmdlet, "Failed to " + (copy ? "convert" : "create")
                            + " the virtual hard disk. The system cannot find the file specified. (" + template + ")");
                }
                HostFiles.Entry disk = copy
                        ? host.files.putFile(x, parent.length, null, new HostFiles.Vhd(parent.vhd.sizeBytes, "Dynamic", null), cmdlet)
                        : host.files.putFile(x, NEW_DIFFERENCING_FILE, null,
                        new HostFiles.Vhd(parent.vhd.sizeBytes, "Differencing", parent.path), cmdlet);
                if (diskBytes != null && diskBytes != 0) {
                    if (diskBytes < disk.vhd.sizeBytes) {
                        throw ScriptError.hyperV("InvalidParameter", "ResizeVHD", "Failed to resize the virtual disk. The"
                                + " size requested (" + diskBytes + ") is smaller than the current size; use -ToMinimumSize to shrink.");
                    }
                    disk.vhd.sizeBytes = diskBytes;
                }
                made = newVm(name, gen, mem, version, d, x, guestOs(parent));
                VmSettings.processors(host, made, cpu, "SetVM");
                if (dynamic) {
                    VmSettings.memory(made, true, mem, memMin, memMax, "SetVM");
                }
                if (notes != null) {
                    made.notes = notes;
                }
                return made;
            } catch (ScriptError e) {
                if (made != null) {
                    host.vms.remove(made);
                }
                host.files.deleteTree(d);
                throw e;
            }
        });
        return ScriptRun.now(() -> host.locked(() -> ScriptReply.ok(p(vm))));
    }

    private Vm newVm(String name, int gen, long mem, String version, String folder, String vhd, String os) {
        if (name.length() > 100) {
            throw ScriptError.hyperV("InvalidParameter", "NewVM", "The name of a virtual machine can have at most 100 characters.");
        }
        if (gen != 1 && gen != 2) {
            throw new ScriptError("System.Management.Automation.ParameterBindingValidationException",
                    "ParameterArgumentValidationError,Microsoft.HyperV.PowerShell.Commands.NewVM",
                    "Cannot validate argument on parameter 'Generation'. The " + gen
                            + " argument is not in the range of 1 to 2. Supply an argument that is in range.");
        }
        VmSettings.checkMemory(mem, "NewVM", name);
        String v = version == null ? host.info.vmVersionDefault() : version;
        if (!host.info.vmVersions().contains(v)) {
            throw ScriptError.hyperV("InvalidParameter", "NewVM", "'" + v + "' is not a supported virtual machine"
                    + " configuration version on this host. Supported versions: " + String.join(", ", host.info.vmVersions()));
        }
        Vm vm = new Vm(host.guid(), name, gen, v, folder);
        vm.memStartup = mem;
        // New-VM's defaults, kept (and reported) even while dynamic memory is off.
        vm.memMin = Math.min(512L << 20, mem);
        vm.memMax = 1L << 40;
        vm.osName = os;
        vm.hostname = name.replaceAll("[^A-Za-z0-9-]", "-").toLowerCase(Locale.ROOT);
        Vm.Nic nic = new Vm.Nic("Network Adapter", host.nextNicOrdinal());
        nic.dynamicMac = host.nextMac();
        vm.nics.add(nic);
        vm.drives.add(new Vm.Drive(vhd, gen == 1 ? "IDE" : "SCSI"));
        if (gen == 1) {
            vm.dvds.add(null);
        } else {
            vm.secureBoot = true;
            vm.secureBootTemplate = "MicrosoftWindows";
        }
        host.vms.add(vm);
        return vm;
    }

    private String guestOs(HostFiles.Entry disk) {
        HostFiles.Entry e = disk;
        for (int i = 0; e != null && i < 64; i++) {
            if (e.guestOs != null) {
                return e.guestOs;
            }
            e = e.vhd == null || e.vhd.parent == null ? null : host.files.get(e.vhd.parent);
        }
        return "";
    }
}
