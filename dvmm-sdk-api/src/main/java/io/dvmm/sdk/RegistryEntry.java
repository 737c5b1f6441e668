package io.dvmm.sdk;

import io.dvmm.sdk.HypervisorRegistry.Change;
import io.dvmm.sdk.spi.support.Futures;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One key of a {@link HypervisorRegistry}: its current connection (a {@link Generation}), the
 * calls running on each generation, its health, and the swaps (rebuild after a failed health
 * check, replacement after a configuration change) that retire a generation once its calls end.
 */
final class RegistryEntry {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryEntry.class);

    /**
     * One connection of a key and the calls running on it. {@code users} counts them; -1 means
     * closed. A retired generation takes no new calls and closes when its last call ends.
     */
    static final class Generation {
        final HypervisorConfig given;
        final Hypervisor hv;
        private final HypervisorRegistry registry;
        private final AtomicInteger users = new AtomicInteger();
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile boolean retired;
        /** Whether it was ever the key's current connection; a candidate that failed its test is closed unannounced. */
        private volatile boolean served;
        private volatile String key = "";
        private volatile ScheduledFuture<?> drainDeadline;

        Generation(HypervisorRegistry registry, HypervisorConfig given, Hypervisor hv) {
            this.registry = registry;
            this.given = given;
            this.hv = hv;
        }

        boolean tryAcquire() {
            while (true) {
                int u = users.get();
                if (u < 0) {
                    return false;
                }
                if (users.compareAndSet(u, u + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (users.decrementAndGet() == 0 && retired) {
                closeIfIdle();
            }
        }

        /** Takes no new calls; closes after the running ones, or after the drain timeout. */
        void retire(String forKey) {
            key = forKey;
            retired = true;
            registry.draining(this, true);
            closeIfIdle();
            if (!closed.get()) {
                Duration limit = registry.drainTimeout(given);
                LOG.debug("hypervisor registry: '{}': the old connection closes after its {} running call(s), at most {}",
                        forKey, Math.max(0, users.get()), limit);
                drainDeadline = registry.scheduler().isShutdown() ? null
                        : registry.schedule(this::forceClose, limit);
            }
        }

        private void closeIfIdle() {
            if (users.compareAndSet(0, -1)) {
                closeNow();
            }
        }

        void forceClose() {
            users.set(-1);
            closeNow();
        }

        boolean isClosed() {
            return closed.get();
        }

        private void closeNow() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> d = drainDeadline;
            if (d != null) {
                d.cancel(false);
            }
            registry.draining(this, false);
            try {
                hv.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a connection of '{}' failed: {}", key, e.toString());
            }
            if (served) {
                registry.notify(key, Change.CLOSED, null);
            }
        }
    }

    /** A failed health check: why, how many rebuilds failed since, when the next one starts. */
    private record Broken(HypervisorException cause, int failedAttempts, long nextAttemptNanos) {
    }

    private final HypervisorRegistry registry;
    private final String key;
    private final RegistryHandle handle;
    private final AtomicBoolean checking = new AtomicBoolean();
    private final AtomicBoolean rebuilding = new AtomicBoolean();
    private volatile Generation current;
    private volatile Broken broken;
    private volatile boolean removed;

    RegistryEntry(HypervisorRegistry registry, String key, Generation first) {
        this.registry = registry;
        this.key = key;
        this.current = first;
        first.key = key;
        first.served = true;
        this.handle = new RegistryHandle(this);
    }

    String key() {
        return key;
    }

    Hypervisor handle() {
        return handle;
    }

    /** The current connection, for what needs no call ({@code type()}, {@code endpoint()}). */
    Hypervisor currentConnection() {
        return current.hv;
    }

    // ---- calls --------------------------------------------------------------------------------------

    /** Runs one call on the current connection, counted on it until its future completes. */
    <T> CompletableFuture<T> call(String operation, Function<Hypervisor, CompletableFuture<T>> op) {
        Generation g;
        try {
            g = acquire(operation);
        } catch (HypervisorException e) {
            return Futures.failed(e);
        }
        CompletableFuture<T> f;
        try {
            f = Objects.requireNonNull(op.apply(g.hv), "the connection answered no future");
        } catch (RuntimeException e) {
            g.release();
            return Futures.failed(e);
        }
        f.whenComplete((v, e) -> {
            g.release();
            if (e != null) {
                noticeFailure(g, Futures.unwrap(e));
            }
        });
        return f;
    }

    private Generation acquire(String operation) {
        while (true) {
            if (removed) {
                throw new UnavailableException("'" + key + "' was removed from the hypervisor registry; get a new handle",
                        ErrorContext.of(current.hv.type(), operation));
            }
            Broken b = broken;
            if (b != null) {
                long wait = Math.max(0, b.nextAttemptNanos() - System.nanoTime());
                throw new UnavailableException("the connection of '" + key + "' failed its health check (" + b.cause().getMessage()
                        + ") and is being rebuilt", ErrorContext.builder().provider(current.hv.type()).operation(operation)
                        .retryAfter(Duration.ofNanos(wait).plusMillis(1)).build(), b.cause());
            }
            Generation g = current;
            if (g.tryAcquire()) {
                if (g == current) {
                    return g;
                }
                g.release();
            } else if (g == current) {
                throw new UnavailableException("the connection of '" + key + "' is closed", ErrorContext.of(g.hv.type(), operation));
            }
        }
    }

    /** An outage or a refused login heard by a call is checked at once, not at the next interval. */
    private void noticeFailure(Generation g, Throwable cause) {
        if (g == current && (cause instanceof UnavailableException || cause instanceof AuthenticationException)) {
            registry.run(this::checkHealth);
        }
    }

    // ---- health -------------------------------------------------------------------------------------

    /** Tests the current connection unless a test or rebuild is under way; a failure breaks it. */
    void checkHealth() {
        Generation g = current;
        if (removed || broken != null || registry.isClosed() || !checking.compareAndSet(false, true)) {
            return;
        }
        if (!g.tryAcquire()) {
            checking.set(false);
            return;
        }
        test(g.hv).whenComplete((info, e) -> {
            g.release();
            checking.set(false);
            if (e == null) {
                return;
            }
            HypervisorException cause = asHypervisorException(Futures.unwrap(e));
            if (breaks(cause)) {
                markBroken(g, cause);
            } else {
                LOG.debug("hypervisor registry: health check of '{}' failed without breaking it: {}", key, cause.getMessage());
            }
        });
    }

    private static boolean breaks(HypervisorException e) {
        return e instanceof UnavailableException || e instanceof AuthenticationException || e instanceof OperationTimeoutException;
    }

    private static HypervisorException asHypervisorException(Throwable t) {
        return t instanceof HypervisorException he ? he
                : new UnavailableException("health check failed: " + t.getClass().getSimpleName(), ErrorContext.EMPTY, t);
    }

    /** {@code testConnection} within the registry's health check timeout. */
    private CompletableFuture<ConnectionInfo> test(Hypervisor hv) {
        CompletableFuture<ConnectionInfo> test;
        try {
            test = hv.testConnection();
        } catch (RuntimeException e) {
            return Futures.failed(e);
        }
        Duration limit = registry.healthCheckTimeout();
        CompletableFuture<ConnectionInfo> result = new CompletableFuture<>();
        CompletableFuture<ConnectionInfo> inner = test;
        ScheduledFuture<?> timer = registry.scheduler().schedule(() -> {
            if (result.completeExceptionally(new OperationTimeoutException("the health check took longer than " + limit,
                    ErrorContext.of(hv.type(), "testConnection")))) {
                inner.cancel(true);
            }
        }, limit.toNanos(), TimeUnit.NANOSECONDS);
        test.whenComplete((v, e) -> {
            timer.cancel(false);
            if (e == null) {
                result.complete(v);
            } else {
                result.completeExceptionally(Futures.unwrap(e));
            }
        });
        return result;
    }

    private void markBroken(Generation g, HypervisorException cause) {
        synchronized (this) {
            if (g != current || broken != null || removed) {
                return;
            }
            broken = new Broken(cause, 0, System.nanoTime());
        }
        LOG.warn("hypervisor registry: the connection of '{}' failed its health check ({}); rebuilding it", key, cause.getMessage());
        registry.notify(key, Change.BROKEN, cause);
        registry.run(this::rebuild);
    }

    /** One attempt: a fresh read of the configuration, a new connection, its test; on success, the swap. */
    private void rebuild() {
        if (broken == null || removed || registry.isClosed() || !rebuilding.compareAndSet(false, true)) {
            return;
        }
        Generation next;
        try {
            Optional<HypervisorConfig> config = registry.read(key);
            if (config.isEmpty()) {
                rebuilding.set(false);
                registry.forget(key, this);
                return;
            }
            next = registry.connect(config.get());
        } catch (RuntimeException e) {
            rebuilding.set(false);
            failedAttempt(asHypervisorException(e));
            return;
        }
        next.key = key;
        test(next.hv).whenComplete((info, e) -> {
            rebuilding.set(false);
            if (e == null) {
                LOG.info("hypervisor registry: the connection of '{}' was rebuilt", key);
                swap(next, Change.REBUILT);
            } else {
                next.forceClose();
                failedAttempt(asHypervisorException(Futures.unwrap(e)));
            }
        });
    }

    private void failedAttempt(HypervisorException cause) {
        Duration wait;
        synchronized (this) {
            Broken b = broken;
            if (b == null || removed) {
                return;
            }
            wait = registry.rebuildBackoff().interval(b.failedAttempts());
            broken = new Broken(cause, b.failedAttempts() + 1, System.nanoTime() + wait.toNanos());
        }
        LOG.info("hypervisor registry: rebuilding the connection of '{}' failed ({}); next attempt in {}", key, cause.getMessage(), wait);
        registry.notify(key, Change.REBUILD_FAILED, cause);
        registry.schedule(this::rebuild, wait);
    }

    /** Makes {@code next} current; the old generation finishes its calls, then closes. */
    private void swap(Generation next, Change change) {
        Generation old;
        synchronized (this) {
            if (removed || registry.isClosed()) {
                old = null;
            } else {
                old = current;
                next.served = true;
                current = next;
                broken = null;
            }
        }
        if (old == null) {
            next.forceClose();
            return;
        }
        registry.notify(key, change, null);
        old.retire(key);
    }

    // ---- configuration changes ----------------------------------------------------------------------

    /** Reads the configuration again and swaps when it changed; see {@link HypervisorRegistry#refresh(String)}. */
    boolean refresh() {
        if (removed) {
            return false;
        }
        Optional<HypervisorConfig> config = registry.read(key);
        if (config.isEmpty()) {
            registry.forget(key, this);
            return true;
        }
        if (sameConnection(current.given, config.get())) {
            return false;
        }
        Generation next = registry.connect(config.get());
        next.key = key;
        LOG.info("hypervisor registry: the configuration of '{}' changed; new calls go to a new connection", key);
        swap(next, Change.REPLACED);
        return true;
    }

    /** The periodic refresh: a bad configuration in the source is logged, and the connection stays. */
    void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("hypervisor registry: reading the configuration of '{}' failed; the connection stays: {}", key, e.getMessage());
        }
    }

    /**
     * Whether two configurations make the same connection: the same keys and values, and the same
     * held secrets (a rotating secret is no change: its supplier answers what is current).
     */
    static boolean sameConnection(HypervisorConfig a, HypervisorConfig b) {
        return a.toProperties().equals(b.toProperties()) && a.credentials().sameLogin(b.credentials())
                && a.tls().trustStorePassword().equals(b.tls().trustStorePassword());
    }

    // ---- removal ------------------------------------------------------------------------------------

    /** New calls fail; running ones finish, then the connection closes. */
    void remove() {
        Generation g;
        synchronized (this) {
            removed = true;
            g = current;
        }
        g.retire(key);
    }

    /** Closes at once: running calls fail with {@link UnavailableException}. */
    void close() {
        Generation g;
        synchronized (this) {
            removed = true;
            g = current;
        }
        g.key = key;
        g.forceClose();
    }
}
