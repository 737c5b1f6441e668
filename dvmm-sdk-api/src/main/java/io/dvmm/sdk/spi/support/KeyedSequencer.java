package io.dvmm.sdk.spi.support;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks of one key one after the other (updates of one server object, say, whose version a
 * concurrent update would make stale), tasks of different keys side by side, without holding a thread while a task
 * waits. A task starts once the previous task of its key has completed, successfully or not.
 *
 * <p>The key's queue is a chain of futures in a map that is only swapped ({@code put}) and cleaned ({@code remove}),
 * never changed inside a compute function: a task that completes at once would otherwise clean up inside the map's
 * own update of that key, which {@link ConcurrentHashMap} refuses with an exception no one sees, and the caller's
 * future would never complete.
 */
public final class KeyedSequencer {
    private final ConcurrentHashMap<Object, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /**
     * Runs {@code task} after every task of {@code key} submitted before it.
     *
     * @param key what the tasks share
     * @param task starts the task; called once, on the thread that completed the previous task (or this one)
     * @param <T> the value type
     * @return the task's outcome; a task that throws fails this future
     */
    public <T> CompletableFuture<T> submit(Object key, Supplier<CompletableFuture<T>> task) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(task, "task");
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, done);
        CompletableFuture<?> before = previous == null ? CompletableFuture.completedFuture(null) : previous;
        before.thenCompose(x -> Futures.guard(task)).whenComplete((v, e) -> {
            tails.remove(key, done);
            done.complete(null);
            if (e == null) {
                result.complete(v);
            } else {
                result.completeExceptionally(Futures.unwrap(e));
            }
        });
        return result;
    }

    /**
     * @return how many keys have a task running or queued
     */
    public int busyKeys() {
        return tails.size();
    }
}
