package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.Progress.Stage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a long operation, handed to the provider's steps: its deadline, its progress, its
 * cancellation and what to undo if it fails.
 *
 * <p>Cancellation (the caller cancelled the future, or the deadline passed) sets a flag that
 * {@link #check()} turns into a {@link CancellationException} between steps, cancels the wait in
 * progress ({@link #waitFor}) and runs the hooks registered with {@link #onCancel} once, which is
 * how a remote task is cancelled. A request already on the wire is never interrupted.
 *
 * <p>Steps that make something register its undo with {@link #undo}; when the run fails, the
 * runner undoes them in reverse order. Thread-safe.
 */
public final class OperationRun {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRun.class);

    /** Something the run made and how to remove it. */
    public record Undo(String resource, Supplier<CompletableFuture<?>> action) {
    }

    private final ErrorContext context;
    private final Deadline deadline;
    private final ProgressReporter progress;
    private final Poller poller;
    private final Deque<Undo> undos = new ArrayDeque<>();
    private final List<String> undoing = new ArrayList<>();
    private final List<Runnable> cancelHooks = new ArrayList<>();
    private CompletableFuture<?> waiting;
    private Throwable cancelReason;
    private Stage stage = Stage.VALIDATE;
    private int stageFrom;
    private int stageTo;

    /**
     * @param context provider and operation
     * @param deadline when the operation must be done
     * @param progress where progress goes
     * @param poller the connection's wait loop
     */
    public OperationRun(ErrorContext context, Deadline deadline, ProgressReporter progress, Poller poller) {
        this.context = context;
        this.deadline = deadline;
        this.progress = progress;
        this.poller = poller;
    }

    /**
     * A run for cleanup work: its own deadline, no progress, never cancelled by the caller.
     *
     * @param budget how long the cleanup may take
     * @return the cleanup's run
     */
    public OperationRun forCleanup(Duration budget) {
        return new OperationRun(context, Deadline.after(budget), new ProgressReporter(context.operation(), null), poller);
    }

    /**
     * Probes until a value appears, within the run's deadline, as the run's current wait (so
     * cancelling the run stops it).
     *
     * @param what what is awaited, for the timeout message
     * @param backoff the intervals between probes
     * @param probe one probe: a value when done, empty to go on
     * @param <T> the value type
     * @return the value
     */
    public <T> CompletableFuture<T> poll(String what, Backoff backoff, Supplier<CompletableFuture<Optional<T>>> probe) {
        return waitFor(poller.until(context, what, backoff, deadline, probe));
    }

    /**
     * Probes until a value appears or {@code within} passes (never past the run's deadline), as
     * the run's current wait.
     *
     * @param within how long to look
     * @param what what is awaited
     * @param backoff the intervals between probes
     * @param probe one probe: a value when done, empty to go on
     * @param <T> the value type
     * @return the value, or empty when {@code within} passed first; a probe's own failure (its
     *         own timeout included) fails it
     */
    public <T> CompletableFuture<Optional<T>> pollFor(Duration within, String what, Backoff backoff,
                                                      Supplier<CompletableFuture<Optional<T>>> probe) {
        Deadline window = Deadline.after(within.compareTo(deadline.remaining()) < 0 ? within : deadline.remaining());
        CompletableFuture<Optional<T>> out = new CompletableFuture<>();
        // Only the window's own end means "not seen": a probe that itself timed out saw nothing, and proves nothing.
        java.util.concurrent.atomic.AtomicReference<Throwable> probeFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Supplier<CompletableFuture<Optional<T>>> watched = () -> Futures.guard(probe).whenComplete((v, e) -> {
            if (e != null) {
                probeFailure.set(Futures.unwrap(e));
            }
        });
        waitFor(poller.until(context, what, backoff, window, watched)).whenComplete((v, e) -> {
            Throwable cause = e == null ? null : Futures.unwrap(e);
            if (e == null) {
                out.complete(Optional.of(v));
            } else if (cause instanceof io.dvmm.sdk.OperationTimeoutException && cause != probeFailure.get() && !isCancelled()) {
                out.complete(Optional.empty());
            } else {
                out.completeExceptionally(cause);
            }
        });
        return out;
    }

    /**
     * Completes after a delay (clamped to the deadline), as the run's current wait.
     *
     * @param delay the delay
     * @return a future completing after it
     */
    public CompletableFuture<Void> sleep(Duration delay) {
        return waitFor(poller.delay(deadline.clampNanos(delay.toNanos())));
    }

    /** @return provider and operation, for errors */
    public ErrorContext context() {
        return context;
    }

    /** @return the SDK operation */
    public String operation() {
        return context.operation();
    }

    /** @return when the operation must be done */
    public Deadline deadline() {
        return deadline;
    }

    /**
     * Enters a stage and reports it.
     *
     * @param next the stage
     * @param from the overall percent where it starts
     * @param to the overall percent where it ends
     * @param message a short text
     */
    public void stage(Stage next, int from, int to, String message) {
        synchronized (this) {
            stage = next;
            stageFrom = from;
            stageTo = to;
        }
        progress.report(next, from, message);
    }

    /**
     * Reports progress within the current stage.
     *
     * @param stagePercent the stage's own percent, 0 to 100, or -1 when unknown
     * @param message a short text
     */
    public void progress(int stagePercent, String message) {
        Stage s;
        int from;
        int to;
        synchronized (this) {
            s = stage;
            from = stageFrom;
            to = stageTo;
        }
        progress.reportSlice(s, from, to, stagePercent, message);
    }

    /** @return the stage the run is in */
    public synchronized Stage currentStage() {
        return stage;
    }

    /** @return the reporter, for the runner's final report */
    ProgressReporter reporter() {
        return progress;
    }

    /** @return whether the run was cancelled (by the caller or the deadline) */
    public synchronized boolean isCancelled() {
        return cancelReason != null;
    }

    /** @return why the run was cancelled, or {@code null} */
    public synchronized Throwable cancelReason() {
        return cancelReason;
    }

    /**
     * Throws when the run was cancelled, so that no further request is sent.
     *
     * @throws CancellationException if it was
     */
    public void check() {
        if (isCancelled()) {
            throw new CancellationException(context.operation() + " was cancelled");
        }
    }

    /**
     * Registers the wait in progress (a task poll, a state poll): cancelling the run cancels it.
     *
     * @param wait the wait
     * @param <T> the value type
     * @return {@code wait}
     */
    public <T> CompletableFuture<T> waitFor(CompletableFuture<T> wait) {
        boolean cancelNow;
        synchronized (this) {
            waiting = wait;
            cancelNow = cancelReason != null;
        }
        if (cancelNow) {
            wait.cancel(true);
        }
        return wait;
    }

    /**
     * Runs {@code hook} once if the run is cancelled (at once if it already was): the way a step
     * cancels the hypervisor's task it started.
     *
     * @param hook what cancelling must also do; must not block
     * @return a handle that removes the hook when the task it cancels is over
     */
    public AutoCloseable onCancel(Runnable hook) {
        boolean runNow;
        synchronized (this) {
            runNow = cancelReason != null;
            if (!runNow) {
                cancelHooks.add(hook);
            }
        }
        if (runNow) {
            runHook(hook);
        }
        return () -> {
            synchronized (this) {
                cancelHooks.remove(hook);
            }
        };
    }

    /**
     * Cancels the run: the flag, the current wait and the hooks. Later calls do nothing.
     *
     * @param reason why (a {@link CancellationException} or the deadline's timeout)
     */
    public void cancel(Throwable reason) {
        CompletableFuture<?> w;
        List<Runnable> hooks;
        synchronized (this) {
            if (cancelReason != null) {
                return;
            }
            cancelReason = reason;
            w = waiting;
            hooks = List.copyOf(cancelHooks);
            cancelHooks.clear();
        }
        if (w != null) {
            w.cancel(true);
        }
        hooks.forEach(OperationRun::runHook);
    }

    private static void runHook(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            LOG.debug("cancel hook failed: {}", e.toString());
        }
    }

    /**
     * Remembers something the run made, and how to remove it if the run fails.
     *
     * @param resource what it is, as the hypervisor names it (such as {@code VM 100123 on node pve1})
     * @param action removes it; completes normally also when it is already gone
     */
    public synchronized void undo(String resource, Supplier<CompletableFuture<?>> action) {
        undos.push(new Undo(resource, action));
    }

    /**
     * Forgets an undo registered earlier, when the resource turned out not to be the run's own
     * (or was removed on purpose).
     *
     * @param resource the resource as it was registered
     */
    public synchronized void forget(String resource) {
        undos.removeIf(u -> u.resource().equals(resource));
    }

    /** @return what the run made and has not removed yet (registered, or being undone), the oldest first */
    public synchronized List<String> pendingResources() {
        List<String> out = new ArrayList<>(undoing);
        undos.descendingIterator().forEachRemaining(u -> out.add(u.resource()));
        return out;
    }

    /** @return what to undo, the most recent first; from now on it counts as being undone */
    synchronized List<Undo> takeUndos() {
        List<Undo> out = new ArrayList<>(undos);
        undos.clear();
        out.forEach(u -> undoing.add(0, u.resource()));
        return out;
    }

    /** @return the undos, forgotten without running them (the run succeeded) */
    synchronized List<Undo> dropUndos() {
        List<Undo> out = new ArrayList<>(undos);
        undos.clear();
        return out;
    }

    /** Marks a resource as removed by the rollback. */
    synchronized void undone(String resource) {
        undoing.remove(resource);
    }
}
