package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.simulator.vsphere.VcsimModel;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.DiskSpec;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.Progress;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Disks, metadata and task cancellation against vcsim, with call counts taken by the connection's
 * request listener. The template's boot disk is grown to {@value #TEMPLATE_DISK_GIB} GiB by the
 * launcher, so that a smaller disk 0 can be refused; clones and power-ons take
 * {@value #TASK_DELAY_MS} ms, so that a cancel can arrive while the request is on the wire.
 */
class VsphereDisksMetadataCancelTest {

    private static final int TEMPLATE_DISK_GIB = 8;
    private static final int TASK_DELAY_MS = 800;
    private static final RequestCounter REQUESTS = new RequestCounter();
    private static Vcsim sim;
    private static VsphereHypervisor hv;

    @BeforeAll
    static void start() {
        sim = Vcsim.start(VcsimModel.vcenter().clusters(1).hostsPerCluster(2).standaloneHosts(1).vmsPerPool(3)
                .templateDiskGiB(TEMPLATE_DISK_GIB).methodDelay("CloneVM_Task", java.time.Duration.ofMillis(TASK_DELAY_MS))
                .methodDelay("PowerOnVM_Task", java.time.Duration.ofMillis(TASK_DELAY_MS)).build());
        hv = VcsimFixture.connect(sim, REQUESTS);
        hv.inventory().join(); // log in and cache the placement catalog and the template's devices
    }

    @AfterAll
    static void stop() {
        if (hv != null) {
            hv.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static Map<String, Long> delta(Map<String, Long> before) {
        return REQUESTS.since(before);
    }

    private static long totalExceptWaits(Map<String, Long> d) {
        return d.entrySet().stream().filter(e -> !e.getKey().equals("WaitForUpdatesEx")).mapToLong(Map.Entry::getValue).sum();
    }

    private static VmProvisionSpec.Builder spec(String name) {
        return VmProvisionSpec.builder().name(name).template(Vcsim.TEMPLATE).cpuCount(1).memoryMiB(512)
                .nic(NicSpec.dhcp("VM Network")).placement(Placement.any().withDatastore("LocalDS_0")).powerOn(false);
    }

    @Test
    void declaresDisksMetadataAndCancelOnVcenter() {
        assertThat(hv.capabilities().join()).contains(Capability.DISKS, Capability.METADATA, Capability.CANCEL_TASK);
        Inventory.Template t = hv.inventory().join().template(Vcsim.TEMPLATE).orElseThrow();
        assertThat(t.diskGiB()).isEqualTo(TEMPLATE_DISK_GIB);
    }

    @Test
    void bootDiskGrowsAndExtraDisksAreAddedWithinTheCallBudget() {
        Map<String, Long> before = REQUESTS.counts();
        VmInfo vm = hv.createVm(spec("disks-1").powerOn(true)
                .disk(DiskSpec.ofGiB(TEMPLATE_DISK_GIB + 4))
                .disk(DiskSpec.ofGiB(3))
                .disk(new DiskSpec(2, "LocalDS_0"))
                .metadata("owner", "disks").build()).join();
        Map<String, Long> d = delta(before);
        System.out.printf("createVm with 3 disks and metadata: %d calls besides WaitForUpdatesEx %s%n", totalExceptWaits(d), d);
        assertThat(vm.disks()).extracting(DiskInfo::sizeGiB).containsExactly((long) TEMPLATE_DISK_GIB + 4, 3L, 2L);
        assertThat(vm.disks()).extracting(DiskInfo::datastore).containsOnly("LocalDS_0");
        assertThat(d).containsEntry("CloneVM_Task", 1L).containsEntry("ReconfigVM_Task", 1L);
        assertThat(totalExceptWaits(d)).isLessThanOrEqualTo(16);

        VmInfo fetched = hv.getVm(vm.id()).join();
        assertThat(fetched.disks()).isEqualTo(vm.disks());
        assertThat(hv.deleteVm(vm.id()).join()).isTrue();
    }

    @Test
    void aBootDiskSmallerThanTheTemplatesIsRefusedBeforeAnyRequest() {
        Map<String, Long> before = REQUESTS.counts();
        CompletableFuture<VmInfo> f = hv.createVm(spec("disks-small").disk(DiskSpec.ofGiB(TEMPLATE_DISK_GIB - 1)).build());
        Throwable failure = f.handle((v, e) -> e).join();
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        assertThat(cause).isInstanceOf(InvalidSpecException.class);
        assertThat(((InvalidSpecException) cause).field()).isEqualTo("disks[0].sizeGiB");
        // Only the connection's own housekeeping (its update dispatcher, finishing earlier waits) may show up.
        assertThat(delta(before).keySet()).isSubsetOf("WaitForUpdatesEx", "DestroyPropertyFilter");
        assertThat(hv.findVm("disks-small").join()).isEmpty();
    }

    @Test
    void metadataRoundTripsAndFiltersListsWithoutPerVmCalls() {
        VmInfo a = hv.createVm(spec("meta-a").metadata("owner", "alice").metadata("Team.Name", "blue green")
                .metadata("pinned", "").build()).join();
        // Keeping the template's CPU and memory: the clone spec alone carries the metadata (vcsim applies its extraConfig).
        Map<String, Long> beforeB = REQUESTS.counts();
        VmInfo b = hv.createVm(VmProvisionSpec.builder().name("meta-b").template(Vcsim.TEMPLATE).powerOn(false)
                .metadata("owner", "bob").build()).join();
        assertThat(delta(beforeB)).containsEntry("CloneVM_Task", 1L).doesNotContainKey("ReconfigVM_Task");
        assertThat(b.metadata()).isEqualTo(Map.of("owner", "bob"));
        assertThat(a.metadata()).isEqualTo(Map.of("owner", "alice", "Team.Name", "blue green", "pinned", ""));
        assertThat(hv.getVm(a.id()).join().metadata()).isEqualTo(a.metadata());

        Map<String, Long> before = REQUESTS.counts();
        List<VmInfo> alice = hv.listVms(VmQuery.builder().metadata("owner", "alice").metadata("pinned", "").build()).join();
        assertThat(delta(before)).isEqualTo(Map.of("CreateContainerView", 1L, "RetrievePropertiesEx", 1L, "DestroyView", 1L));
        assertThat(alice).extracting(VmInfo::id).containsExactly(a.id());
        assertThat(hv.listVms(VmQuery.builder().metadata("owner", "bob").build()).join())
                .extracting(VmInfo::id).containsExactly(b.id());

        assertThat(hv.deleteVm(a.id()).join()).isTrue();
        assertThat(hv.deleteVm(b.id()).join()).isTrue();
    }

    /** Cancels {@code f} a little after {@code stage} was reported, while the stage's request is on the wire. */
    private static OperationOptions cancelDuring(Progress.Stage stage, AtomicReference<CompletableFuture<VmInfo>> future) {
        return OperationOptions.progress(p -> {
            if (p.stage() == stage) {
                CompletableFuture.delayedExecutor(TASK_DELAY_MS / 3, TimeUnit.MILLISECONDS).execute(() -> {
                    while (future.get() == null) {
                        Thread.onSpinWait();
                    }
                    future.get().cancel(true);
                });
            }
        });
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void cancellingWhileTheCloneRunsCancelsTheTaskAndRemovesTheClone() throws InterruptedException {
        Map<String, Long> before = REQUESTS.counts();
        AtomicReference<CompletableFuture<VmInfo>> future = new AtomicReference<>();
        CompletableFuture<VmInfo> f = hv.createVm(spec("cancel-1").build(), cancelDuring(Progress.Stage.CLONE, future));
        future.set(f);
        assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
        // The clone's answer names its task, which the cancelled run cancels at once; the rollback then removes the clone.
        eventually(() -> delta(before).getOrDefault("Destroy_Task", 0L) >= 1);
        Map<String, Long> d = delta(before);
        assertThat(d).containsEntry("CloneVM_Task", 1L).containsEntry("CancelTask", 1L).containsEntry("Destroy_Task", 1L);
        assertThat(hv.findVm("cancel-1").join()).isEmpty();
    }

    @Test
    void cancellingAPowerOperationCancelsItsTask() throws InterruptedException {
        VmInfo vm = hv.createVm(spec("cancel-power").build()).join();
        Map<String, Long> before = REQUESTS.counts();
        AtomicReference<CompletableFuture<VmInfo>> future = new AtomicReference<>();
        CompletableFuture<VmInfo> f = hv.startVm(vm.id(), cancelDuring(Progress.Stage.POWER_ON, future));
        future.set(f);
        assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
        eventually(() -> delta(before).getOrDefault("CancelTask", 0L) >= 1);
        assertThat(delta(before)).containsEntry("PowerOnVM_Task", 1L).containsEntry("CancelTask", 1L);
        assertThat(hv.deleteVm(vm.id()).join()).isTrue();
    }

    @Test
    void userDataReachesTheGuestThroughGuestinfo() {
        String userData = "#cloud-config\nruncmd:\n  - echo hello\n";
        VmInfo vm = hv.createVm(spec("ud-1").guest(io.dvmm.sdk.GuestCustomization.builder().userData(userData)
                .hostname("other-host").build()).build()).join();
        Map<String, Object> props = hv.retrieve(VimSession.Scope.of("test"), VmMapper.vmRef(vm.id()), "config.extraConfig").join();
        Map<String, String> extra = new java.util.HashMap<>();
        for (com.vmware.vim25.OptionValue o : ((com.vmware.vim25.ArrayOfOptionValue) props.get("config.extraConfig")).getOptionValue()) {
            extra.put(o.getKey(), String.valueOf(o.getValue()));
        }
        assertThat(new String(java.util.Base64.getDecoder().decode(extra.get("guestinfo.userdata")), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(userData);
        assertThat(extra).containsEntry("guestinfo.userdata.encoding", "base64");
        assertThat(new String(java.util.Base64.getDecoder().decode(extra.get("guestinfo.metadata")), java.nio.charset.StandardCharsets.UTF_8))
                .contains("local-hostname: other-host");
        assertThat(hv.deleteVm(vm.id()).join()).isTrue();
    }

    @Test
    void metadataKeysSurviveCaseInsensitiveExtraConfig() {
        for (String key : List.of("owner", "Team.Name", "a_b", "ключ", "x-1")) {
            String encoded = VmMapper.encodeKey(key);
            assertThat(encoded).matches("[a-z0-9_-]+");
            assertThat(VmMapper.decodeKey(encoded)).isEqualTo(key);
            assertThat(VmMapper.decodeKey(encoded.toUpperCase(java.util.Locale.ROOT))).isEqualTo(key);
        }
        assertThat(VmMapper.decodeKey("bad_z")).isNull();
    }
}
