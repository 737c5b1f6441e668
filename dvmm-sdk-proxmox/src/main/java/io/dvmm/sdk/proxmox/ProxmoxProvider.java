package io.dvmm.sdk.proxmox;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.ProviderProperty;
import io.dvmm.sdk.proxmox.internal.ProxmoxHypervisor;
import io.dvmm.sdk.spi.HypervisorProvider;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code proxmox} provider: Proxmox VE over its REST API ({@code proxmox://host:8006}).
 * Found through {@code META-INF/services/io.dvmm.sdk.spi.HypervisorProvider}; register it by hand
 * with {@code Hypervisors.register(new ProxmoxProvider())} where that file is lost.
 */
public final class ProxmoxProvider implements HypervisorProvider {

    /** The provider type and URI scheme. */
    public static final String TYPE = "proxmox";

    /**
     * What a Proxmox VE connection can do. Not {@link Capability#USER_DATA} (custom cloud-init
     * user data needs a snippet volume, which the API cannot upload) nor
     * {@link Capability#CUSTOM_HOSTNAME} (cloud-init takes the hostname from the VM name).
     */
    public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(Capability.INVENTORY,
            Capability.LIST_VMS, Capability.CLONE_FULL, Capability.CLONE_LINKED, Capability.GUEST_CUSTOMIZATION,
            Capability.CLOUD_INIT, Capability.DISKS, Capability.POWER, Capability.SUSPEND, Capability.RECONFIGURE,
            Capability.SNAPSHOTS, Capability.GUEST_IP, Capability.METADATA, Capability.DELETE, Capability.CANCEL_TASK));

    /** {@code proxmox.vmidMin}. */
    public static final String VMID_MIN = "proxmox.vmidMin";
    /** {@code proxmox.vmidMax}. */
    public static final String VMID_MAX = "proxmox.vmidMax";
    /** {@code proxmox.taskPollInitialMillis}. */
    public static final String TASK_POLL_INITIAL = "proxmox.taskPollInitialMillis";
    /** {@code proxmox.taskPollMaxMillis}. */
    public static final String TASK_POLL_MAX = "proxmox.taskPollMaxMillis";
    /** {@code proxmox.maxParallelClonesPerStorage}. */
    public static final String CLONES_PER_STORAGE = "proxmox.maxParallelClonesPerStorage";
    /** {@code proxmox.createLandingMillis}. */
    public static final String LANDING_MILLIS = "proxmox.createLandingMillis";
    /** {@code proxmox.ticketRenewMinutes}. */
    public static final String TICKET_RENEW_MINUTES = "proxmox.ticketRenewMinutes";

    private static final List<ProviderProperty> PROPERTIES = List.of(
            ProviderProperty.builder(VMID_MIN, ProviderProperty.Type.INTEGER).defaultValue("100000").range(100, 999_999_999)
                    .description("The smallest VMID the SDK picks for a new VM.").build(),
            ProviderProperty.builder(VMID_MAX, ProviderProperty.Type.INTEGER).defaultValue("999999").range(101, 999_999_999)
                    .description("The largest VMID the SDK picks for a new VM.").build(),
            ProviderProperty.builder(TASK_POLL_INITIAL, ProviderProperty.Type.INTEGER).defaultValue("100").range(1, 60_000)
                    .description("The first interval of task and state polls, in milliseconds.").build(),
            ProviderProperty.builder(TASK_POLL_MAX, ProviderProperty.Type.INTEGER).defaultValue("2000").range(1, 600_000)
                    .description("The longest interval of task and state polls, in milliseconds.").build(),
            ProviderProperty.builder(CLONES_PER_STORAGE, ProviderProperty.Type.INTEGER).defaultValue("4").range(1, 1024)
                    .description("Clones this connection runs at once per target storage (storages refuse more with lock timeouts).")
                    .build(),
            ProviderProperty.builder(TICKET_RENEW_MINUTES, ProviderProperty.Type.INTEGER).defaultValue("60").range(0, 119)
                    .description("How long a login ticket is used before it is renewed (PVE tickets live 2 h; 0 renews every time).")
                    .build(),
            ProviderProperty.builder(LANDING_MILLIS, ProviderProperty.Type.INTEGER).defaultValue("10000").range(100, 600_000)
                    .description("How long a clone whose answer was lost is looked for before it counts as not made and is sent again.")
                    .build());

    /** Cheap: no I/O, no threads. */
    public ProxmoxProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** {@code https://host:8006}: pveproxy's port. */
    @Override
    public boolean recognizes(java.net.URI endpoint) {
        return "https".equalsIgnoreCase(endpoint.getScheme()) && endpoint.getPort() == 8006;
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
    public List<ProviderProperty> properties() {
        return PROPERTIES;
    }

    @Override
    public Hypervisor connect(HypervisorConfig config) {
        return new ProxmoxHypervisor(config, PROPERTIES);
    }
}
