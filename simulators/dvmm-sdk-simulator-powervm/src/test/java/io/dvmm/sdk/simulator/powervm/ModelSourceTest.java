package io.dvmm.sdk.simulator.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Seeded from the captures when present, from the built-in model otherwise, and says which. */
class ModelSourceTest {

    @RegisterExtension
    static final PowerVmSimulatorExtension BUILT_IN = new PowerVmSimulatorExtension(PowerVmSimulator.builder()
            .builtInModel().vioses(1).tls(false).jobDurations(Duration.ZERO, Duration.ofMillis(5)));

    @Test
    void theExtensionInjectsAStartedSimulator(PowerVmSimulator hmc) {
        assertThat(hmc.url().toString()).startsWith("http://127.0.0.1:");
        assertThat(new HmcClient(hmc).logon().get("/rest/api/uom/ManagedSystem").status()).isEqualTo(200);
        assertThat(BUILT_IN.simulator()).isSameAs(hmc);
    }

    @Test
    void theBuiltInModelSaysSoAndHoldsWhatAProviderNeeds(PowerVmSimulator hmc) {
        assertThat(hmc.seededFromCaptures()).isFalse();
        assertThat(hmc.modelSource()).isEqualTo("built-in minimal model");
        assertThat(hmc.elementOrderSource()).contains("built-in");
        assertThat(hmc.managedSystemName()).isEqualTo("sim-system");
        assertThat(hmc.vioses()).singleElement().satisfies(v -> assertThat(v.rmcState()).isEqualTo("active"));
        assertThat(hmc.lpar(PowerVmSimulator.SSP_TEMPLATE)).isPresent();
        assertThat(hmc.lpar(PowerVmSimulator.LV_TEMPLATE)).isPresent();
        assertThat(hmc.mappingsOf(hmc.lpar(PowerVmSimulator.SSP_TEMPLATE).orElseThrow().uuid())).singleElement()
                .satisfies(m -> assertThat(m.storageName()).isEqualTo(PowerVmSimulator.SSP_TEMPLATE_DISK));
        assertThat(hmc.media()).isNotEmpty();
    }

    @Test
    void theCapturesAreUsedWhenPresent() {
        Captures.require();
        try (PowerVmSimulator hmc = PowerVmSimulator.builder().vioses(1).templates(false).start()) {
            assertThat(hmc.seededFromCaptures()).isTrue();
            assertThat(hmc.modelSource()).startsWith("captures in ").endsWith("shared/data/powervm");
            assertThat(hmc.elementOrderSource()).contains("9 LPAR create bodies");
            assertThat(hmc.vioses()).singleElement().satisfies(v -> assertThat(v.name()).isEqualTo("IO Server"));
            assertThat(hmc.lpar(PowerVmSimulator.SSP_TEMPLATE)).isEmpty();
            assertThat(hmc.lpars()).hasSize(14);
        }
    }

    @Test
    void novaLinkAnswersCarryTheMcType() {
        try (PowerVmSimulator hmc = PowerVmSimulator.builder().builtInModel().novaLink(true).start()) {
            HmcClient.Answer a = new HmcClient(hmc).logon().get("/rest/api/uom/ManagedSystem");
            assertThat(a.header("X-MC-Type")).isEqualTo("PVM");
        }
        try (PowerVmSimulator hmc = PowerVmSimulator.builder().builtInModel().start()) {
            assertThat(new HmcClient(hmc).logon().get("/rest/api/uom/ManagedSystem").header("X-MC-Type")).isNull();
        }
    }
}
