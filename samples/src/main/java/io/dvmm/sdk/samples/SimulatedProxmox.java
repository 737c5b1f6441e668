package io.dvmm.sdk.samples;

import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The Proxmox VE API simulator behind {@code QuickStart --simulate proxmox}, on loopback over
 * HTTPS with a pinned certificate. Its own class so that the samples run without the simulator on
 * the class path ({@code dvmm-sdk-simulator-proxmox} is provided scope: never a runtime dependency).
 */
final class SimulatedProxmox implements AutoCloseable {
    private final ProxmoxSimulator sim;

    private SimulatedProxmox(ProxmoxSimulator sim) {
        this.sim = sim;
    }

    static SimulatedProxmox start(PrintStream out) {
        ProxmoxSimulator sim = ProxmoxSimulator.builder().nodes(2).tls(true)
                .taskDuration(Duration.ofMillis(400)).agentDelay(Duration.ofMillis(800)).build().start();
        out.println("Started the Proxmox VE API simulator at " + sim.baseUrl() + " (certificate SHA-256 " + sim.certificateSha256() + ")");
        return new SimulatedProxmox(sim);
    }

    HypervisorConfig config() {
        return HypervisorConfig.builder(sim.sdkUri())
                .credentials(Credentials.apiToken(sim.apiTokenId(), sim.apiTokenSecret()))
                .tls(TlsOptions.pinSha256(sim.certificateSha256()))
                .build();
    }

    /** @return the SDK endpoint of the simulator, such as {@code proxmox://127.0.0.1:40123} */
    String endpoint() {
        return sim.sdkUri().toString();
    }

    /** @return the SHA-256 pin of its self-signed certificate */
    String pin() {
        return sim.certificateSha256();
    }

    /** @return the id of its API token */
    String tokenId() {
        return sim.apiTokenId();
    }

    /** @return the secret of its API token: what a vault would hold */
    String tokenSecret() {
        return sim.apiTokenSecret();
    }

    String template() {
        return sim.templateName();
    }

    String network() {
        return sim.networkName();
    }

    String datastore() {
        return sim.storageName();
    }

    @Override
    public void close() {
        sim.close();
    }
}
