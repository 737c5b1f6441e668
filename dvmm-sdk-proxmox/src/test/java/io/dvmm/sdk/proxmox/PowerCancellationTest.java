package io.dvmm.sdk.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancelling the future of a power operation or delete while its PVE task runs stops the task
 * ({@code DELETE /nodes/{node}/tasks/{upid}}, exactly once) and the polling.
 */
class PowerCancellationTest {

    private static final String STOP_TASK = "/nodes/{node}/tasks/{upid}";
    private static final Duration SHORT = Duration.ofMillis(20);
    private static final AtomicInteger IDS = new AtomicInteger(30_000);

    private static ProxmoxSimulator sim;
    private static Hypervisor hv;

    @BeforeAll
    static void start() {
        sim = ProxmoxSimulator.builder().nodes(2).taskDuration(SHORT).build().start();
        hv = Hypervisors.connect(SimulatorConfigs.token(sim)
                .property("proxmox.taskPollInitialMillis", "20")
                .property("proxmox.taskPollMaxMillis", "20").build());
    }

    @AfterAll
    static void stop() {
        hv.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.taskDuration(SHORT);
        sim.clearFaults();
    }

    private static VmId vm(boolean running) {
        int id = IDS.incrementAndGet();
        sim.addVm("pve1", id, "cancel-" + id, running);
        return VmId.of(Integer.toString(id));
    }

    private static PowerState state(VmId id) throws Exception {
        return hv.getVm(id).get(30, TimeUnit.SECONDS).powerState();
    }

    /** Starts the operation under a long task, cancels once the task is polled, and checks what reached PVE. */
    private static void cancelWhileTheTaskRuns(Supplier<CompletableFuture<?>> operation) throws Exception {
        sim.taskDuration(Duration.ofMinutes(5));
        sim.resetCounters();
        CompletableFuture<?> f = operation.get();
        for (int i = 0; i < 3000 && sim.taskPolls() == 0; i++) {
            Thread.sleep(5); // the task runs once it is polled
        }
        assertThat(sim.taskPolls()).as("the task was polled").isPositive();
        assertThat(f.cancel(true)).isTrue();
        for (int i = 0; i < 3000 && sim.requestCount("DELETE", STOP_TASK) == 0; i++) {
            Thread.sleep(5);
        }
        Thread.sleep(150); // a poll already on its way may still arrive
        long polls = sim.taskPolls();
        Thread.sleep(300); // 15 polling intervals
        assertThat(sim.taskPolls()).as("polling stopped").isEqualTo(polls);
        assertThat(sim.requestCount("DELETE", STOP_TASK)).as("the task was stopped once").isEqualTo(1);
        assertThat(f).isCancelled();
        sim.taskDuration(SHORT);
        sim.assertNoViolations();
    }

    @Test
    void cancellingStartStopsTheStartTask() throws Exception {
        VmId id = vm(false);
        cancelWhileTheTaskRuns(() -> hv.startVm(id));
        assertThat(sim.requestCount("POST", "/nodes/{node}/qemu/{vmid}/status/start")).isEqualTo(1);
        assertThat(state(id)).isEqualTo(PowerState.POWERED_OFF);
    }

    @Test
    void cancellingStopStopsTheStopTask() throws Exception {
        VmId id = vm(true);
        cancelWhileTheTaskRuns(() -> hv.stopVm(id, StopSpec.hard()));
        assertThat(sim.requestCount("POST", "/nodes/{node}/qemu/{vmid}/status/stop")).isEqualTo(1);
        assertThat(state(id)).isEqualTo(PowerState.POWERED_ON);
    }

    @Test
    void cancellingRestartStopsTheRebootTask() throws Exception {
        VmId id = vm(true);
        cancelWhileTheTaskRuns(() -> hv.restartVm(id));
        assertThat(sim.requestCount("POST", "/nodes/{node}/qemu/{vmid}/status/reboot")).isEqualTo(1);
        assertThat(state(id)).isEqualTo(PowerState.POWERED_ON);
    }

    @Test
    void cancellingSuspendStopsTheSuspendTask() throws Exception {
        VmId id = vm(true);
        cancelWhileTheTaskRuns(() -> hv.suspendVm(id));
        assertThat(sim.requestCount("POST", "/nodes/{node}/qemu/{vmid}/status/suspend")).isEqualTo(1);
        assertThat(state(id)).isEqualTo(PowerState.POWERED_ON);
    }

    @Test
    void cancellingResumeStopsTheResumeTask() throws Exception {
        VmId id = vm(true);
        assertThat(hv.suspendVm(id).get(30, TimeUnit.SECONDS).powerState()).isEqualTo(PowerState.SUSPENDED);
        cancelWhileTheTaskRuns(() -> hv.resumeVm(id));
        assertThat(sim.requestCount("POST", "/nodes/{node}/qemu/{vmid}/status/resume")).isEqualTo(1);
        assertThat(state(id)).isEqualTo(PowerState.SUSPENDED);
    }

    @Test
    void cancellingDeleteStopsTheTaskAndSendsNothingMore() throws Exception {
        VmId id = vm(true);
        cancelWhileTheTaskRuns(() -> hv.deleteVm(id));
        assertThat(sim.requestCount("POST", "/nodes/{node}/qemu/{vmid}/status/stop")).isEqualTo(1);
        assertThat(sim.requestCount("DELETE", "/nodes/{node}/qemu/{vmid}")).as("no destroy after cancel").isZero();
        assertThat(sim.vmExists(Integer.parseInt(id.value()))).isTrue();
        assertThat(state(id)).isEqualTo(PowerState.POWERED_ON);
    }
}
