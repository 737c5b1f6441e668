package io.dvmm.sdk.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HA-managed VMs: start and stop set the HA resource's requested state and wait for the actual
 * state (never an instant {@code hastart}/{@code hastop} task); delete removes the HA resource
 * first. Request counts are measured at the simulator.
 */
class ProxmoxHaTest {

    private static final String HA_RESOURCE = "/cluster/ha/resources/{sid}";
    private static final String START = "/nodes/{node}/qemu/{vmid}/status/start";
    private static final String STOP = "/nodes/{node}/qemu/{vmid}/status/stop";
    private static final String SHUTDOWN = "/nodes/{node}/qemu/{vmid}/status/shutdown";
    private static final String DESTROY = "/nodes/{node}/qemu/{vmid}";
    private static final AtomicInteger IDS = new AtomicInteger(20_000);

    private ProxmoxSimulator sim;
    private Hypervisor hv;

    @BeforeEach
    void start() {
        sim = ProxmoxSimulator.builder().nodes(2).taskDuration(Duration.ofMillis(30)).haDelay(Duration.ofMillis(80))
                .build().start();
        hv = Hypervisors.connect(SimulatorConfigs.token(sim).build());
    }

    @AfterEach
    void stop() {
        hv.close();
        sim.close();
    }

    private static <T> T await(CompletableFuture<T> f) {
        return SimulatorConfigs.await(f);
    }

    private int haVm(boolean running, String haState) {
        int id = IDS.incrementAndGet();
        sim.addVm("pve2", id, "ha-" + id, running);
        sim.haManage(id, haState);
        return id;
    }

    @Test
    void startingAnHaVmSetsTheRequestedStateAndWaitsUntilItRuns() {
        int id = haVm(false, "stopped");
        sim.resetCounters();
        VmInfo vm = await(hv.startVm(VmId.of(Integer.toString(id))));
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(vm.host()).isEqualTo("pve2");
        assertThat(sim.vmStatus(id)).contains("running");
        assertThat(sim.haState(id)).contains("started");
        assertThat(sim.requestCount("PUT", HA_RESOURCE)).isEqualTo(1);
        assertThat(sim.requestCount("POST", START)).as("no hastart task").isZero();
        assertThat(sim.taskPolls()).isZero();
        assertThat(sim.requestCount("GET", "/cluster/resources")).isEqualTo(1);
        assertThat(sim.requestCount("GET", "/nodes/{node}/qemu/{vmid}/status/current"))
                .as("one check, at least one state poll, one read of the result").isGreaterThanOrEqualTo(3);
        sim.assertNoViolations();
    }

    @Test
    void stoppingAnHaVmSetsTheRequestedStateAndWaitsUntilItIsOff() {
        int id = haVm(true, "started");
        await(hv.getVm(VmId.of(Integer.toString(id))));
        sim.resetCounters();
        VmInfo vm = await(hv.stopVm(VmId.of(Integer.toString(id)), StopSpec.hard()));
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_OFF);
        assertThat(sim.vmStatus(id)).contains("stopped");
        assertThat(sim.haState(id)).contains("stopped");
        assertThat(sim.requestCount("PUT", HA_RESOURCE)).isEqualTo(1);
        assertThat(sim.requestCount("POST", STOP) + sim.requestCount("POST", SHUTDOWN)).as("no hastop task").isZero();
        assertThat(sim.taskPolls()).isZero();
        assertThat(sim.requestCount("GET", "/cluster/resources")).as("the node is cached").isZero();
        sim.assertNoViolations();
    }

    @Test
    void deletingARunningHaVmRemovesTheHaResourceFirstThenStopsAndDestroysIt() {
        int id = haVm(true, "started");
        sim.resetCounters();
        assertThat(await(hv.deleteVm(VmId.of(Integer.toString(id))))).isTrue();
        assertThat(sim.vmExists(id)).isFalse();
        assertThat(sim.haState(id)).isEmpty();
        assertThat(sim.requestCount("DELETE", HA_RESOURCE)).isEqualTo(1);
        assertThat(sim.requestCount("PUT", HA_RESOURCE)).isZero();
        assertThat(sim.requestCount("POST", STOP)).as("a plain stop once HA let go").isEqualTo(1);
        assertThat(sim.requestCount("DELETE", DESTROY)).isEqualTo(1);
        assertThat(sim.requestsExcludingTaskPolls()).as("%s", sim.requestCounts()).isEqualTo(5);
        sim.assertNoViolations();
    }

    @Test
    void deletingAStoppedHaVmRemovesTheHaResourceAndDestroysIt() {
        int id = haVm(false, "stopped");
        sim.resetCounters();
        assertThat(await(hv.deleteVm(VmId.of(Integer.toString(id))))).isTrue();
        assertThat(sim.vmExists(id)).isFalse();
        assertThat(sim.requestCount("DELETE", HA_RESOURCE)).isEqualTo(1);
        assertThat(sim.requestCount("POST", STOP)).isZero();
        assertThat(sim.requestCount("DELETE", DESTROY)).isEqualTo(1);
        assertThat(sim.requestsExcludingTaskPolls()).as("%s", sim.requestCounts()).isEqualTo(4);
        sim.assertNoViolations();
    }

    @Test
    void anIgnoredHaResourceIsStartedDirectly() {
        int id = haVm(false, "ignored");
        sim.resetCounters();
        assertThat(await(hv.startVm(VmId.of(Integer.toString(id)))).powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(sim.requestCount("POST", START)).isEqualTo(1);
        assertThat(sim.requestCount("PUT", HA_RESOURCE)).isZero();
        sim.assertNoViolations();
    }
}
