package io.dvmm.sdk;

import io.dvmm.sdk.spi.support.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed, shared connections for an application that serves many tenants, each on its own
 * hypervisor: {@code registry.get("tenant-a")} hands out a {@link Hypervisor} for the key's
 * configuration, read from a {@link ConfigSource} when the key is first asked for.
 *
 * <ul>
 *   <li><b>Shared and thread-safe.</b> Every {@code get} of a key returns the same handle; its
 *       calls go to the key's current connection. Closing a handle does nothing: the registry owns
 *       the connections.</li>
 *   <li><b>Bounded threads.</b> Every connection runs on the registry's executor and scheduler
 *       (supplied to each {@link HypervisorConfig}, replacing any the source set), so the threads
 *       stay the same however many tenants there are; the SDK never shuts down an executor or
 *       scheduler the caller supplied.</li>
 *   <li><b>Health-checked.</b> Every {@link Builder#healthCheckInterval(Duration) interval}, and
 *       at once after a call failed with {@link UnavailableException} or
 *       {@link AuthenticationException}, the connection is tested ({@link Hypervisor#testConnection()}).
 *       One that fails with either, or times out, is not handed out any more: its calls fail at
 *       once with {@link UnavailableException} (retryable) while a new connection is built from a
 *       fresh read of the configuration, with back-off between attempts, and swapped in once its
 *       own test passes.</li>
 *   <li><b>Replaced when the configuration changes.</b> {@link #refresh(String)}, and every
 *       {@link Builder#refreshInterval(Duration) interval} on its own, reads the key's
 *       configuration again; when {@link HypervisorConfig#toProperties()} or a held secret differs,
 *       new calls go to a new connection while calls already running finish on the old one, which
 *       is closed once they have (or after the {@link Builder#drainTimeout(Duration) drain timeout}).
 *       A rotating secret ({@link Credentials#password(String, java.util.function.Supplier)}) is no
 *       change: the connection asks its supplier at each login.</li>
 *   <li><b>Closed</b> on {@link #remove(String)} (after the calls running on it) and on
 *       {@link #close()} (at once).</li>
 * </ul>
 *
 * <pre>{@code
 * try (HypervisorRegistry tenants = HypervisorRegistry.builder(key -> tenantStore.find(key)
 *         .map(row -> HypervisorConfig.fromProperties(row.settings(), "", () -> vault.read("dvmm/" + key))))
 *         .build()) {
 *     VmInfo vm = tenants.get("tenant-a").createVm(spec).join();
 * }
 * }</pre>
 */
public final class HypervisorRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HypervisorRegistry.class);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** Where the registry reads a key's configuration; called on first use, on refresh and before each rebuild. */
    @FunctionalInterface
    public interface ConfigSource {
        /**
         * @param key the key, such as a tenant id
         * @return the key's configuration, or empty when the key has none (any longer)
         * @throws InvalidSpecException naming the field when the stored configuration is bad
         */
        Optional<HypervisorConfig> config(String key);
    }

    /** What happened to a key's connection, for {@link Listener}. */
    public enum Change {
        /** The key's first connection was made (no request is sent until the first call). */
        CONNECTED,
        /** The connection failed its health check; calls fail at once until it is rebuilt. */
        BROKEN,
        /** An attempt to rebuild a broken connection failed; another follows after the back-off. */
        REBUILD_FAILED,
        /** A new connection replaced a broken one. */
        REBUILT,
        /** A new connection replaced one whose configuration changed. */
        REPLACED,
        /** One of the key's connections was closed (a replaced one after its calls, or on removal). */
        CLOSED,
        /** The key was removed: on {@link #remove(String)}, or because its source has no configuration any more. */
        REMOVED
    }

    /** Hears what happens to the registry's connections: for logs and metrics. Must not block. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param key the key
         * @param change what happened
         * @param cause the error behind {@link Change#BROKEN} and {@link Change#REBUILD_FAILED}, else {@code null}
         */
        void onChange(String key, Change change, HypervisorException cause);
    }

    private final ConfigSource source;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final ThreadPoolExecutor ownExecutor;
    private final ScheduledThreadPoolExecutor ownScheduler;
    private final Duration healthCheckInterval;
    private final Duration healthCheckTimeout;
    private final Duration refreshInterval;
    private final Backoff rebuildBackoff;
    private final Duration drainTimeout;
    private final Listener listener;
    private final ConcurrentMap<String, RegistryEntry> entries = new ConcurrentHashMap<>();
    /** Replaced and removed connections waiting for their calls to finish. */
    private final Set<RegistryEntry.Generation> draining = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledFuture<?> healthTask;
    private final ScheduledFuture<?> refreshTask;

    private HypervisorRegistry(Builder b) {
        this.source = b.source;
        this.listener = b.listener;
        this.healthCheckInterval = b.healthCheckInterval;
        this.healthCheckTimeout = b.healthCheckTimeout;
        this.refreshInterval = b.refreshInterval;
        this.rebuildBackoff = new Backoff(b.rebuildFirst, b.rebuildMax, 2.0);
        this.drainTimeout = b.drainTimeout;
        if (b.executor != null) {
            this.executor = b.executor;
            this.ownExecutor = null;
        } else {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    daemon("dvmm-registry-worker"));
            pool.allowCoreThreadTimeOut(true);
            this.executor = pool;
            this.ownExecutor = pool;
        }
        if (b.scheduler != null) {
            this.scheduler = b.scheduler;
            this.ownScheduler = null;
        } else {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(b.schedulerThreads, daemon("dvmm-registry-scheduler"));
            s.setRemoveOnCancelPolicy(true);
            this.scheduler = s;
            this.ownScheduler = s;
        }
        this.healthTask = every(healthCheckInterval, () -> entries.values().forEach(e -> run(e::checkHealth)));
        this.refreshTask = every(refreshInterval, () -> entries.values().forEach(e -> run(e::refreshQuietly)));
    }

    private ScheduledFuture<?> every(Duration interval, Runnable task) {
        if (interval.isZero()) {
            return null;
        }
        long nanos = interval.toNanos();
        return scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("registry task failed: {}", e.toString());
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private static ThreadFactory daemon(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + "-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * @param source reads a key's configuration
     * @return a builder with the defaults
     */
    public static Builder builder(ConfigSource source) {
        return new Builder(source);
    }

    /**
     * The key's connection handle, connecting on first use (no request is sent until the first
     * call). Every call of a key returns the same handle.
     *
     * @param key the key, such as a tenant id
     * @return the handle; its {@code close()} does nothing
     * @throws NotFoundException if the source has no configuration for the key
     * @throws InvalidSpecException if the configuration is bad or names no installed provider
     * @throws UnavailableException if the registry is closed
     */
    public Hypervisor get(String key) {
        requireOpen();
        if (key == null || key.isBlank()) {
            throw new InvalidSpecException("key", "must not be empty");
        }
        RegistryEntry entry = entries.get(key);
        if (entry == null) {
            AtomicBoolean made = new AtomicBoolean();
            // Concurrent first calls of one key connect once; the source is read while the key's slot is held.
            entry = entries.computeIfAbsent(key, k -> {
                made.set(true);
                return new RegistryEntry(this, k, connect(k));
            });
            if (made.get()) {
                notify(key, Change.CONNECTED, null);
            }
        }
        if (closed.get()) {
            entry.close();
            requireOpen();
        }
        return entry.handle();
    }

    /** @return the keys with a connection, sorted */
    public Set<String> keys() {
        return new TreeSet<>(entries.keySet());
    }

    /**
     * Reads the key's configuration again: when it changed, a new connection takes the new calls
     * and the old one is closed after its running calls; when the source has none any more, the
     * key is removed. Does nothing for a key without a connection.
     *
     * @param key the key
     * @return whether the connection was replaced or removed
     * @throws InvalidSpecException if the new configuration is bad (the old connection stays)
     */
    public boolean refresh(String key) {
        requireOpen();
        RegistryEntry e = entries.get(key);
        return e != null && e.refresh();
    }

    /**
     * Removes a key: new calls on its handle fail with {@link UnavailableException}; calls already
     * running finish, then the connection is closed. A later {@link #get(String)} connects anew.
     *
     * @param key the key
     * @return whether the key had a connection
     */
    public boolean remove(String key) {
        RegistryEntry e = entries.remove(key);
        if (e == null) {
            return false;
        }
        e.remove();
        notify(key, Change.REMOVED, null);
        return true;
    }

    /**
     * Closes every connection at once (calls still running fail with {@link UnavailableException}),
     * then the registry's own threads. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (healthTask != null) {
            healthTask.cancel(false);
        }
        if (refreshTask != null) {
            refreshTask.cancel(false);
        }
        try {
            for (String key : List.copyOf(entries.keySet())) {
                RegistryEntry e = entries.remove(key);
                if (e != null) {
                    e.close();
                }
            }
            for (RegistryEntry.Generation g : List.copyOf(draining)) {
                g.forceClose();
            }
        } finally {
            if (ownScheduler != null) {
                ownScheduler.shutdownNow();
            }
            if (ownExecutor != null) {
                ownExecutor.shutdownNow();
            }
        }
    }

    @Override
    public String toString() {
        return "HypervisorRegistry[keys=" + keys() + (closed.get() ? ", closed" : "") + "]";
    }

    // ---- for RegistryEntry -----------------------------------------------------------------------------

    private void requireOpen() {
        if (closed.get()) {
            throw new UnavailableException("the hypervisor registry is closed", ErrorContext.EMPTY);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Reads the key's configuration and connects with the registry's threads. */
    RegistryEntry.Generation connect(String key) {
        HypervisorConfig given = source.config(key).orElseThrow(() -> new NotFoundException(
                "no hypervisor configuration for '" + key + "'", ErrorContext.EMPTY));
        return connect(given);
    }

    RegistryEntry.Generation connect(HypervisorConfig given) {
        HypervisorConfig config = given.toBuilder().executor(executor).scheduler(scheduler).build();
        return new RegistryEntry.Generation(this, given, Hypervisors.connect(config));
    }

    Optional<HypervisorConfig> read(String key) {
        return source.config(key);
    }

    /** The key lost its configuration: it is removed as by {@link #remove(String)}. */
    void forget(String key, RegistryEntry entry) {
        if (entries.remove(key, entry)) {
            LOG.info("hypervisor registry: '{}' has no configuration any more; removed", key);
            entry.remove();
            notify(key, Change.REMOVED, null);
        }
    }

    void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("registry task rejected: the registry is closing");
        }
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(() -> run(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    Duration healthCheckTimeout() {
        return healthCheckTimeout;
    }

    Backoff rebuildBackoff() {
        return rebuildBackoff;
    }

    /** How long a replaced connection may keep running calls: the builder's, else its own operation timeout. */
    Duration drainTimeout(HypervisorConfig config) {
        return drainTimeout != null ? drainTimeout : config.operationTimeout();
    }

    void draining(RegistryEntry.Generation g, boolean add) {
        if (add) {
            draining.add(g);
        } else {
            draining.remove(g);
        }
    }

    void notify(String key, Change change, HypervisorException cause) {
        try {
            listener.onChange(key, change, cause);
        } catch (RuntimeException e) {
            LOG.debug("registry listener threw: {}", e.toString());
        }
    }

    /** Builds a {@link HypervisorRegistry}. Not thread-safe. */
    public static final class Builder {
        private final ConfigSource source;
        private int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        private int schedulerThreads = 2;
        private Executor executor;
        private ScheduledExecutorService scheduler;
        private Duration healthCheckInterval = Duration.ofSeconds(30);
        private Duration healthCheckTimeout = Duration.ofSeconds(30);
        private Duration refreshInterval = Duration.ofMinutes(1);
        private Duration rebuildFirst = Duration.ofSeconds(1);
        private Duration rebuildMax = Duration.ofMinutes(1);
        private Duration drainTimeout;
        private Listener listener = (key, change, cause) -> { };

        private Builder(ConfigSource source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /**
         * @param count the worker threads of the registry's own executor, shared by every
         *              connection (completions and blocking transports); ignored when
         *              {@link #executor(Executor)} is set. By default 4 per CPU, at least 8.
         * @return this builder
         */
        public Builder threads(int count) {
            if (count < 1) {
                throw new InvalidSpecException("threads", "must be at least 1");
            }
            this.threads = count;
            return this;
        }

        /**
         * @param count the threads of the registry's own scheduler (polls, timeouts, health
         *              checks); ignored when {@link #scheduler(ScheduledExecutorService)} is set. 2 by default.
         * @return this builder
         */
        public Builder schedulerThreads(int count) {
            if (count < 1) {
                throw new InvalidSpecException("schedulerThreads", "must be at least 1");
            }
            this.schedulerThreads = count;
            return this;
        }

        /**
         * @param value runs every connection's completions and blocking transports; the registry never shuts it down
         * @return this builder
         */
        public Builder executor(Executor value) {
            this.executor = value;
            return this;
        }

        /**
         * @param value schedules every connection's polls and timeouts and the registry's checks;
         *              the registry never shuts it down
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService value) {
            this.scheduler = value;
            return this;
        }

        /**
         * @param interval how often every connection is tested; {@link Duration#ZERO} tests only
         *                 after a failed call. 30 s by default.
         * @return this builder
         */
        public Builder healthCheckInterval(Duration interval) {
            this.healthCheckInterval = zeroOrMore(interval, "healthCheckInterval");
            return this;
        }

        /**
         * @param timeout how long a health check may take before it counts as failed; 30 s by default
         * @return this builder
         */
        public Builder healthCheckTimeout(Duration timeout) {
            this.healthCheckTimeout = positive(timeout, "healthCheckTimeout");
            return this;
        }

        /**
         * @param interval how often every key's configuration is read again; {@link Duration#ZERO}
         *                 reads it only on {@link HypervisorRegistry#refresh(String)} and before a rebuild. 1 min by default.
         * @return this builder
         */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = zeroOrMore(interval, "refreshInterval");
            return this;
        }

        /**
         * @param first the wait after the first failed rebuild (the first attempt starts at once)
         * @param max the longest wait; each wait doubles up to it. 1 s up to 1 min by default.
         * @return this builder
         */
        public Builder rebuildBackoff(Duration first, Duration max) {
            positive(first, "rebuildBackoff.first");
            if (max == null || max.compareTo(first) < 0) {
                throw new InvalidSpecException("rebuildBackoff.max", "must be at least the first wait");
            }
            this.rebuildFirst = first;
            this.rebuildMax = max;
            return this;
        }

        /**
         * @param timeout how long a replaced or removed connection may keep running calls before it
         *                is closed anyway; by default its own operation timeout
         * @return this builder
         */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = positive(timeout, "drainTimeout");
            return this;
        }

        /**
         * @param value hears what happens to the connections; must not block
         * @return this builder
         */
        public Builder listener(Listener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /** @return the registry; it owns threads until {@link HypervisorRegistry#close()} */
        public HypervisorRegistry build() {
            return new HypervisorRegistry(this);
        }

        private static Duration zeroOrMore(Duration d, String field) {
            if (d == null || d.isNegative()) {
                throw new InvalidSpecException(field, "must be a duration of zero or more");
            }
            return d;
        }

        private static Duration positive(Duration d, String field) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidSpecException(field, "must be a positive duration");
            }
            return d;
        }
    }
}
