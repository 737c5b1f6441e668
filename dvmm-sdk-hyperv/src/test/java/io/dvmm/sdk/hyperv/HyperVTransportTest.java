package io.dvmm.sdk.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.ConnectionInfo;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.simulator.hyperv.HyperVSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The transport's authentication paths against the WinRM simulator: NTLM over HTTPS (certificate pinned), NTLM with
 * message encryption over plain HTTP (the simulator, as Windows with AllowUnencrypted=false, refuses anything
 * unsealed), and Basic over plain HTTP, which needs the opt-in property and logs a WARN.
 */
class HyperVTransportTest {

    private static HyperVSimulator.Builder simulator() {
        return HyperVSimulator.builder().scripts(HyperVContractTest.catalog()).vms(3);
    }

    private static HypervisorConfig.Builder config(HyperVSimulator sim) {
        return HypervisorConfig.builder(sim.sdkUri()).credentials(Credentials.password(sim.username(), sim.password()))
                .retry(RetryPolicy.none());
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    /** Runs {@code action} with stderr (where slf4j-simple writes) captured; returns what was written. */
    private static String stderrOf(Supplier<?> action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.get();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ntlmOverHttpsAuthenticatesAndRuns() throws Exception {
        try (HyperVSimulator sim = simulator().basic(false).build().start();
             Hypervisor hv = Hypervisors.connect(config(sim).tls(TlsOptions.pinSha256(sim.certificateSha256())).build())) {
            ConnectionInfo info = await(hv.testConnection());
            assertThat(info.product()).contains("Windows Server");
            assertThat(await(hv.listVms(VmQuery.all()))).hasSize(3);
            assertThat(sim.count(HyperVSimulator.UNAUTHORIZED)).as("the NTLM handshake's two 401s").isGreaterThanOrEqualTo(2);
            sim.violations().assertNone();
        }
    }

    @Test
    void ntlmOverPlainHttpIsSealedWithoutAnOptInAndSurvivesConcurrency() throws Exception {
        try (HyperVSimulator sim = simulator().tls(false).basic(false).allowUnencrypted(false).build().start()) {
            List<VmInfo> listed = new ArrayList<>();
            String log = stderrOf(() -> {
                try (Hypervisor hv = Hypervisors.connect(config(sim).property(HyperVProvider.TRANSPORT, "http")
                        .property(HyperVProvider.SHELLS, "4").build())) {
                    List<CompletableFuture<List<VmInfo>>> all = new ArrayList<>();
                    for (int i = 0; i < 12; i++) {
                        all.add(hv.listVms(VmQuery.all()));
                    }
                    for (CompletableFuture<List<VmInfo>> f : all) {
                        listed.addAll(await(f));
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return null;
            });
            assertThat(listed).hasSize(12 * 3);
            assertThat(sim.scriptCount("list-vms")).isEqualTo(12);
            assertThat(sim.count(HyperVSimulator.CREATE)).as("one shell (and channel) per concurrent command, at most 4")
                    .isBetween(1L, 4L);
            sim.violations().assertNone();
            assertThat(log).doesNotContain("WARN");
        }
    }

    @Test
    void basicOverPlainHttpIsRefusedWithoutTheOptInBeforeAnyRequest() {
        try (HyperVSimulator sim = simulator().tls(false).basic(true).allowUnencrypted(true).build().start()) {
            assertThatThrownBy(() -> Hypervisors.connect(config(sim).property(HyperVProvider.TRANSPORT, "http")
                    .property(HyperVProvider.AUTH, "basic").build()))
                    .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                        assertThat(e.field()).isEqualTo("endpoint");
                        assertThat(e.getMessage()).contains(HyperVProvider.ALLOW_UNENCRYPTED_HTTP);
                    });
            assertThat(sim.counts()).as("no request reached the host").isEmpty();
        }
    }

    @Test
    void basicOverPlainHttpWorksWithTheOptInAndLogsAWarning() throws Exception {
        try (HyperVSimulator sim = simulator().tls(false).basic(true).allowUnencrypted(true).build().start()) {
            List<Hypervisor> made = new ArrayList<>();
            String log = stderrOf(() -> made.add(Hypervisors.connect(config(sim).property(HyperVProvider.TRANSPORT, "http")
                    .property(HyperVProvider.AUTH, "basic").property(HyperVProvider.ALLOW_UNENCRYPTED_HTTP, "true").build())));
            try (Hypervisor hv = made.get(0)) {
                assertThat(log).contains("WARN").contains(HyperVProvider.ALLOW_UNENCRYPTED_HTTP).contains("in the clear")
                        .doesNotContain(sim.password());
                assertThat(await(hv.listVms(VmQuery.all()))).hasSize(3);
            }
            sim.violations().assertNone();
        }
    }

    @Test
    void basicOverPlainHttpToAHostThatRefusesUnencryptedIsAnAuthenticationFailure() throws Exception {
        try (HyperVSimulator sim = simulator().tls(false).basic(true).allowUnencrypted(false).build().start();
             Hypervisor hv = Hypervisors.connect(config(sim).property(HyperVProvider.TRANSPORT, "http")
                     .property(HyperVProvider.AUTH, "basic").property(HyperVProvider.ALLOW_UNENCRYPTED_HTTP, "true").build())) {
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> await(hv.testConnection()));
            assertThat(e.getCause()).isInstanceOf(AuthenticationException.class).hasMessageNotContaining(sim.password());
            assertThat(sim.count(HyperVSimulator.COMMAND)).isZero();
        }
    }
}
