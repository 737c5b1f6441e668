package io.dvmm.sdk.spi;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import java.util.Set;

/**
 * What a provider implements: a small, thread-safe factory of {@link Hypervisor} connections.
 *
 * <p>Found by {@link java.util.ServiceLoader}: a provider jar names its implementation in
 * {@code META-INF/services/io.dvmm.sdk.spi.HypervisorProvider} and, when it has a module
 * descriptor, {@code provides io.dvmm.sdk.spi.HypervisorProvider with ...}. Implementations need
 * a public no-argument constructor and must be cheap to instantiate: no I/O, no threads.
 */
public interface HypervisorProvider {

    /** @return the provider type, lower case, such as {@code proxmox} */
    String type();

    /** @return the URI schemes this provider serves; by default only its type */
    default Set<String> schemes() {
        return Set.of(type());
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
     * Opens a connection without sending any request.
     *
     * @param config the validated configuration
     * @return the connection
     * @throws io.dvmm.sdk.InvalidSpecException if the config does not suit this provider
     */
    Hypervisor connect(HypervisorConfig config);
}
