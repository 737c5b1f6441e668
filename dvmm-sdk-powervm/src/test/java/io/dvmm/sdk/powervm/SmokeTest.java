package io.dvmm.sdk.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.powervm.PowerVmSimulator;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void createListDelete() {
        try (PowerVmSimulator sim = SimulatorConfigs.simulator().start();
             Hypervisor hv = Hypervisors.connect(SimulatorConfigs.config(sim).build())) {
            System.out.println(SimulatorConfigs.await(hv.testConnection()));
            Inventory inv = SimulatorConfigs.await(hv.inventory());
            System.out.println(inv.templates());
            System.out.println(inv.networks());
            System.out.println(inv.datastores());
            System.out.println(SimulatorConfigs.await(hv.listVms()).size());
            sim.resetCounters();
            VmInfo vm = SimulatorConfigs.await(hv.createVm(VmProvisionSpec.builder().name("smoke-1").template(PowerVmSimulator.SSP_TEMPLATE)
                    .cloneMode(CloneMode.LINKED).cpuCount(2).memoryMiB(2048).nic(NicSpec.dhcp(inv.networks().get(0).name()))
                    .waitForIp(true).build()));
            System.out.println(vm);
            System.out.println(sim.requestCounts());
            System.out.println("excluding polls: " + sim.requestsExcludingPolls());
            System.out.println(SimulatorConfigs.await(hv.getVm(vm.id())));
            assertThat(SimulatorConfigs.await(hv.deleteVm(vm.id()))).isTrue();
            sim.assertNoViolations();
        }
    }
}
