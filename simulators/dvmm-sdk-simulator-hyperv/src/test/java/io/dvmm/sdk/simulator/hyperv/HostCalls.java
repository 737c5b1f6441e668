package io.dvmm.sdk.simulator.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** Runs catalog scripts on one reused shell, as the provider will, and returns their result objects. */
final class HostCalls {

    private final WsManTestClient client;
    private final ScriptCatalog catalog;
    private final String shell;

    HostCalls(HyperVSimulator sim, ScriptCatalog catalog) {
        this.client = new WsManTestClient(sim);
        this.catalog = catalog;
        this.shell = client.createShell(Map.of());
    }

    /** The whole result object ({@code ok}, {@code data} or {@code msg/type/id}); the exit code agrees with ok. */
    JsonNode call(String op, Map<String, ?> args) {
        String cmd = client.command(shell, Scripts.commandLine(catalog, op, args));
        WsManTestClient.Output o = client.receiveAll(shell, cmd);
        client.signal(shell, cmd);
        JsonNode r = Scripts.result(o.stdout());
        assertThat(o.exitCode()).as(op + " " + r).isEqualTo(r.path("ok").asBoolean() ? 0 : 1);
        return r;
    }

    /** {@code data} of a call that must succeed. */
    JsonNode data(String op, Map<String, ?> args) {
        JsonNode r = call(op, args);
        assertThat(r.path("ok").asBoolean()).as(op + " " + r).isTrue();
        return r.path("data");
    }

    /** The error id of a call that must fail. */
    String error(String op, Map<String, ?> args) {
        JsonNode r = call(op, args);
        assertThat(r.path("ok").asBoolean()).as(op + " " + r).isFalse();
        return r.path("id").asText();
    }

    /** Polls {@code op} until its data matches, within five seconds. */
    JsonNode await(String op, Map<String, ?> args, Predicate<JsonNode> until) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonNode d = data(op, args);
        while (!until.test(d)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(op + " never matched; last " + d);
            }
            sleep(10);
            d = data(op, args);
        }
        return d;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Map<String, Object> linked(String name, String folder) {
        return args("name", name, "root", HyperVSimulator.VM_ROOT, "folder", folder, "template", HyperVSimulator.TEMPLATE_VHDX,
                "gen", 2, "memBytes", 2L << 30, "cpu", 2);
    }
}
