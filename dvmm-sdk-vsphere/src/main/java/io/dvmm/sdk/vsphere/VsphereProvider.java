package io.dvmm.sdk.vsphere;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.ProviderProperty;
import io.dvmm.sdk.spi.HypervisorProvider;
import io.dvmm.sdk.vsphere.internal.VsphereHypervisor;

import java.util.List;
import java.util.Set;

/**
 * The {@code vsphere} provider: vCenter or standalone ESXi over the vim25 SOAP API, with URIs such as
 * {@code vsphere://vcenter.example.com/sdk}. Found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.dvmm.sdk.spi.HypervisorProvider}; register it by hand with
 * {@code Hypervisors.register(new VsphereProvider())} where that file is lost (a shaded jar, a container
 * that hides the services files). Cheap to create; no I/O.
 */
public final class VsphereProvider implements HypervisorProvider {

    /** The provider type and URI scheme. */
    public static final String TYPE = "vsphere";

    /**
     * {@code vsphere.keepaliveSeconds}: seconds between the {@code CurrentTime} calls that keep the session
     * from idling out.
     */
    public static final String KEEPALIVE_SECONDS = "vsphere.keepaliveSeconds";

    /** Every key the provider reads; {@code Hypervisors.connect} refuses others and values that do not fit. */
    private static final List<ProviderProperty> PROPERTIES = List.of(
            ProviderProperty.builder(KEEPALIVE_SECONDS, ProviderProperty.Type.INTEGER).defaultValue("300").range(1, 1800)
                    .description("Seconds between CurrentTime keepalive calls that stop the session from idling out "
                            + "(vCenter ends idle sessions after about 30 minutes).").build());

    /** Creates the provider (for ServiceLoader, or for {@code Hypervisors.register}). */
    public VsphereProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "VMware vSphere (vim25 SOAP)";
    }

    /** What a vCenter connection can do; a standalone ESXi host reports fewer once connected (no cloning). */
    @Override
    public Set<Capability> capabilities() {
        return VsphereHypervisor.VCENTER_CAPABILITIES;
    }

    @Override
    public List<ProviderProperty> properties() {
        return PROPERTIES;
    }

    @Override
    public Hypervisor connect(HypervisorConfig config) {
        return new VsphereHypervisor(config, PROPERTIES);
    }
}
