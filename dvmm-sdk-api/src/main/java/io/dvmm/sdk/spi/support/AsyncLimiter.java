package io.dvmm.sdk.spi.support;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Bounds the requests a connection has in flight without blocking a thread: calls beyond the
 * limit wait in a queue and start as earlier ones complete.
 *
 * <p>Starting the next call when one completes is done iteratively, not by recursion: a thread
 * that frees a slot and finds itself already draining the queue hands the next call to that
 * loop, so any number of synchronously completing calls runs in constant stack. A queued call
 * whose future was cancelled is dropped from the queue and never runs.
 */
public final class AsyncLimiter {
    private static final ThreadLocal<Queue<Entry<?>>> DRAINING = new ThreadLocal<>();

    private final int limit;
    private final Queue<Entry<?>> waiting = new ArrayDeque<>();
    private int inFlight;
    private int peak;

    /** A call and the future its caller holds. */
    private final class Entry<T> {
        final Supplier<CompletableFuture<T>> call;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Entry(Supplier<CompletableFuture<T>> call) {
            this.call = call;
        }

        /** Starts the call; its completion frees the slot. */
        void start() {
            if (result.isDone()) {
                release();
                return;
            }
            Futures.guard(call).whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(Futures.unwrap(e));
                } else {
                    result.complete(v);
                }
                release();
            });
        }
    }

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
     * Starts the call now if a slot is free, else when one frees up. Cancelling the returned
     * future before the call started removes it from the queue.
     *
     * @param call the call
     * @param <T> the value type
     * @return the call's result
     */
    public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
        Entry<T> entry = new Entry<>(call);
        boolean now;
        synchronized (this) {
            now = inFlight < limit;
            if (now) {
                inFlight++;
                peak = Math.max(peak, inFlight);
            } else {
                waiting.add(entry);
            }
        }
        if (now) {
            run(entry);
        } else {
            entry.result.whenComplete((v, e) -> {
                if (entry.result.isCancelled()) {
                    synchronized (this) {
                        waiting.remove(entry);
                    }
                }
            });
        }
        return entry.result;
    }

    private void release() {
        Entry<?> next;
        synchronized (this) {
            next = waiting.poll();
            while (next != null && next.result.isDone()) {
                next = waiting.poll();
            }
            if (next == null) {
                inFlight--;
                return;
            }
        }
        run(next);
    }

    /** Runs an entry, or hands it to the drain loop already running on this thread. */
    private static void run(Entry<?> entry) {
        Queue<Entry<?>> loop = DRAINING.get();
        if (loop != null) {
            loop.add(entry);
            return;
        }
        Queue<Entry<?>> mine = new ArrayDeque<>();
        DRAINING.set(mine);
        try {
            Entry<?> e = entry;
            while (e != null) {
                e.start();
                e = mine.poll();
            }
        } finally {
            DRAINING.remove();
        }
    }

    /** @return the most calls that were in flight at once */
    public synchronized int peakInFlight() {
        return peak;
    }

    /** @return the calls in flight now */
    public synchronized int inFlight() {
        return inFlight;
    }

    /** @return the calls waiting for a slot now */
    public synchronized int queued() {
        return waiting.size();
    }
}
