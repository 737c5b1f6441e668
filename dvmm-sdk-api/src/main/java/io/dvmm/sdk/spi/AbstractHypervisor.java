package io.dvmm.sdk.spi;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Progress.Stage;
import io.dvmm.sdk.ProviderOptions;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.UnsupportedCapabilityException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.spi.support.Addresses;
import io.dvmm.sdk.spi.support.Backoff;
import io.dvmm.sdk.spi.support.CallPolicy;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.OperationRunner;
import io.dvmm.sdk.spi.support.Poller;
import io.dvmm.sdk.spi.support.PowerSteps;
import io.dvmm.sdk.spi.support.PowerTransitions;
import io.dvmm.sdk.spi.support.PowerTransitions.Action;
import io.dvmm.sdk.spi.support.PowerTransitions.Operation;
import io.dvmm.sdk.spi.support.ProvisioningFlow;
import io.dvmm.sdk.spi.support.ProvisioningSteps;
import io.dvmm.sdk.spi.support.RequiredCapabilities;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What every provider's connection shares, and the one place where the control flow of the API
 * lives: threads, capability checks before any request, deadlines, cancellation that reaches the
 * work, the {@code createVm} skeleton ({@link ProvisioningFlow}) over the provider's
 * {@link ProvisioningSteps}, the power-state rules ({@link PowerTransitions}) over its
 * {@link PowerSteps}, rollback, and the generic waits. A provider extends it, supplies its steps
 * and implements the remaining operations (inventory, listing, reconfigure, delete, snapshots)
 * through {@link #operation} and {@link #guarded}; it may override the waits where its API can do
 * better (vSphere's {@code WaitForUpdatesEx}).
 */
public abstract class AbstractHypervisor implements Hypervisor {
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** The connection's configuration. */
    protected final HypervisorConfig config;
    /** The provider type. */
    protected final String providerType;
    /** Schedules polls, retries and timeouts. */
    protected final ScheduledExecutorService scheduler;
    /** Runs blocking work and completions; bounded. */
    protected final Executor executor;
    /** The one wait loop. */
    protected final Poller poller;
    /** The one retry path, per request. */
    protected final CallPolicy calls;
    /** Runs long operations: deadline, cancellation, rollback. */
    protected final OperationRunner runner;

    private final boolean ownScheduler;
    private final ThreadPoolExecutor ownExecutor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    /** Names of VMs being created through this connection: two creates of one name cannot both pass. */
    private final Set<String> creating = ConcurrentHashMap.newKeySet();

    /**
     * @param providerType the provider type
     * @param config the configuration
     */
    protected AbstractHypervisor(String providerType, HypervisorConfig config) {
        this(providerType, config, 0);
    }

    /**
     * For a provider whose transport blocks a thread per request in flight and carries at most
     * {@code blockingThreads} at once: the SDK's own executor (when the caller supplies none) gets
     * at least that many threads, and the requests beyond it wait in the {@link CallPolicy}'s
     * limit, so that no request the transport lets go out waits for a thread or a connection
     * while its time runs.
     *
     * @param providerType the provider type
     * @param config the configuration
     * @param blockingThreads the most requests the transport blocks a thread for at once
     */
    protected AbstractHypervisor(String providerType, HypervisorConfig config, int blockingThreads) {
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
            int threads = Math.max(Math.max(2, blockingThreads),
                    Math.min(config.maxConcurrentRequests(), 4 * Runtime.getRuntime().availableProcessors()));
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemon("dvmm-" + providerType + "-worker"));
            pool.allowCoreThreadTimeOut(true);
            this.ownExecutor = pool;
            this.executor = pool;
        }
        this.poller = new Poller(scheduler);
        this.calls = blockingThreads > 0 ? new CallPolicy(providerType, config, scheduler, blockingThreads)
                : new CallPolicy(providerType, config, scheduler);
        this.runner = new OperationRunner(providerType, scheduler, poller, config.operationTimeout(), executor);
    }

    private static ThreadFactory daemon(String prefix) {
        return r -> {
            Thread t = new Thread(r, prefix + "-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- what a provider supplies --------------------------------------------------------------------

    /**
     * @return the steps of {@code createVm}; called once per {@code createVm}
     */
    protected abstract ProvisioningSteps<?, ?> provisioning();

    /**
     * @return the power steps; called once per power operation
     */
    protected abstract PowerSteps<?> power();

    /** @return the provider options class this provider understands, or {@code null} when it has none */
    protected Class<? extends ProviderOptions> providerOptionsType() {
        return null;
    }

    /**
     * Releases provider resources (sessions, sockets, HTTP clients). Called once by
     * {@link #close()} before the SDK's own threads stop.
     */
    protected abstract void closeTransport();

    // ---- plumbing for providers -----------------------------------------------------------------------

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
        return Deadline.after(options.timeout().orElse(config.operationTimeout()));
    }

    /**
     * Runs {@code body} only if the connection is open and has the capability; otherwise fails
     * with the typed error before any request. Synchronous throws become failed futures;
     * cancelling the returned future cancels the future {@code body} returned.
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
        CompletableFuture<T> result = capability == null ? Futures.composeCancellable(CompletableFuture.completedFuture(null), x -> body.get())
                : Futures.composeCancellable(capabilities(), caps -> caps.contains(capability) ? body.get()
                        : Futures.failed(unsupported(capability, operation)));
        return track(result, operation);
    }

    /**
     * Runs a long operation through the connection's {@link OperationRunner}: the capability
     * check, then {@code body} with a run that carries the deadline, progress and cancellation;
     * success reports {@link Stage#DONE}, failure undoes what the run registered.
     *
     * @param capability the capability the operation needs, or {@code null}
     * @param operation the SDK operation
     * @param options the caller's options
     * @param body the operation's steps
     * @param <T> the value type
     * @return the caller's future
     */
    protected <T> CompletableFuture<T> operation(Capability capability, String operation, OperationOptions options,
                                                 Function<OperationRun, CompletableFuture<T>> body) {
        Deadline deadline = deadline(options);
        return guarded(capability, operation, () -> runner.run(operation, deadline, options, body));
    }

    private UnsupportedCapabilityException unsupported(Capability capability, String operation) {
        return new UnsupportedCapabilityException(capability, "this " + providerType + " endpoint does not support " + capability,
                ctx(operation));
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

    /** @return whether {@link #close()} was called */
    protected boolean isClosed() {
        return closed.get();
    }

    // ---- createVm: the skeleton -----------------------------------------------------------------------

    /**
     * Applies the connection's resource defaults ({@link HypervisorConfig#defaults()},
     * {@link HypervisorConfig#defaultNetwork()}) to what the spec leaves out, validates locally
     * (provider options, the provider's own rules, the capabilities the spec needs), reserves the
     * name on this connection, then runs the provider's steps through {@link ProvisioningFlow}.
     */
    @Override
    public final CompletableFuture<VmInfo> createVm(VmProvisionSpec spec, OperationOptions options) {
        if (spec == null) {
            return Futures.failed(new InvalidSpecException("spec", "must not be null", ctx("createVm")));
        }
        VmProvisionSpec effective;
        try {
            effective = withDefaults(spec);
        } catch (RuntimeException e) {
            return Futures.failed(e);
        }
        return provision(provisioning(), effective, options);
    }

    /**
     * The one place the connection's resource defaults meet a spec, for every provider and before
     * the provider sees the spec: each placement target the spec names (by name or id) wins, the
     * rest come from the defaults; a spec without NICs gets one DHCP NIC on the default network.
     */
    private VmProvisionSpec withDefaults(VmProvisionSpec spec) {
        Placement defaults = config.defaults();
        Optional<String> network = config.defaultNetwork();
        boolean addNic = spec.nics().isEmpty() && network.isPresent();
        if (defaults.isAny() && !addNic) {
            return spec;
        }
        VmProvisionSpec.Builder b = spec.toBuilder().placement(spec.placement().orElse(defaults));
        if (addNic) {
            b.nic(NicSpec.dhcp(network.get()));
        }
        return b.build();
    }

    private <P, V> CompletableFuture<VmInfo> provision(ProvisioningSteps<P, V> steps, VmProvisionSpec spec, OperationOptions options) {
        if (closed.get()) {
            return Futures.failed(new UnavailableException("connection is closed", ctx("createVm")));
        }
        P plan;
        try {
            checkProviderOptions(spec);
            plan = steps.plan(spec);
        } catch (RuntimeException e) {
            return Futures.failed(e);
        }
        Deadline deadline = deadline(options);
        CompletableFuture<VmInfo> result = Futures.composeCancellable(capabilities(), caps -> {
            Capability missing = RequiredCapabilities.firstMissing(spec, caps);
            if (missing != null) {
                return Futures.failed(unsupported(missing, "createVm"));
            }
            if (!creating.add(spec.name())) {
                return Futures.failed(new ConflictException("another createVm of '" + spec.name()
                        + "' is running on this connection", ctx("createVm")));
            }
            CompletableFuture<VmInfo> run = runner.run("createVm", deadline, options, r -> {
                r.stage(Stage.VALIDATE, 0, 2, "checked " + spec.name() + " against this " + providerType + " endpoint");
                return ProvisioningFlow.execute(steps, spec, plan, r, config.operationTimeout());
            });
            // The name is free again before the caller hears the outcome, so a create right after it is not refused.
            CompletableFuture<VmInfo> answered = new CompletableFuture<>();
            Futures.onCancel(answered, () -> run.cancel(true));
            run.whenComplete((v, e) -> {
                creating.remove(spec.name());
                if (e == null) {
                    answered.complete(v);
                } else {
                    answered.completeExceptionally(e instanceof java.util.concurrent.CancellationException ? e : Futures.unwrap(e));
                }
            });
            return answered;
        });
        return track(result, "createVm");
    }

    /**
     * Checks the provider options attached to a spec: options of another provider are an error,
     * never silently dropped.
     *
     * @param spec the spec
     */
    protected void checkProviderOptions(VmProvisionSpec spec) {
        Class<? extends ProviderOptions> accepted = providerOptionsType();
        for (ProviderOptions o : spec.providerOptions().values()) {
            if (accepted == null || !accepted.isInstance(o) || !o.providerType().equals(providerType)) {
                throw new InvalidSpecException("providerOptions", "options for '" + o.providerType()
                        + "' do not apply to a " + providerType + " connection", ctx("createVm"));
            }
        }
    }

    // ---- power: one answer per state, on every provider -----------------------------------------------

    @Override
    public final CompletableFuture<VmInfo> startVm(VmId id, OperationOptions options) {
        return powerOperation(power(), Operation.START, Capability.POWER, id, null, options);
    }

    @Override
    public final CompletableFuture<VmInfo> stopVm(VmId id, StopSpec how, OperationOptions options) {
        return powerOperation(power(), Operation.STOP, Capability.POWER, id, how, options);
    }

    @Override
    public final CompletableFuture<VmInfo> restartVm(VmId id, OperationOptions options) {
        return powerOperation(power(), Operation.RESTART, Capability.POWER, id, null, options);
    }

    @Override
    public final CompletableFuture<VmInfo> suspendVm(VmId id, OperationOptions options) {
        return powerOperation(power(), Operation.SUSPEND, Capability.SUSPEND, id, null, options);
    }

    @Override
    public final CompletableFuture<VmInfo> resumeVm(VmId id, OperationOptions options) {
        return powerOperation(power(), Operation.RESUME, Capability.SUSPEND, id, null, options);
    }

    private <R> CompletableFuture<VmInfo> powerOperation(PowerSteps<R> steps, Operation op, Capability capability, VmId id,
                                                         StopSpec how, OperationOptions options) {
        if (id == null) {
            return Futures.failed(new InvalidSpecException("id", "must not be null", ctx(op.method())));
        }
        return operation(capability, op.method(), options, run -> steps.read(id, run).thenCompose(vm -> {
            Action action = PowerTransitions.plan(op, steps.state(vm), how != null && how.graceful(), id, run.context());
            if (action == Action.NOTHING) {
                return steps.describe(id, vm, false, run);
            }
            run.check();
            return act(steps, action, vm, how, run).thenCompose(x -> {
                run.check();
                return steps.describe(id, vm, true, run);
            });
        }));
    }

    private <R> CompletableFuture<Void> act(PowerSteps<R> steps, Action action, R vm, StopSpec how, OperationRun run) {
        return switch (action) {
            case POWER_ON -> {
                run.stage(Stage.POWER_ON, 0, 99, "powering on");
                yield steps.powerOn(vm, run);
            }
            case RESUME -> {
                run.stage(Stage.RESUME, 0, 99, "resuming");
                yield steps.resume(vm, run);
            }
            case POWER_OFF -> {
                run.stage(Stage.POWER_OFF, 0, 99, "powering off");
                yield steps.powerOff(vm, run);
            }
            case RESTART -> {
                run.stage(Stage.RESTART, 0, 99, "restarting");
                yield steps.restart(vm, run);
            }
            case SUSPEND -> {
                run.stage(Stage.SUSPEND, 0, 99, "suspending");
                yield steps.suspend(vm, run);
            }
            case SHUT_DOWN -> shutDown(steps, vm, how, run);
            case NOTHING -> CompletableFuture.completedFuture(null);
        };
    }

    /** A guest shutdown within the stop spec's grace; then, if it asks, a power off. */
    private <R> CompletableFuture<Void> shutDown(PowerSteps<R> steps, R vm, StopSpec how, OperationRun run) {
        run.stage(Stage.SHUTDOWN, 0, how.forceAfterTimeout() ? 50 : 99, "asking the guest to shut down");
        Duration grace = how.gracefulTimeout().compareTo(run.deadline().remaining()) < 0 ? how.gracefulTimeout()
                : run.deadline().remaining();
        return steps.shutDown(vm, grace, run).exceptionallyCompose(e -> {
            Throwable cause = Futures.unwrap(e);
            if (!(cause instanceof OperationTimeoutException) || !how.forceAfterTimeout() || run.isCancelled()) {
                return Futures.failed(cause);
            }
            run.stage(Stage.POWER_OFF, 50, 99, "the guest did not shut down within " + grace + "; powering off");
            return steps.powerOff(vm, run);
        });
    }

    // ---- generic lookups and waits ---------------------------------------------------------------------

    /**
     * Looks the name up through {@link #listVms(VmQuery)}; providers with a name lookup of their
     * own override it. Several VMs of the name fail with {@link ConflictException} listing them.
     */
    @Override
    public CompletableFuture<Optional<VmInfo>> findVm(String name) {
        if (name == null || name.isEmpty()) {
            return Futures.failed(new InvalidSpecException("name", "must not be empty", ctx("findVm")));
        }
        // VM names cannot hold '*' or '?' (VmProvisionSpec forbids them), so the name is its own glob.
        return listVms(VmQuery.builder().namePattern(name).build()).thenApply(list -> single(name,
                list.stream().filter(v -> v.name().equals(name)).toList()));
    }

    /**
     * @param name the name looked up
     * @param matches the VMs of that name
     * @return the one match, or empty
     * @throws ConflictException naming the ids when there are several
     */
    protected Optional<VmInfo> single(String name, List<VmInfo> matches) {
        if (matches.size() > 1) {
            throw new ConflictException(matches.size() + " VMs are named '" + name + "': "
                    + matches.stream().map(v -> v.id().value()).collect(Collectors.joining(", ")) + "; address one by id",
                    ctx("findVm"));
        }
        return matches.stream().findFirst();
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
                () -> getVm(id).thenApply(vm -> Addresses.usable(vm.ipAddresses()).isEmpty() ? Optional.empty() : Optional.of(vm))));
    }

    /** @return the back-off of the generic waits; providers may tune it */
    protected Backoff waitBackoff() {
        return new Backoff(Duration.ofMillis(200), Duration.ofSeconds(3), 1.5);
    }

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
                ownExecutor.shutdownNow();
            }
        }
    }
}
