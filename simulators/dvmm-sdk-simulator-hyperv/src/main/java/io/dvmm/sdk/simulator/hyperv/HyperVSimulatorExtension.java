package io.dvmm.sdk.simulator.hyperv;

import io.dvmm.sdk.simulator.SimulatorExtension;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one started {@link HyperVSimulator} per test class, injected as a parameter and closed after the
 * class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static HyperVSimulatorExtension hyperv = new HyperVSimulatorExtension(HyperVSimulator.builder().scripts(catalog));
 *
 * @Test void lists(HyperVSimulator sim) { ... sim.url() ... sim.password() ... }
 * }</pre>
 *
 * With {@code @ExtendWith(HyperVSimulatorExtension.class)} the defaults apply (the provider's scripts from the checkout).
 */
public final class HyperVSimulatorExtension extends SimulatorExtension<HyperVSimulator> {

    private final HyperVSimulator.Builder builder;

    /** An extension that starts {@link HyperVSimulator#builder()}'s defaults (the provider's scripts from the checkout). */
    public HyperVSimulatorExtension() {
        this(HyperVSimulator.builder());
    }

    /**
     * An extension that starts a simulator with these settings, for {@code @RegisterExtension}.
     *
     * @param builder the settings; built once per test class that starts a simulator
     */
    public HyperVSimulatorExtension(HyperVSimulator.Builder builder) {
        super(HyperVSimulator.class);
        this.builder = builder;
    }

    @Override
    protected HyperVSimulator start(ExtensionContext context) {
        return builder.build().start();
    }
}
