package io.dvmm.sdk.powervm;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.ProviderProperty;
import io.dvmm.sdk.powervm.internal.PowerVmHypervisor;
import io.dvmm.sdk.spi.HypervisorProvider;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code powervm} provider: IBM PowerVM through the HMC REST API
 * ({@code powervm://hmc1:12443/<managed system>}; port 443 on HMC V11 and later; the managed
 * system, by name or UUID, may be left out when the HMC manages one). Found through
 * {@code META-INF/services/io.dvmm.sdk.spi.HypervisorProvider}; register it by hand with
 * {@code Hypervisors.register(new PowerVmProvider())} where that file is lost.
 */
public final class PowerVmProvider implements HypervisorProvider {

    /** The provider type and URI scheme. */
    public static final String TYPE = "powervm";

    /**
     * What an HMC connection can do. Not {@link Capability#SNAPSHOTS} (PowerVM has none) nor
     * {@link Capability#SUSPEND} (suspend and resume are not PowerVM operations), nor
     * {@link Capability#METADATA} (an LPAR has no field a client may fill with its own text).
     * Guest customization goes through a cloud-init {@code cidata} ISO in a VIOS media repository,
     * mapped as virtual optical media; {@link Capability#CLONE_FULL} means an empty boot disk for a
     * network install and needs {@link PowerVmOptions.Builder#emptyBootDisk(boolean)}.
     */
    public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(Capability.INVENTORY,
            Capability.LIST_VMS, Capability.CLONE_FULL, Capability.CLONE_LINKED, Capability.GUEST_CUSTOMIZATION,
            Capability.CUSTOM_HOSTNAME, Capability.CLOUD_INIT, Capability.USER_DATA, Capability.DISKS, Capability.POWER,
            Capability.RECONFIGURE, Capability.GUEST_IP, Capability.DELETE, Capability.CANCEL_TASK));

    /** {@code powervm.jobPollInitialMillis}. */
    public static final String JOB_POLL_INITIAL = "powervm.jobPollInitialMillis";
    /** {@code powervm.jobPollMaxMillis}. */
    public static final String JOB_POLL_MAX = "powervm.jobPollMaxMillis";
    /** {@code powervm.rmcPollInitialMillis}. */
    public static final String RMC_POLL_INITIAL = "powervm.rmcPollInitialMillis";
    /** {@code powervm.rmcPollMaxMillis}. */
    public static final String RMC_POLL_MAX = "powervm.rmcPollMaxMillis";
    /** {@code powervm.viosBusyRetryMillis}. */
    public static final String VIOS_BUSY_STEP = "powervm.viosBusyRetryMillis";
    /** {@code powervm.etagRetries}. */
    public static final String ETAG_RETRIES = "powervm.etagRetries";
    /** {@code powervm.templateNamePattern}. */
    public static final String TEMPLATE_PATTERN = "powervm.templateNamePattern";
    /** {@code powervm.createLandingMillis}. */
    public static final String LANDING_MILLIS = "powervm.createLandingMillis";

    private static final List<ProviderProperty> PROPERTIES = List.of(
            ProviderProperty.builder(JOB_POLL_INITIAL, ProviderProperty.Type.INTEGER).defaultValue("1000").range(1, 60_000)
                    .description("The first interval of job polls, in milliseconds.").build(),
            ProviderProperty.builder(JOB_POLL_MAX, ProviderProperty.Type.INTEGER).defaultValue("30000").range(1, 600_000)
                    .description("The longest interval of job polls, in milliseconds.").build(),
            ProviderProperty.builder(RMC_POLL_INITIAL, ProviderProperty.Type.INTEGER).defaultValue("2000").range(1, 600_000)
                    .description("The first interval of the polls for an LPAR's state, RMC connection and RMC IP address, in milliseconds.")
                    .build(),
            ProviderProperty.builder(RMC_POLL_MAX, ProviderProperty.Type.INTEGER).defaultValue("30000").range(1, 600_000)
                    .description("The longest interval of those polls, in milliseconds.").build(),
            ProviderProperty.builder(VIOS_BUSY_STEP, ProviderProperty.Type.INTEGER).defaultValue("5000").range(1, 600_000)
                    .description("The linear back-off step after a VIOS-busy answer (HSCL3205, VIOS0014, 503): the n-th waits n steps.")
                    .build(),
            ProviderProperty.builder(ETAG_RETRIES, ProviderProperty.Type.INTEGER).defaultValue("60").range(1, 100)
                    .description("How often an update refused with 412 (the object changed) is read again, reapplied and sent again (pypowervm: 60 for mappings).")
                    .build(),
            ProviderProperty.builder(TEMPLATE_PATTERN, ProviderProperty.Type.STRING).defaultValue("*template*")
                    .description("Glob of the LPAR names that are reference LPARs (templates): listed as templates, never as VMs.")
                    .build(),
            ProviderProperty.builder(LANDING_MILLIS, ProviderProperty.Type.INTEGER).defaultValue("20000").range(100, 600_000)
                    .description("How long an LPAR create whose answer was lost is looked for before it counts as not made.")
                    .build());

    /** Cheap: no I/O, no threads. */
    public PowerVmProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "IBM PowerVM (HMC REST)";
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
        return new PowerVmHypervisor(config, PROPERTIES);
    }
}
