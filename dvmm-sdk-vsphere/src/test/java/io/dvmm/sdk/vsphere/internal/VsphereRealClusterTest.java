package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.VirtualMachineConfigSpec;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.simulator.vsphere.VcsimModel;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.vsphere.internal.FaultProxy.Fault;
import io.dvmm.sdk.vsphere.internal.VimSession.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * vSphere as users meet it (issue "real clusters"): two datacenters that repeat every name — the
 * template, a {@code Staging} VM folder and a {@code Staging} network folder, {@code LocalDS_0},
 * {@code VM Network} — with vApps and datastore clusters. One test per failure found by trying
 * the provider against such a vCenter.
 */
class VsphereRealClusterTest {

    private static final String STAGING = "Staging";
    private static final RequestCounter REQUESTS = new RequestCounter();
    private static Vcsim sim;
    private static VsphereHypervisor hv;
    private static Inventory inventory;

    @BeforeAll
    static void start() {
        sim = Vcsim.start(VcsimModel.vcenter().datacenters(2).clusters(2).hostsPerCluster(1).vmsPerPool(1)
                .templateInEveryDatacenter().folderInEveryDatacenter(STAGING).vapps(1).storagePods(1).build());
        hv = VcsimFixture.connect(sim, REQUESTS);
        inventory = hv.inventory().join();
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

    private static VmProvisionSpec.Builder spec(String name) {
        return VmProvisionSpec.builder().name(name).template(Vcsim.TEMPLATE).cpuCount(1).memoryMiB(512).powerOn(false);
    }

    private static <T> Throwable failure(CompletableFuture<T> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return Futures.unwrap(e);
        }
    }

    private static Map<String, Object> props(VmInfo vm, String... paths) {
        return hv.retrieve(Scope.of("test"), VmMapper.vmRef(vm.id()), paths).join();
    }

    private static String pathOf(ManagedObjectReference ref) {
        VimCatalog cat = hv.catalog(Scope.of("test"), true).join();
        return cat.path(cat.get(ref).orElseThrow());
    }

    private static String datacenterOf(ManagedObjectReference ref) {
        VimCatalog cat = hv.catalog(Scope.of("test"), true).join();
        return cat.datacenterOf(cat.get(ref).orElseThrow()).name();
    }

    private static long clones(Map<String, Long> before) {
        return REQUESTS.since(before).getOrDefault("CloneVM_Task", 0L);
    }

    // ---- "every lookup is by bare name across the whole vCenter"

    @Test
    void aTemplateNameInTwoDatacentersIsRefusedWithBothCandidatesBeforeAnyClone() {
        Map<String, Long> before = REQUESTS.counts();
        Throwable e = failure(hv.createVm(spec("amb-template").build()));
        assertThat(e).isInstanceOf(InvalidSpecException.class).hasMessageContaining("ambiguous")
                .hasMessageContaining("/DC0/vm/").hasMessageContaining("/DC1/vm/").hasMessageContaining("placement.datacenter");
        assertThat(((InvalidSpecException) e).field()).isEqualTo("template");
        assertThat(clones(before)).isZero();
    }

    @Test
    void placementDatacenterNarrowsTheTemplateAndTheDefaultFolder() {
        VmInfo vm = hv.createVm(spec("in-dc1").placement(Placement.builder().datacenter("DC1").build()).build()).join();
        try {
            assertThat(pathOf((ManagedObjectReference) props(vm, "parent").get("parent"))).isEqualTo("/DC1/vm");
        } finally {
            hv.deleteVm(vm.id()).join();
        }
    }

    @Test
    void aTemplateByIdInTheSecondDatacenterIsClonedIntoThatDatacentersVmFolder() {
        Inventory.Template second = inventory.templates().stream().filter(t -> "DC1".equals(t.datacenter())).findFirst().orElseThrow();
        VmInfo vm = hv.createVm(VmProvisionSpec.builder().name("by-id").templateId(second.id()).cpuCount(1).memoryMiB(512)
                .powerOn(false).build()).join();
        try {
            assertThat(pathOf((ManagedObjectReference) props(vm, "parent").get("parent"))).isEqualTo("/DC1/vm");
        } finally {
            hv.deleteVm(vm.id()).join();
        }
    }

    @Test
    void repeatedFolderDatastoreAndNetworkNamesResolveWithinTheChosenDatacenter() {
        VmInfo vm = hv.createVm(spec("same-names").nic(NicSpec.dhcp("VM Network"))
                .placement(Placement.builder().datacenter("DC1").folder(STAGING).datastore("LocalDS_0").build()).build()).join();
        try {
            Map<String, Object> p = props(vm, "parent", "datastore", "network");
            assertThat(pathOf((ManagedObjectReference) p.get("parent"))).isEqualTo("/DC1/vm/" + STAGING);
            List<ManagedObjectReference> stores = List.of(((com.vmware.vim25.ArrayOfManagedObjectReference) p.get("datastore"))
                    .getManagedObjectReference());
            List<ManagedObjectReference> nets = List.of(((com.vmware.vim25.ArrayOfManagedObjectReference) p.get("network"))
                    .getManagedObjectReference());
            assertThat(stores).isNotEmpty().allSatisfy(ds -> assertThat(datacenterOf(ds)).isEqualTo("DC1"));
            assertThat(nets).isNotEmpty().allSatisfy(n -> assertThat(datacenterOf(n)).isEqualTo("DC1"));
        } finally {
            hv.deleteVm(vm.id()).join();
        }
    }

    @Test
    void anAbsoluteFolderPathChoosesItsDatacenterAndANetworkFolderIsNeverTheVmFolder() {
        VmInfo vm = hv.createVm(spec("abs-path").placement(Placement.builder().folder("/DC1/vm/" + STAGING).build()).build()).join();
        try {
            assertThat(pathOf((ManagedObjectReference) props(vm, "parent").get("parent"))).isEqualTo("/DC1/vm/" + STAGING);
        } finally {
            hv.deleteVm(vm.id()).join();
        }
        Map<String, Long> before = REQUESTS.counts();
        Throwable e = failure(hv.createVm(spec("net-folder").placement(Placement.builder().folder("/DC0/network/" + STAGING).build())
                .build()));
        assertThat(e).isInstanceOf(InvalidSpecException.class).hasMessageContaining("not a VM folder");
        assertThat(((InvalidSpecException) e).field()).isEqualTo("placement.folder");
        assertThat(clones(before)).isZero();
    }

    @Test
    void anUnknownDatacenterIsRefusedNamingTheKnownOnes() {
        Map<String, Long> before = REQUESTS.counts();
        Throwable e = failure(hv.createVm(spec("dc9").placement(Placement.builder().datacenter("DC9").build()).build()));
        assertThat(e).isInstanceOf(InvalidSpecException.class).hasMessageContaining("DC9").hasMessageContaining("DC0, DC1");
        assertThat(((InvalidSpecException) e).field()).isEqualTo("placement.datacenter");
        assertThat(clones(before)).isZero();
    }

    @Test
    void aPoolNameRepeatedWithinTheDatacenterIsAmbiguousUnlessTheClusterIsGiven() {
        Throwable e = failure(hv.createVm(spec("pool-amb").placement(Placement.builder().datacenter("DC0").resourcePool("Resources")
                .build()).build()));
        assertThat(e).isInstanceOf(InvalidSpecException.class).hasMessageContaining("ambiguous")
                .hasMessageContaining("/DC0/host/DC0_C0/Resources").hasMessageContaining("/DC0/host/DC0_C1/Resources");
        assertThat(((InvalidSpecException) e).field()).isEqualTo("placement.resourcePool");
        VmInfo vm = hv.createVm(spec("pool-ok").placement(Placement.builder().datacenter("DC0").cluster("DC0_C1")
                .resourcePool("Resources").build()).build()).join();
        try {
            assertThat(pathOf((ManagedObjectReference) props(vm, "resourcePool").get("resourcePool")))
                    .isEqualTo("/DC0/host/DC0_C1/Resources");
        } finally {
            hv.deleteVm(vm.id()).join();
        }
    }

    // ---- "Inventory.Cluster.datacenter is the first datacenter's name for every cluster"; vApps; datastore clusters

    @Test
    void inventoryEntriesCarryTheirOwnDatacenterAndPath() {
        assertThat(inventory.clusters()).hasSize(4).allSatisfy(c -> {
            assertThat(c.name()).startsWith(c.datacenter() + "_");
            assertThat(c.path()).isEqualTo("/" + c.datacenter() + "/host/" + c.name());
        });
        assertThat(inventory.hosts()).allSatisfy(h -> assertThat(h.path()).startsWith("/" + h.datacenter() + "/host/"));
        assertThat(inventory.templates()).extracting(Inventory.Template::datacenter).containsExactlyInAnyOrder("DC0", "DC1");
        assertThat(inventory.networks()).filteredOn(n -> n.name().equals("VM Network"))
                .extracting(Inventory.Network::datacenter).containsExactlyInAnyOrder("DC0", "DC1");
    }

    @Test
    void vAppsAreResourcePoolsAndCanBePlacedIn() {
        List<Inventory.ResourcePool> apps = inventory.resourcePools().stream().filter(p -> p.type().equals("VirtualApp")).toList();
        assertThat(apps).hasSize(4);
        Inventory.ResourcePool app = apps.stream().filter(a -> "DC0".equals(a.datacenter())).findFirst().orElseThrow();
        VmInfo vm = hv.createVm(spec("in-vapp").placement(Placement.builder().datacenter("DC0").resourcePoolId(app.id()).build())
                .build()).join();
        try {
            assertThat(((ManagedObjectReference) props(vm, "resourcePool").get("resourcePool")).getVal()).isEqualTo(app.id());
        } finally {
            hv.deleteVm(vm.id()).join();
        }
    }

    @Test
    void datastoresNameTheirDatastoreClusterAndAClusterNameIsRefusedNamingItsDatastores() {
        Inventory.Datastore ds = inventory.datastores().stream().filter(d -> "DC0".equals(d.datacenter())).findFirst().orElseThrow();
        String pod = ds.datastoreCluster();
        assertThat(pod).isNotBlank();
        Throwable e = failure(hv.createVm(spec("in-pod").placement(Placement.builder().datacenter("DC0").datastore(pod).build())
                .build()));
        assertThat(e).isInstanceOf(InvalidSpecException.class).hasMessageContaining("datastore cluster").hasMessageContaining(ds.name());
        assertThat(((InvalidSpecException) e).field()).isEqualTo("placement.datastore");
    }

    // ---- findVm: "a full listing (53 calls on 5,000 VMs) and silently picks one"; "FindChild is not retried"

    @Test
    void findVmAsksEveryVmFolderByNameAndReadsOnlyTheMatch() {
        VmInfo vm = hv.createVm(spec("findme").placement(Placement.builder().datacenter("DC0").build()).build()).join();
        try {
            List<ObjectContent> folders = hv.port().retrieveByType(Scope.of("test"), 1000, List.of(
                    VimPort.props("Folder", "childType"), VimPort.props("VirtualApp", "name"))).join();
            long vmContainers = folders.stream().filter(oc -> "VirtualApp".equals(oc.getObj().getType())
                    || String.valueOf(java.util.Arrays.toString(((com.vmware.vim25.ArrayOfString) VimCatalog.properties(oc)
                    .getOrDefault("childType", new com.vmware.vim25.ArrayOfString())).getString())).contains("VirtualMachine")).count();
            Map<String, Long> before = REQUESTS.counts();
            assertThat(hv.findVm("findme").join()).map(VmInfo::id).contains(vm.id());
            Map<String, Long> d = REQUESTS.since(before);
            System.out.printf("findVm: %s (%d VM folders and vApps)%n", d, vmContainers);
            assertThat(d.get("FindChild")).isEqualTo(vmContainers);
            assertThat(d).containsEntry("CreateContainerView", 1L).containsEntry("DestroyView", 1L)
                    .containsEntry("RetrievePropertiesEx", 2L).doesNotContainKey("ContinueRetrievePropertiesEx");
            assertThat(d.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4 + vmContainers);
        } finally {
            hv.deleteVm(vm.id()).join();
        }
    }

    @Test
    void twoVmsOfOneNameInTwoFoldersMakeFindVmFailListingBoth() {
        VmInfo a = hv.createVm(spec("twin").placement(Placement.builder().datacenter("DC0").build()).build()).join();
        VmInfo b = hv.createVm(spec("twin").placement(Placement.builder().datacenter("DC1").folder(STAGING).build()).build()).join();
        try {
            Throwable e = failure(hv.findVm("twin"));
            assertThat(e).isInstanceOf(ConflictException.class).hasMessageContaining(a.id().value()).hasMessageContaining(b.id().value());
        } finally {
            hv.deleteVm(a.id()).join();
            hv.deleteVm(b.id()).join();
        }
    }

    @Test
    void findChildIsRetriedWhenTheConnectionDropsBeforeItsAnswer() {
        try (FaultProxy proxy = new FaultProxy(sim)) {
            HypervisorConfig config = HypervisorConfig.builder(proxy.vsphereUri())
                    .credentials(Credentials.password(sim.username(), sim.password()))
                    .tls(TlsOptions.pinSha256(proxy.sha256())).build();
            try (VsphereHypervisor viaProxy = (VsphereHypervisor) Hypervisors.connect(config)) {
                viaProxy.testConnection().join();
                proxy.inject("FindChild", Fault.RESET_BEFORE_ANSWER);
                Optional<VmInfo> none = viaProxy.findVm("nobody-has-this-name").join();
                assertThat(none).isEmpty();
                assertThat(proxy.allUsed()).as("the fault was used").isTrue();
            }
        }
    }

    // ---- "a server rejection arrives as InvalidSpecException(field=spec): invalidProperty is lost"

    @Test
    void aServerRejectionKeepsThePropertyItNames() {
        VmInfo vm = hv.createVm(spec("rejected").placement(Placement.builder().datacenter("DC0").build()).build()).join();
        try {
            VirtualMachineConfigSpec bad = new VirtualMachineConfigSpec();
            bad.setGuestId("no-such-guest-os");
            ManagedObjectReference task = hv.port().reconfigVmTask(Scope.of("reconfigureVm"), VmMapper.vmRef(vm.id()), bad).join();
            assertThatThrownBy(() -> hv.tasks().await(task, "reconfigureVm", Deadline.after(Duration.ofSeconds(30))).join())
                    .cause().isInstanceOf(InvalidSpecException.class).hasMessageContaining("configSpec.guestId")
                    .satisfies(x -> assertThat(((InvalidSpecException) x).field()).isEqualTo("configSpec.guestId"));
        } finally {
            hv.deleteVm(vm.id()).join();
        }
    }
}
