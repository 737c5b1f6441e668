package io.dvmm.sdk.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeyedSequencerTest {

    /**
     * Found by the PowerVM fault suite: a VIOS update with nothing to do completes at once, and the queue's clean-up
     * ran inside ConcurrentHashMap.compute of the same key; the map threw "Recursive update" into a callback and the
     * create waited forever.
     */
    @Test
    void aTaskThatCompletesAtOnceOnAFreshKeyCompletesItsFuture() throws Exception {
        KeyedSequencer s = new KeyedSequencer();
        CompletableFuture<String> f = s.submit("vios-1", () -> CompletableFuture.completedFuture("nothing to do"));
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("nothing to do");
        assertThat(s.busyKeys()).isZero();
        // and again, on the key now cleaned
        assertThat(s.submit("vios-1", () -> CompletableFuture.completedFuture("again")).get(5, TimeUnit.SECONDS)).isEqualTo("again");
        assertThat(s.busyKeys()).isZero();
    }

    @Test
    void tasksOfOneKeyRunInOrderAfterTheFailureOfAnEarlierOne() throws Exception {
        KeyedSequencer s = new KeyedSequencer();
        List<String> ran = new ArrayList<>();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<String> first = s.submit("k", () -> gate.thenApply(x -> {
            ran.add("first");
            throw new IllegalStateException("first failed");
        }));
        CompletableFuture<String> second = s.submit("k", () -> {
            ran.add("second");
            return CompletableFuture.completedFuture("second");
        });
        CompletableFuture<String> other = s.submit("other", () -> {
            ran.add("other");
            return CompletableFuture.completedFuture("other");
        });
        assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo("other");
        assertThat(second).as("waits for the first of its key").isNotDone();
        gate.complete(null);
        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(ran).containsExactly("other", "first", "second");
        assertThat(s.busyKeys()).isZero();
    }

    @Test
    void aTaskThatThrowsFailsItsFutureAndFreesTheKey() throws Exception {
        KeyedSequencer s = new KeyedSequencer();
        CompletableFuture<String> f = s.submit("k", () -> {
            throw new IllegalArgumentException("bad");
        });
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(s.submit("k", () -> CompletableFuture.completedFuture("ok")).get(5, TimeUnit.SECONDS)).isEqualTo("ok");
    }
}
