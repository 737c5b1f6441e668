package io.dvmm.sdk.powervm;

import static io.dvmm.sdk.powervm.SimulatorConfigs.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.powervm.HmcOperations;
import io.dvmm.sdk.simulator.powervm.PowerVmSimulator;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips counted exactly at the simulator. {@code listVms} is one request (the LPAR feed);
 * {@code createVm} with a linked clone, one NIC, power on and wait for the IP costs, besides the
 * job polls and the RMC polls (the LPAR's {@code quick} properties): the managed system (free
 * capacity, read fresh), the template (one search), the VIOS feed with mappings (one request for
 * all VIOSes), the pool; the LPAR, the new logical unit, the {@code LULinkedClone} job and its
 * deletion, one mapping update per VIOS, the client network adapter, the PowerOn job and its
 * deletion: 12 with one VIOS, 13 with two. The connection's first create also reads what it then
 * keeps (the SSP clusters and the virtual networks), and logs on.
 */
class PowerVmRoundTripTest {
    private static final String RMC_POLL = "GET /rest/api/uom/LogicalPartition/{lpar}/quick";

    private static VmProvisionSpec spec(String name, String network) {
        return VmProvisionSpec.builder().name(name).template(PowerVmSimulator.SSP_TEMPLATE).cloneMode(CloneMode.LINKED)
                .cpuCount(2).memoryMiB(2048).nic(NicSpec.dhcp(network)).powerOn(true).waitForIp(true).build();
    }

    private static long roundTrips(PowerVmSimulator sim) {
        return sim.requestsExcludingPolls() - sim.requestCount(RMC_POLL);
    }

    @ParameterizedTest(name = "{0} VIOS(es)")
    @ValueSource(ints = {1, 2})
    void listIsOneRequestAndALinkedCloneWithANicPoweredOnWithItsIpIsTwelveOrThirteen(int vioses) {
        try (PowerVmSimulator sim = SimulatorConfigs.simulator().vioses(vioses).start();
             Hypervisor hv = Hypervisors.connect(SimulatorConfigs.config(sim).build())) {
            assertThat(sim.vioses()).hasSize(vioses);
            String network = await(hv.inventory()).networks().get(0).name();
            await(hv.testConnection());

            sim.resetCounters();
            await(hv.listVms());
            assertThat(sim.totalRequests()).as("listVms: " + sim.requestCounts()).isEqualTo(1);
            assertThat(sim.requestCount(HmcOperations.LPAR_FEED)).isEqualTo(1);

            // The connection knows the managed system, its clusters and networks: the create's own round trips.
            sim.resetCounters();
            VmInfo vm = await(hv.createVm(spec("rt-" + vioses, network)));
            assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
            assertThat(vm.primaryIpAddress()).isPresent();
            Map<String, Long> counts = new TreeMap<>(sim.requestCounts());
            long trips = roundTrips(sim);
            System.out.printf("createVm with %d VIOS(es): %d requests besides %d job polls and %d RMC polls: %s%n", vioses,
                    trips, sim.jobPolls(), sim.requestCount(RMC_POLL), counts);
            assertThat(trips).as(counts.toString()).isEqualTo(11 + vioses).isLessThanOrEqualTo(vioses == 1 ? 12 : 14);
            assertThat(sim.requestCount(HmcOperations.LPAR_CREATE)).isEqualTo(1);
            assertThat(sim.requestCount(HmcOperations.LINKED_CLONE)).isEqualTo(1);
            assertThat(sim.requestCount(HmcOperations.POWER_ON)).isEqualTo(1);
            assertThat(sim.requestCount("POST /rest/api/uom/ManagedSystem/{ms}/VirtualIOServer/{vios}")).isEqualTo(vioses);
            assertThat(sim.requestCount(HmcOperations.JOB_DELETE)).as("every job deleted").isEqualTo(2);
            assertThat(sim.jobs()).isEmpty();
            assertThat(sim.mappingsOf(vm.id().value())).hasSize(vioses);

            // A fresh connection's first create: a logon, the clusters and the networks besides.
            try (Hypervisor fresh = Hypervisors.connect(SimulatorConfigs.config(sim).build())) {
                sim.resetCounters();
                VmInfo first = await(fresh.createVm(spec("rt-cold-" + vioses, network)));
                long cold = roundTrips(sim);
                System.out.printf("first createVm of a connection with %d VIOS(es): %d requests besides polls: %s%n", vioses,
                        cold, new TreeMap<>(sim.requestCounts()));
                assertThat(cold).isEqualTo(11 + vioses + 3);
                assertThat(await(fresh.deleteVm(first.id()))).isTrue();
            }
            assertThat(await(hv.deleteVm(vm.id()))).isTrue();
            assertThat(sim.mappingsOf(vm.id().value())).isEmpty();
            sim.assertNoViolations();
        }
    }
}
