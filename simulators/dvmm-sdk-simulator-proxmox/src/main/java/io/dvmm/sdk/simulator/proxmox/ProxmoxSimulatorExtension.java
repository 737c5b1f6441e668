package io.dvmm.sdk.simulator.proxmox;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

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
 * Register an instance with {@code @RegisterExtension} to choose the settings.
 */
public final class ProxmoxSimulatorExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final ProxmoxSimulator.Builder builder;
    private ProxmoxSimulator simulator;

    public ProxmoxSimulatorExtension() {
        this(ProxmoxSimulator.builder());
    }

    public ProxmoxSimulatorExtension(ProxmoxSimulator.Builder builder) {
        this.builder = builder;
    }

    /** The running simulator (after {@code beforeAll}). */
    public ProxmoxSimulator simulator() {
        if (simulator == null) {
            simulator = builder.build().start();
        }
        return simulator;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        simulator();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ProxmoxSimulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return simulator();
    }
}
