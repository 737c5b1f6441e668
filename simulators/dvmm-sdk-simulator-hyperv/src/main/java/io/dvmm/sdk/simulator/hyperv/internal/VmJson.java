package io.dvmm.sdk.simulator.hyperv.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** The JSON shapes of the script contract: the prelude's {@code P $vm}, get-vm's extra members, checkpoints. */
final class VmJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** {@code ToUniversalTime().ToString('o')}: seven fraction digits and Z. */
    private static final DateTimeFormatter ROUND_TRIP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private VmJson() {
    }

    /** {@code P $vm}. */
    static ObjectNode project(HyperVHost host, Vm vm, Instant now) {
        ObjectNode o = F.objectNode();
        o.put("id", vm.id);
        o.put("name", vm.name);
        o.put("state", vm.state(now));
        o.put("cpu", vm.cpu);
        o.put("memStartup", vm.memStartup);
        o.put("dynMem", vm.dynMem);
        o.put("notes", vm.notes);
        ArrayNode nics = o.putArray("nics");
        for (Vm.Nic n : vm.nics) {
            ObjectNode j = nics.addObject();
            j.put("name", n.name);
            j.put("switch", n.switchName);
            // A dynamic MAC is assigned at first start; until then Hyper-V shows zeros.
            j.put("mac", n.staticMac == null && !vm.everStarted ? "000000000000" : n.mac());
            ArrayNode ips = j.putArray("ips");
            GuestNetwork.addresses(host, vm, n, now).forEach(ips::add);
        }
        ArrayNode disks = o.putArray("disks");
        vm.drives.forEach(d -> disks.add(d.path()));
        return o;
    }

    /** get-vm: {@code P} plus generation, version, memory, uptime, path, checkpoint, DVDs, VLANs and VHDs. */
    static ObjectNode detail(HyperVHost host, Vm vm, Instant now) {
        ObjectNode o = project(host, vm, now);
        String state = vm.state(now);
        o.put("gen", vm.generation);
        o.put("version", vm.version);
        o.put("memMin", vm.memMin);
        o.put("memMax", vm.memMax);
        o.put("memAssigned", "Running".equals(state) || "Paused".equals(state) ? vm.memStartup : 0L);
        o.put("uptimeSec", vm.uptime(now).toSeconds());
        o.put("path", vm.path);
        o.put("checkpointId", vm.currentCheckpoint);
        ArrayNode dvds = o.putArray("dvds");
        vm.dvds.forEach(dvds::add);
        ArrayNode vlans = o.putArray("vlans");
        vm.nics.forEach(n -> vlans.add(n.vlan));
        return vhds(host, vm, o);
    }

    /** {@code $r.vhds=@(... Hyper-V\Get-VHD -Path ...)}: get-vm's, start's and guest-ips' member. */
    static ObjectNode vhds(HyperVHost host, Vm vm, ObjectNode o) {
        ArrayNode vhds = o.putArray("vhds");
        for (Vm.Drive d : vm.drives) {
            HostFiles.Entry e = host.files.get(d.path());
            if (e == null || e.vhd == null) {
                throw ScriptError.hyperV("ObjectNotFound", "GetVHD", "Getting the mounted storage instance for the path '"
                        + d.path() + "' failed. The system cannot find the file specified.");
            }
            vhds.add(vhd(e));
        }
        return o;
    }

    static ObjectNode vhd(HostFiles.Entry e) {
        ObjectNode j = F.objectNode();
        j.put("path", e.path);
        j.put("sizeBytes", e.vhd.sizeBytes);
        j.put("fileBytes", e.length);
        j.put("type", e.vhd.type);
        j.put("parent", e.vhd.parent);
        return j;
    }

    static ObjectNode checkpoint(Vm.Checkpoint c) {
        ObjectNode j = F.objectNode();
        j.put("id", c.id);
        j.put("name", c.name);
        j.put("parentId", c.parentId);
        j.put("created", ROUND_TRIP.format(c.created));
        j.put("type", c.type);
        return j;
    }
}
