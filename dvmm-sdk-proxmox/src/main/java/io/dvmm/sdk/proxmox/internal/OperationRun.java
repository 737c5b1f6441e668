package io.dvmm.sdk.proxmox.internal;

import io.dvmm.sdk.spi.Futures;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of an operation that the caller may cancel: a flag checked between steps, and the wait
 * in progress (task poll, state poll), cancelled with the run. Cancelling a task poll stops the
 * remote task ({@link TaskWaiter}). Requests already sent are never cancelled mid-flight.
 */
final class OperationRun {
    private final String operation;
    private final AtomicReference<CompletableFuture<?>> waiting = new AtomicReference<>();
    private volatile boolean cancelled;

    OperationRun(String operation) {
        this.operation = operation;
    }

    /** A run that is never cancelled, for internal clean-ups. */
    static OperationRun uncancellable(String operation) {
        return new OperationRun(operation);
    }

    /**
     * Ties the run to the future the caller holds: cancelling that future cancels the run.
     *
     * @param outer the caller's future
     * @param <T> the value type
     * @return {@code outer}
     */
    <T> CompletableFuture<T> boundTo(CompletableFuture<T> outer) {
        return Futures.onCancel(outer, this::cancel);
    }

    /** Registers the current wait; cancels it at once when the run is already cancelled. */
    <T> CompletableFuture<T> waitFor(CompletableFuture<T> f) {
        waiting.set(f);
        if (cancelled) {
            f.cancel(true);
        }
        return f;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Throws when the run was cancelled, so that no further request is sent. */
    void check() {
        if (cancelled) {
            throw new CancellationException(operation + " was cancelled");
        }
    }

    void cancel() {
        cancelled = true;
        CompletableFuture<?> w = waiting.get();
        if (w != null) {
            w.cancel(true);
        }
    }
}
