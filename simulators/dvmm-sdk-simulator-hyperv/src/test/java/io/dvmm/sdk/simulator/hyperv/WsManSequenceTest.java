package io.dvmm.sdk.simulator.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WS-Man sequence end to end over real HTTPS with the JDK's HttpClient, on the provider's own scripts. */
class WsManSequenceTest {

    static HyperVSimulator sim;
    static ScriptCatalog catalog;

    @BeforeAll
    static void start() {
        catalog = ScriptCatalog.provider();
        sim = HyperVSimulator.builder().scripts(catalog).build().start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void testConnectionRunsThroughCreateCommandReceiveSignalDelete() {
        WsManTestClient c = new WsManTestClient(sim);
        sim.resetCounts();
        WsManTestClient.Output o = c.run(Scripts.commandLine(catalog, "test-connection", Map.of()));
        assertThat(o.exitCode()).isZero();
        assertThat(o.stderr()).startsWith("#< CLIXML\r\n").contains("Preparing modules for first use.");
        JsonNode r = Scripts.result(o.stdout());
        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("data").path("host").asText()).isEqualTo("HV01");
        assertThat(r.path("data").path("os").asText()).isEqualTo("Microsoft Windows Server 2022 Datacenter");
        assertThat(sim.counts()).containsEntry(HyperVSimulator.CREATE, 1L).containsEntry(HyperVSimulator.COMMAND, 1L)
                .containsEntry(HyperVSimulator.RECEIVE, 1L).containsEntry(HyperVSimulator.SIGNAL, 1L)
                .containsEntry(HyperVSimulator.DELETE, 1L).containsEntry("script:test-connection", 1L);
        sim.violations().assertNone();
    }

    @Test
    void listVmsSeesTheSeededTemplateVm() {
        WsManTestClient c = new WsManTestClient(sim);
        JsonNode r = Scripts.result(c.run(Scripts.commandLine(catalog, "list-vms", Map.of())).stdout());
        assertThat(r.path("data").isArray()).isTrue();
        assertThat(r.path("data").get(0).path("name").asText()).isEqualTo(HyperVSimulator.TEMPLATE_VM);
        assertThat(r.path("data").get(0).path("state").asText()).isEqualTo("Off");
        sim.violations().assertNone();
    }
}
