package io.dvmm.sdk.testkit.inmemory;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.spi.HypervisorProvider;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code inmemory} provider: a stateful, thread-safe simulated hypervisor inside the JVM,
 * the embedded default of the samples and the reference behaviour of the contract suite.
 *
 * <p>Endpoint {@code inmemory:/NAME} (see {@link InMemoryCloud}). Settings (config properties):
 * <ul>
 *   <li>{@code inmemory.taskMillis}: how long a task takes (default 200);</li>
 *   <li>{@code inmemory.ipDelayMillis}: how long after power-on the guest reports an IP (default 300);</li>
 *   <li>{@code inmemory.disabledCapabilities}: comma-separated {@link Capability} names this
 *       connection lacks, to behave like a limited endpoint (a standalone host that cannot clone).</li>
 * </ul>
 * Credentials: {@link io.dvmm.sdk.Credentials#none()}, or the user/password and token in
 * {@link InMemoryCloud}; anything else fails with {@link io.dvmm.sdk.AuthenticationException}.
 */
public final class InMemoryProvider implements HypervisorProvider {

    /** The provider type and URI scheme. */
    public static final String TYPE = "inmemory";

    /** Creates the provider; cheap, no threads. */
    public InMemoryProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "In-memory simulated hypervisor (testkit)";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public Hypervisor connect(HypervisorConfig config) {
        return new InMemoryHypervisor(config);
    }
}
