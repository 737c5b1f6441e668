package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.OperationTimeoutException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one wait loop: probes until a value appears, with back-off, a deadline and cancellation,
 * on a scheduler rather than a sleeping thread per operation. Cancelling the returned future
 * stops the probing; a probe already sent is not interrupted.
 */
public final class Poller {
    private final ScheduledExecutorService scheduler;

    /**
     * @param scheduler schedules the probes
     */
    public Poller(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Probes at once, then after each interval of {@code backoff}, until a probe yields a value,
     * fails, or the deadline passes (then one last probe runs at the deadline).
     *
     * @param context provider and operation, for the timeout error
     * @param what what is awaited, for the timeout message, such as {@code task UPID:...}
     * @param backoff the intervals
     * @param deadline when to give up with {@link OperationTimeoutException}
     * @param probe one probe: a value when done, empty to go on
     * @param <T> the value type
     * @return the value
     */
    public <T> CompletableFuture<T> until(ErrorContext context, String what, Backoff backoff, Deadline deadline,
                                          Supplier<CompletableFuture<Optional<T>>> probe) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(result, context, what, backoff, deadline, probe, 0);
        return result;
    }

    private <T> void attempt(CompletableFuture<T> result, ErrorContext context, String what, Backoff backoff,
                             Deadline deadline, Supplier<CompletableFuture<Optional<T>>> probe, int n) {
        if (result.isDone()) {
            return;
        }
        Futures.guard(probe).whenComplete((value, error) -> {
            if (result.isDone()) {
                return;
            }
            if (error != null) {
                result.completeExceptionally(Futures.unwrap(error));
            } else if (value != null && value.isPresent()) {
                result.complete(value.get());
            } else if (deadline.expired()) {
                result.completeExceptionally(new OperationTimeoutException(
                        "timed out after " + deadline.budget() + " waiting for " + what, context));
            } else {
                long delay = deadline.clampNanos(backoff.interval(n).toNanos());
                try {
                    scheduler.schedule(() -> attempt(result, context, what, backoff, deadline, probe, n + 1),
                            delay, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    result.completeExceptionally(new io.dvmm.sdk.UnavailableException("connection closed", context, e));
                }
            }
        });
    }

    /**
     * Completes after a delay, on the scheduler.
     *
     * @param delayNanos the delay
     * @return a future completing after it
     */
    public CompletableFuture<Void> delay(long delayNanos) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        scheduler.schedule(() -> f.complete(null), delayNanos, TimeUnit.NANOSECONDS);
        return f;
    }
}
