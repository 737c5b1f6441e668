package io.dvmm.sdk.proxmox;

import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import io.dvmm.sdk.testkit.contract.ResourceDefaultsContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * The connection's resource defaults through the real Proxmox transport against the simulator:
 * a default node becomes the clone's {@code target}, a default storage its {@code storage}, a
 * default network the bridge of {@code net0}; each shows in the VM read back.
 */
class ProxmoxResourceDefaultsTest extends ResourceDefaultsContract {
    private final ProxmoxSimulator sim = ProxmoxSimulator.builder().nodes(2).taskDuration(Duration.ofMillis(50))
            .agentDelay(Duration.ofMillis(50)).build().start();

    @Override
    protected HypervisorConfig config() {
        return SimulatorConfigs.token(sim).build();
    }

    @Override
    protected String templateName() {
        return sim.templateName();
    }

    @Override
    protected List<String> hostNames() {
        return sim.nodeNames();
    }

    @Override
    protected List<String> datastoreNames() {
        return List.of("local", sim.storageName());
    }

    @Override
    protected List<String> networkNames() {
        return List.of(sim.networkName());
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
