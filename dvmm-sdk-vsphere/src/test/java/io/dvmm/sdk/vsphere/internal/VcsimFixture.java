package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.TlsOptions;

import java.time.Duration;

/** Connections to a {@link Vcsim} for the provider's own tests, each counting its requests. */
final class VcsimFixture {

    private VcsimFixture() {
    }

    static HypervisorConfig.Builder config(Vcsim sim, TlsOptions tls) {
        return HypervisorConfig.builder(sim.vsphereUri())
                .credentials(Credentials.password(sim.username(), sim.password()))
                .tls(tls)
                .operationTimeout(Duration.ofSeconds(60));
    }

    static HypervisorConfig.Builder config(Vcsim sim, RequestCounter counter) {
        return config(sim, TlsOptions.pinSha256(sim.sha256())).requestListener(counter);
    }

    static VsphereHypervisor connect(Vcsim sim, RequestCounter counter) {
        return (VsphereHypervisor) Hypervisors.connect(config(sim, counter).build());
    }

    static VsphereHypervisor connect(Vcsim sim) {
        return connect(sim, new RequestCounter());
    }
}
