package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.TlsOptions;

import java.time.Duration;

/** Connections to a {@link Vcsim} for the provider's own tests. */
final class VcsimFixture {

    private VcsimFixture() {
    }

    static HypervisorConfig.Builder config(Vcsim sim, TlsOptions tls) {
        return HypervisorConfig.builder(sim.vsphereUri())
                .credentials(Credentials.password(sim.username(), sim.password()))
                .tls(tls)
                .operationTimeout(Duration.ofSeconds(60));
    }

    static VsphereHypervisor connect(Vcsim sim) {
        return (VsphereHypervisor) Hypervisors.connect(config(sim, TlsOptions.pinSha256(sim.sha256())).build());
    }

    /**
     * @param hv a connection
     * @param before its call counts taken earlier
     * @return the calls made since, by method name, zero counts left out
     */
    static java.util.Map<String, Long> callsSince(VsphereHypervisor hv, java.util.Map<String, Long> before) {
        java.util.Map<String, Long> d = new java.util.HashMap<>();
        hv.transport().callCounts().forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0) {
                d.put(k, n);
            }
        });
        return d;
    }
}
