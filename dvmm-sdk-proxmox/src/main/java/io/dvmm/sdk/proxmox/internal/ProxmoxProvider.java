package io.dvmm.sdk.proxmox.internal;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.spi.HypervisorProvider;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code proxmox} provider: Proxmox VE over its REST API ({@code proxmox://host:8006}).
 * Found through {@code META-INF/services/io.dvmm.sdk.spi.HypervisorProvider}.
 *
 * <p>Config properties: {@code proxmox.vmidMin} / {@code proxmox.vmidMax} (the range the SDK
 * picks VMIDs from, default 100000-999999), {@code proxmox.taskPollInitialMillis} (100),
 * {@code proxmox.taskPollMaxMillis} (2000), {@code proxmox.maxParallelClonesPerStorage} (4),
 * {@code proxmox.ticketRenewMinutes} (60).
 */
public final class ProxmoxProvider implements HypervisorProvider {

    /** The provider type and URI scheme. */
    public static final String TYPE = "proxmox";

    static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.allOf(Capability.class));

    /** Cheap: no I/O, no threads. */
    public ProxmoxProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "Proxmox VE (REST)";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Hypervisor connect(HypervisorConfig config) {
        return new ProxmoxHypervisor(config);
    }
}
