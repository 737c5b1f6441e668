package io.dvmm.sdk.spi.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncLimiterTest {

    @Test
    void aHundredThousandSynchronouslyCompletingCallsThroughALimitOfOneAllComplete() {
        AsyncLimiter limiter = new AsyncLimiter(1);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        // The first call holds the only slot, so the other 99,999 queue; releasing it drains them all on this thread.
        CompletableFuture<Integer> first = limiter.submit(() -> gate.thenApply(x -> 0));
        List<CompletableFuture<Integer>> rest = new ArrayList<>();
        for (int i = 1; i < 100_000; i++) {
            int n = i;
            rest.add(limiter.submit(() -> CompletableFuture.completedFuture(n)));
        }
        assertThat(limiter.queued()).isEqualTo(99_999);
        gate.complete(null);
        assertThat(first).isCompletedWithValue(0);
        for (int i = 0; i < rest.size(); i++) {
            assertThat(rest.get(i).join()).isEqualTo(i + 1);
        }
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.queued()).isZero();
        assertThat(limiter.peakInFlight()).isEqualTo(1);
    }

    @Test
    void aCancelledQueuedCallNeverRunsAndFreesNothingItDidNotTake() {
        AsyncLimiter limiter = new AsyncLimiter(1);
        CompletableFuture<String> gate = new CompletableFuture<>();
        CompletableFuture<String> running = limiter.submit(() -> gate);
        AtomicInteger ran = new AtomicInteger();
        CompletableFuture<String> queued = limiter.submit(() -> {
            ran.incrementAndGet();
            return CompletableFuture.completedFuture("should not run");
        });
        CompletableFuture<String> after = limiter.submit(() -> CompletableFuture.completedFuture("after"));
        assertThat(queued.cancel(true)).isTrue();
        assertThat(limiter.queued()).isEqualTo(1);
        gate.complete("first");
        assertThat(running).isCompletedWithValue("first");
        assertThat(after).isCompletedWithValue("after");
        assertThat(ran).hasValue(0);
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void aCallThatThrowsFailsItsFutureAndReleasesTheSlot() {
        AsyncLimiter limiter = new AsyncLimiter(1);
        CompletableFuture<String> bad = limiter.submit(() -> {
            throw new IllegalStateException("boom");
        });
        assertThat(bad).isCompletedExceptionally();
        assertThat(limiter.submit(() -> CompletableFuture.completedFuture("ok"))).isCompletedWithValue("ok");
        assertThat(limiter.inFlight()).isZero();
    }
}
