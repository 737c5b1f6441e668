package io.dvmm.sdk.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.spi.support.TlsSupport;
import java.net.InetAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * winrm4j 0.12.3 applies TLS settings only on its NTLM path; its Basic path would use the JVM's defaults. Against a
 * bare HTTPS listener with a self-signed certificate: a wrong pin refuses the handshake (no request reaches the
 * listener) and the right pin lets the first envelope through, on both paths, with a Content-Length and without
 * chunking (reference §8.5, pitfall 1).
 */
class TlsOnEveryAuthPathTest {

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic", "ntlm"})
    void thePinDecidesOnEveryPath(String auth) throws Exception {
        HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
        HandshakeCertificates server = new HandshakeCertificates.Builder().heldCertificate(cert).build();
        try (MockWebServer listener = new MockWebServer()) {
            listener.useHttps(server.sslSocketFactory());
            listener.start(InetAddress.getLoopbackAddress(), 0);
            HypervisorConfig.Builder base = HypervisorConfig.builder("hyperv://127.0.0.1:" + listener.getPort())
                    .credentials(Credentials.password("Administrator", "wrong-password")).retry(RetryPolicy.none())
                    .property(HyperVProvider.AUTH, auth);

            try (Hypervisor wrong = Hypervisors.connect(base.tls(TlsOptions.pinSha256("ab".repeat(32))).build())) {
                Throwable e = failure(wrong.testConnection());
                assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageContaining("TLS");
                assertThat(((AuthenticationException) e).retryable()).isFalse();
            }
            assertThat(listener.getRequestCount()).as("no request passes a refused handshake").isZero();

            for (int i = 0; i < 8; i++) {
                // NTLM asks again after a 401; every answer refuses it
                listener.enqueue(new MockResponse.Builder().code(401).build());
            }
            String pin = TlsSupport.sha256Fingerprint(cert.certificate());
            // A 401 that names no scheme (a real host always names one) is resent once by CXF's asynchronous conduit, no
            // more (it used to resend until the read timeout passed); a short read timeout all the same. The request
            // arriving proves the handshake.
            try (Hypervisor right = Hypervisors.connect(base.tls(TlsOptions.pinSha256(pin))
                    .readTimeout(java.time.Duration.ofSeconds(3)).build())) {
                Throwable e = failure(right.testConnection());
                assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageNotContaining("wrong-password");
            }
            assertThat(listener.getRequestCount()).isGreaterThanOrEqualTo(1);
            RecordedRequest first = listener.takeRequest();
            assertThat(first.getHeaders().get("Transfer-Encoding")).isNull();
            assertThat(first.getHeaders().get("Content-Length")).isNotNull();
            assertThat(first.getHeaders().get("Content-Type")).startsWith("application/soap+xml");
            if (auth.equals("basic")) {
                assertThat(first.getHeaders().get("Authorization")).as("Basic is pre-emptive").startsWith("Basic ");
            }
        }
    }
}
