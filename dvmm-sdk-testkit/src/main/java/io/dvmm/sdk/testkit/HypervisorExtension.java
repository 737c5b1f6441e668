package io.dvmm.sdk.testkit;

import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.inmemory.InMemoryCloud;
import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link WithInMemoryHypervisor}: resolves {@link Hypervisor} and
 * {@link InMemoryCloud} parameters with a fresh, isolated in-memory cloud per test method, and
 * closes and forgets it after the test.
 */
public final class HypervisorExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(HypervisorExtension.class);

    /** Created by JUnit. */
    public HypervisorExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Hypervisor.class || type == InMemoryCloud.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Fixture fixture = context.getStore(NS).getOrComputeIfAbsent("fixture", k -> open(context), Fixture.class);
        Class<?> type = parameter.getParameter().getType();
        if (type == Hypervisor.class) {
            return fixture.hypervisor;
        }
        if (type == InMemoryCloud.class) {
            return fixture.cloud;
        }
        throw new ParameterResolutionException("unsupported parameter " + type);
    }

    private static Fixture open(ExtensionContext context) {
        WithInMemoryHypervisor settings = find(context.getElement())
                .or(() -> context.getTestClass().flatMap(c -> find(Optional.of(c))))
                .orElse(null);
        String name = "junit-" + UUID.randomUUID();
        HypervisorConfig.Builder config = HypervisorConfig.builder("inmemory:/" + name);
        if (settings != null) {
            config.property("inmemory.taskMillis", Long.toString(settings.taskMillis()))
                    .property("inmemory.ipDelayMillis", Long.toString(settings.ipDelayMillis()));
            if (!settings.disabledCapabilities().isBlank()) {
                config.property("inmemory.disabledCapabilities", settings.disabledCapabilities());
            }
        }
        return new Fixture(name, InMemoryCloud.named(name), Hypervisors.connect(config.build()));
    }

    private static Optional<WithInMemoryHypervisor> find(Optional<? extends AnnotatedElement> element) {
        return element.map(e -> e.getAnnotation(WithInMemoryHypervisor.class));
    }

    /** One test's cloud and connection; JUnit closes it when the test's store is closed. */
    private static final class Fixture implements ExtensionContext.Store.CloseableResource {
        private final String name;
        private final InMemoryCloud cloud;
        private final Hypervisor hypervisor;

        Fixture(String name, InMemoryCloud cloud, Hypervisor hypervisor) {
            this.name = name;
            this.cloud = cloud;
            this.hypervisor = hypervisor;
        }

        @Override
        public void close() {
            hypervisor.close();
            InMemoryCloud.drop(name);
        }
    }
}
