package io.dvmm.sdk.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.FaultRule;
import io.dvmm.sdk.simulator.powervm.HmcOperations;
import io.dvmm.sdk.simulator.powervm.HmcState;
import io.dvmm.sdk.simulator.powervm.PowerVmSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request of list, get, create, start, stop and delete, with its answer spoiled at the HMC simulator in each
 * way an answer goes wrong: lost after the HMC acted, the request lost before it did, late (past the read timeout,
 * acted on), cut off, garbled, and a 503 with {@code Retry-After}. Afterwards the simulator's state is checked against
 * what the SDK reported: one LPAR per {@code createVm} that succeeded, with its disk mapped on every VIOS and its
 * adapter once; none when it failed, and no logical unit, mapping or adapter of it either, unless the error names
 * what is left; a delete reported done leaves nothing; a reported power state is the LPAR's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PowerVmFaultTest {
    private static final String VIOS_POST = "POST /rest/api/uom/ManagedSystem/{ms}/VirtualIOServer/{vios}";

    /** The ways an answer goes wrong. */
    enum Spoilt {
        LOST(Fault.reset()),
        NOT_SENT(Fault.reset().notApplied()),
        LATE(Fault.delay(Duration.ofMillis(2000))),
        TRUNCATED(Fault.truncatedBody()),
        MALFORMED(Fault.malformedBody()),
        BUSY(Fault.status(503, "Service Unavailable").retryAfter(Duration.ofSeconds(1)).notApplied());

        final Fault fault;

        Spoilt(Fault fault) {
            this.fault = fault;
        }
    }

    private final AtomicInteger names = new AtomicInteger();
    private PowerVmSimulator sim;
    private Hypervisor hv;
    private String network;

    @BeforeAll
    void start() {
        sim = SimulatorConfigs.simulator().start();
        // the late answer (2 s) comes after the read timeout (1.2 s)
        hv = Hypervisors.connect(SimulatorConfigs.config(sim).readTimeout(Duration.ofMillis(1200))
                .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(20)).build()).build());
        network = await(hv.inventory()).networks().get(0).name();
        await(hv.testConnection());
    }

    @AfterAll
    void stop() {
        try {
            hv.close();
            sim.assertNoViolations();
        } finally {
            sim.close();
        }
    }

    @BeforeEach
    void noFaultsYet() {
        sim.clearFaults();
    }

    private void spoil(String operation, Spoilt how) {
        sim.faults().add(FaultRule.onOperation(operation).times(1).then(how.fault));
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
            throw new AssertionError("an untyped failure", e.getCause());
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

    private VmProvisionSpec spec(String name, boolean powerOn) {
        return VmProvisionSpec.builder().name(name).template(PowerVmSimulator.SSP_TEMPLATE).cloneMode(CloneMode.LINKED)
                .cpuCount(1).memoryMiB(1024).nic(NicSpec.dhcp(network)).powerOn(powerOn).waitForIp(powerOn).build();
    }

    private List<HmcState.Lpar> named(String name) {
        return sim.lpars().stream().filter(l -> l.name().equals(name)).toList();
    }

    /** The create invariant: one complete LPAR per reported success, nothing unnamed per failure. */
    private void exactlyWhatWasReported(String vmName, int unitsBefore, Outcome<VmInfo> o) {
        List<HmcState.Lpar> lpars = named(vmName);
        assertThat(lpars).as("never a second LPAR of one create").hasSizeLessThanOrEqualTo(1);
        if (o.ok()) {
            String uuid = o.value().id().value();
            assertThat(lpars).singleElement().satisfies(l -> assertThat(l.uuid()).isEqualTo(uuid));
            assertThat(sim.mappingsOf(uuid)).as("its disk mapped once on every VIOS").hasSize(sim.vioses().size());
            assertThat(sim.logicalUnits()).as("one boot disk cloned").hasSize(unitsBefore + 1);
        } else if (o.error().leftBehind().isEmpty()) {
            assertThat(lpars).as("a failed create leaves no LPAR it does not name: " + o.error()).isEmpty();
            assertThat(sim.logicalUnits()).as("nor a logical unit: " + o.error()).hasSize(unitsBefore);
        } else {
            String left = String.join(" ", o.error().leftBehind());
            lpars.forEach(l -> assertThat(left).as("what is left is named").contains(l.uuid()));
        }
    }

    static Stream<Arguments> createSteps() {
        return Stream.of(HmcOperations.LPAR_CREATE, HmcOperations.SSP_UPDATE, HmcOperations.LINKED_CLONE, VIOS_POST, HmcOperations.CNA_CREATE,
                        HmcOperations.POWER_ON)
                .flatMap(op -> Stream.of(Spoilt.values()).map(how -> Arguments.of(op, how)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("createSteps")
    void create(String operation, Spoilt how) {
        String vmName = name("create");
        int units = sim.logicalUnits().size();
        spoil(operation, how);
        Outcome<VmInfo> o = outcome(() -> hv.createVm(spec(vmName, true)));
        exactlyWhatWasReported(vmName, units, o);
        assertThat(sim.faults().injected()).as("the fault happened").hasSize(1);
        if (o.ok()) {
            assertThat(o.value().powerState()).isEqualTo(PowerState.POWERED_ON);
            assertThat(await(hv.deleteVm(o.value().id()))).isTrue();
        }
        assertThat(sim.jobsRunning()).as("no job left running").isEmpty();
    }

    static Stream<Arguments> deleteSteps() {
        return Stream.of(HmcOperations.LPAR_DELETE, VIOS_POST, HmcOperations.SSP_UPDATE, HmcOperations.POWER_OFF)
                .flatMap(op -> Stream.of(Spoilt.values()).map(how -> Arguments.of(op, how)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("deleteSteps")
    void delete(String operation, Spoilt how) {
        String vmName = name("delete");
        int units = sim.logicalUnits().size();
        VmId id = await(hv.createVm(spec(vmName, true))).id();
        spoil(operation, how);
        Outcome<Boolean> o = outcome(() -> hv.deleteVm(id));
        if (o.ok()) {
            assertThat(o.value()).isTrue();
            assertThat(sim.lpar(id.value())).as("a delete reported done leaves no LPAR").isEmpty();
            assertThat(sim.mappingsOf(id.value())).as("nor a mapping").isEmpty();
            assertThat(sim.logicalUnits()).as("nor its boot disk").hasSize(units);
        } else {
            assertThat(o.error().leftBehind()).as("a failed delete names what is left: " + o.error()).isNotEmpty();
            // what the error names is really there; settle it without faults
            sim.clearFaults();
            assertThat(await(hv.deleteVm(id))).isTrue();
            assertThat(sim.lpar(id.value())).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void startAndStop(Spoilt how) {
        VmId id = await(hv.createVm(spec(name("power"), false))).id();
        spoil(HmcOperations.POWER_ON, how);
        Outcome<VmInfo> started = outcome(() -> hv.startVm(id));
        if (started.ok()) {
            assertThat(started.value().powerState()).isEqualTo(PowerState.POWERED_ON);
            assertThat(sim.lpar(id.value()).orElseThrow().state()).isEqualTo("running");
        }
        sim.clearFaults();
        await(hv.startVm(id));
        spoil(HmcOperations.POWER_OFF, how);
        Outcome<VmInfo> stopped = outcome(() -> hv.stopVm(id, StopSpec.hard()));
        if (stopped.ok()) {
            assertThat(stopped.value().powerState()).isEqualTo(PowerState.POWERED_OFF);
            assertThat(sim.lpar(id.value()).orElseThrow().state()).isEqualTo("not activated");
        }
        if (how != Spoilt.LATE) {
            assertThat(started.ok()).as("a power job is found by reading the LPAR: " + started.error()).isTrue();
            assertThat(stopped.ok()).as("a power job is found by reading the LPAR: " + stopped.error()).isTrue();
        }
        sim.clearFaults();
        assertThat(await(hv.deleteVm(id))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Spoilt.class)
    void listAndGetAreReadAgain(Spoilt how) {
        VmId id = await(hv.createVm(spec(name("read"), false))).id();
        spoil(HmcOperations.LPAR_FEED, how);
        Outcome<List<VmInfo>> listed = outcome(() -> hv.listVms());
        assertThat(listed.ok()).as("an idempotent read is sent again: " + listed.error()).isTrue();
        assertThat(listed.value()).extracting(VmInfo::id).contains(id);
        spoil(HmcOperations.LPAR, how);
        Outcome<VmInfo> got = outcome(() -> hv.getVm(id));
        assertThat(got.ok()).as("an idempotent read is sent again: " + got.error()).isTrue();
        assertThat(got.value().id()).isEqualTo(id);
        assertThat(sim.faults().injected()).hasSize(2);
        assertThat(await(hv.deleteVm(id))).isTrue();
    }
}
