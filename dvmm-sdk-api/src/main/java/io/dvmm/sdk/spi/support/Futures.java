package io.dvmm.sdk.spi.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
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
     * {@code first.thenCompose(then)} whose cancellation reaches the work: cancelling the returned
     * future cancels {@code first} while it runs, and the future {@code then} returned once it
     * does. This is how a caller's {@code cancel} on the future of a guarded call (capability
     * check, then the operation) reaches the operation.
     *
     * @param first the first stage
     * @param then the rest, given the first stage's value
     * @param <A> the first stage's value type
     * @param <T> the value type
     * @return the caller's future
     */
    public static <A, T> CompletableFuture<T> composeCancellable(CompletableFuture<A> first,
                                                                Function<A, CompletableFuture<T>> then) {
        CompletableFuture<T> out = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<?>> current = new java.util.concurrent.atomic.AtomicReference<>(first);
        onCancel(out, () -> current.get().cancel(true));
        first.whenComplete((a, e) -> {
            if (e != null) {
                out.completeExceptionally(unwrap(e));
                return;
            }
            if (out.isDone()) {
                return;
            }
            CompletableFuture<T> inner = guard(() -> then.apply(a));
            current.set(inner);
            if (out.isCancelled()) {
                inner.cancel(true);
            }
            inner.whenComplete((v, e2) -> {
                if (e2 != null) {
                    out.completeExceptionally(unwrap(e2));
                } else {
                    out.complete(v);
                }
            });
        });
        return out;
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

    /**
     * @param futures futures to wait for
     * @param <T> the value type
     * @return their values in order once all have completed; fails with the first failure (unwrapped)
     *         once all have completed, so that nothing is still running when the caller hears
     */
    public static <T> CompletableFuture<List<T>> allOf(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((x, e) -> {
            if (e != null) {
                throw new CompletionException(unwrap(e));
            }
            List<T> out = new ArrayList<>(futures.size());
            futures.forEach(f -> out.add(f.join()));
            return out;
        });
    }
}
