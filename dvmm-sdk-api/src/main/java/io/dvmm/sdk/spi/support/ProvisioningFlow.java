package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.PermissionDeniedException;
import io.dvmm.sdk.Progress.Stage;
import io.dvmm.sdk.ResourceExhaustedException;
import io.dvmm.sdk.UnsupportedCapabilityException;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one control flow of {@code createVm}, over a provider's {@link ProvisioningSteps}: stages
 * in the vocabulary of {@link io.dvmm.sdk.Progress}, cancellation checked between steps, and the
 * rule that makes creation idempotent.
 *
 * <p><b>A retry never makes a second VM.</b> When the create request fails, its outcome is
 * decided before anything else happens: an answer that proves nothing was made (the server's
 * own refusal, or a request that never left) is final, except that a busy server (a lock
 * timeout) is asked again with back-off, honouring {@code Retry-After}. Any other failure (lost,
 * late, truncated or garbled answer) leaves the outcome unknown: the flow asks
 * {@link ProvisioningSteps#find} with the create's marker until the VM shows up or
 * {@link ProvisioningSteps#landingTime()} has passed. Found, the run goes on with it; proven
 * absent, the create may be sent again (with the same marker, and the same VMID where the
 * provider chooses it); if that later attempt finds the name taken, an earlier one may have landed
 * after all, so the marker is looked for once more before the conflict stands. If the deadline
 * cuts the search short, the outcome stays unknown and the rollback resolves it: it looks once
 * more and removes what it finds, or names it as left.
 *
 * @param <P> the provider's plan
 * @param <V> the provider's handle of a VM
 */
public final class ProvisioningFlow<P, V> {
    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningFlow.class);
    /** The most create requests one {@code createVm} sends. */
    static final int MAX_CREATE_ATTEMPTS = 6;
    private static final Backoff CREATE_BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), 2.0);
    private static final Backoff LANDING_BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), 1.5);

    private final ProvisioningSteps<P, V> steps;
    private final VmProvisionSpec spec;
    private final OperationRun run;
    private final Duration cleanupBudget;
    private final String marker = "dvmm-" + UUID.randomUUID();
    private final AtomicReference<V> made = new AtomicReference<>();

    private ProvisioningFlow(ProvisioningSteps<P, V> steps, VmProvisionSpec spec, OperationRun run, Duration cleanupBudget) {
        this.steps = steps;
        this.spec = spec;
        this.run = run;
        this.cleanupBudget = cleanupBudget;
    }

    /**
     * Runs the steps after {@link ProvisioningSteps#plan} (which the caller ran before any
     * request, as part of validation).
     *
     * @param steps the provider's steps
     * @param spec the spec
     * @param plan what {@link ProvisioningSteps#plan} returned
     * @param run the operation's run
     * @param cleanupBudget how long removing what an unknown create made may take
     * @param <P> the provider's plan
     * @param <V> the provider's handle of a VM
     * @return the new VM as read back
     */
    public static <P, V> CompletableFuture<VmInfo> execute(ProvisioningSteps<P, V> steps, VmProvisionSpec spec, P plan,
                                                           OperationRun run, Duration cleanupBudget) {
        return new ProvisioningFlow<>(steps, spec, run, cleanupBudget).execute(plan);
    }

    private CompletableFuture<VmInfo> execute(P plan) {
        run.stage(Stage.RESOLVE, 2, 5, "looking up " + spec.templateName().or(spec::templateId).orElse("the template"));
        return steps.resolve(plan, run).thenCompose(resolved -> {
            run.check();
            run.stage(Stage.CLONE, 5, 60, "creating " + spec.name());
            return create(resolved, 1).thenCompose(vm -> after(resolved, vm));
        });
    }

    private CompletableFuture<VmInfo> after(P plan, V vm) {
        run.check();
        run.stage(Stage.CONFIGURE, 60, 70, "configuring " + steps.describe(vm));
        CompletableFuture<Void> f = steps.configure(plan, vm, run);
        if (needsCustomization()) {
            f = f.thenCompose(x -> {
                run.check();
                run.stage(Stage.CUSTOMIZE, 70, 75, "customizing the guest of " + steps.describe(vm));
                return steps.customize(plan, vm, run);
            });
        }
        if (spec.powerOn()) {
            f = f.thenCompose(x -> {
                run.check();
                run.stage(Stage.POWER_ON, 75, 85, "powering on " + steps.describe(vm));
                return steps.powerOn(plan, vm, run);
            });
            if (spec.waitForIp()) {
                f = f.thenCompose(x -> {
                    run.check();
                    run.stage(Stage.WAIT_IP, 85, 99, "waiting for a guest IP address on " + steps.describe(vm));
                    return steps.waitForIp(plan, vm, run);
                });
            }
        }
        return f.thenCompose(x -> {
            run.check();
            return steps.readBack(plan, vm, run);
        });
    }

    private boolean needsCustomization() {
        List<Capability> needed = RequiredCapabilities.of(spec);
        return needed.contains(Capability.GUEST_CUSTOMIZATION) || needed.contains(Capability.CLOUD_INIT)
                || needed.contains(Capability.USER_DATA) || needed.contains(Capability.CUSTOM_HOSTNAME);
    }

    // ---- the create request and its outcome ---------------------------------------------------------

    private CompletableFuture<V> create(P plan, int n) {
        run.check();
        String unconfirmed = "an unconfirmed create of '" + spec.name() + "' (" + marker + ")";
        CreateAttempt<V> attempt = new CreateAttempt<>(n, marker, vm -> record(vm, unconfirmed));
        // Until the server answers, the create may have landed: the rollback must look for it.
        run.undo(unconfirmed, () -> removeIfLanded(plan, attempt));
        return Futures.guard(() -> steps.create(plan, attempt, run)).handle((vm, e) -> {
            if (e == null) {
                record(vm, unconfirmed);
                return CompletableFuture.completedFuture(vm);
            }
            Throwable error = Futures.unwrap(e);
            if (made.get() != null || run.isCancelled()) {
                return CompletableFuture.<V>failedFuture(error);
            }
            if (n > 1 && error instanceof ConflictException) {
                // The name is taken, and an earlier attempt of this create, its answer lost, may be what took it (one
                // that reached the server after the landing time): the marker tells. Until it does, the rollback looks too.
                LOG.debug("{}: create attempt {} of '{}' found the name taken ({}); looking for {}", run.operation(), n,
                        spec.name(), error.getMessage(), marker);
                return landed(plan, attempt, run).thenCompose(found -> {
                    if (found.isPresent()) {
                        attempt.made(found.get());
                        return CompletableFuture.completedFuture(found.get());
                    }
                    return CompletableFuture.<V>failedFuture(error);
                });
            }
            if (provesNothingMade(error)) {
                run.forget(unconfirmed);
                if (error instanceof BusyException && n < MAX_CREATE_ATTEMPTS) {
                    LOG.debug("{}: create attempt {} of '{}' refused as busy ({}); trying again", run.operation(), n,
                            spec.name(), error.getMessage());
                    return run.sleep(delay(n, error)).thenCompose(x -> create(plan, n + 1));
                }
                return CompletableFuture.<V>failedFuture(error);
            }
            LOG.debug("{}: the answer to create attempt {} of '{}' was lost ({}); looking for {}", run.operation(), n,
                    spec.name(), error.toString(), marker);
            // Absence is proven only by a full landing time of looking; a search the deadline cuts short proves nothing.
            boolean fullWindow = steps.landingTime().compareTo(run.deadline().remaining()) <= 0;
            return landed(plan, attempt, run).thenCompose(found -> {
                if (found.isPresent()) {
                    attempt.made(found.get());
                    return CompletableFuture.completedFuture(found.get());
                }
                if (!fullWindow) {
                    return CompletableFuture.<V>failedFuture(new OperationTimeoutException("the deadline passed before the "
                            + "outcome of the create request was known (its answer was lost: " + error.getMessage() + ")",
                            run.context(), error));
                }
                run.forget(unconfirmed);
                if (n >= MAX_CREATE_ATTEMPTS || !(error instanceof HypervisorException he && he.retryable())) {
                    return CompletableFuture.<V>failedFuture(error);
                }
                return run.sleep(delay(n, error)).thenCompose(x -> create(plan, n + 1));
            });
        }).thenCompose(f -> f);
    }

    private void record(V vm, String unconfirmed) {
        if (made.compareAndSet(null, vm)) {
            run.forget(unconfirmed);
            String resource = steps.describe(vm);
            run.undo(resource, () -> steps.remove(vm, run.forCleanup(cleanupBudget)));
        }
    }

    /** Asks {@link ProvisioningSteps#find} until the VM shows up or the landing time passes. */
    private CompletableFuture<Optional<V>> landed(P plan, CreateAttempt<V> attempt, OperationRun within) {
        return within.pollFor(steps.landingTime(), "the VM of " + marker, LANDING_BACKOFF, () -> steps.find(plan, attempt, within));
    }

    /** The rollback's undo of a create whose outcome is unknown: look for what it made, remove it. */
    private CompletableFuture<Void> removeIfLanded(P plan, CreateAttempt<V> attempt) {
        V known = made.get();
        OperationRun cleanup = run.forCleanup(cleanupBudget);
        if (known != null) {
            return CompletableFuture.completedFuture(null);
        }
        return landed(plan, attempt, cleanup).thenCompose(found -> found.isPresent() ? steps.remove(found.get(), cleanup) : CompletableFuture.completedFuture(null));
    }

    private static Duration delay(int n, Throwable error) {
        Duration d = CREATE_BACKOFF.interval(n - 1);
        if (error instanceof HypervisorException he && he.context().retryAfter().isPresent()
                && he.context().retryAfter().get().compareTo(d) > 0) {
            d = he.context().retryAfter().get();
        }
        return d;
    }

    /**
     * @param error the create request's failure
     * @return whether the server's answer (or a request that never left) proves nothing was made
     */
    static boolean provesNothingMade(Throwable error) {
        // A hypervisor task that ran and failed (it has a task id) was the server's own answer: it cleaned up after itself.
        boolean taskFailed = error instanceof io.dvmm.sdk.OperationFailedException f && f.taskId().isPresent();
        return taskFailed || CallPolicy.neverSent(error) || error instanceof InvalidSpecException || error instanceof ConflictException
                || error instanceof BusyException || error instanceof PermissionDeniedException
                || error instanceof AuthenticationException || error instanceof NotFoundException
                || error instanceof UnsupportedCapabilityException || error instanceof ResourceExhaustedException;
    }
}
