package io.dvmm.sdk.vsphere;

import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.simulator.vsphere.VcsimModel;
import io.dvmm.sdk.testkit.contract.HypervisorContract;
import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.vsphere.internal.RequestCounter;

/**
 * The provider contract against vcsim's vCenter model (2 clusters' worth of hosts, a template
 * with a snapshot, simulated DHCP), with a standalone ESXi model as the limited connection.
 * Both simulators live as long as this test JVM (they exit when its stdin closes).
 */
class VsphereContractTest extends HypervisorContract {

    private static final String STAGING = "Staging";
    private static Vcsim vcenter;
    private static VmId hidden;
    private static Vcsim esx;
    /**
     * Every connection of the suite reports to it: the requests that reached either simulator
     * because of a call (a connection's own housekeeping, such as its update dispatcher's long
     * poll answering in the background, is not a call's request).
     */
    private static final RequestCounter REQUESTS = RequestCounter.ofCalls();

    private static synchronized Vcsim vcenter() {
        if (vcenter == null) {
            // A folder of one name in every datacenter (for VMs of one name in two folders), and a
            // restricted user who cannot see VMs named hidden-...
            vcenter = Vcsim.start(VcsimModel.vcenter().clusters(1).hostsPerCluster(2).vmsPerPool(3)
                    .folderInEveryDatacenter(STAGING).restrictedUser().build());
        }
        return vcenter;
    }

    private static synchronized Vcsim esx() {
        if (esx == null) {
            esx = Vcsim.esx(2);
        }
        return esx;
    }

    static HypervisorConfig configFor(Vcsim sim) {
        return HypervisorConfig.builder(sim.vsphereUri())
                .credentials(Credentials.password(sim.username(), sim.password()))
                .tls(TlsOptions.pinSha256(sim.sha256()))
                .operationTimeout(java.time.Duration.ofSeconds(60))
                .requestListener(REQUESTS)
                .build();
    }

    /** The vCenter simulator behind a pin that is not its certificate's. */
    @Override
    protected HypervisorConfig untrustedTlsConfig() {
        String pin = vcenter().sha256();
        String other = (pin.charAt(0) == '0' ? "1" : "0") + pin.substring(1);
        return config().toBuilder().tls(TlsOptions.pinSha256(other)).build();
    }

    @Override
    protected HypervisorConfig config() {
        return configFor(vcenter());
    }

    @Override
    protected HypervisorConfig limitedConfig() {
        return configFor(esx());
    }

    @Override
    protected String templateName() {
        return Vcsim.TEMPLATE;
    }

    @Override
    protected String networkName() {
        return "VM Network";
    }

    @Override
    protected String datastoreName() {
        return "LocalDS_0";
    }

    @Override
    protected long requestCount() {
        return REQUESTS.total();
    }

    @Override
    protected java.time.Duration operationTimeout() {
        return java.time.Duration.ofSeconds(60);
    }

    @Override
    protected String forbiddenName() {
        return "web[01]";
    }

    /** vSphere keeps names unique per folder only: one VM in the datacenter's VM folder, one in {@value #STAGING}. */
    @Override
    protected java.util.List<VmId> makeTwoVmsNamed(String name) {
        try (Hypervisor other = Hypervisors.connect(config())) {
            VmId a = other.createVm(baseSpec(name).build()).join().id();
            VmId b = other.createVm(baseSpec(name).placement(Placement.builder().folder(STAGING).build()).build()).join().id();
            return java.util.List.of(a, b);
        }
    }

    /** Every compute resource has a pool named "Resources": the cluster's and the standalone host's. */
    @Override
    protected Placement ambiguousPlacement() {
        return Placement.builder().resourcePool("Resources").build();
    }

    @Override
    protected HypervisorConfig restrictedConfig() {
        return config().toBuilder().credentials(Credentials.password(VcsimModel.RESTRICTED_USER, VcsimModel.RESTRICTED_PASSWORD))
                .build();
    }

    @Override
    protected synchronized VmId vmHiddenFromRestrictedConfig() {
        if (hidden == null) {
            try (Hypervisor admin = Hypervisors.connect(config())) {
                hidden = admin.createVm(baseSpec(VcsimModel.HIDDEN_PREFIX + uniqueName("vm")).build()).join().id();
            }
        }
        return hidden;
    }
}
