package io.dvmm.sdk.powervm;

import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.simulator.powervm.PowerVmSimulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Connection settings for the tests: the HMC simulator over real HTTPS, its certificate pinned, short polls. */
final class SimulatorConfigs {

    private SimulatorConfigs() {
    }

    /** A simulator with room for the suites: the captured system has 1 processor unit free. */
    static PowerVmSimulator.Builder simulator() {
        return PowerVmSimulator.builder().jobDurations(Duration.ofMillis(10), Duration.ofMillis(40))
                .rmcDelay(Duration.ofMillis(80), Duration.ofMillis(120)).systemCapacity(1_048_576, 256);
    }

    static HypervisorConfig.Builder config(PowerVmSimulator sim) {
        return HypervisorConfig.builder("powervm://" + sim.host() + ":" + sim.port() + "/" + sim.managedSystemName())
                .credentials(Credentials.password(sim.username(), sim.password()))
                .tls(TlsOptions.pinSha256(sim.certificateSha256()))
                .property(PowerVmProvider.JOB_POLL_INITIAL, "20")
                .property(PowerVmProvider.JOB_POLL_MAX, "200")
                .property(PowerVmProvider.RMC_POLL_INITIAL, "30")
                .property(PowerVmProvider.RMC_POLL_MAX, "200")
                .property(PowerVmProvider.VIOS_BUSY_STEP, "20")
                .property(PowerVmProvider.LANDING_MILLIS, "2000");
    }

    /** Waits up to a minute; a failure surfaces as a {@link CompletionException} around the SDK's error. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
