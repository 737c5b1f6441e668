package io.dvmm.sdk.simulator.hyperv.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvmm.sdk.simulator.Violations;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code delete}: turns the VM off, removes it, then deletes only what lies under the owned root: each disk (current
 * and every checkpoint's) and its differencing chain upward while the parent sits in the same folder, DVD images, and
 * then the folders left without files. Deleting a VHD another VHD still depends on (a template parent) is recorded as
 * a violation: the script contract promises it never happens. The owned root itself goes too when it is the VM's own
 * folder and empty (a VM the SDK made), so that its name can be used again.
 */
final class VmDeletion extends ScriptSupport {

    private final Violations violations;

    VmDeletion(HyperVHost host, Violations violations) {
        super(host);
        this.violations = violations;
    }

    ScriptRun delete(Args a) {
        String ownedRoot = a.string("ownedRoot");
        return host.locked(() -> {
            Vm v = vm(a);
            String r = ownedRoot(ownedRoot);
            Set<String> files = new LinkedHashSet<>();
            List<Vm.Drive> drives = new ArrayList<>(v.drives);
            v.checkpoints.forEach(c -> drives.addAll(c.drives));
            for (Vm.Drive d : drives) {
                walk(d.path(), r, files);
            }
            for (String iso : v.dvds) {
                if (iso != null && WinPath.under(iso, r)) {
                    files.add(iso);
                }
            }
            v.force("Off");
            List<String> folders = new ArrayList<>();
            folders.add(v.path);
            files.forEach(f -> folders.add(WinPath.parent(f)));
            host.vms.remove(v);
            ArrayNode removed = JsonNodeFactory.instance.arrayNode();
            for (String f : files) {
                HostFiles.Entry e = host.files.get(f);
                if (e != null && !e.folder) {
                    List<HostFiles.Entry> dependents = host.files.childrenOf(f).stream()
                            .filter(c -> !files.contains(c.path)).toList();
                    if (!dependents.isEmpty() || e.template) {
                        violations.add("delete removed " + f + ", which " + (e.template ? "is a template" : "is the parent of "
                                + dependents.get(0).path));
                    }
                    host.files.delete(f);
                    removed.add(e.path);
                }
            }
            String own = folders.get(0);
            for (String d : folders) {
                String folder = d;
                // the owned root itself only when it is the VM's own folder (the one the SDK made for it)
                while (folder != null && WinPath.under(folder + "\\", r) && host.files.isFolder(folder)
                        && host.files.filesUnder(folder).isEmpty() && (!WinPath.key(folder + "\\").equals(WinPath.key(r))
                        || own != null && WinPath.key(folder).equals(WinPath.key(own)))) {
                    host.files.deleteTree(folder);
                    folder = WinPath.parent(folder);
                }
            }
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.set("files", removed);
            return ScriptRun.now(() -> ScriptReply.ok(o));
        });
    }

    private void walk(String disk, String root, Set<String> out) {
        if (disk == null) {
            return;
        }
        String p = WinPath.full(disk);
        String folder = WinPath.parent(p);
        for (int i = 0; p != null && i < 64 && WinPath.under(p, root) && WinPath.key(WinPath.parent(p)).equals(WinPath.key(folder)); i++) {
            out.add(p);
            HostFiles.Entry e = host.files.get(p);
            p = e == null || e.vhd == null ? null : e.vhd.parent;
        }
    }
}
