package io.dvmm.sdk.simulator.powervm;

import io.dvmm.sdk.simulator.SimulatorExtension;
import java.util.Objects;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one started {@link PowerVmSimulator} per test class, injected into any
 * parameter of that type and closed after the class.
 *
 * <pre>{@code
 * @ExtendWith(PowerVmSimulatorExtension.class)
 * class MyTest {
 *     @Test void lists(PowerVmSimulator hmc) { ... hmc.url() ... hmc.password() ... }
 * }
 *
 * @RegisterExtension
 * static PowerVmSimulatorExtension hmc = new PowerVmSimulatorExtension(PowerVmSimulator.builder().vioses(1));
 * }</pre>
 */
public final class PowerVmSimulatorExtension extends SimulatorExtension<PowerVmSimulator> {

    private final PowerVmSimulator.Builder builder;

    /** An extension that starts {@link PowerVmSimulator#builder()}'s defaults. */
    public PowerVmSimulatorExtension() {
        this(PowerVmSimulator.builder());
    }

    /**
     * An extension that starts a simulator with these settings, for {@code @RegisterExtension}.
     *
     * @param builder the settings; started once per test class that starts a simulator
     */
    public PowerVmSimulatorExtension(PowerVmSimulator.Builder builder) {
        super(PowerVmSimulator.class);
        this.builder = Objects.requireNonNull(builder);
    }

    @Override
    protected PowerVmSimulator start(ExtensionContext context) {
        return builder.start();
    }
}
