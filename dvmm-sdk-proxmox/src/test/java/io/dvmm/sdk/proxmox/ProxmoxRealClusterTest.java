package io.dvmm.sdk.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.PermissionDeniedException;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proxmox as users meet it (issue 10), each case one of the failures found on real clusters:
 * restricted tokens, pvestatd's lagging listing, storages that refuse parallel clones, task
 * errors, native tags, descriptions, IPv6, addressing.
 */
class ProxmoxRealClusterTest {
    private static final String TOKEN = "portal@pve!tenant-b";
    private static final String SECRET = "0f4e8a1c-1111-4222-8333-444455556666";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static ProxmoxSimulator sim;
    private static Hypervisor hv;

    @BeforeAll
    static void start() {
        sim = ProxmoxSimulator.builder().nodes(2).taskDuration(Duration.ofMillis(60)).agentDelay(Duration.ofMillis(100)).build()
                .start().addRestrictedToken(TOKEN, SECRET);
        hv = Hypervisors.connect(SimulatorConfigs.token(sim).build());
    }

    @AfterAll
    static void stop() {
        hv.close();
        sim.close();
    }

    private static String name() {
        return "rc-" + NAMES.incrementAndGet();
    }

    private static VmProvisionSpec.Builder spec(String name) {
        return VmProvisionSpec.builder().name(name).template(sim.templateName()).nic(NicSpec.dhcp(sim.networkName())).powerOn(false);
    }

    private static <T> T await(CompletableFuture<T> f) {
        return SimulatorConfigs.await(f);
    }

    @Test
    void aVmARestrictedTokenCannotSeeIsPermissionDeniedAndDeleteNeverClaimsItIsGone() {
        sim.addVm("pve2", 5100, "finance-db", true);
        try (Hypervisor tenant = Hypervisors.connect(SimulatorConfigs.token(sim).credentials(Credentials.apiToken(TOKEN, SECRET)).build())) {
            VmId hidden = VmId.of("5100");
            assertThatThrownBy(() -> await(tenant.getVm(hidden))).cause().isInstanceOf(PermissionDeniedException.class)
                    .hasMessageContaining("5100");
            assertThatThrownBy(() -> await(tenant.startVm(hidden))).cause().isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> await(tenant.deleteVm(hidden))).cause().isInstanceOf(PermissionDeniedException.class);
            assertThat(sim.vmExists(5100)).as("still there").isTrue();
            // A VMID that exists nowhere is still unprovable for this token: PVE checks the permission first.
            assertThatThrownBy(() -> await(tenant.getVm(VmId.of("5999")))).cause().isInstanceOf(PermissionDeniedException.class);
            // What it may see works: the template, and the VMs it makes.
            VmInfo mine = await(tenant.createVm(spec(name()).build()));
            assertThat(await(tenant.getVm(mine.id())).name()).isEqualTo(mine.name());
            assertThat(await(tenant.deleteVm(mine.id()))).isTrue();
            assertThat(await(tenant.deleteVm(mine.id()))).as("provably gone now").isFalse();
        }
        assertThat(await(hv.deleteVm(VmId.of("5999")))).as("an unrestricted token proves absence").isFalse();
    }

    @Test
    void aLaggingListingNeverShowsUnknownNamelessVmsNorLetsADuplicateNameThrough() {
        sim.statusLag(Duration.ofSeconds(30));
        try {
            String n = name();
            VmInfo vm = await(hv.createVm(spec(n).build()));
            List<VmInfo> listed = await(hv.listVms());
            VmInfo entry = listed.stream().filter(v -> v.id().equals(vm.id())).findFirst().orElseThrow();
            assertThat(entry.name()).isEqualTo(n);
            assertThat(entry.powerState()).isEqualTo(PowerState.POWERED_OFF);
            assertThat(await(hv.findVm(n))).map(VmInfo::id).hasValue(vm.id());
            try (Hypervisor other = Hypervisors.connect(SimulatorConfigs.token(sim).build())) {
                assertThatThrownBy(() -> await(other.createVm(spec(n).build()))).cause().isInstanceOf(ConflictException.class);
            }
            await(hv.deleteVm(vm.id()));
        } finally {
            sim.statusLag(Duration.ZERO);
        }
    }

    @Test
    void eightParallelFullClonesOnAStorageThatAllowsTwoAllSucceed() {
        sim.parallelClonesPerStorage(2);
        try (Hypervisor wide = Hypervisors.connect(SimulatorConfigs.token(sim).property("proxmox.maxParallelClonesPerStorage", "8")
                .build())) {
            List<CompletableFuture<VmInfo>> clones = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                clones.add(wide.createVm(spec(name()).cloneMode(CloneMode.FULL)
                        .placement(Placement.builder().datastore(sim.storageName()).build()).build()));
            }
            List<VmInfo> made = clones.stream().map(ProxmoxRealClusterTest::await).toList();
            assertThat(made).hasSize(8);
            made.forEach(v -> await(wide.deleteVm(v.id())));
        } finally {
            sim.parallelClonesPerStorage(0);
        }
    }

    @Test
    void errorsRaisedInsideTasksAreTyped() {
        VmInfo vm = await(hv.createVm(spec(name()).build()));
        sim.failNextTask("qmsnapshot", 1, "snapshot name 'before' already used");
        assertThatThrownBy(() -> await(hv.createSnapshot(vm.id(), SnapshotSpec.named("before")))).cause()
                .isInstanceOf(ConflictException.class);
        sim.failNextTask("qmdelsnapshot", 1, "snapshot 'gone' does not exist");
        await(hv.createSnapshot(vm.id(), SnapshotSpec.named("gone")));
        assertThatThrownBy(() -> await(hv.deleteSnapshot(vm.id(), "gone"))).cause().isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> await(hv.revertToSnapshot(vm.id(), "a/b"))).cause()
                .isInstanceOf(io.dvmm.sdk.InvalidSpecException.class).hasMessageContaining("snapshotName");
        await(hv.deleteVm(vm.id()));
    }

    @Test
    void nativeTagsAreMetadataAndTheTemplatesDescriptionIsKept() {
        sim.setConfig(9000, "description", "Ubuntu 22.04 golden image, owner: platform team");
        VmInfo vm = await(hv.createVm(spec(name()).metadata("owner", "Alice-Smith").build()));
        sim.setConfig(Integer.parseInt(vm.id().value()), "tags", "owner+Alice-Smith;prod");
        assertThat(await(hv.getVm(vm.id())).metadata()).containsEntry("owner", "Alice-Smith").containsEntry("prod", "");
        assertThat(await(hv.listVms()).stream().filter(v -> v.id().equals(vm.id())).findFirst().orElseThrow().metadata())
                .containsEntry("prod", "");
        // The clone kept the template's description and appended the SDK's marker.
        try (Hypervisor raw = Hypervisors.connect(SimulatorConfigs.token(sim).build())) {
            assertThat(raw.getVm(vm.id()).join().name()).isEqualTo(vm.name());
        }
        await(hv.deleteVm(vm.id()));
    }

    @Test
    void waitForIpWaitsForTheTemplatesNicWhenTheSpecNamesNone() {
        VmInfo vm = await(hv.createVm(VmProvisionSpec.builder().name(name()).template(sim.templateName()).powerOn(true)
                .waitForIp(true).build()));
        assertThat(vm.primaryIpAddress()).as("the template's NIC got an address from the guest agent").isPresent();
        await(hv.deleteVm(vm.id()));
    }

    @Test
    void aStaticIpv6IsReportedByGetVmBeforeTheAgentRuns() {
        VmInfo vm = await(hv.createVm(VmProvisionSpec.builder().name(name()).template(sim.templateName())
                .nic(NicSpec.staticIp(sim.networkName(), "2001:db8::44", 64, "2001:db8::1")).powerOn(true).build()));
        assertThat(vm.ipAddresses()).contains("2001:db8::44");
        assertThat(await(hv.getVm(vm.id())).ipAddresses()).contains("2001:db8::44");
        await(hv.deleteVm(vm.id()));
    }

    @Test
    void httpsOnPort8006AndATokenStringAreAccepted() {
        HypervisorConfig https = HypervisorConfig.builder("https://127.0.0.1:" + sim.port())
                .credentials(Credentials.apiToken(sim.apiTokenId() + "=" + sim.apiTokenSecret()))
                .tls(TlsOptions.pinSha256(sim.certificateSha256())).type("proxmox").build();
        try (Hypervisor viaHttps = Hypervisors.connect(https)) {
            assertThat(viaHttps.type()).isEqualTo("proxmox");
            assertThat(await(viaHttps.testConnection()).product()).contains("Proxmox");
        }
        assertThat(new ProxmoxProvider().recognizes(java.net.URI.create("https://pve1:8006"))).isTrue();
        assertThat(new ProxmoxProvider().recognizes(java.net.URI.create("https://vcenter:443"))).isFalse();
        assertThatThrownBy(() -> Credentials.apiToken("no-secret-here")).hasMessageContaining("credentials.token")
                .hasMessageNotContaining("no-secret-here");
    }
}
