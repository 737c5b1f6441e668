package io.dvmm.sdk.powervm;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.powervm.PowerVmSimulator;
import io.dvmm.sdk.testkit.contract.HypervisorContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole contract suite against the HMC simulator over HTTPS with a pinned certificate. The
 * fixtures are the simulator's reference LPAR {@value PowerVmSimulator#SSP_TEMPLATE} (its boot
 * disk an SSP logical unit mapped through both VIOSes), a virtual network and the shared storage
 * pool. The base spec is a linked clone (a full clone of a logical volume has no HMC API) and
 * carries the option that makes {@code CloneMode.FULL} an empty disk, as the capability says.
 * After the run, no request may have broken the HMC's element order or media types.
 */
class PowerVmContractTest extends HypervisorContract {

    private final PowerVmSimulator sim = SimulatorConfigs.simulator().start();
    private final String network;
    private final String datastore;

    PowerVmContractTest() {
        try (Hypervisor hv = Hypervisors.connect(config())) {
            Inventory inv = SimulatorConfigs.await(hv.inventory());
            this.network = inv.networks().get(0).name();
            this.datastore = inv.datastores().stream().filter(d -> d.type().equals("ssp")).findFirst().orElseThrow().name();
        }
    }

    @Override
    protected HypervisorConfig config() {
        return SimulatorConfigs.config(sim).build();
    }

    /** The system trust store does not know the simulator's self-signed certificate. */
    @Override
    protected HypervisorConfig untrustedTlsConfig() {
        return config().toBuilder().tls(TlsOptions.systemTrust()).build();
    }

    @Override
    protected VmProvisionSpec.Builder baseSpec(String name) {
        return super.baseSpec(name).cloneMode(CloneMode.LINKED)
                .providerOptions(PowerVmOptions.builder().emptyBootDisk(true).build());
    }

    /** Accepted by the portable rules, refused by the HMC's: at most 31 characters. */
    @Override
    protected String forbiddenName() {
        return "a-partition-name-longer-than-31-characters";
    }

    @Override
    protected String templateName() {
        return PowerVmSimulator.SSP_TEMPLATE;
    }

    @Override
    protected String networkName() {
        return network;
    }

    @Override
    protected String datastoreName() {
        return datastore;
    }

    @Override
    protected long requestCount() {
        return sim.totalRequests();
    }

    @AfterAll
    void noRequestBrokeTheHmcRulesThenStop() {
        try {
            sim.assertNoViolations();
        } finally {
            sim.close();
        }
    }
}
