package io.dvmm.sdk.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/** Small helpers for {@link CompletableFuture}s that providers share. */
public final class Futures {
    private Futures() {
    }

    /**
     * @param error the failure
     * @param <T> the value type
     * @return a future already failed with it
     */
    public static <T> CompletableFuture<T> failed(Throwable error) {
        return CompletableFuture.failedFuture(error);
    }

    /**
     * Runs a supplier of a future, turning a synchronous throw into a failed future, so that
     * validation errors always reach the caller through the future.
     *
     * @param call the call
     * @param <T> the value type
     * @return the call's future, or a failed one
     */
    public static <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> call) {
        try {
            CompletableFuture<T> f = call.get();
            return f == null ? CompletableFuture.failedFuture(new NullPointerException("null future")) : f;
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * @param error an error from a future
     * @return the cause behind {@link CompletionException} and {@link ExecutionException} wrappers
     */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Makes cancelling {@code outer} also cancel {@code inner}, so that cancelling the future a
     * caller holds stops the work behind it.
     *
     * @param outer the future the caller holds
     * @param inner the future doing the work
     * @param <T> the value type
     * @return {@code outer}
     */
    public static <T> CompletableFuture<T> propagateCancel(CompletableFuture<T> outer, CompletableFuture<?> inner) {
        return onCancel(outer, () -> inner.cancel(true));
    }

    /**
     * Runs an action when the future is cancelled (not when it completes otherwise): the one hook
     * through which a caller's {@code cancel} reaches remote tasks, polls and calls in flight.
     *
     * @param future the future a caller may cancel
     * @param action what cancelling it must also stop
     * @param <T> the value type
     * @return {@code future}
     */
    public static <T> CompletableFuture<T> onCancel(CompletableFuture<T> future, Runnable action) {
        future.whenComplete((v, e) -> {
            if (future.isCancelled()) {
                action.run();
            }
        });
        return future;
    }
}
