package io.dvmm.sdk.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Progress;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The create skeleton's promises, against a scripted server: a lost answer is resolved before
 * anything is sent again, a retry never makes a second VM, what a failure made is removed, and
 * what cannot be removed is named in the caller's error.
 */
class ProvisioningFlowTest {
    private static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(2);
    private static final Poller POLLER = new Poller(SCHEDULER);

    @AfterAll
    static void stop() {
        SCHEDULER.shutdownNow();
    }

    /** A server holding VMs by marker; each create may land late, lose its answer, or be refused. */
    static class Server implements ProvisioningSteps<String, String> {
        final Map<String, String> vmsByMarker = new ConcurrentHashMap<>();
        final AtomicInteger creates = new AtomicInteger();
        final AtomicInteger removes = new AtomicInteger();
        final List<String> script = Collections.synchronizedList(new ArrayList<>());
        volatile long landDelayMillis;
        volatile boolean removeFails;
        volatile Duration landing = Duration.ofMillis(300);
        volatile boolean failConfigure;
        /** Finds that fail with their own timeout (the probe's request unanswered) before finds answer. */
        final AtomicInteger findTimeouts = new AtomicInteger();
        /** A removal that never answers, when set. */
        volatile boolean removeHangs;
        /** A create whose answer was lost and that lands only when the next create arrives. */
        volatile Runnable pendingLanding;

        Server answers(String... outcomes) {
            script.addAll(List.of(outcomes));
            return this;
        }

        @Override
        public String plan(VmProvisionSpec spec) {
            return spec.name();
        }

        @Override
        public CompletableFuture<String> resolve(String plan, OperationRun run) {
            return CompletableFuture.completedFuture(plan);
        }

        @Override
        public CompletableFuture<String> create(String plan, CreateAttempt<String> attempt, OperationRun run) {
            int n = creates.incrementAndGet();
            Runnable late = pendingLanding;
            if (late != null) {
                pendingLanding = null;
                late.run();
            }
            String outcome = script.isEmpty() ? "ok" : script.remove(0);
            String vm = "vm-" + n;
            switch (outcome) {
                case "lostUntilNext": // took effect only after the landing time, just before the next create arrived
                    pendingLanding = () -> vmsByMarker.put(attempt.marker(), vm);
                    return CompletableFuture.failedFuture(new UnavailableException("connection reset", ErrorContext.of("t", "createVm")));
                case "nameTaken":
                    return CompletableFuture.failedFuture(new ConflictException("a VM named " + plan + " exists",
                            ErrorContext.of("t", "createVm")));
                case "busy":
                    return CompletableFuture.failedFuture(new BusyException("storage lock timeout", ErrorContext.of("t", "createVm")));
                case "lost": // the request arrived and took effect (maybe late); the answer was lost
                    CompletableFuture.delayedExecutor(landDelayMillis, TimeUnit.MILLISECONDS)
                            .execute(() -> vmsByMarker.put(attempt.marker(), vm));
                    return CompletableFuture.failedFuture(new UnavailableException("connection reset", ErrorContext.of("t", "createVm")));
                case "dropped": // the request never took effect, but the client cannot know
                    return CompletableFuture.failedFuture(new UnavailableException("connection reset", ErrorContext.of("t", "createVm")));
                default:
                    vmsByMarker.put(attempt.marker(), vm);
                    attempt.made(vm);
                    return CompletableFuture.completedFuture(vm);
            }
        }

        @Override
        public CompletableFuture<Optional<String>> find(String plan, CreateAttempt<String> attempt, OperationRun run) {
            if (findTimeouts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return CompletableFuture.failedFuture(new OperationTimeoutException("find had no answer within its read timeout",
                        ErrorContext.of("t", "createVm")));
            }
            return CompletableFuture.completedFuture(Optional.ofNullable(vmsByMarker.get(attempt.marker())));
        }

        @Override
        public Duration landingTime() {
            return landing;
        }

        @Override
        public CompletableFuture<Void> configure(String plan, String vm, OperationRun run) {
            if (failConfigure) {
                return CompletableFuture.failedFuture(new InvalidSpecException("nics[0].network", "no such network"));
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<VmInfo> readBack(String plan, String vm, OperationRun run) {
            return CompletableFuture.completedFuture(VmInfo.builder().id(VmId.of(vm)).name(plan).powerState(PowerState.POWERED_OFF).build());
        }

        @Override
        public CompletableFuture<Void> remove(String vm, OperationRun run) {
            removes.incrementAndGet();
            if (removeHangs) {
                return new CompletableFuture<>();
            }
            if (removeFails) {
                return CompletableFuture.failedFuture(new UnavailableException("host unreachable", ErrorContext.of("t", "createVm")));
            }
            vmsByMarker.values().remove(vm);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String describe(String vm) {
            return "VM " + vm;
        }
    }

    private static CompletableFuture<VmInfo> create(Server server, Duration deadline, List<Progress> progress) {
        VmProvisionSpec spec = VmProvisionSpec.builder().name("web-01").template("t").build();
        OperationRunner runner = new OperationRunner("t", SCHEDULER, POLLER, Duration.ofSeconds(30));
        return runner.run("createVm", Deadline.after(deadline), OperationOptions.progress(progress::add),
                run -> ProvisioningFlow.execute(server, spec, server.plan(spec), run, Duration.ofSeconds(5)));
    }

    private static CompletableFuture<VmInfo> create(Server server) {
        return create(server, Duration.ofSeconds(20), Collections.synchronizedList(new ArrayList<>()));
    }

    @Test
    void aLostAnswerOfACreateThatLandedLateIsFoundAndNeverSentAgain() {
        Server server = new Server().answers("lost");
        server.landDelayMillis = 150;
        VmInfo vm = create(server).join();
        assertThat(vm.id().value()).isEqualTo("vm-1");
        assertThat(server.creates).hasValue(1);
        assertThat(server.vmsByMarker).hasSize(1);
    }

    @Test
    void aCreateProvenAbsentAfterTheLandingTimeIsSentAgainWithTheSameMarker() {
        Server server = new Server().answers("dropped", "ok");
        VmInfo vm = create(server).join();
        assertThat(vm.id().value()).isEqualTo("vm-2");
        assertThat(server.creates).hasValue(2);
        assertThat(server.vmsByMarker).hasSize(1);
    }

    @Test
    void aCreateThatLandsAfterTheRetryStillLeavesOneVm() {
        // The first attempt lands only after the landing window; the second one finds the same marker taken.
        Server server = new Server().answers("lost", "ok");
        server.landDelayMillis = 600;
        VmInfo vm = create(server).join();
        assertThat(server.creates).hasValue(2);
        assertThat(vm).isNotNull();
        // Both attempts wrote the same marker: the map keeps one VM per marker, which is what the provider's
        // same-VMID rule gives on a real server (the late one and the retry cannot both exist).
        assertThat(server.vmsByMarker).hasSize(1);
    }

    @Test
    void aBusyServerIsAskedAgainWithBackOff() {
        Server server = new Server().answers("busy", "busy", "ok");
        long start = System.nanoTime();
        create(server).join();
        assertThat(server.creates).hasValue(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    @Test
    void aStepThatFailsAfterTheCreateRemovesTheVm() {
        Server server = new Server();
        server.failConfigure = true;
        assertThatThrownBy(() -> create(server).join()).hasCauseInstanceOf(InvalidSpecException.class);
        assertThat(server.removes).hasValue(1);
        assertThat(server.vmsByMarker).isEmpty();
    }

    @Test
    void aCleanupThatKeepsFailingIsNamedInTheCallersError() {
        Server server = new Server();
        server.failConfigure = true;
        server.removeFails = true;
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () -> create(server).join());
        InvalidSpecException cause = (InvalidSpecException) e.getCause();
        assertThat(cause.leftBehind()).containsExactly("VM vm-1");
        assertThat(cause.getMessage()).contains("left behind: VM vm-1");
        assertThat(server.removes).hasValue(Rollback.ATTEMPTS);
    }

    @Test
    void aDeadlineDuringTheSearchSendsNothingAgainAndTheRollbackRemovesWhatLanded() throws Exception {
        Server server = new Server().answers("lost");
        server.landDelayMillis = 200;
        server.landing = Duration.ofSeconds(5);
        List<Progress> progress = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        CompletableFuture<VmInfo> f = create(server, Duration.ofMillis(100), progress);
        assertThatThrownBy(f::join).hasCauseInstanceOf(OperationTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100).plus(OperationRunner.DEADLINE_GRACE)
                .plusMillis(300));
        assertThat(server.creates).hasValue(1);
        // The rollback goes on in the background: it finds the late VM and removes it.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!server.vmsByMarker.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(server.vmsByMarker).isEmpty();
        assertThat(progress).extracting(Progress::stage).contains(Progress.Stage.CLONE).doesNotContain(Progress.Stage.DONE);
    }

    @Test
    void cancellingStopsTheRunAndTheRollbackRemovesTheVm() throws Exception {
        Server server = new Server() {
            @Override
            public CompletableFuture<Void> configure(String plan, String vm, OperationRun run) {
                return run.sleep(Duration.ofSeconds(10));
            }
        };
        CompletableFuture<VmInfo> f = create(server);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.vmsByMarker.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(f.cancel(true)).isTrue();
        until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!server.vmsByMarker.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(server.vmsByMarker).isEmpty();
        assertThat(server.removes).hasValue(1);
    }

    @Test
    void aRetryThatFindsTheNameTakenByAnEarlierAttemptGoesOnWithThatVm() {
        // Attempt 1's answer is lost and it lands only after the landing time: attempt 2 finds its name taken.
        Server server = new Server().answers("lostUntilNext", "nameTaken");
        VmInfo vm = create(server).join();
        assertThat(vm.id().value()).isEqualTo("vm-1");
        assertThat(server.creates).hasValue(2);
        assertThat(server.vmsByMarker).hasSize(1);
        assertThat(server.removes).hasValue(0);
    }

    @Test
    void aNameTakenByAnotherCreateIsStillAConflict() {
        Server server = new Server().answers("dropped", "nameTaken");
        assertThatThrownBy(() -> create(server).join()).hasCauseInstanceOf(ConflictException.class);
        assertThat(server.creates).hasValue(2);
        assertThat(server.vmsByMarker).isEmpty();
    }

    @Test
    void aLandingSearchWhoseProbeTimedOutProvesNothingAndSendsNothingAgain() {
        // The find's own timeout is no "not found": the create's outcome stays unknown, so it is not sent again.
        Server server = new Server().answers("dropped");
        server.findTimeouts.set(1);
        assertThatThrownBy(() -> create(server).join()).hasCauseInstanceOf(OperationTimeoutException.class);
        assertThat(server.creates).hasValue(1);
    }

    @Test
    void aRollbackThatOutlivesTheDeadlineDoesNotHoldTheCallersFuture() throws Exception {
        // The step fails before the deadline; the removal never answers. The caller still hears by the deadline (plus
        // the grace), with the step's own error and the VM named as left behind.
        Server server = new Server();
        server.failConfigure = true;
        server.removeHangs = true;
        CompletableFuture<VmInfo> f = create(server, Duration.ofMillis(300), Collections.synchronizedList(new ArrayList<>()));
        java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(InvalidSpecException.class);
        assertThat(((InvalidSpecException) e.getCause()).leftBehind()).containsExactly("VM vm-1");
        assertThat(server.removes).hasValue(1);
    }

    @Test
    void stagesFollowTheVocabularyAndEndWithDone() {
        Server server = new Server();
        List<Progress> progress = Collections.synchronizedList(new ArrayList<>());
        create(server, Duration.ofSeconds(5), progress).join();
        assertThat(progress).extracting(Progress::stage)
                .containsExactly(Progress.Stage.RESOLVE, Progress.Stage.CLONE, Progress.Stage.CONFIGURE, Progress.Stage.POWER_ON,
                        Progress.Stage.DONE);
        assertThat(progress.get(progress.size() - 1).percent()).hasValue(100);
    }
}
