package io.dvmm.sdk.simulator.hyperv.internal;

import io.dvmm.sdk.simulator.Violations;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** Every script of the contract README, with the argument fields it reads, mapped onto the model's rooms. */
public final class ScriptOperations {

    private ScriptOperations() {
    }

    public static Map<String, ScriptOperation> of(HyperVHost host, Violations violations) {
        VmQueries q = new VmQueries(host);
        VmCreation c = new VmCreation(host);
        VmSettings s = new VmSettings(host);
        VmPower p = new VmPower(host);
        VmCheckpoints k = new VmCheckpoints(host);
        HostOperations h = new HostOperations(host);
        VmDeletion d = new VmDeletion(host, violations);
        Map<String, ScriptOperation> m = new TreeMap<>();
        Set<String> create = Set.of("name", "root", "folder", "template", "gen", "memBytes", "cpu", "diskBytes", "version",
                "dynamicMemory", "memMinBytes", "memMaxBytes", "notes");
        put(m, "test-connection", Set.of(), h::testConnection);
        put(m, "inventory", Set.of("templates", "roots"), h::inventory);
        put(m, "list-vms", Set.of(), q::list);
        put(m, "get-vm", Set.of("id"), q::get);
        put(m, "find-vm", Set.of("name"), q::find);
        put(m, "create-linked", create, c::linked);
        put(m, "create-full", create, c::full);
        put(m, "set-cpu-memory", Set.of("id", "cpu", "memBytes", "dynamicMemory", "memMinBytes", "memMaxBytes"), s::cpuMemory);
        put(m, "reconfigure", Set.of("id", "sbTemplate", "secureBoot", "nics", "dvd"), s::reconfigure);
        put(m, "add-disk", Set.of("id", "path", "root", "sizeBytes"), s::addDisk);
        put(m, "resize-disk", Set.of("id", "path", "sizeBytes"), s::resizeDisk);
        put(m, "start", Set.of("id"), p::start);
        put(m, "shutdown", Set.of("id", "force"), p::shutdown);
        put(m, "turn-off", Set.of("id"), p::turnOff);
        put(m, "restart", Set.of("id", "guest", "force"), p::restart);
        put(m, "save", Set.of("id"), p::save);
        put(m, "resume", Set.of("id"), p::resume);
        put(m, "checkpoint-create", Set.of("id", "name", "type"), k::create);
        put(m, "checkpoint-list", Set.of("id"), k::list);
        put(m, "checkpoint-restore", Set.of("id", "checkpoint"), k::restore);
        put(m, "checkpoint-delete", Set.of("id", "checkpoint", "children"), k::delete);
        put(m, "guest-ips", Set.of("id"), p::guestIps);
        put(m, "set-metadata", Set.of("id", "notes", "expected"), s::metadata);
        put(m, "copy-file", Set.of("path", "root", "chunk", "gzip", "offset", "last"), h::copyFile);
        put(m, "delete", Set.of("id", "ownedRoot"), d::delete);
        return m;
    }

    private static void put(Map<String, ScriptOperation> m, String op, Set<String> fields, Function<Args, ScriptRun> f) {
        m.put(op, new ScriptOperation(fields, f));
    }
}
