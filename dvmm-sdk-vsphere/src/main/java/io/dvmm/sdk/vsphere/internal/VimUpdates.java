package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectUpdate;
import com.vmware.vim25.ObjectUpdateKind;
import com.vmware.vim25.PropertyChange;
import com.vmware.vim25.PropertyChangeOp;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.PropertyFilterUpdate;
import com.vmware.vim25.UpdateSet;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.vsphere.internal.VimSession.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The connection's one {@code WaitForUpdatesEx} dispatcher: every wait of every operation (tasks,
 * power states, guest IPs) is a property filter on one collector this dispatcher owns, and one
 * long-poll loop serves them all, so a thousand waiting operations hold one request slot and no
 * thread of their own.
 *
 * <p>A waiter adds its filter ({@code CreateFilter}), receives the watched properties' values
 * from the next update set and every change after, and completes when its condition holds, its
 * object leaves the inventory ({@code NotFoundException}), its deadline passes
 * ({@code OperationTimeoutException}) or it is cancelled; its filter is then destroyed. The loop
 * runs only while there are waiters, each poll re-issued on the scheduler when the previous one
 * answered. Updates for a filter whose {@code CreateFilter} answer has not arrived yet are kept
 * until it does. When the session is renewed ({@code NotAuthenticated}), the collector and every
 * waiter's filter are built again, once; a second failure fails the waiters. Thread-safe.
 */
final class VimUpdates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VimUpdates.class);
    private static final String OPERATION = "waitForUpdates";
    /** Consecutive failed polls (each already retried by the call policy) after which the waiters fail. */
    private static final int MAX_POLL_FAILURES = 3;
    private static final Duration POLL_RETRY = Duration.ofMillis(500);
    /** How long updates for an unknown filter are kept (its CreateFilter answer may still be on its way). */
    private static final long ORPHAN_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final VimPort port;
    private final ScheduledExecutorService scheduler;
    private final int maxWaitSeconds;

    private final Object lock = new Object();
    private final Set<Waiter> waiters = new HashSet<>();
    private final Map<String, Waiter> byFilter = new HashMap<>();
    private final Map<String, Orphan> orphans = new LinkedHashMap<>();
    private final Map<String, Long> destroyed = new LinkedHashMap<>();
    private CompletableFuture<ManagedObjectReference> collector;
    private int collectorGeneration = -1;
    private int rebuildsWithoutSuccess;
    private String version = "";
    private boolean polling;
    private int failures;
    private boolean closed;

    private record Orphan(long at, List<ObjectUpdate> updates) {
    }

    /** One waiting operation: its filter, the latest values of its object, its condition and its future. */
    private final class Waiter {
        final Scope scope;
        final ManagedObjectReference obj;
        final PropertyFilterSpec spec;
        final Predicate<Map<String, Object>> done;
        final String what;
        final CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        final Map<String, Object> values = new HashMap<>();
        boolean heard;
        boolean gone;
        String filter;
        ScheduledFuture<?> timer;

        Waiter(Scope scope, ManagedObjectReference obj, String[] paths, Predicate<Map<String, Object>> done, String what) {
            this.scope = scope;
            this.obj = obj;
            this.spec = VimPort.objectSpec(obj, paths);
            this.done = done;
            this.what = what;
        }
    }

    /**
     * @param port the vim25 methods
     * @param scheduler re-issues the polls
     * @param readTimeout the read timeout of one request; a long poll asks the server to answer well before it
     */
    VimUpdates(VimPort port, ScheduledExecutorService scheduler, Duration readTimeout) {
        this.port = port;
        this.scheduler = scheduler;
        this.maxWaitSeconds = (int) Math.max(1, Math.min(30, readTimeout.toSeconds() - 2));
    }

    /**
     * Waits until {@code done} holds for the watched properties of {@code obj}.
     *
     * @param scope the operation waiting, and its deadline ({@code null}: none)
     * @param obj the object
     * @param paths the properties to watch
     * @param done the condition, tested on every update (the values map holds only set properties)
     * @param what what is awaited, for errors
     * @return the values that satisfied the condition; cancelling it removes the waiter
     */
    CompletableFuture<Map<String, Object>> await(Scope scope, ManagedObjectReference obj, String[] paths,
                                                 Predicate<Map<String, Object>> done, String what) {
        Waiter w = new Waiter(scope, obj, paths, done, what);
        synchronized (lock) {
            if (closed) {
                return Futures.failed(new UnavailableException("connection is closed", ctx(scope)));
            }
            waiters.add(w);
        }
        Deadline deadline = scope.deadline();
        if (deadline != null) {
            try {
                w.timer = scheduler.schedule(() -> w.result.completeExceptionally(new OperationTimeoutException(
                        "timed out after " + deadline.budget() + " waiting for " + what, ctx(scope))),
                        deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                w.result.completeExceptionally(new UnavailableException("connection is closed", ctx(scope), e));
            }
        }
        w.result.whenComplete((v, e) -> forget(w));
        register(w);
        return w.result;
    }

    private static ErrorContext ctx(Scope scope) {
        return VimErrors.ctx(scope.operation());
    }

    /** Adds the waiter's filter to the collector (creating the collector first if needed). */
    private void register(Waiter w) {
        collector().thenCompose(c -> port.createFilter(new Scope(w.scope.operation(), w.scope.deadline()), c, w.spec))
                .whenComplete((filter, e) -> {
                    if (e != null) {
                        Throwable cause = Futures.unwrap(e);
                        if (sessionLost(cause) && rebuild(cause)) {
                            return; // the rebuild registers every live waiter again
                        }
                        w.result.completeExceptionally(cause instanceof NotFoundException nf
                                ? new NotFoundException(w.what + ": " + w.obj.getType() + " " + w.obj.getVal()
                                + " does not exist", nf.context(), nf) : cause);
                        return;
                    }
                    List<ObjectUpdate> early = null;
                    boolean drop;
                    synchronized (lock) {
                        drop = w.result.isDone() || closed;
                        if (!drop) {
                            w.filter = filter.getVal();
                            byFilter.put(w.filter, w);
                            Orphan o = orphans.remove(w.filter);
                            early = o == null ? null : o.updates();
                        }
                    }
                    if (drop) {
                        destroyFilter(filter);
                        return;
                    }
                    if (early != null) {
                        deliver(List.of(w), Map.of(w, early));
                    }
                    startPolling();
                });
    }

    /**
     * The collector of the current session, created on first use. A session renewed by another
     * request (its collector died with the old one) gets a new collector, and the waiters whose
     * filters were on the old one are registered again on it.
     */
    private CompletableFuture<ManagedObjectReference> collector() {
        List<Waiter> moved = List.of();
        CompletableFuture<ManagedObjectReference> next;
        synchronized (lock) {
            int generation = port.session().generation();
            if (collector != null && !collector.isCompletedExceptionally() && (collectorGeneration == generation
                    || !collector.isDone())) {
                return collector;
            }
            if (collector != null && collector.isDone() && !collector.isCompletedExceptionally()) {
                moved = waiters.stream().filter(w -> w.filter != null).toList();
                moved.forEach(w -> w.filter = null);
                byFilter.clear();
                orphans.clear();
            }
            next = port.content().thenCompose(c -> port.createPropertyCollector(Scope.of(OPERATION)));
            collector = next;
            version = "";
            next.whenComplete((c, e) -> {
                synchronized (lock) {
                    if (collector == next) {
                        collectorGeneration = port.session().generation();
                    }
                }
            });
        }
        if (!moved.isEmpty()) {
            LOG.debug("the vSphere session was renewed; moving {} filter(s) to a new update collector", moved.size());
            moved.forEach(this::register);
        }
        return next;
    }

    private void startPolling() {
        synchronized (lock) {
            if (polling || closed || byFilter.isEmpty()) {
                return;
            }
            polling = true;
        }
        schedule(this::poll, Duration.ZERO);
    }

    private void poll() {
        CompletableFuture<ManagedObjectReference> c;
        String since;
        synchronized (lock) {
            if (closed || byFilter.isEmpty() || collector == null) {
                polling = false;
                return;
            }
            c = collector;
            since = version;
        }
        c.thenCompose(col -> port.waitForUpdatesEx(Scope.of(OPERATION), col, since, maxWaitSeconds)
                .thenApply(set -> Map.entry(col, java.util.Optional.ofNullable(set))))
                .whenComplete((answer, e) -> {
                    if (e != null) {
                        pollFailed(c, Futures.unwrap(e));
                        return;
                    }
                    synchronized (lock) {
                        failures = 0;
                        rebuildsWithoutSuccess = 0;
                    }
                    answer.getValue().ifPresent(set -> received(c, set));
                    schedule(this::poll, Duration.ZERO);
                });
    }

    private void received(CompletableFuture<ManagedObjectReference> from, UpdateSet set) {
        Map<Waiter, List<ObjectUpdate>> updates = new LinkedHashMap<>();
        synchronized (lock) {
            if (from != collector) {
                return; // an answer from a collector replaced meanwhile
            }
            if (set.getVersion() != null) {
                version = set.getVersion();
            }
            long now = System.nanoTime();
            orphans.values().removeIf(o -> now - o.at() > ORPHAN_NANOS);
            destroyed.values().removeIf(at -> now - at > ORPHAN_NANOS);
            if (set.getFilterSet() == null) {
                return;
            }
            for (PropertyFilterUpdate fu : set.getFilterSet()) {
                if (fu.getFilter() == null || fu.getObjectSet() == null) {
                    continue;
                }
                String key = fu.getFilter().getVal();
                Waiter w = byFilter.get(key);
                if (w != null) {
                    updates.computeIfAbsent(w, k -> new ArrayList<>()).addAll(List.of(fu.getObjectSet()));
                } else if (!destroyed.containsKey(key)) {
                    orphans.computeIfAbsent(key, k -> new Orphan(now, new ArrayList<>())).updates().addAll(List.of(fu.getObjectSet()));
                }
            }
        }
        deliver(new ArrayList<>(updates.keySet()), updates);
    }

    /** Applies updates to waiters and completes those whose condition now holds (outside the lock). */
    private void deliver(List<Waiter> touched, Map<Waiter, List<ObjectUpdate>> updates) {
        for (Waiter w : touched) {
            Map<String, Object> snapshot = null;
            boolean gone;
            synchronized (w) {
                for (ObjectUpdate ou : updates.get(w)) {
                    if (ou.getKind() == ObjectUpdateKind.leave) {
                        w.gone = true;
                        continue;
                    }
                    w.heard = true;
                    if (ou.getChangeSet() == null) {
                        continue;
                    }
                    for (PropertyChange pc : ou.getChangeSet()) {
                        if (pc.getOp() == PropertyChangeOp.remove || pc.getOp() == PropertyChangeOp.indirectRemove
                                || pc.getVal() == null) {
                            w.values.remove(pc.getName());
                        } else {
                            w.values.put(pc.getName(), pc.getVal());
                        }
                    }
                }
                gone = w.gone;
                if (!gone && w.heard) {
                    snapshot = Map.copyOf(w.values);
                }
            }
            if (gone) {
                w.result.completeExceptionally(new NotFoundException(w.what + ": " + w.obj.getType() + " " + w.obj.getVal()
                        + " was deleted", ctx(w.scope)));
                continue;
            }
            try {
                if (snapshot != null && w.done.test(snapshot)) {
                    w.result.complete(snapshot);
                }
            } catch (RuntimeException e) {
                w.result.completeExceptionally(e);
            }
        }
    }

    private void pollFailed(CompletableFuture<ManagedObjectReference> from, Throwable error) {
        synchronized (lock) {
            if (closed) {
                polling = false;
                return;
            }
            if (from != collector) {
                // A collector replaced meanwhile (the session was renewed): its failure is no news.
                schedule(this::poll, Duration.ZERO);
                return;
            }
        }
        if (sessionLost(error) && rebuild(error)) {
            synchronized (lock) {
                polling = false; // registering the filters again starts the loop
            }
            return;
        }
        int n;
        synchronized (lock) {
            n = ++failures;
        }
        if (n >= MAX_POLL_FAILURES || !(error instanceof HypervisorException he && (he.retryable() || he instanceof NotFoundException))) {
            LOG.debug("WaitForUpdatesEx failed {} times ({}); failing the waiters", n, error.toString());
            failAll(error);
            synchronized (lock) {
                failures = 0;
                polling = false;
                collector = null;
            }
            return;
        }
        LOG.debug("WaitForUpdatesEx failed ({}); polling again", error.toString());
        schedule(this::poll, POLL_RETRY);
    }

    /** The session (and with it the collector and its filters) is gone. */
    private static boolean sessionLost(Throwable error) {
        return VimErrors.isNotAuthenticated(error)
                || error instanceof NotFoundException nf && nf.serverMessage().orElse("").contains("PropertyCollector");
    }

    /**
     * Builds the collector and every live waiter's filter again (the session was renewed by
     * {@link VimSession#callScoped}, or the collector vanished). Once: a second loss before a poll
     * succeeded fails the waiters.
     *
     * @return whether a rebuild was started
     */
    private boolean rebuild(Throwable cause) {
        List<Waiter> live;
        synchronized (lock) {
            if (closed || rebuildsWithoutSuccess >= 1) {
                return false;
            }
            rebuildsWithoutSuccess++;
            LOG.debug("rebuilding the update collector and {} filter(s) after {}", byFilter.size(), cause.toString());
            collector = null;
            version = "";
            byFilter.clear();
            orphans.clear();
            live = new ArrayList<>(waiters);
            live.forEach(w -> w.filter = null);
        }
        live.forEach(this::register);
        return true;
    }

    private void failAll(Throwable error) {
        List<Waiter> all;
        synchronized (lock) {
            all = new ArrayList<>(waiters);
        }
        for (Waiter w : all) {
            w.result.completeExceptionally(error);
        }
    }

    private void forget(Waiter w) {
        String filter;
        synchronized (lock) {
            waiters.remove(w);
            filter = w.filter;
            if (filter != null) {
                byFilter.remove(filter);
                destroyed.put(filter, System.nanoTime());
            }
        }
        if (w.timer != null) {
            w.timer.cancel(false);
        }
        if (filter != null) {
            destroyFilter(VimSession.moRef("PropertyFilter", filter));
        }
    }

    private void destroyFilter(ManagedObjectReference filter) {
        synchronized (lock) {
            if (closed) {
                return;
            }
        }
        port.destroy(Scope.of(OPERATION), "DestroyPropertyFilter", filter);
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                polling = false;
            }
        }
    }

    /** @return how many operations are waiting (for tests) */
    int waiting() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    /** Fails every waiter and stops the loop; the poll on the wire ends with the HTTP client. */
    @Override
    public void close() {
        List<Waiter> all;
        synchronized (lock) {
            closed = true;
            all = new ArrayList<>(waiters);
        }
        for (Waiter w : all) {
            w.result.completeExceptionally(new UnavailableException("connection was closed while waiting for " + w.what, ctx(w.scope)));
        }
    }
}
