package io.dvmm.sdk.spi;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.ProviderOptions;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.UnsupportedCapabilityException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmQuery;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What every provider's connection shares: threads, the retry path, the wait loop, capability
 * checks before any request, deadlines, and the generic waits. A provider extends it and
 * implements the operations; it may override the waits where its API can do better (vSphere's
 * {@code WaitForUpdatesEx}).
 */
public abstract class AbstractHypervisor implements Hypervisor {
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** The connection's configuration. */
    protected final HypervisorConfig config;
    /** The provider type. */
    protected final String providerType;
    /** Schedules polls, retries and timeouts. */
    protected final ScheduledExecutorService scheduler;
    /** Runs blocking transport calls and completions; bounded. */
    protected final Executor executor;
    /** The one wait loop. */
    protected final Poller poller;
    /** The one retry path. */
    protected final CallPolicy calls;

    private final boolean ownScheduler;
    private final ThreadPoolExecutor ownExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    /**
     * @param providerType the provider type
     * @param config the configuration
     */
    protected AbstractHypervisor(String providerType, HypervisorConfig config) {
        this.providerType = providerType;
        this.config = config;
        this.ownScheduler = config.scheduler().isEmpty();
        if (ownScheduler) {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon("dvmm-" + providerType + "-scheduler"));
            s.setRemoveOnCancelPolicy(true);
            this.scheduler = s;
        } else {
            this.scheduler = config.scheduler().get();
        }
        if (config.executor().isPresent()) {
            this.ownExecutor = null;
            this.executor = config.executor().get();
        } else {
            int threads = Math.max(2, Math.min(config.maxConcurrentRequests(), 4 * Runtime.getRuntime().availableProcessors()));
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemon("dvmm-" + providerType + "-worker"));
            pool.allowCoreThreadTimeOut(true);
            this.ownExecutor = pool;
            this.executor = pool;
        }
        this.poller = new Poller(scheduler);
        this.calls = new CallPolicy(providerType, config, scheduler);
    }

    private static ThreadFactory daemon(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + "-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public final String type() {
        return providerType;
    }

    @Override
    public URI endpoint() {
        return config.endpoint();
    }

    /**
     * @param operation the SDK operation
     * @return an error context naming this provider and the operation
     */
    protected ErrorContext ctx(String operation) {
        return ErrorContext.of(providerType, operation);
    }

    /**
     * @param options the call's options
     * @return the call's deadline: its own timeout, else the connection's default
     */
    protected Deadline deadline(OperationOptions options) {
        return Deadline.after(options.deadline().orElse(config.operationTimeout()));
    }

    /**
     * Runs {@code body} only if the connection is open and has the capability; otherwise fails
     * with the typed error before any request. Synchronous throws become failed futures.
     *
     * @param capability the capability the operation needs, or {@code null}
     * @param operation the SDK operation
     * @param body the operation
     * @param <T> the value type
     * @return the operation's future
     */
    protected <T> CompletableFuture<T> guarded(Capability capability, String operation, Supplier<CompletableFuture<T>> body) {
        if (closed.get()) {
            return Futures.failed(new UnavailableException("connection is closed", ctx(operation)));
        }
        CompletableFuture<T> result = capability == null ? Futures.guard(body)
                : capabilities().thenCompose(caps -> caps.contains(capability)
                ? Futures.guard(body)
                : Futures.failed(new UnsupportedCapabilityException(capability,
                        "this " + providerType + " endpoint does not support " + capability, ctx(operation))));
        return track(result, operation);
    }

    /**
     * Remembers a pending operation so that {@link #close()} can fail it with
     * {@link UnavailableException} instead of leaving its caller waiting forever.
     *
     * @param future the operation's future
     * @param operation the SDK operation
     * @param <T> the value type
     * @return {@code future}
     */
    protected <T> CompletableFuture<T> track(CompletableFuture<T> future, String operation) {
        if (future.isDone()) {
            return future;
        }
        pending.add(future);
        future.whenComplete((v, e) -> pending.remove(future));
        if (closed.get()) {
            future.completeExceptionally(new UnavailableException("connection was closed during " + operation, ctx(operation)));
        }
        return future;
    }

    /**
     * Checks the provider options attached to a spec: options of another provider are an error,
     * never silently dropped.
     *
     * @param spec the spec
     * @param accepted the options class this provider understands, or {@code null}
     */
    protected void checkProviderOptions(VmProvisionSpec spec, Class<? extends ProviderOptions> accepted) {
        for (ProviderOptions o : spec.providerOptions().values()) {
            if (accepted == null || !accepted.isInstance(o) || !o.providerType().equals(providerType)) {
                throw new InvalidSpecException("providerOptions", "options for '" + o.providerType()
                        + "' do not apply to a " + providerType + " connection", ctx("createVm"));
            }
        }
    }

    /** @return whether {@link #close()} was called */
    protected boolean isClosed() {
        return closed.get();
    }

    @Override
    public CompletableFuture<Optional<VmInfo>> findVm(String name) {
        if (name == null || name.isEmpty()) {
            return Futures.failed(new InvalidSpecException("name", "must not be empty", ctx("findVm")));
        }
        // VM names cannot hold '*' or '?' (VmProvisionSpec forbids them), so the name is its own glob.
        return listVms(VmQuery.builder().namePattern(name).build())
                .thenApply(list -> list.stream().filter(v -> v.name().equals(name)).findFirst());
    }

    @Override
    public CompletableFuture<VmInfo> waitForState(VmId id, PowerState state, Duration timeout) {
        return guarded(Capability.LIST_VMS, "waitForState", () -> poller.until(ctx("waitForState"),
                "VM " + id + " to be " + state, waitBackoff(), Deadline.after(timeout),
                () -> getVm(id).thenApply(vm -> vm.powerState() == state ? Optional.of(vm) : Optional.empty())));
    }

    @Override
    public CompletableFuture<VmInfo> waitForGuestIp(VmId id, Duration timeout) {
        return guarded(Capability.GUEST_IP, "waitForGuestIp", () -> poller.until(ctx("waitForGuestIp"),
                "a guest IP on VM " + id, waitBackoff(), Deadline.after(timeout),
                () -> getVm(id).thenApply(vm -> vm.ipAddresses().stream().anyMatch(AbstractHypervisor::isUsableIp)
                        ? Optional.of(vm) : Optional.empty())));
    }

    /** @return the back-off of the generic waits; providers may tune it */
    protected Backoff waitBackoff() {
        return new Backoff(Duration.ofMillis(200), Duration.ofSeconds(3), 1.5);
    }

    /**
     * @param ip an IP literal reported by a guest
     * @return whether it can reach the VM: not loopback, link-local, wildcard or multicast
     */
    public static boolean isUsableIp(String ip) {
        if (!io.dvmm.sdk.IpConfig.isIpv4(ip) && !io.dvmm.sdk.IpConfig.isIpv6(ip)) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(ip);
            return !(a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress());
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * @param ips IP literals reported by a guest
     * @return the usable ones, in order
     */
    public static List<String> usableIps(List<String> ips) {
        return ips.stream().filter(AbstractHypervisor::isUsableIp).toList();
    }

    /**
     * Releases provider resources (sessions, sockets). Called once by {@link #close()} before the
     * SDK's own threads stop.
     */
    protected abstract void closeTransport();

    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            closeTransport();
        } finally {
            for (CompletableFuture<?> f : List.copyOf(pending)) {
                f.completeExceptionally(new UnavailableException("connection was closed", ctx("close")));
            }
            if (ownScheduler) {
                scheduler.shutdownNow();
            }
            if (ownExecutor != null) {
                ownExecutor.shutdown();
            }
        }
    }
}
