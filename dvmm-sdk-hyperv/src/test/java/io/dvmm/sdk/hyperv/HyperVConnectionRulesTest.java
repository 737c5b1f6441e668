package io.dvmm.sdk.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.VmProvisionSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.cxf.BusFactory;
import org.junit.jupiter.api.Test;

/** What a connection refuses before any request, and how the transport behaves against hosts that do not answer. */
class HyperVConnectionRulesTest {

    private static HypervisorConfig.Builder config(String uri) {
        return HypervisorConfig.builder(uri).credentials(Credentials.password("Administrator", "secret"))
                .tls(TlsOptions.pinSha256("00".repeat(32)));
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void theProviderIsFoundAndDeclaresItsProperties() {
        assertThat(Hypervisors.provider("hyperv")).hasValueSatisfying(p -> {
            assertThat(p.capabilities()).isEqualTo(HyperVProvider.CAPABILITIES);
            assertThat(p.properties()).extracting(io.dvmm.sdk.ProviderProperty::key).contains(HyperVProvider.AUTH,
                    HyperVProvider.VM_ROOT, HyperVProvider.SHELLS, HyperVProvider.ALLOW_UNENCRYPTED_HTTP);
        });
        assertThatThrownBy(() -> Hypervisors.connect(config("hyperv://hv1:5986").property("hyperv.nosuch", "1").build()))
                .isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void basicOverPlainHttpNeedsTheOptInAndKerberosIsRefused() {
        assertThatThrownBy(() -> Hypervisors.connect(config("hyperv://hv1:5985").property(HyperVProvider.AUTH, "basic").build()))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.getMessage()).contains(HyperVProvider.ALLOW_UNENCRYPTED_HTTP));
        try (Hypervisor hv = Hypervisors.connect(config("hyperv://hv1:5985").property(HyperVProvider.AUTH, "basic")
                .property(HyperVProvider.ALLOW_UNENCRYPTED_HTTP, "true").build())) {
            assertThat(hv.type()).isEqualTo("hyperv");
        }
        try (Hypervisor hv = Hypervisors.connect(config("hyperv://hv1:5985").build())) {
            assertThat(hv.type()).as("NTLM seals plain HTTP: no opt-in needed").isEqualTo("hyperv");
        }
        assertThatThrownBy(() -> Hypervisors.connect(HypervisorConfig.builder("hyperv://hv1")
                .credentials(Credentials.providerSpecific("kerberos", Map.of("keytab", "/etc/krb5.keytab"))).build()))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("credentials"));
        assertThatThrownBy(() -> Hypervisors.connect(HypervisorConfig.builder("hyperv://hv1/wsman")
                .credentials(Credentials.password("a", "b")).build())).isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void aRefusedConnectionIsUnavailableAndTheJvmDefaultBusIsUntouched() throws IOException {
        boolean hadDefault = BusFactory.getDefaultBus(false) != null;
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (Hypervisor hv = Hypervisors.connect(config("hyperv://127.0.0.1:" + port).retry(io.dvmm.sdk.RetryPolicy.none()).build())) {
            Throwable e = failure(hv.testConnection());
            assertThat(e).isInstanceOf(UnavailableException.class);
            assertThat(((UnavailableException) e).retryable()).isTrue();
        }
        assertThat(BusFactory.getDefaultBus(false) != null).as("no JVM-wide default CXF bus set").isEqualTo(hadDefault);
    }

    @Test
    void aDeadlineShorterThanTheReadTimeoutIsHonoured() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            HypervisorConfig cfg = config("hyperv://127.0.0.1:" + silent.getLocalPort()).property(HyperVProvider.TRANSPORT, "http")
                    .property(HyperVProvider.ALLOW_UNENCRYPTED_HTTP, "true").readTimeout(Duration.ofSeconds(60)).build();
            try (Hypervisor hv = Hypervisors.connect(cfg)) {
                long start = System.nanoTime();
                Throwable e = failure(hv.createVm(VmProvisionSpec.builder().name("slow").template("t").build(),
                        OperationOptions.timeout(Duration.ofMillis(800))));
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(e).isInstanceOf(OperationTimeoutException.class);
                assertThat(took).as("failed at the deadline, not at the 60 s read timeout").isLessThan(800 + 1500);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void capabilitiesAreLocal() {
        try (Hypervisor hv = Hypervisors.connect(config("hyperv://192.0.2.1:5986").build())) {
            assertThat(hv.capabilities().join()).isEqualTo(HyperVProvider.CAPABILITIES);
        } catch (CompletionException e) {
            throw new AssertionError(e);
        }
    }
}
