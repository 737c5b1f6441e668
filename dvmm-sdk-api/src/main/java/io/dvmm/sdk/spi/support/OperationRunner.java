package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.CleanupFailedException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.Progress.Stage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every long operation of a connection the same way: one {@link OperationRun} with its
 * deadline and progress; the caller's {@code cancel} and the deadline both cancel the run (its
 * wait, its remote task); success ends with {@link Stage#DONE}; failure undoes what the run
 * made, and an undo that fails is attached to the caller's error, naming what is left.
 *
 * <p>Timing: a run that fails waits for its rollback so the error can say what is left, but never
 * past its deadline: a run that hits its deadline, or whose rollback is still going when it passes,
 * completes within {@link #DEADLINE_GRACE} of it, naming what its rollback (which goes on in the
 * background) has not removed yet. A cancelled run's future is cancelled at once; its rollback
 * goes on in the background.
 */
public final class OperationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);
    /**
     * How long after its deadline a run's future may still complete: time for the step in progress
     * to end with its own error, and half of the second the API promises, the rest left for a busy
     * scheduler's lateness.
     */
    public static final Duration DEADLINE_GRACE = Duration.ofMillis(500);

    private final String provider;
    private final ScheduledExecutorService scheduler;
    private final Poller poller;
    private final Duration cleanupBudget;
    private final Executor work;

    /**
     * @param provider the provider type
     * @param scheduler runs the deadline timers
     * @param poller the connection's wait loop
     * @param cleanupBudget how long a rollback may take
     */
    public OperationRunner(String provider, ScheduledExecutorService scheduler, Poller poller, Duration cleanupBudget) {
        this(provider, scheduler, poller, cleanupBudget, Runnable::run);
    }

    /**
     * @param provider the provider type
     * @param scheduler runs the deadline timers
     * @param poller the connection's wait loop
     * @param cleanupBudget how long a rollback may take
     * @param work where a rollback starts, so that its first steps (a provider may patch a large
     *             document before its first request) never hold the scheduler, whose timers answer
     *             other callers at their deadlines
     */
    public OperationRunner(String provider, ScheduledExecutorService scheduler, Poller poller, Duration cleanupBudget,
                           Executor work) {
        this.work = work;
        this.provider = provider;
        this.scheduler = scheduler;
        this.poller = poller;
        this.cleanupBudget = cleanupBudget;
    }

    /**
     * @param operation the SDK operation
     * @param deadline the operation's deadline
     * @param options the caller's options (progress listener)
     * @param body the operation's steps
     * @param <T> the value type
     * @return the caller's future
     */
    public <T> CompletableFuture<T> run(String operation, Deadline deadline, OperationOptions options,
                                        Function<OperationRun, CompletableFuture<T>> body) {
        ErrorContext ctx = ErrorContext.of(provider, operation);
        OperationRun run = new OperationRun(ctx, deadline, new ProgressReporter(operation, options.listener()), poller);
        CompletableFuture<T> result = new CompletableFuture<>();
        Futures.onCancel(result, () -> run.cancel(new CancellationException(operation + " was cancelled by the caller")));
        AtomicReference<Throwable> failed = new AtomicReference<>();
        // Armed until the caller's future completes, not until the body does: a rollback that outlives the deadline
        // must not hold the caller's future past it.
        ScheduledFuture<?> timer = schedule(() -> onDeadline(run, result, failed), deadline.remaining());
        if (timer != null) {
            result.whenComplete((v, e) -> timer.cancel(false));
        }
        Futures.guard(() -> body.apply(run)).whenComplete((value, error) -> {
            if (error == null && !run.isCancelled()) {
                run.reporter().report(Stage.DONE, 100, operation + " finished");
                if (result.complete(value)) {
                    run.dropUndos();
                    return;
                }
            }
            Throwable failure = error == null ? run.cancelReason() : failureOf(run, Futures.unwrap(error));
            failed.set(failure);
            rollBack(run, result, failure);
        });
        return result;
    }

    /** The caller's error: the deadline's timeout when the run was cut by it, else the step's own. */
    private static Throwable failureOf(OperationRun run, Throwable error) {
        return run.cancelReason() instanceof OperationTimeoutException timeout ? timeout : error;
    }

    private <T> void rollBack(OperationRun run, CompletableFuture<T> result, Throwable failure) {
        List<OperationRun.Undo> undos = run.takeUndos();
        if (undos.isEmpty()) {
            result.completeExceptionally(failure);
            return;
        }
        run.reporter().report(Stage.ROLLBACK, -1, "removing " + String.join(", ", undos.stream().map(OperationRun.Undo::resource).toList()));
        LOG.info("{} failed ({}); removing what it made: {}", run.operation(), failure.toString(),
                undos.stream().map(OperationRun.Undo::resource).toList());
        OperationRun cleanup = run.forCleanup(cleanupBudget);
        CompletableFuture<CleanupFailedException> undone;
        try {
            undone = CompletableFuture.supplyAsync(() -> Rollback.undo(run, undos, cleanup), work).thenCompose(f -> f);
        } catch (RejectedExecutionException e) {
            undone = Rollback.undo(run, undos, cleanup);
        }
        undone.whenComplete((left, e) -> {
            CleanupFailedException leftover = left;
            if (e != null) {
                leftover = new CleanupFailedException(undos.stream().map(OperationRun.Undo::resource).toList(),
                        "cleanup after the failed " + run.operation() + " failed: " + e, run.context(), Futures.unwrap(e));
            }
            synchronized (result) {
                if (result.isDone()) {
                    // The deadline answered the caller already, naming what was still being removed.
                    if (leftover != null) {
                        LOG.warn("{}: {}", run.operation(), leftover.getMessage());
                    }
                    return;
                }
                if (leftover != null) {
                    failure.addSuppressed(leftover);
                }
                result.completeExceptionally(failure);
            }
        });
    }

    /**
     * At the deadline: cancel the run, and complete the caller's future shortly after whatever the run is doing: with
     * the run's own failure when it had failed and is being rolled back, else with the timeout; naming what the
     * rollback, which goes on in the background, has not removed yet.
     */
    private <T> void onDeadline(OperationRun run, CompletableFuture<T> result, AtomicReference<Throwable> failed) {
        OperationTimeoutException timeout = new OperationTimeoutException(run.operation() + " did not finish within "
                + run.deadline().budget(), run.context());
        run.cancel(timeout);
        // At the deadline plus the grace, however late this timer ran on a busy scheduler.
        schedule(() -> {
            synchronized (result) {
                if (result.isDone()) {
                    return;
                }
                Throwable failure = failed.get() != null ? failed.get() : timeout;
                List<String> left = run.pendingResources();
                if (!left.isEmpty()) {
                    failure.addSuppressed(new CleanupFailedException(left, "cleanup had not finished when the deadline passed; "
                            + "it goes on in the background", run.context(), null));
                }
                result.completeExceptionally(failure);
            }
        }, run.deadline().remaining().plus(DEADLINE_GRACE));
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }
}
