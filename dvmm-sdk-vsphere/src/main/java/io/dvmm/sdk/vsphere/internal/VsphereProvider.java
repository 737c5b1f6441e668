package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.spi.HypervisorProvider;

import java.util.Set;

/**
 * The vSphere provider: vCenter or standalone ESXi over the vim25 SOAP API, with URIs such as
 * {@code vsphere://vcenter.example.com/sdk}. Found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.dvmm.sdk.spi.HypervisorProvider}. Cheap to create; no I/O.
 */
public final class VsphereProvider implements HypervisorProvider {

    /** Creates the provider (for ServiceLoader). */
    public VsphereProvider() {
    }

    @Override
    public String type() {
        return VimErrors.PROVIDER;
    }

    @Override
    public String displayName() {
        return "VMware vSphere (vim25 SOAP)";
    }

    @Override
    public Set<Capability> capabilities() {
        return VsphereHypervisor.VCENTER_CAPABILITIES;
    }

    @Override
    public Hypervisor connect(HypervisorConfig config) {
        return new VsphereHypervisor(config);
    }
}
