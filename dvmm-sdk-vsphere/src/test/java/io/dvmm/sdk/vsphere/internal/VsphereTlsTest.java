package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.simulator.vsphere.WithVcsim;
import io.dvmm.sdk.ConnectionInfo;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.AuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-connection TLS against vcsim's self-signed certificate; vcsim started as a user would, with one annotation. */
@WithVcsim(clusters = 1, hostsPerCluster = 1, vmsPerPool = 1)
class VsphereTlsTest {

    @Test
    void selfSignedCertificateIsRefusedByDefault(Vcsim sim) {
        try (Hypervisor hv = Hypervisors.connect(VcsimFixture.config(sim, TlsOptions.systemTrust()).build())) {
            assertThatThrownBy(() -> hv.testConnection().join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("TLS")
                    .satisfies(e -> assertThat(((AuthenticationException) e).retryable()).isFalse());
        }
    }

    @Test
    void pinnedFingerprintIsAccepted(Vcsim sim) {
        try (Hypervisor hv = Hypervisors.connect(VcsimFixture.config(sim, TlsOptions.pinSha256(sim.sha256())).build())) {
            ConnectionInfo info = hv.testConnection().join();
            assertThat(info.product()).contains("vCenter");
            assertThat(info.apiVersion()).isNotBlank();
        }
    }

    @Test
    void wrongPinIsRefused(Vcsim sim) {
        String other = sim.sha256().startsWith("0") ? "1" + sim.sha256().substring(1) : "0" + sim.sha256().substring(1);
        try (Hypervisor hv = Hypervisors.connect(VcsimFixture.config(sim, TlsOptions.pinSha256(other)).build())) {
            assertThatThrownBy(() -> hv.testConnection().join())
                    .cause().isInstanceOf(AuthenticationException.class).hasMessageContaining("TLS");
        }
    }

    @Test
    void insecureIsAcceptedOnlyAfterAWarning(Vcsim sim) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Hypervisor hv;
        try {
            hv = Hypervisors.connect(VcsimFixture.config(sim, TlsOptions.insecure()).build());
        } finally {
            System.setErr(original);
        }
        try (hv) {
            String log = captured.toString(StandardCharsets.UTF_8);
            assertThat(log).contains("WARN").contains("DISABLED");
            assertThat(hv.testConnection().join().provider()).isEqualTo("vsphere");
        }
    }
}
