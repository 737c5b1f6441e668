package io.dvmm.sdk.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.CircuitBreakerPolicy;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.UnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CallPolicyTest {
    private static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(2);
    private static final ErrorContext CTX = ErrorContext.of("test", "getVm");

    @AfterAll
    static void stop() {
        SCHEDULER.shutdownNow();
    }

    private static HypervisorConfig.Builder config() {
        return HypervisorConfig.builder("test:/x").readTimeout(Duration.ofSeconds(5))
                .retry(RetryPolicy.builder().maxAttempts(4).initialBackoff(Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(2)).build());
    }

    @Test
    void aRequestRefusedByAnOpenBreakerFailsAtOnceWithoutBackOff() {
        CallPolicy policy = new CallPolicy("test", config().circuitBreaker(CircuitBreakerPolicy.builder().slidingWindowSize(4)
                .minimumCalls(4).openDuration(Duration.ofMinutes(1)).build()).build(), SCHEDULER);
        for (int i = 0; i < 4; i++) {
            CompletableFuture<String> f = policy.call("getVm", true, () -> CompletableFuture.failedFuture(
                    new UnavailableException("down", CTX, new java.net.ConnectException("refused"))));
            assertThatThrownBy(f::join).hasCauseInstanceOf(UnavailableException.class);
        }
        AtomicInteger sent = new AtomicInteger();
        long start = System.nanoTime();
        CompletableFuture<String> refused = policy.call("getVm", true, () -> {
            sent.incrementAndGet();
            return CompletableFuture.completedFuture("never");
        });
        assertThatThrownBy(refused::join).hasCauseInstanceOf(UnavailableException.class).hasMessageContaining("circuit breaker");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(50));
        assertThat(sent).hasValue(0);
    }

    @Test
    void retryAfterIsHonouredButNeverPastTheDeadline() {
        CallPolicy policy = new CallPolicy("test", config().circuitBreaker(CircuitBreakerPolicy.disabled()).build(), SCHEDULER);
        List<Long> at = new ArrayList<>();
        long start = System.nanoTime();
        CompletableFuture<String> f = policy.call("getVm", true, null, timeout -> {
            at.add(System.nanoTime() - start);
            return at.size() < 2 ? CompletableFuture.failedFuture(new UnavailableException("busy",
                    CTX.toBuilder().serverCode("503").retryAfter(Duration.ofMillis(900)).build()))
                    : CompletableFuture.completedFuture("ok");
        });
        assertThat(f.join()).isEqualTo("ok");
        assertThat(Duration.ofNanos(at.get(1) - at.get(0))).as("waited the server's Retry-After, not the 200 ms back-off")
                .isGreaterThanOrEqualTo(Duration.ofMillis(850));

        Deadline deadline = Deadline.after(Duration.ofMillis(300));
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> g = policy.call("getVm", true, deadline, timeout -> {
            attempts.incrementAndGet();
            assertThat(timeout).isLessThanOrEqualTo(Duration.ofMillis(300));
            return CompletableFuture.failedFuture(new UnavailableException("busy",
                    CTX.toBuilder().retryAfter(Duration.ofSeconds(30)).build()));
        });
        long t0 = System.nanoTime();
        assertThatThrownBy(g::join).hasCauseInstanceOf(io.dvmm.sdk.HypervisorException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void anAttemptThatOutlivesItsTimeoutFails() {
        CallPolicy policy = new CallPolicy("test", config().readTimeout(Duration.ofMillis(200)).retry(RetryPolicy.none()).build(),
                SCHEDULER);
        long start = System.nanoTime();
        CompletableFuture<String> hung = policy.call("getVm", true, CompletableFuture::new);
        assertThatThrownBy(hung::join).hasCauseInstanceOf(OperationTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200).plus(CallPolicy.SLACK).plusMillis(400));
    }

    @Test
    void anIdempotentAttemptThatTimesOutIsSentAgainAndAnotherIsNot() {
        CallPolicy policy = new CallPolicy("test", config().readTimeout(Duration.ofMillis(200)).build(), SCHEDULER);
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<String> read = policy.call("getVm", true, Deadline.after(Duration.ofSeconds(10)),
                timeout -> reads.incrementAndGet() == 1 ? new CompletableFuture<>() : CompletableFuture.completedFuture("ok"));
        assertThat(read.join()).isEqualTo("ok");
        assertThat(reads).hasValue(2);

        AtomicInteger creates = new AtomicInteger();
        CompletableFuture<String> create = policy.call("createVm", false, Deadline.after(Duration.ofSeconds(10)), timeout -> {
            creates.incrementAndGet();
            return new CompletableFuture<>();
        });
        assertThatThrownBy(create::join).hasCauseInstanceOf(OperationTimeoutException.class);
        assertThat(creates).as("a request that may have acted is never resent").hasValue(1);
    }
}
