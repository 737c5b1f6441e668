package io.dvmm.sdk.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.CircuitBreakerPolicy;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.Progress;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.UnavailableException;
import java.net.ConnectException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class RuntimeSupportTest {
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor();
    private static final ErrorContext CTX = ErrorContext.of("test", "op");

    @AfterAll
    static void stop() {
        SCHEDULER.shutdownNow();
    }

    private static HypervisorConfig config(int attempts, boolean breaker) {
        return HypervisorConfig.builder("test:/x")
                .retry(RetryPolicy.builder().maxAttempts(attempts).initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5)).build())
                .circuitBreaker(breaker ? CircuitBreakerPolicy.builder().slidingWindowSize(4).minimumCalls(4).openDuration(Duration.ofMinutes(1)).build()
                        : CircuitBreakerPolicy.disabled())
                .build();
    }

    @Test
    void pollerReturnsTheFirstValueAndCountsProbes() {
        AtomicInteger probes = new AtomicInteger();
        String v = new Poller(SCHEDULER).until(CTX, "value", new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 1.5),
                Deadline.after(Duration.ofSeconds(10)),
                () -> CompletableFuture.completedFuture(probes.incrementAndGet() == 3 ? Optional.of("ready") : Optional.<String>empty()))
                .join();
        assertThat(v).isEqualTo("ready");
        assertThat(probes).hasValue(3);
    }

    @Test
    void pollerTimesOutTypedAndStopsWhenCancelled() {
        CompletableFuture<String> never = new Poller(SCHEDULER).until(CTX, "Godot", Backoff.tasks(),
                Deadline.after(Duration.ofMillis(50)), () -> CompletableFuture.completedFuture(Optional.empty()));
        assertThatThrownBy(never::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(OperationTimeoutException.class).hasMessageContaining("waiting for Godot");

        AtomicInteger probes = new AtomicInteger();
        CompletableFuture<String> f = new Poller(SCHEDULER).until(CTX, "x", new Backoff(Duration.ofMillis(20), Duration.ofMillis(20), 1),
                Deadline.after(Duration.ofSeconds(10)), () -> {
                    probes.incrementAndGet();
                    return CompletableFuture.completedFuture(Optional.empty());
                });
        f.cancel(true);
        int after = probes.get();
        new Poller(SCHEDULER).delay(100_000_000L).join();
        assertThat(probes.get()).as("no probe after cancel").isLessThanOrEqualTo(after + 1);
    }

    @Test
    void backoffGrowsToItsCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0);
        assertThat(b.interval(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(b.interval(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.interval(10)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void progressIsOrderedAndNeverDecreases() {
        List<Progress> seen = Collections.synchronizedList(new ArrayList<>());
        ProgressReporter r = new ProgressReporter("createVm", seen::add);
        r.report(Progress.Stage.CLONE, 10, "a");
        r.report(Progress.Stage.CLONE, 5, "b");
        r.report(Progress.Stage.CLONE, 5, "b");
        r.reportSlice(Progress.Stage.CONFIGURE, 50, 60, 50, "c");
        r.report(Progress.Stage.WAIT_IP, -1, "d");
        assertThat(seen).extracting(p -> p.percent().orElse(-1)).containsExactly(10, 10, 55, 55);
        ProgressReporter throwing = new ProgressReporter("x", p -> {
            throw new IllegalStateException("listener bug");
        });
        throwing.report(Progress.Stage.DONE, 1, "m");
        assertThat(throwing.lastPercent()).isEqualTo(1);
    }

    @Test
    void idempotentCallsAreRetriedOnRetryableErrors() {
        CallPolicy policy = new CallPolicy("test", config(3, false), SCHEDULER);
        AtomicInteger attempts = new AtomicInteger();
        String v = policy.call("getVm", true, () -> attempts.incrementAndGet() < 3
                ? CompletableFuture.failedFuture(new UnavailableException("596 broken pipe", CTX))
                : CompletableFuture.completedFuture("ok")).join();
        assertThat(v).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void nonIdempotentCallsAreRetriedOnlyWhenTheyNeverReachedTheServer() {
        CallPolicy policy = new CallPolicy("test", config(3, false), SCHEDULER);
        AtomicInteger sent = new AtomicInteger();
        assertThatThrownBy(() -> policy.call("createVm", false, () -> {
            sent.incrementAndGet();
            return CompletableFuture.failedFuture(new UnavailableException("read timed out", CTX));
        }).join()).hasCauseInstanceOf(UnavailableException.class);
        assertThat(sent).as("a request that may have reached the server is not repeated").hasValue(1);

        AtomicInteger refused = new AtomicInteger();
        assertThat(policy.call("createVm", false, () -> refused.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new UnavailableException("refused", CTX, new ConnectException("refused")))
                : CompletableFuture.completedFuture("created")).join()).isEqualTo("created");
        assertThat(refused).hasValue(2);

        AtomicInteger conflicts = new AtomicInteger();
        assertThatThrownBy(() -> policy.call("getVm", true, () -> {
            conflicts.incrementAndGet();
            return CompletableFuture.failedFuture(new ConflictException("exists", CTX));
        }).join()).hasCauseInstanceOf(ConflictException.class);
        assertThat(conflicts).as("non-retryable errors are not retried").hasValue(1);
    }

    @Test
    void theBreakerOpensAfterRepeatedOutagesAndFailsFast() {
        CallPolicy policy = new CallPolicy("test", config(1, true), SCHEDULER);
        AtomicInteger sent = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> policy.call("listVms", true, () -> {
                sent.incrementAndGet();
                return CompletableFuture.failedFuture(new UnavailableException("down", CTX));
            }).join()).hasCauseInstanceOf(UnavailableException.class);
        }
        assertThatThrownBy(() -> policy.call("listVms", true, () -> {
            sent.incrementAndGet();
            return CompletableFuture.completedFuture("up");
        }).join()).hasCauseInstanceOf(UnavailableException.class).hasMessageContaining("circuit breaker is open");
        assertThat(sent).hasValue(4);
    }

    @Test
    void theLimiterBoundsRequestsInFlight() {
        AsyncLimiter limiter = new AsyncLimiter(2);
        List<CompletableFuture<Integer>> gates = new ArrayList<>();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CompletableFuture<Integer> gate = new CompletableFuture<>();
            gates.add(gate);
            results.add(limiter.submit(() -> gate));
        }
        gates.forEach(g -> g.complete(1));
        assertThat(results.stream().mapToInt(CompletableFuture::join).sum()).isEqualTo(5);
        assertThat(limiter.peakInFlight()).isEqualTo(2);
    }

    @Test
    void insecureIsAnExplicitOptInThatWarnsAndTouchesNoJvmDefault() throws Exception {
        javax.net.ssl.SSLContext before = javax.net.ssl.SSLContext.getDefault();
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        TlsSupport.Material m;
        try {
            m = TlsSupport.create(TlsOptions.insecure(), "test", "https://lab:8006");
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("WARN").contains("verification is DISABLED for https://lab:8006");
        assertThat(m.verifyHostname()).isFalse();
        assertThat(javax.net.ssl.SSLContext.getDefault()).isSameAs(before);
        assertThat(javax.net.ssl.HttpsURLConnection.getDefaultSSLSocketFactory()).isNotSameAs(m.sslContext().getSocketFactory());
    }

    @Test
    void aPinAcceptsExactlyThePinnedCertificate() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        X509Certificate[] known = ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers();
        assertThat(known).hasSizeGreaterThan(1);
        X509Certificate pinned = known[0];
        X509Certificate other = known[1];
        TlsSupport.Material m = TlsSupport.create(TlsOptions.pinSha256(TlsSupport.sha256Fingerprint(pinned)), "test", "x");
        assertThat(m.verifyHostname()).isFalse();
        m.trustManager().checkServerTrusted(new X509Certificate[] {pinned}, "RSA");
        assertThatThrownBy(() -> m.trustManager().checkServerTrusted(new X509Certificate[] {other}, "RSA"))
                .hasMessageContaining("does not match the pinned");
        assertThat(TlsSupport.create(TlsOptions.systemTrust(), "test", "x").verifyHostname()).isTrue();
    }
}
