package io.dvmm.sdk.vsphere;

import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.testkit.contract.HypervisorContract;
import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.vsphere.internal.RequestCounter;

/**
 * The provider contract against vcsim's vCenter model (2 clusters' worth of hosts, a template
 * with a snapshot, simulated DHCP), with a standalone ESXi model as the limited connection.
 * Both simulators live as long as this test JVM (they exit when its stdin closes).
 */
class VsphereContractTest extends HypervisorContract {

    private static Vcsim vcenter;
    private static Vcsim esx;
    /**
     * Every connection of the suite reports to it: the requests that reached either simulator
     * because of a call (a connection's own housekeeping, such as its update dispatcher's long
     * poll answering in the background, is not a call's request).
     */
    private static final RequestCounter REQUESTS = RequestCounter.ofCalls();

    private static synchronized Vcsim vcenter() {
        if (vcenter == null) {
            vcenter = Vcsim.vcenter(1, 2, 3);
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
}
