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

    private final ProxmoxSimulator sim = ProxmoxSimulator.builder().nodes(2).taskDuration(Duration.ofMillis(100))
            .agentDelay(Duration.ofMillis(200)).build().start();

    @Override
    protected HypervisorConfig config() {
        return SimulatorConfigs.token(sim).build();
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
