package io.dvmm.sdk.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dvmm.sdk.DiskSpec;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every request the provider sends in a full lifecycle, with every option the spec has, is valid
 * against the official PVE schema ({@code ../shared/data/proxmox/pve-apidoc.json}).
 */
class SchemaValidityTest {

    @Test
    void aFullLifecycleSendsOnlySchemaValidRequests() throws Exception {
        assumeTrue(ProxmoxSimulator.findSchema().isPresent(),
                "pve-apidoc.json not found in ../shared/data/proxmox: schema validity of the provider's requests not checked");
        try (ProxmoxSimulator sim = ProxmoxSimulator.builder().nodes(2).taskDuration(Duration.ofMillis(30))
                .agentDelay(Duration.ofMillis(50)).build().start();
             Hypervisor hv = Hypervisors.connect(SimulatorConfigs.password(sim).build())) {
            assertThat(sim.schemaValidation()).isTrue();
            VmInfo vm = get(hv.createVm(VmProvisionSpec.builder().name("schema-1.example.org").template(sim.templateName())
                    .cpuCount(4).memoryMiB(4096)
                    .nic(NicSpec.staticIp(sim.networkName(), "192.0.2.10", 24, "192.0.2.1"))
                    .nic(NicSpec.dhcp(sim.networkName()))
                    .nic(new NicSpec(sim.networkName(), io.dvmm.sdk.IpConfig.staticIp("2001:db8::10", 64, "2001:db8::1"),
                            "bc:24:11:12:34:56"))
                    .disk(DiskSpec.ofGiB(40)).disk(new DiskSpec(8, sim.storageName()))
                    .placement(Placement.any().withDatastore(sim.storageName()).withHost("pve2").withResourcePool(sim.poolName()))
                    .guest(GuestCustomization.builder().hostname("schema-1").domain("example.org").username("ops")
                            .sshKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI+x/y= ops@example.org")
                            .dnsServer("192.0.2.53").dnsServer("2001:db8::53").searchDomain("lab.example.org").build())
                    .metadata("owner", "Team A").metadata("cost-center", "4711")
                    .providerOptions(ProxmoxOptions.builder().cloudInitDrive(sim.storageName()).build())
                    .waitForIp(true).build(), OperationOptions.timeout(Duration.ofMinutes(1))));
            assertThat(vm.host()).isEqualTo("pve2");
            get(hv.reconfigureVm(vm.id(), VmReconfigureSpec.builder().cpuCount(2).memoryMiB(2048).build()));
            get(hv.createSnapshot(vm.id(), new SnapshotSpec("s1", "with memory", true)));
            get(hv.suspendVm(vm.id()));
            get(hv.resumeVm(vm.id()));
            get(hv.restartVm(vm.id()));
            get(hv.stopVm(vm.id(), StopSpec.gracefulThenHard(Duration.ofSeconds(10))));
            get(hv.revertToSnapshot(vm.id(), "s1"));
            get(hv.deleteSnapshot(vm.id(), "s1"));
            get(hv.inventory());
            get(hv.testConnection());
            assertThat(get(hv.getVm(vm.id())).powerState()).isIn(PowerState.POWERED_ON, PowerState.POWERED_OFF);
            assertThat(get(hv.deleteVm(vm.id()))).isTrue();
            sim.assertNoViolations();
            assertThat(sim.totalRequests()).isGreaterThan(20);
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }
}
