package io.dvmm.sdk.simulator.hyperv.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checkpoints: taking one puts a new {@code .avhdx} child in front of each disk and remembers processors, memory and
 * (for a Standard checkpoint of a running VM) the memory state; restoring one brings those back on fresh
 * {@code .avhdx} children, the VM Off or, with memory state, Saved. Deleting one leaves the disk chain as it is
 * (Hyper-V merges in the background; the model does not merge).
 */
final class VmCheckpoints extends ScriptSupport {

    private static final Set<String> TYPES = Set.of("Standard", "Production", "ProductionOnly", "Disabled");

    VmCheckpoints(HyperVHost host) {
        super(host);
    }

    ScriptRun create(Args a) {
        String name = a.string("name");
        String type = a.optString("type");
        return host.locked(() -> {
            Vm v = vm(a);
            if (type != null) {
                if (!TYPES.contains(type)) {
                    throw new ScriptError("System.Management.Automation.ParameterBindingException",
                            "CannotConvertArgumentNoMessage,Microsoft.HyperV.PowerShell.Commands.SetVM",
                            "Cannot bind parameter 'CheckpointType'. Cannot convert value \"" + type + "\" to type"
                                    + " \"Microsoft.HyperV.PowerShell.CheckpointType\".");
                }
                v.checkpointType = type;
            }
            String s = v.state(host.now());
            if (v.checkpointType.equals("Disabled")) {
                throw ScriptError.hyperV("InvalidOperation", "CheckpointVM", "Checkpoints are disabled for '" + v.name + "'.");
            }
            boolean running = s.equals("Running") || s.equals("Paused");
            boolean production = !v.checkpointType.equals("Standard");
            if (production && running && !v.integrationServices) {
                if (v.checkpointType.equals("ProductionOnly")) {
                    throw ScriptError.hyperV("InvalidOperation", "CheckpointVM", "Cannot create a production checkpoint"
                            + " for '" + v.name + "': the guest's backup integration service is not available.");
                }
                production = false;
            }
            Vm.Checkpoint c = new Vm.Checkpoint(host.guid(), name, v.currentCheckpoint, host.now(),
                    production ? "Production" : "Standard", v, running && !production);
            branch(v, c.drives);
            v.checkpoints.add(c);
            v.currentCheckpoint = c.id;
            return new ScriptRun(Duration.ZERO, () -> ScriptReply.ok(VmJson.checkpoint(c)));
        });
    }

    /** New {@code .avhdx} children of {@code parents}, which become the VM's disks. */
    private void branch(Vm v, List<Vm.Drive> parents) {
        List<Vm.Drive> next = new ArrayList<>();
        for (Vm.Drive d : parents) {
            HostFiles.Entry parent = host.files.get(d.path());
            long size = parent == null || parent.vhd == null ? 0 : parent.vhd.sizeBytes;
            String folder = WinPath.parent(d.path());
            String base = WinPath.baseName(d.path()).replaceFirst("_[0-9A-F]{8}-[0-9A-F-]{27}$", "");
            String child = WinPath.combine(folder, base + "_" + host.guid().toUpperCase(Locale.ROOT) + ".avhdx");
            host.files.putFile(child, VmCreation.NEW_DIFFERENCING_FILE, null, new HostFiles.Vhd(size, "Differencing", d.path()),
                    "CheckpointVM");
            next.add(new Vm.Drive(child, d.controller()));
        }
        v.drives.clear();
        v.drives.addAll(next);
    }

    ScriptRun list(Args a) {
        Vm vm = host.locked(() -> vm(a));
        return ScriptRun.now(() -> host.locked(() -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("current", vm.currentCheckpoint);
            var list = o.putArray("checkpoints");
            vm.checkpoints.forEach(c -> list.add(VmJson.checkpoint(c)));
            return ScriptReply.ok(o);
        }));
    }

    private Vm.Checkpoint match(Vm v, String what) {
        List<Vm.Checkpoint> m = v.checkpoints.stream()
                .filter(c -> c.id.equalsIgnoreCase(what) || c.name.equals(what)).toList();
        if (m.size() != 1) {
            throw m.isEmpty() ? ScriptError.notFound("0 checkpoints match " + what)
                    : ScriptError.ambiguous(m.size() + " checkpoints match " + what);
        }
        return m.get(0);
    }

    ScriptRun restore(Args a) {
        String what = a.string("checkpoint");
        return host.locked(() -> {
            Vm v = vm(a);
            Vm.Checkpoint c = match(v, what);
            List<Vm.Drive> discarded = new ArrayList<>(v.drives);
            v.settle(host.now());
            v.force(c.withMemoryState ? "Saved" : "Off");
            v.bootedAt = null;
            v.savedUptime = Duration.ZERO;
            v.cpu = c.cpu;
            v.memStartup = c.memStartup;
            v.dynMem = c.dynMem;
            v.memMin = c.memMin;
            v.memMax = c.memMax;
            branch(v, c.drives);
            for (Vm.Drive d : discarded) {
                boolean kept = v.checkpoints.stream().anyMatch(x -> x.drives.contains(d));
                if (!kept && host.files.childrenOf(d.path()).isEmpty()) {
                    host.files.delete(d.path());
                }
            }
            v.currentCheckpoint = c.id;
            return new ScriptRun(Duration.ZERO, () -> host.locked(() -> ScriptReply.ok(p(v))));
        });
    }

    ScriptRun delete(Args a) {
        String what = a.string("checkpoint");
        boolean children = a.flag("children");
        return host.locked(() -> {
            Vm v = vm(a);
            Vm.Checkpoint c = match(v, what);
            List<Vm.Checkpoint> gone = new ArrayList<>();
            gone.add(c);
            if (children) {
                for (int i = 0; i < gone.size(); i++) {
                    String id = gone.get(i).id;
                    v.checkpoints.stream().filter(x -> x.parentId.equals(id)).forEach(gone::add);
                }
            }
            v.checkpoints.removeAll(gone);
            List<Vm.Checkpoint> reparented = new ArrayList<>();
            for (Vm.Checkpoint x : v.checkpoints) {
                if (x.parentId.equals(c.id)) {
                    reparented.add(x);
                }
            }
            for (Vm.Checkpoint x : reparented) {
                v.checkpoints.set(v.checkpoints.indexOf(x), new Vm.Checkpoint(x, c.parentId));
            }
            if (gone.stream().anyMatch(x -> x.id.equals(v.currentCheckpoint))) {
                v.currentCheckpoint = c.parentId;
            }
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("deleted", c.id);
            return ScriptRun.now(() -> ScriptReply.ok(o));
        });
    }
}
