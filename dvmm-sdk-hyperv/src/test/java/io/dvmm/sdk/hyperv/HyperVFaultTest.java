package io.dvmm.sdk.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.FaultRule;
import io.dvmm.sdk.simulator.hyperv.HyperVSimulator;
import io.dvmm.sdk.simulator.hyperv.SimVm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every request that changes the host, with its answer spoiled at the simulator in each way an answer goes wrong:
 * lost after the script ran, the command never run (its request lost), late (past the read timeout, the script run),
 * cut off and garbled. Afterwards the simulator's state is checked against what the SDK reported: exactly one VM per
 * {@code createVm} that succeeded, none when it failed (unless its error names what is left), never a second VM or
 * checkpoint from a request sent again, and the VM in the state a reported success promises.
 *
 * <p>How the SDK settles each: {@code create-linked} by the create flow's marker search (then sent again when it
 * provably did not land); {@code copy-file} and {@code reconfigure} are repeatable and simply sent again (not after a
 * timeout); {@code delete}, {@code set-cpu-memory} and the power steps by reading the VM; {@code checkpoint-create}
 * by listing the checkpoints, never sending it again; {@code restart} not at all (a restarted VM looks like one that
 * was not), so its lost answer is a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HyperVFaultTest {

    /** The ways an answer goes wrong. */
    enum Spoilt {
        LOST(Fault.reset()),
        NOT_RUN(Fault.reset().notApplied()),
        LATE(Fault.delay(Duration.ofMillis(3000))),
        TRUNCATED(Fault.truncatedBody()),
        MALFORMED(Fault.malformedBody());

        final Fault fault;

        Spoilt(Fault fault) {
            this.fault = fault;
        }
    }

    private static final String TEMPLATE = "ubuntu-24.04";
    private final AtomicInteger names = new AtomicInteger();
    private HyperVSimulator sim;
    private Hypervisor hv;
    /** The connection's configuration, for the tests that need a connection of their own. */
    private HypervisorConfig.Builder config;

    @BeforeAll
    void start() {
        sim = HyperVSimulator.builder().scripts(HyperVContractTest.catalog()).basic(true).startDelay(Duration.ZERO)
                .saveDelay(Duration.ZERO).resumeDelay(Duration.ZERO).guestIpDelay(Duration.ZERO)
                .guestShutdownDelay(Duration.ofMillis(20)).build().start();
        config = HypervisorConfig.builder(sim.sdkUri())
                .credentials(Credentials.password(sim.username(), sim.password()))
                .tls(TlsOptions.pinSha256(sim.certificateSha256())).property(HyperVProvider.AUTH, "basic")
                .property(HyperVProvider.TEMPLATES_PATH, HyperVSimulator.TEMPLATES_FOLDER)
                .property(HyperVProvider.VM_ROOT, HyperVSimulator.VM_ROOT)
                .property(HyperVProvider.LANDING_MILLIS, "300").property(HyperVProvider.POLL_INITIAL, "20")
                .property(HyperVProvider.POLL_MAX, "100")
                // the late answer (2.5 s) comes after the read timeout
                .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(20)).build());
        // The JVM's first WinRM exchanges (class loading, CXF's WSDL model, TLS) take longer than the short read timeout
        // below: a connection with the default one goes first.
        try (Hypervisor warmUp = Hypervisors.connect(config.build())) {
            VmInfo vm = await(warmUp.createVm(VmProvisionSpec.builder().name(name("warm")).template(TEMPLATE)
                    .nic(NicSpec.staticIp(HyperVSimulator.DEFAULT_SWITCH, "10.0.0.30", 24, "10.0.0.1")).powerOn(true).build()));
            await(warmUp.deleteVm(vm.id()));
        }
        // the late answer (3 s) comes after the read timeout (2 s: room for a loaded machine's ordinary answers)
        config.readTimeout(Duration.ofMillis(2000));
        hv = Hypervisors.connect(config.build());
        await(hv.inventory());
    }

    @AfterAll
    void stop() {
        try {
            hv.close();
            sim.violations().assertNone();
        } finally {
            sim.close();
        }
    }

    @BeforeEach
    void noFaultsYet() {
        sim.faults().clear();
    }

    private void spoil(String script, Spoilt how) {
        sim.faults().add(FaultRule.onOperation("script:" + script).times(1).then(how.fault));
    }

    /** A call's value or failure. */
    private record Outcome<T>(T value, HypervisorException error) {
        boolean ok() {
            return error == null;
        }
    }

    private static <T> Outcome<T> outcome(Supplier<CompletableFuture<T>> call) {
        try {
            return new Outcome<>(call.get().get(60, TimeUnit.SECONDS), null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HypervisorException h) {
                return new Outcome<>(null, h);
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T await(CompletableFuture<T> f) {
        Outcome<T> o = outcome(() -> f);
        if (!o.ok()) {
            throw new AssertionError("set-up failed", o.error());
        }
        return o.value();
    }

    private String name(String stem) {
        return "f-" + stem + "-" + names.incrementAndGet();
    }

    private SimVm simVm(VmId id) {
        return sim.vm(id.value()).orElseThrow(() -> new AssertionError("no VM " + id + " on the host"));
    }

    private VmId plainVm(boolean running) {
        VmInfo vm = await(hv.createVm(VmProvisionSpec.builder().name(name("vm")).template(TEMPLATE).cloneMode(CloneMode.LINKED)
                .nic(NicSpec.dhcp(HyperVSimulator.DEFAULT_SWITCH)).powerOn(running).build()));
        return vm.id();
    }

    /** The create invariant: one VM per reported success, none (or the one the error names) per failure. */
    private void exactlyWhatWasReported(String vmName, Outcome<VmInfo> o) {
        List<SimVm> named = sim.vmsNamed(vmName);
        assertThat(named).as("never a second VM of one create").hasSizeLessThanOrEqualTo(1);
        if (o.ok()) {
            assertThat(named).singleElement().satisfies(v -> assertThat(v.id()).isEqualTo(o.value().id().value()));
        } else if (o.error().leftBehind().isEmpty()) {
            assertThat(named).as("a failed create leaves nothing it does not name: " + o.error()).isEmpty();
        } else {
            assertThat(named).singleElement().satisfies(v -> assertThat(String.join(" ", o.error().leftBehind())).contains(v.id()));
        }
    }

    // ---- createVm: the create request, the seed's copy, the adapters' reconfiguration ----------------

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void createLinked(Spoilt how) {
        String vmName = name("create");
        spoil("create-linked", how);
        Outcome<VmInfo> o = outcome(() -> hv.createVm(VmProvisionSpec.builder().name(vmName).template(TEMPLATE)
                .cloneMode(CloneMode.LINKED).nic(NicSpec.dhcp(HyperVSimulator.DEFAULT_SWITCH)).powerOn(false).build()));
        exactlyWhatWasReported(vmName, o);
        assertThat(o.ok()).as("the marker search finds a VM made, a create proven not made is sent again: " + o.error()).isTrue();
        assertThat(sim.faults().injected()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void copyFileOfTheSeed(Spoilt how) {
        String vmName = name("seed");
        spoil("copy-file", how);
        Outcome<VmInfo> o = outcome(() -> hv.createVm(VmProvisionSpec.builder().name(vmName).template(TEMPLATE)
                .cloneMode(CloneMode.LINKED).nic(NicSpec.staticIp(HyperVSimulator.DEFAULT_SWITCH, "10.0.0.31", 24, "10.0.0.1"))
                .powerOn(false).build()));
        exactlyWhatWasReported(vmName, o);
        if (how != Spoilt.LATE) {
            // A timed-out attempt is repeated or not as the connection's CallPolicy says; either way the invariant holds.
            assertThat(o.ok()).as("a chunk is written once at its offset, so it is sent again: " + o.error()).isTrue();
        }
        if (o.ok()) {
            String seed = simVm(o.value().id()).dvds().get(0);
            assertThat(sim.file(seed)).as("the seed on the host").isPresent();
        }
    }

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void reconfigureOfTheAdapters(Spoilt how) {
        String vmName = name("nics");
        spoil("reconfigure", how);
        Outcome<VmInfo> o = outcome(() -> hv.createVm(VmProvisionSpec.builder().name(vmName).template(TEMPLATE)
                .cloneMode(CloneMode.LINKED).nic(NicSpec.dhcp(HyperVSimulator.DEFAULT_SWITCH)).nic(NicSpec.dhcp("External"))
                .powerOn(false).build()));
        exactlyWhatWasReported(vmName, o);
        if (how != Spoilt.LATE) {
            assertThat(o.ok()).as("adapters are set by name, so it is sent again: " + o.error()).isTrue();
        }
        if (o.ok()) {
            assertThat(simVm(o.value().id()).nics()).as("no adapter added twice").extracting(n -> n.switchName())
                    .containsExactly(HyperVSimulator.DEFAULT_SWITCH, "External");
        }
    }

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void startOfACreateThatPowersOn(Spoilt how) {
        String vmName = name("power-on");
        spoil("start", how);
        long before = sim.scriptCount("start");
        Outcome<VmInfo> o = outcome(() -> hv.createVm(VmProvisionSpec.builder().name(vmName).template(TEMPLATE)
                .cloneMode(CloneMode.LINKED).nic(NicSpec.dhcp(HyperVSimulator.DEFAULT_SWITCH)).powerOn(true).build()));
        exactlyWhatWasReported(vmName, o);
        assertThat(o.ok()).as("a lost answer to start is settled by looking, as startVm does: " + o.error()).isTrue();
        assertThat(simVm(o.value().id()).state()).isEqualTo("Running");
        assertThat(sim.scriptCount("start") - before).as("sent again only when the VM was not started")
                .isEqualTo(how == Spoilt.NOT_RUN ? 2 : 1);
    }

    /**
     * winrm4j ends every command with a Signal after its last Receive: when only that answer is lost, the output and
     * its result line are whole, so the outcome is known, and nothing is settled or sent again (a restart, which is
     * never repeated, succeeds).
     */
    @org.junit.jupiter.api.Test
    void aLostAnswerAfterTheWholeOutputFailsNoCommand() {
        VmId id = plainVm(true);
        long reads = sim.scriptCount("get-vm");
        long restarts = sim.scriptCount("restart");
        sim.faults().add(FaultRule.onOperation(HyperVSimulator.SIGNAL).always().then(Fault.reset()));
        Outcome<VmInfo> o = outcome(() -> hv.restartVm(id));
        sim.faults().clear();
        assertThat(o.ok()).as("" + o.error()).isTrue();
        assertThat(sim.scriptCount("get-vm") - reads).as("read once").isEqualTo(1);
        assertThat(sim.scriptCount("restart") - restarts).as("restarted once").isEqualTo(1);
    }

    /**
     * A command whose attempt ran out of time while it waited for a thread (here the caller's executor of one,
     * busy with a command whose answer is late) is not sent when the thread frees: the caller was told it failed
     * before it left, and a checkpoint restore the caller gave up on must not happen behind its back.
     */
    @org.junit.jupiter.api.Test
    void aCommandWhoseTimeRanOutBeforeItLeftIsNeverSent() throws Exception {
        VmId id = plainVm(false);
        await(hv.createSnapshot(id, SnapshotSpec.named("s1")));
        java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Hypervisor narrow = Hypervisors.connect(config.build().toBuilder().executor(one)
                .property(HyperVProvider.SHELLS, "2").readTimeout(Duration.ofMillis(1000))
                .retry(RetryPolicy.none()).build())) {
            await(narrow.getVm(id));
            long restores = sim.scriptCount("checkpoint-restore");
            sim.faults().add(FaultRule.onOperation("script:get-vm").times(1).then(Fault.delay(Duration.ofMillis(2500))));
            CompletableFuture<VmInfo> late = narrow.getVm(id);
            Outcome<VmInfo> revert = outcome(() -> narrow.revertToSnapshot(id, "s1"));
            outcome(() -> late);
            CompletableFuture.runAsync(() -> { }, one).get(30, TimeUnit.SECONDS); // the thread has run what was queued
            assertThat(revert.ok()).isFalse();
            assertThat(io.dvmm.sdk.spi.support.CallPolicy.neverSent(revert.error())).as("failed as not sent: " + revert.error())
                    .isTrue();
            assertThat(sim.scriptCount("checkpoint-restore") - restores).as("never sent").isZero();
        } finally {
            one.shutdownNow();
        }
    }

    /**
     * Creates that start together share one inventory read, within the first one's attempts: when that read fails,
     * each goes on with a read of its own time rather than failing with it.
     */
    @org.junit.jupiter.api.Test
    void createsThatSharedAFailedInventoryReadEachReadAgain() {
        try (Hypervisor fresh = Hypervisors.connect(config.build())) {
            long reads = sim.scriptCount("inventory");
            sim.faults().add(FaultRule.onOperation("script:inventory").times(3).then(Fault.reset().notApplied()));
            String a = name("inv");
            String b = name("inv");
            CompletableFuture<VmInfo> first = fresh.createVm(VmProvisionSpec.builder().name(a).template(TEMPLATE)
                    .cloneMode(CloneMode.LINKED).powerOn(false).build());
            CompletableFuture<VmInfo> second = fresh.createVm(VmProvisionSpec.builder().name(b).template(TEMPLATE)
                    .cloneMode(CloneMode.LINKED).powerOn(false).build());
            Outcome<VmInfo> one = outcome(() -> first);
            Outcome<VmInfo> two = outcome(() -> second);
            assertThat(one.ok()).as("" + one.error()).isTrue();
            assertThat(two.ok()).as("" + two.error()).isTrue();
            assertThat(sim.scriptCount("inventory") - reads).as("three failed attempts of one read, then one more read")
                    .isEqualTo(4);
        }
    }

    // ---- delete -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void delete(Spoilt how) {
        VmId id = plainVm(true);
        String folder = simVm(id).path();
        spoil("delete", how);
        Outcome<Boolean> o = outcome(() -> hv.deleteVm(id));
        assertThat(o.ok()).as("a VM gone is a delete done; one still there is sent the delete again: " + o.error()).isTrue();
        assertThat(o.value()).isTrue();
        assertThat(sim.vm(id.value())).isEmpty();
        assertThat(sim.folderExists(folder)).as("its folder went with it").isFalse();
    }

    @org.junit.jupiter.api.Test
    void aDeletedVmsNameCanBeCreatedAgain() {
        String vmName = name("again");
        VmProvisionSpec spec = VmProvisionSpec.builder().name(vmName).template(TEMPLATE).powerOn(false).build();
        VmInfo first = await(hv.createVm(spec));
        assertThat(await(hv.deleteVm(first.id()))).isTrue();
        VmInfo second = await(hv.createVm(spec));
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(sim.vmsNamed(vmName)).hasSize(1);
    }

    // ---- power ------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void start(Spoilt how) {
        VmId id = plainVm(false);
        spoil("start", how);
        long before = sim.scriptCount("start");
        Outcome<VmInfo> o = outcome(() -> hv.startVm(id));
        assertThat(o.ok()).as("" + o.error()).isTrue();
        assertThat(simVm(id).state()).isEqualTo("Running");
        assertThat(sim.scriptCount("start") - before).as("sent again only when the VM was not started")
                .isEqualTo(how == Spoilt.NOT_RUN ? 2 : 1);
    }

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void turnOff(Spoilt how) {
        VmId id = plainVm(true);
        spoil("turn-off", how);
        Outcome<VmInfo> o = outcome(() -> hv.stopVm(id, StopSpec.hard()));
        assertThat(o.ok()).as("" + o.error()).isTrue();
        assertThat(simVm(id).state()).isEqualTo("Off");
    }

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void guestShutdown(Spoilt how) {
        VmId id = plainVm(true);
        spoil("shutdown", how);
        Outcome<VmInfo> o = outcome(() -> hv.stopVm(id, StopSpec.gracefulThenHard(Duration.ofMillis(500))));
        assertThat(o.ok()).as("" + o.error()).isTrue();
        assertThat(simVm(id).state()).isEqualTo("Off");
    }

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void suspendAndResume(Spoilt how) {
        VmId id = plainVm(true);
        spoil("save", how);
        Outcome<VmInfo> saved = outcome(() -> hv.suspendVm(id));
        assertThat(saved.ok()).as("" + saved.error()).isTrue();
        assertThat(simVm(id).state()).isEqualTo("Saved");
        spoil("resume", how);
        Outcome<VmInfo> resumed = outcome(() -> hv.resumeVm(id));
        assertThat(resumed.ok()).as("" + resumed.error()).isTrue();
        assertThat(simVm(id).state()).isEqualTo("Running");
    }

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void restartIsNotRepeatedAndItsLostAnswerIsAFailure(Spoilt how) {
        VmId id = plainVm(true);
        spoil("restart", how);
        long before = sim.scriptCount("restart");
        Outcome<VmInfo> o = outcome(() -> hv.restartVm(id));
        assertThat(o.ok()).isFalse();
        assertThat(o.error().retryable()).isTrue();
        assertThat(sim.scriptCount("restart") - before).as("sent once").isEqualTo(1);
        assertThat(o.error().leftBehind()).isEmpty();
        assertThat(simVm(id).state()).isEqualTo("Running");
    }

    // ---- checkpoints and reconfiguration ------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void checkpointCreate(Spoilt how) {
        VmId id = plainVm(false);
        spoil("checkpoint-create", how);
        Outcome<Snapshot> o = outcome(() -> hv.createSnapshot(id, SnapshotSpec.named("before-upgrade")));
        long taken = sim.checkpoints(id.value()).stream().filter(c -> c.name().equals("before-upgrade")).count();
        if (how == Spoilt.NOT_RUN) {
            assertThat(o.ok()).as("not taken, and not sent again").isFalse();
            assertThat(taken).isZero();
        } else {
            assertThat(o.ok()).as("the new checkpoint of the name is the one taken: " + o.error()).isTrue();
            assertThat(o.value().name()).isEqualTo("before-upgrade");
            assertThat(taken).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void reconfigureCpuAndMemory(Spoilt how) {
        VmId id = plainVm(false);
        spoil("set-cpu-memory", how);
        Outcome<VmInfo> o = outcome(() -> hv.reconfigureVm(id, VmReconfigureSpec.builder().cpuCount(3).memoryMiB(1536).build()));
        assertThat(o.ok()).as("" + o.error()).isTrue();
        assertThat(o.value().cpuCount()).isEqualTo(3);
        assertThat(simVm(id).cpu()).isEqualTo(3);
        assertThat(simVm(id).memoryStartupBytes()).isEqualTo(1536L << 20);
    }
}
