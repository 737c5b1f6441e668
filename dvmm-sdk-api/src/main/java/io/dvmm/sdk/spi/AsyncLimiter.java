package io.dvmm.sdk.spi;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Bounds the requests a connection has in flight without blocking a thread: calls beyond the
 * limit wait in a queue and start as earlier ones complete.
 */
public final class AsyncLimiter {
    private final int limit;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;
    private int peak;

    /**
     * @param limit the most calls in flight at once
     */
    public AsyncLimiter(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.limit = limit;
    }

    /**
     * Starts the call now if a slot is free, else when one frees up.
     *
     * @param call the call
     * @param <T> the value type
     * @return the call's result
     */
    public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> Futures.guard(call).whenComplete((v, e) -> {
            release();
            if (e != null) {
                result.completeExceptionally(Futures.unwrap(e));
            } else {
                result.complete(v);
            }
        });
        boolean now;
        synchronized (this) {
            now = inFlight < limit;
            if (now) {
                inFlight++;
                peak = Math.max(peak, inFlight);
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /** @return the most calls that were in flight at once */
    public synchronized int peakInFlight() {
        return peak;
    }
}
