package io.dvmm.sdk.inmemory;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.ProviderProperty;
import io.dvmm.sdk.spi.HypervisorProvider;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code inmemory} provider: a stateful, thread-safe simulated hypervisor inside the JVM,
 * the embedded default of the samples and the reference behaviour of the contract suite.
 *
 * <p>Endpoint {@code inmemory:/NAME} (see {@link InMemoryCloud}). Credentials:
 * {@link io.dvmm.sdk.Credentials#none()}, or the user/password and token in
 * {@link InMemoryCloud}; anything else fails with {@link io.dvmm.sdk.AuthenticationException}.
 * Register it by hand with {@code Hypervisors.register(new InMemoryProvider())} where
 * {@code META-INF/services} is lost.
 */
public final class InMemoryProvider implements HypervisorProvider {

    /** The provider type and URI scheme. */
    public static final String TYPE = "inmemory";

    /** Every capability: the in-memory cloud can do everything the API offers. */
    static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(Capability.INVENTORY,
            Capability.LIST_VMS, Capability.CLONE_FULL, Capability.CLONE_LINKED, Capability.GUEST_CUSTOMIZATION,
            Capability.CUSTOM_HOSTNAME, Capability.CLOUD_INIT, Capability.USER_DATA, Capability.DISKS, Capability.POWER,
            Capability.SUSPEND, Capability.RECONFIGURE, Capability.SNAPSHOTS, Capability.GUEST_IP, Capability.METADATA,
            Capability.DELETE, Capability.CANCEL_TASK));

    static final String TASK_MILLIS = "inmemory.taskMillis";
    static final String IP_DELAY_MILLIS = "inmemory.ipDelayMillis";
    static final String DISABLED_CAPABILITIES = "inmemory.disabledCapabilities";

    static final List<ProviderProperty> PROPERTIES = List.of(
            ProviderProperty.builder(TASK_MILLIS, ProviderProperty.Type.INTEGER).defaultValue("200").range(0, 3_600_000)
                    .description("How long a simulated task takes, in milliseconds.").build(),
            ProviderProperty.builder(IP_DELAY_MILLIS, ProviderProperty.Type.INTEGER).defaultValue("300").range(0, 3_600_000)
                    .description("How long after power-on the guest reports an IP address, in milliseconds.").build(),
            ProviderProperty.builder(DISABLED_CAPABILITIES, ProviderProperty.Type.ENUM_LIST).defaultValue("")
                    .allowedValues(Arrays.stream(Capability.values()).map(Enum::name).toList())
                    .description("Capabilities this connection lacks, comma-separated, to behave like a limited endpoint.").build());

    /** Creates the provider; cheap, no threads. */
    public InMemoryProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "In-memory simulated hypervisor";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public List<ProviderProperty> properties() {
        return PROPERTIES;
    }

    @Override
    public Hypervisor connect(HypervisorConfig config) {
        return new InMemoryHypervisor(config);
    }
}
