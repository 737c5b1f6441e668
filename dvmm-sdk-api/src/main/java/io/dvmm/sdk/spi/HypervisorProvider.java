package io.dvmm.sdk.spi;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.ProviderProperty;
import java.util.List;
import java.util.Set;

/**
 * What a provider implements: a small, thread-safe factory of {@link Hypervisor} connections.
 *
 * <p>Found by {@link java.util.ServiceLoader}: a provider jar names its implementation in
 * {@code META-INF/services/io.dvmm.sdk.spi.HypervisorProvider} and, when it has a module
 * descriptor, {@code provides io.dvmm.sdk.spi.HypervisorProvider with ...}. Implementations need
 * a public no-argument constructor and must be cheap to instantiate: no I/O, no threads.
 * Implementations are thread-safe. The orchestration every provider shares (the create skeleton,
 * the power-state rules, waits, retries) lives in {@link AbstractHypervisor} and
 * {@code io.dvmm.sdk.spi.support}; a provider supplies the steps.
 */
public interface HypervisorProvider {

    /** @return the provider type, lower case, such as {@code proxmox} */
    String type();

    /** @return the URI schemes this provider serves; by default only its type */
    default Set<String> schemes() {
        return Set.of(type());
    }

    /**
     * Whether this provider serves an endpoint whose scheme is no provider's own, such as
     * {@code https://pve1:8006} (Proxmox's port). {@link io.dvmm.sdk.Hypervisors#connect} picks
     * the provider only when exactly one recognizes the endpoint; otherwise the config must name
     * its type.
     *
     * @param endpoint the endpoint
     * @return whether it is this provider's, by default never
     */
    default boolean recognizes(java.net.URI endpoint) {
        return false;
    }

    /** @return a human name, such as {@code Proxmox VE (REST)} */
    String displayName();

    /**
     * The most this provider can do. A connection may offer less (see
     * {@link Hypervisor#capabilities()}); the README's capability matrix is generated from this.
     *
     * @return the provider's capabilities
     */
    Set<Capability> capabilities();

    /**
     * The provider-specific settings this provider takes. {@link io.dvmm.sdk.Hypervisors#connect}
     * refuses a config with a key not declared here or a value that does not fit, so a provider
     * may read its declared properties without checking them again. The README's configuration
     * table is generated from these declarations.
     *
     * @return the declared properties; none by default
     */
    default List<ProviderProperty> properties() {
        return List.of();
    }

    /**
     * Opens a connection without sending any request.
     *
     * @param config the validated configuration
     * @return the connection
     * @throws io.dvmm.sdk.InvalidSpecException if the config does not suit this provider
     */
    Hypervisor connect(HypervisorConfig config);
}
