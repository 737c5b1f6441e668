package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.LocalizedMethodFault;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.TaskInfoState;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.vsphere.internal.VimSession.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * vSphere tasks: start one, wait for it through the {@link VimUpdates} dispatcher (never
 * {@code Task.waitForTask}, never polling), report its progress into the run, and cancel it on the
 * server ({@code CancelTask}, at most once) when the run is cancelled.
 */
final class VimTasks {

    private static final Logger LOG = LoggerFactory.getLogger(VimTasks.class);
    static final String[] TASK_PATHS = {"info.state", "info.error", "info.result", "info.progress"};

    private final VimPort port;
    private final VimUpdates updates;
    private final Duration cancelBudget;

    VimTasks(VimPort port, VimUpdates updates, Duration cancelBudget) {
        this.port = port;
        this.updates = updates;
        this.cancelBudget = cancelBudget;
    }

    static Scope scope(OperationRun run) {
        return new Scope(run.operation(), run.deadline());
    }

    /**
     * Sends a task request and waits for the task.
     *
     * @param run the operation's run: its deadline, cancellation and progress
     * @param start sends the request, given the request's scope
     * @return the task's result ({@code info.result})
     */
    CompletableFuture<Object> run(OperationRun run, Function<Scope, CompletableFuture<ManagedObjectReference>> start) {
        run.check();
        return start.apply(scope(run)).thenCompose(task -> await(task, run));
    }

    /**
     * Waits for a task within the run; cancelling the run cancels the task on the server.
     *
     * @return the task's result; a failed task fails with its mapped fault
     */
    CompletableFuture<Object> await(ManagedObjectReference task, OperationRun run) {
        AtomicBoolean cancelSent = new AtomicBoolean();
        AutoCloseable hook = run.onCancel(() -> {
            if (cancelSent.compareAndSet(false, true)) {
                cancel(task, run.operation());
            }
        });
        CompletableFuture<Map<String, Object>> wait = updates.await(scope(run), task, TASK_PATHS, values -> {
            if (values.get("info.progress") instanceof Integer p) {
                run.progress(p, run.currentStage().id());
            }
            return finished(values);
        }, "task " + task.getVal());
        return run.waitFor(wait).handle((values, e) -> {
            try {
                hook.close();
            } catch (Exception ignored) {
                // removing a hook cannot fail
            }
            if (e != null) {
                throw new java.util.concurrent.CompletionException(Futures.unwrap(e));
            }
            return outcome(task, values, run.operation());
        });
    }

    /** Waits for a task outside any run (a cleanup that must see it end). */
    CompletableFuture<Object> await(ManagedObjectReference task, String operation, Deadline deadline) {
        return updates.await(new Scope(operation, deadline), task, TASK_PATHS, VimTasks::finished, "task " + task.getVal())
                .thenApply(values -> outcome(task, values, operation));
    }

    private static boolean finished(Map<String, Object> values) {
        Object state = values.get("info.state");
        return state == TaskInfoState.success || state == TaskInfoState.error;
    }

    private static Object outcome(ManagedObjectReference task, Map<String, Object> values, String operation) {
        if (values.get("info.state") == TaskInfoState.error) {
            throw VimErrors.taskFault(values.get("info.error") instanceof LocalizedMethodFault f ? f : null, operation, task.getVal());
        }
        return values.get("info.result");
    }

    /** Asks the server to cancel a task, best effort: a finished or non-cancellable task refuses, which is fine. */
    void cancel(ManagedObjectReference task, String operation) {
        port.cancelTask(new Scope(operation, Deadline.after(cancelBudget)), task).whenComplete((v, e) -> {
            if (e == null) {
                LOG.debug("{}: cancelled task {}", operation, task.getVal());
            } else {
                LOG.debug("{}: CancelTask of {} refused: {}", operation, task.getVal(), Futures.unwrap(e).getMessage());
            }
        });
    }
}
