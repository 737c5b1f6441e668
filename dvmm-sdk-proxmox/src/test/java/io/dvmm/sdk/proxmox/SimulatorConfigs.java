package io.dvmm.sdk.proxmox;

import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Connection settings for the tests: the simulator over real HTTPS, its certificate pinned. */
final class SimulatorConfigs {

    private SimulatorConfigs() {
    }

    static HypervisorConfig.Builder token(ProxmoxSimulator sim) {
        return base(sim).credentials(Credentials.apiToken(sim.apiTokenId(), sim.apiTokenSecret()));
    }

    static HypervisorConfig.Builder password(ProxmoxSimulator sim) {
        return base(sim).credentials(Credentials.password(sim.username(), sim.password()));
    }

    private static HypervisorConfig.Builder base(ProxmoxSimulator sim) {
        return HypervisorConfig.builder(sim.sdkUri())
                .tls(TlsOptions.pinSha256(sim.certificateSha256()))
                .property("proxmox.taskPollInitialMillis", "50")
                .property("proxmox.taskPollMaxMillis", "500");
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
