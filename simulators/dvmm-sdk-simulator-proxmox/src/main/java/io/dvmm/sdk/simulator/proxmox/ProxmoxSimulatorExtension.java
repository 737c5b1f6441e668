package io.dvmm.sdk.simulator.proxmox;

import io.dvmm.sdk.simulator.SimulatorExtension;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one started {@link ProxmoxSimulator} per test class, injected as a
 * parameter and closed after the class.
 *
 * <pre>{@code
 * @ExtendWith(ProxmoxSimulatorExtension.class)
 * class MyTest {
 *     @Test void lists(ProxmoxSimulator sim) { ... sim.baseUrl() ... sim.apiTokenSecret() ... }
 * }
 * }</pre>
 *
 * Register an instance with {@code @RegisterExtension} to choose the settings:
 * {@code static ProxmoxSimulatorExtension pve = new ProxmoxSimulatorExtension(ProxmoxSimulator.builder().vms(100));}
 */
public final class ProxmoxSimulatorExtension extends SimulatorExtension<ProxmoxSimulator> {

    private final ProxmoxSimulator.Builder builder;

    /** An extension that starts {@link ProxmoxSimulator#builder()}'s defaults. */
    public ProxmoxSimulatorExtension() {
        this(ProxmoxSimulator.builder());
    }

    /**
     * An extension that starts a simulator with these settings, for {@code @RegisterExtension}.
     *
     * @param builder the settings; built once per test class that starts a simulator
     */
    public ProxmoxSimulatorExtension(ProxmoxSimulator.Builder builder) {
        super(ProxmoxSimulator.class);
        this.builder = builder;
    }

    @Override
    protected ProxmoxSimulator start(ExtensionContext context) {
        return builder.build().start();
    }
}
