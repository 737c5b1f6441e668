package io.dvmm.sdk.simulator.hyperv.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** {@code list-vms}, {@code get-vm}, {@code find-vm}. */
final class VmQueries extends ScriptSupport {

    VmQueries(HyperVHost host) {
        super(host);
    }

    ScriptRun list(Args a) {
        return ScriptRun.now(() -> host.locked(() -> {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            host.vms.forEach(v -> out.add(p(v)));
            return ScriptReply.ok(out);
        }));
    }

    ScriptRun get(Args a) {
        Vm v = host.locked(() -> findById(a));
        return ScriptRun.now(() -> host.locked(() ->
                ScriptReply.ok(v == null || !host.vms.contains(v) ? null : VmJson.detail(host, v, host.now()))));
    }

    ScriptRun find(Args a) {
        String name = a.string("name");
        return ScriptRun.now(() -> host.locked(() -> {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            host.vms.stream().filter(v -> v.name.equals(name)).forEach(v -> out.add(p(v)));
            return ScriptReply.ok(out);
        }));
    }
}
