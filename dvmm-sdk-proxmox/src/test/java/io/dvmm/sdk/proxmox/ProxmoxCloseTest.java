package io.dvmm.sdk.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import io.dvmm.sdk.testkit.ConnectionChurn;
import org.junit.jupiter.api.Test;

/**
 * What a closed connection leaves: nothing. Each of 200 connections logs in, lists and is closed; afterwards the
 * SDK's and OkHttp's per-client threads and the process's file descriptors are back at the baseline, with no
 * {@code System.gc()}: {@code close()} itself must shut the dispatcher down and evict the pooled sockets.
 */
class ProxmoxCloseTest {

    @Test
    void twoHundredClosedConnectionsLeaveNoThreadOrSocketBehind() throws InterruptedException {
        try (ProxmoxSimulator sim = ProxmoxSimulator.builder().nodes(2).vms(3).build().start()) {
            ConnectionChurn.Result r = ConnectionChurn.of(() -> Hypervisors.connect(SimulatorConfigs.token(sim).build()), hv -> {
                        SimulatorConfigs.await(hv.testConnection());
                        assertThat(SimulatorConfigs.await(hv.listVms())).isNotEmpty();
                    })
                    .sdkThreads(t -> t.getName().startsWith("dvmm-") || t.getName().startsWith("OkHttp http"))
                    .run(200);
            System.out.println("proxmox, after " + r);
            r.assertReleased();
        }
    }
}
