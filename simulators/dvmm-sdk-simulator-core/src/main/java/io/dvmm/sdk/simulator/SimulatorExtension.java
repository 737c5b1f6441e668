package io.dvmm.sdk.simulator;

import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The base of each simulator's JUnit 5 extension: starts one simulator for the test class (before
 * all its tests, or on first use), injects it into any parameter of its type (test methods,
 * lifecycle methods, constructors) and closes it after the class that started it. Nested classes
 * share their outer class's simulator.
 *
 * <pre>{@code
 * public final class MySimulatorExtension extends SimulatorExtension<MySimulator> {
 *     public MySimulatorExtension() { super(MySimulator.class); }
 *     protected MySimulator start(ExtensionContext context) { return MySimulator.start(); }
 * }
 * }</pre>
 *
 * <p>Register it with {@code @ExtendWith}, a meta-annotation, or as a {@code static}
 * {@code @RegisterExtension} field to choose its settings.
 *
 * @param <S> the simulator; closing it stops it
 */
public abstract class SimulatorExtension<S extends AutoCloseable>
        implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final Class<S> type;
    private S simulator;
    private String startedBy;

    /**
     * An extension that injects simulators of this type.
     *
     * @param type the simulator's class: parameters of exactly this type are resolved
     */
    protected SimulatorExtension(Class<S> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Starts the simulator for the test class of {@code context}. Called once per class that starts one.
     *
     * @param context the test class's (or test method's) context, e.g. to read an annotation's settings;
     *        null when the simulator is started by {@link #simulator()} outside a test
     * @return the running simulator
     */
    protected abstract S start(ExtensionContext context);

    /**
     * The running simulator, started if need be (for fields and static helpers).
     *
     * @return the simulator this extension runs
     */
    public synchronized S simulator() {
        return simulator(null);
    }

    private synchronized S simulator(ExtensionContext context) {
        if (simulator == null) {
            simulator = start(context);
            startedBy = context == null ? null : classContext(context).getUniqueId();
        }
        return simulator;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        simulator(context);
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        if (simulator != null && (startedBy == null || startedBy.equals(context.getUniqueId()))) {
            S s = simulator;
            simulator = null;
            startedBy = null;
            s.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return simulator(context);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }
}
