package io.dvmm.sdk.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.simulator.hyperv.HyperVSimulator;
import io.dvmm.sdk.testkit.ConnectionChurn;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What a closed connection leaves: nothing. Each of 200 connections authenticates, runs a command in a shell and is
 * closed; afterwards the SDK's threads and the process's file descriptors are back at the baseline with no
 * {@code System.gc()} (each connection's CXF bus is shut down with it), and the host holds no shell of theirs: close
 * deletes the shells it opened, as WinRM's quota of 30 shells per user would otherwise fill within a minute.
 */
class HyperVCloseTest {

    private static HyperVSimulator.Builder simulator() {
        return HyperVSimulator.builder().scripts(HyperVContractTest.catalog()).vms(3);
    }

    private static void churn(HyperVSimulator sim, Supplier<Hypervisor> connect) throws InterruptedException {
        ConnectionChurn.Result r = ConnectionChurn.of(connect, hv -> {
            try {
                hv.testConnection().get(60, TimeUnit.SECONDS);
                assertThat(hv.listVms(VmQuery.all()).get(60, TimeUnit.SECONDS)).hasSize(3);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).run(200);
        System.out.println("hyperv, after " + r);
        r.assertReleased();
        assertThat(sim.openShells()).as("every shell deleted on close").isEmpty();
        sim.violations().assertNone();
    }

    @Test
    void twoHundredClosedNtlmHttpsConnectionsLeaveNoThreadSocketOrShellBehind() throws InterruptedException {
        try (HyperVSimulator sim = simulator().basic(false).build().start()) {
            HypervisorConfig config = HypervisorConfig.builder(sim.sdkUri())
                    .credentials(Credentials.password(sim.username(), sim.password()))
                    .tls(TlsOptions.pinSha256(sim.certificateSha256())).build();
            churn(sim, () -> Hypervisors.connect(config));
        }
    }

    @Test
    void twoHundredClosedSealedHttpConnectionsLeaveNoThreadSocketOrShellBehind() throws InterruptedException {
        try (HyperVSimulator sim = simulator().tls(false).basic(false).allowUnencrypted(false).build().start()) {
            HypervisorConfig config = HypervisorConfig.builder(sim.sdkUri())
                    .credentials(Credentials.password(sim.username(), sim.password()))
                    .property(HyperVProvider.TRANSPORT, "http").build();
            churn(sim, () -> Hypervisors.connect(config));
        }
    }
}
