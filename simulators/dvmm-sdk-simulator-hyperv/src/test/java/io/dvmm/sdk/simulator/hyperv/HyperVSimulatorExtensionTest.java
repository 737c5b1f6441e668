package io.dvmm.sdk.simulator.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit 5 extension: one simulator per class, injected, shared with nested classes. */
class HyperVSimulatorExtensionTest {

    @RegisterExtension
    static HyperVSimulatorExtension hyperv = new HyperVSimulatorExtension(HyperVSimulator.builder().tls(false)
            .allowUnencrypted(true).credentials("ops", "Pa55!").hostName("HV-LAB"));

    @Test
    void injectsAStartedSimulator(HyperVSimulator sim) {
        assertThat(sim.url().toString()).startsWith("http://127.0.0.1:").endsWith("/wsman");
        assertThat(sim.sdkUri().getScheme()).isEqualTo("hyperv");
        assertThat(sim.username()).isEqualTo("ops");
        WsManTestClient.Output o = new WsManTestClient(sim).run(Scripts.commandLine(ScriptCatalog.provider(), "test-connection", Map.of()));
        assertThat(Scripts.result(o.stdout()).path("data").path("host").asText()).isEqualTo("HV-LAB");
    }

    @Nested
    class Inner {
        @Test
        void sharesTheOuterSimulator(HyperVSimulator sim) {
            assertThat(sim).isSameAs(hyperv.simulator());
        }
    }
}
