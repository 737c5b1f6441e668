package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.LocalizedMethodFault;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectUpdate;
import com.vmware.vim25.ObjectUpdateKind;
import com.vmware.vim25.PropertyChange;
import com.vmware.vim25.PropertyChangeOp;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.PropertyFilterUpdate;
import com.vmware.vim25.TaskInfo;
import com.vmware.vim25.TaskInfoState;
import com.vmware.vim25.UpdateSet;
import com.vmware.vim25.WaitOptions;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.spi.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.rmi.RemoteException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * Waits for property changes through {@code WaitForUpdatesEx} on a property collector this
 * watcher owns (never the session's shared one, so concurrent waiters never steal each other's
 * updates). One watcher serves one operation: it may watch several objects (a task, then the VM)
 * and is closed at the end, which destroys its collector and filters in one call. After a
 * re-login it recreates its collector and filters and continues from a fresh full update.
 * Not thread-safe.
 */
final class VimWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VimWatcher.class);
    private static final int MAX_WAIT_SECONDS = 10;

    private final VimConnection conn;
    private final String operation;
    private final List<PropertyFilterSpec> specs = new ArrayList<>();
    private final Map<ManagedObjectReference, Map<String, Object>> state = new HashMap<>();
    private final Set<ManagedObjectReference> gone = new HashSet<>();
    private ManagedObjectReference collector;
    private int generation;
    private String version = "";
    private volatile BooleanSupplier cancelled = () -> false;
    private volatile java.util.function.Consumer<ManagedObjectReference> cancelTask = t -> { };
    private volatile ManagedObjectReference runningTask;

    VimWatcher(VimConnection conn, String operation) {
        this.conn = conn;
        this.operation = operation;
    }

    /**
     * Makes every wait of this watcher also end ({@link CancellationException}) once {@code when}
     * turns true; a task being awaited then is handed to {@code cancelTask} (which must tolerate
     * being called for a task it already cancelled).
     */
    void cancelWhen(BooleanSupplier when, java.util.function.Consumer<ManagedObjectReference> cancelTask) {
        this.cancelled = when;
        this.cancelTask = cancelTask;
    }

    /** The task {@link #awaitTask} is waiting for right now, if any; readable from any thread. */
    ManagedObjectReference runningTask() {
        return runningTask;
    }

    /** Starts watching {@code paths} of {@code obj}; the first wait delivers their current values. */
    void watch(ManagedObjectReference obj, String... paths) throws RemoteException {
        PropertyFilterSpec spec = VimConnection.objectSpec(obj, paths);
        specs.add(spec);
        // Ask for a full update next: vcsim sends a filter's initial values only to a wait
        // with an empty version, and a full update costs no extra round trip on vCenter either.
        version = "";
        state.putIfAbsent(obj, new HashMap<>());
        if (collector == null) {
            createCollector();
        } else {
            try {
                conn.stub().createFilter(collector, spec, true);
            } catch (VimCallException e) {
                if (!e.isFault("NotAuthenticated") && !e.isFault("ManagedObjectNotFound")) {
                    throw e;
                }
                rebuild(e);
            }
        }
    }

    private void createCollector() throws RemoteException {
        conn.session();
        generation = conn.generation();
        collector = conn.call((s, c) -> s.createPropertyCollector(c.getPropertyCollector()));
        generation = conn.generation();
        version = "";
        for (PropertyFilterSpec spec : specs) {
            conn.stub().createFilter(collector, spec, true);
        }
    }

    private void rebuild(VimCallException cause) throws RemoteException {
        if (cause.isFault("NotAuthenticated")) {
            conn.relogin(generation);
        } else if (conn.generation() == generation) {
            throw cause; // the collector vanished without a new session: nothing to rebuild from
        }
        LOG.debug("{}: session renewed; recreating the waiter's collector and {} filter(s)", operation, specs.size());
        collector = null;
        createCollector();
    }

    /** The latest known values of {@code obj}'s watched properties (empty until the first wait). */
    Map<String, Object> values(ManagedObjectReference obj) {
        Map<String, Object> v = state.get(obj);
        return v == null ? Map.of() : v;
    }

    boolean isGone(ManagedObjectReference obj) {
        return gone.contains(obj);
    }

    /**
     * Waits until {@code done} holds for {@code obj}'s values, the deadline passes
     * ({@link OperationTimeoutException}) or {@code aborted} turns true ({@link CancellationException}).
     */
    Map<String, Object> await(ManagedObjectReference obj, Predicate<Map<String, Object>> done, Deadline deadline,
                              BooleanSupplier aborted, String what) throws RemoteException {
        boolean first = true;
        while (true) {
            if (!first || !version.isEmpty()) {
                Map<String, Object> v = state.get(obj);
                if (v != null && (done.test(v) || gone.contains(obj))) {
                    return v;
                }
            }
            if (aborted.getAsBoolean() || cancelled.getAsBoolean()) {
                throw new CancellationException(operation + " cancelled while waiting for " + what);
            }
            if (!first && deadline.expired()) {
                throw new OperationTimeoutException("timed out after " + deadline.budget() + " waiting for " + what,
                        ErrorContext.of(VimErrors.PROVIDER, operation));
            }
            first = false;
            poll(deadline);
        }
    }

    private void poll(Deadline deadline) throws RemoteException {
        long remaining = deadline.remaining().toMillis();
        int wait = (int) Math.max(1, Math.min(MAX_WAIT_SECONDS, (remaining + 999) / 1000));
        if (version.isEmpty()) {
            wait = 0; // the initial update: answer at once with the current values
        }
        WaitOptions options = new WaitOptions();
        options.setMaxWaitSeconds(wait);
        UpdateSet updates;
        conn.client().extraReadTimeout(Duration.ofSeconds(wait));
        try {
            updates = conn.stub().waitForUpdatesEx(collector, version, options);
        } catch (VimCallException e) {
            if (!e.isFault("NotAuthenticated") && !e.isFault("ManagedObjectNotFound")) {
                throw e;
            }
            rebuild(e);
            return;
        } finally {
            conn.client().extraReadTimeout(Duration.ZERO);
        }
        if (updates == null) {
            if (version.isEmpty()) {
                version = "0"; // nothing changed and nothing initial: keep long-polling from here
            }
            return;
        }
        version = updates.getVersion() == null ? version : updates.getVersion();
        if (updates.getFilterSet() == null) {
            return;
        }
        for (PropertyFilterUpdate fu : updates.getFilterSet()) {
            if (fu.getObjectSet() == null) {
                continue;
            }
            for (ObjectUpdate ou : fu.getObjectSet()) {
                apply(ou);
            }
        }
    }

    private void apply(ObjectUpdate ou) {
        ManagedObjectReference obj = ou.getObj();
        Map<String, Object> v = state.computeIfAbsent(obj, k -> new HashMap<>());
        if (ou.getKind() == ObjectUpdateKind.leave) {
            gone.add(obj);
            return;
        }
        if (ou.getChangeSet() == null) {
            return;
        }
        for (PropertyChange pc : ou.getChangeSet()) {
            if (pc.getOp() == PropertyChangeOp.remove || pc.getOp() == PropertyChangeOp.indirectRemove) {
                v.remove(pc.getName());
            } else {
                v.put(pc.getName(), pc.getVal());
            }
        }
    }

    /**
     * Waits for a task and returns its result; a failed task throws the mapped fault.
     *
     * @param progress receives {@code info.progress} (0-100) as the server reports it
     */
    Object awaitTask(ManagedObjectReference task, Deadline deadline, BooleanSupplier aborted, IntConsumer progress)
            throws RemoteException {
        runningTask = task;
        Map<String, Object> v;
        try {
            watch(task, "info");
            v = await(task, props -> {
                TaskInfo info = (TaskInfo) props.get("info");
                if (info != null && info.getProgress() != null) {
                    progress.accept(info.getProgress());
                }
                return info != null && (info.getState() == TaskInfoState.success || info.getState() == TaskInfoState.error);
            }, deadline, aborted, "task " + task.getVal());
        } catch (CancellationException e) {
            if (cancelled.getAsBoolean()) {
                cancelTask.accept(task);
            }
            throw e;
        } finally {
            runningTask = null;
        }
        TaskInfo info = (TaskInfo) v.get("info");
        if (info == null) {
            throw new OperationTimeoutException("task " + task.getVal() + " vanished", ErrorContext.of(VimErrors.PROVIDER, operation));
        }
        if (info.getState() == TaskInfoState.error) {
            LocalizedMethodFault error = info.getError();
            throw VimErrors.taskFault(error, operation, task.getVal());
        }
        return info.getResult();
    }

    @Override
    public void close() {
        if (collector == null) {
            return;
        }
        ManagedObjectReference c = collector;
        collector = null;
        try {
            conn.stub().destroyPropertyCollector(c);
        } catch (RemoteException | RuntimeException e) {
            LOG.debug("{}: DestroyPropertyCollector failed: {}", operation, e.getMessage());
        }
    }
}
