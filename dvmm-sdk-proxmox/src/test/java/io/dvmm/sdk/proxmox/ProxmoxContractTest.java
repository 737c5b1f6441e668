package io.dvmm.sdk.proxmox;

import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.testkit.contract.HypervisorContract;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole contract suite against the Proxmox simulator over HTTPS with a pinned certificate
 * and API-token auth. After the run, no request may have broken the official PVE schema.
 */
class ProxmoxContractTest extends HypervisorContract {

    private static final String RESTRICTED_TOKEN = "portal@pve!tenant-a";
    private static final int HIDDEN_VMID = 4242;

    private final ProxmoxSimulator sim = ProxmoxSimulator.builder().nodes(2).taskDuration(Duration.ofMillis(100))
            .agentDelay(Duration.ofMillis(200)).build().start()
            .addRestrictedToken(RESTRICTED_TOKEN, "7b3c0d2e-0000-4000-8000-00000000a11c")
            .addVm("pve2", HIDDEN_VMID, "someone-elses-vm", true);
    private int nextTwin = 4300;

    @Override
    protected HypervisorConfig config() {
        return SimulatorConfigs.token(sim).build();
    }

    @Override
    protected HypervisorConfig restrictedConfig() {
        return config().toBuilder().credentials(io.dvmm.sdk.Credentials.apiToken(RESTRICTED_TOKEN + "=7b3c0d2e-0000-4000-8000-00000000a11c"))
                .build();
    }

    @Override
    protected io.dvmm.sdk.VmId vmHiddenFromRestrictedConfig() {
        return io.dvmm.sdk.VmId.of(Integer.toString(HIDDEN_VMID));
    }

    /** PVE does not keep names unique: another tool can make two VMs of one name. */
    @Override
    protected java.util.List<io.dvmm.sdk.VmId> makeTwoVmsNamed(String name) {
        int a = nextTwin++;
        int b = nextTwin++;
        sim.addVm("pve1", a, name, false).addVm("pve2", b, name, false);
        return java.util.List.of(io.dvmm.sdk.VmId.of(Integer.toString(a)), io.dvmm.sdk.VmId.of(Integer.toString(b)));
    }

    /** The system trust store does not know the simulator's self-signed certificate. */
    @Override
    protected HypervisorConfig untrustedTlsConfig() {
        return config().toBuilder().tls(io.dvmm.sdk.TlsOptions.systemTrust()).build();
    }

    @Override
    protected String templateName() {
        return sim.templateName();
    }

    @Override
    protected String networkName() {
        return sim.networkName();
    }

    @Override
    protected String datastoreName() {
        return sim.storageName();
    }

    @Override
    protected long requestCount() {
        return sim.totalRequests();
    }

    @AfterAll
    void noRequestBrokeTheSchemaThenStop() {
        try {
            sim.assertNoViolations();
        } finally {
            sim.close();
        }
    }
}
