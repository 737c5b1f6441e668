package io.dvmm.sdk.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.simulator.powervm.PowerVmSimulator;
import io.dvmm.sdk.testkit.ConnectionChurn;
import org.junit.jupiter.api.Test;

/**
 * What a closed connection leaves: nothing. Each of 200 connections logs on to the HMC, lists the partitions and is
 * closed (which logs off); afterwards the SDK's and OkHttp's per-client threads and the process's file descriptors
 * are back at the baseline, with no {@code System.gc()}; the HMC holds no session of theirs.
 */
class PowerVmCloseTest {

    @Test
    void twoHundredClosedConnectionsLeaveNoThreadSocketOrSessionBehind() throws InterruptedException {
        try (PowerVmSimulator sim = SimulatorConfigs.simulator().start()) {
            ConnectionChurn.Result r = ConnectionChurn.of(() -> Hypervisors.connect(SimulatorConfigs.config(sim).build()), hv -> {
                        SimulatorConfigs.await(hv.testConnection());
                        assertThat(SimulatorConfigs.await(hv.listVms())).isNotEmpty();
                    })
                    .sdkThreads(t -> t.getName().startsWith("dvmm-") || t.getName().startsWith("OkHttp http"))
                    .run(200);
            System.out.println("powervm, after " + r);
            r.assertReleased();
            assertThat(sim.sessionCount()).as("every session logged off").isZero();
        }
    }
}
