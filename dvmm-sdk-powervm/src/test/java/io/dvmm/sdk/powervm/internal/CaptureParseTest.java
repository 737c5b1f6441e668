package io.dvmm.sdk.powervm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every real HMC capture in {@code shared/data/powervm} (pypowervm's test data, HMC and NovaLink,
 * schema V1_0 to V1_3_0) through the provider's own reading: each parses into the SDK values the
 * provider makes of it, or is named below as ignored on purpose, with the reason. A capture that is
 * neither fails the test, so a new capture must be given a place.
 */
class CaptureParseTest {
    private static final ErrorContext CTX = ErrorContext.of("powervm", "parse");

    /** Captures the provider does not read, and why. */
    private static final Map<String, String> IGNORED = Map.of(
            "vscsibus_feed.xml", "the VirtualSCSIBus model (NovaLink, V1_3_0+): the provider maps through VirtualSCSIMappings",
            "vfc_client_adapter_feed.xml", "NPIV client adapters: the provider only removes an LPAR's VFC mappings from its VIOSes",
            "fake_virtual_switch.xml", "virtual switches: a CNA takes its switch from the VirtualNetwork's AssociatedSwitch link",
            "vswitch_feed.xml", "virtual switches: a CNA takes its switch from the VirtualNetwork's AssociatedSwitch link",
            "nbbr_network_bridge.xml", "SEA/network bridges: the provider does not configure how VLANs leave the system",
            "sriov_lp_feed.xml", "SR-IOV logical ports: the provider makes virtual Ethernet adapters only",
            "vnic_feed.xml", "dedicated vNICs (SR-IOV): the provider makes virtual Ethernet adapters only",
            "tier.xml", "SSP tiers: the provider creates logical units through their pool",
            "event.xml", "events: the provider polls jobs and the LPAR's quick properties instead of the event long-poll",
            "event_feed.xml", "events: the provider polls jobs and the LPAR's quick properties instead of the event long-poll");

    private final Map<String, Consumer<byte[]>> parsers = new LinkedHashMap<>();

    CaptureParseTest() {
        parsers.put("logon.xml", xml -> assertThat(HmcXml.object(xml, HmcObjects.LogonResponse.class, "logon", CTX).session())
                .isNotBlank());
        parsers.put("managementconsole.xml", xml -> assertThat(entries(xml, HmcObjects.ManagementConsole.class))
                .singleElement().satisfies(e -> assertThat(e.content().name()).isEqualTo("hmc7")));
        parsers.put("managedsystem.xml", xml -> {
            List<HmcXml.Entry<HmcObjects.ManagedSystem>> systems = entries(xml, HmcObjects.ManagedSystem.class);
            assertThat(systems).hasSize(3);
            for (HmcXml.Entry<HmcObjects.ManagedSystem> e : systems) {
                Inventory.Host h = PowerVmMapper.host(e.id(), e.content());
                assertThat(h.memoryMiB()).isPositive();
                assertThat(e.content().memory().memoryRegionSize()).isPositive();
                assertThat(e.content().memory().availableMemory()).isNotNull();
                assertThat(e.content().processors().availableUnits()).isNotNull();
            }
        });
        parsers.put("shrprocpool.xml", xml -> {
            List<Inventory.ResourcePool> pools = entries(xml, HmcObjects.SharedProcessorPool.class).stream()
                    .map(e -> PowerVmMapper.resourcePool(e.id(), e.content())).toList();
            assertThat(pools).hasSize(64).anySatisfy(p -> assertThat(p.name()).isEqualTo("DefaultPool"));
        });
        parsers.put("lpar.xml", xml -> {
            List<VmInfo> vms = entries(xml, HmcObjects.LogicalPartition.class).stream()
                    .map(e -> PowerVmMapper.vm(e.id(), e.content(), "sys", List.of(), List.of())).toList();
            assertThat(vms).hasSize(21);
            // Some NovaLink entries carry no desired values (only Current* of a stopped LPAR): 0, not an error.
            assertThat(vms.stream().filter(v -> v.cpuCount() > 0 && v.memoryMiB() > 0).count()).isGreaterThanOrEqualTo(16);
            assertThat(vms).extracting(VmInfo::powerState).contains(PowerState.POWERED_OFF, PowerState.POWERED_ON);
            assertThat(vms).anySatisfy(v -> assertThat(v.ipAddresses()).isNotEmpty());
            List<HmcXml.Entry<HmcObjects.LogicalPartition>> lpars = entries(xml, HmcObjects.LogicalPartition.class);
            // The 2013 feed carries no etag:etag elements (newer HMCs do); the creation time is always there.
            assertThat(lpars).allSatisfy(e -> assertThat(e.content().metadata().created()).isPresent());
            assertThat(lpars).filteredOn(e -> e.content().profile() != null).hasSizeGreaterThan(10)
                    .allSatisfy(e -> assertThat(e.content().profile().uuid()).isNotBlank());
        });
        Consumer<byte[]> vios = xml -> {
            List<HmcXml.Entry<HmcObjects.VirtualIOServer>> list = entries(xml, HmcObjects.VirtualIOServer.class);
            assertThat(list).isNotEmpty();
            for (HmcXml.Entry<HmcObjects.VirtualIOServer> e : list) {
                VirtualStorage.Vios v = new VirtualStorage.Vios(e.id(), e.content(), null);
                assertThat(v.name()).isNotBlank();
                for (String client : new TreeSet<>(e.content().mappings().stream().map(HmcObjects.ScsiMapping::clientUuid)
                        .filter(c -> c != null).toList())) {
                    List<DiskInfo> disks = PowerVmMapper.disks(client, List.of(v), "ssp");
                    assertThat(disks).allSatisfy(d -> assertThat(d.name()).isNotBlank());
                }
            }
        };
        parsers.put("fake_vios.xml", vios.andThen(xml -> assertThat(entries(xml, HmcObjects.VirtualIOServer.class).get(0)
                .content().hasMediaRepository()).isTrue()));
        parsers.put("fake_vios_mappings.xml", vios.andThen(xml -> {
            HmcObjects.VirtualIOServer v = entries(xml, HmcObjects.VirtualIOServer.class).get(0).content();
            assertThat(v.mappings()).hasSizeGreaterThan(5);
            assertThat(v.mappings()).anySatisfy(m -> assertThat(VirtualStorage.Device.of(m.storage())).isNotNull());
            assertThat(v.fibreChannelMappings()).isNotEmpty();
        }));
        parsers.put("vio_multi_vscsi_mapping.xml", vios.andThen(xml -> assertThat(entries(xml,
                HmcObjects.VirtualIOServer.class).get(0).content().mappings()).isNotEmpty()));
        parsers.put("lpar-create-bodies/vios.xml", xml -> assertThat(HmcXml.object(xml, HmcObjects.VirtualIOServer.class,
                "vios.xml", CTX).name()).isNotBlank());
        parsers.put("job_request_power_off.xml", xml -> assertThat(RequestBodies.outline(content(xml)))
                .as("the PowerOff JobRequest the provider writes has the captured shape")
                .isEqualTo(RequestBodies.outline(RequestBodies.jobRequest("PowerOff", "LogicalPartition", Map.of()))));
        parsers.put("cluster_LULinkedClone_job_template.xml", xml -> assertThat(RequestBodies.outline(content(xml)))
                .as("the LULinkedClone JobRequest the provider writes has the template's shape")
                .startsWith(RequestBodies.outline(RequestBodies.jobRequest("LULinkedClone", "Cluster", Map.of()))
                        .replace("JobParameters[Metadata[Atom]]]", "JobParameters[Metadata[Atom]")));
        parsers.put("job_response_completed_ok.xml", xml -> assertThat(entries(xml, HmcObjects.JobResponse.class))
                .singleElement().satisfies(e -> assertThat(e.content().status()).isEqualTo("COMPLETED_OK")));
        parsers.put("job_response_completed_failed.xml", xml -> {
            HmcObjects.JobResponse r = entries(xml, HmcObjects.JobResponse.class).get(0).content();
            assertThat(r.status()).isEqualTo("COMPLETED_WITH_ERROR");
            HypervisorException e = HmcErrors.fromJob(r.failure(), r.status(), r.id(), "PowerOff", CTX);
            assertThat(e).isInstanceOf(ConflictException.class);
            assertThat(e.serverCode()).contains("HSCL05DF");
        });
        Consumer<byte[]> cnas = xml -> {
            List<NicInfo> nics = PowerVmMapper.nics(entries(xml, HmcObjects.ClientNetworkAdapter.class).stream()
                    .map(HmcXml.Entry::content).toList(), new HmcTopology(null, java.net.URI.create("powervm://h")));
            assertThat(nics).isNotEmpty().allSatisfy(n -> {
                assertThat(n.macAddress()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
                assertThat(n.network()).startsWith("VLAN");
            });
        };
        parsers.put("cna_feed.xml", cnas);
        parsers.put("fake_cna.xml", cnas.andThen(xml -> assertThat(entries(xml, HmcObjects.ClientNetworkAdapter.class).get(0)
                .content().vswitch().links()).singleElement().satisfies(l -> assertThat(l.uuid()).isNotBlank())));
        Consumer<byte[]> networks = xml -> assertThat(entries(xml, HmcObjects.VirtualNetwork.class).stream()
                .map(e -> PowerVmMapper.network(e.content())).map(PowerVmMapper::network).toList())
                .isNotEmpty().allSatisfy(n -> assertThat(n.type()).startsWith("vlan "));
        parsers.put("fake_virtual_network_feed.xml", networks);
        parsers.put("nbbr_virtual_network.xml", networks);
        Consumer<byte[]> groups = xml -> assertThat(entries(xml, HmcObjects.VolumeGroup.class).stream()
                .map(e -> PowerVmMapper.datastore(e.id(), "vios1", e.content())).toList())
                .isNotEmpty().allSatisfy(d -> assertThat(d.capacityBytes()).isPositive());
        parsers.put("fake_volume_group.xml", groups);
        parsers.put("fake_volume_group2.xml", groups.andThen(xml -> assertThat(entries(xml, HmcObjects.VolumeGroup.class)
                .stream().flatMap(e -> e.content().disks().stream())).isNotEmpty()));
        parsers.put("get_volume_group.xml", groups.andThen(xml -> assertThat(entries(xml, HmcObjects.VolumeGroup.class)
                .stream().flatMap(e -> e.content().repositories().stream()).flatMap(r -> r.media().stream()))
                .isNotEmpty()));
        parsers.put("ssp.xml", xml -> {
            HmcXml.Entry<HmcObjects.SharedStoragePool> e = entries(xml, HmcObjects.SharedStoragePool.class).get(0);
            assertThat(PowerVmMapper.datastore(e.id(), e.content()).name()).isEqualTo("neossp1");
            assertThat(e.content().units()).singleElement().satisfies(u -> assertThat(u.udid()).isNotBlank());
        });
        parsers.put("cluster.xml", xml -> {
            HmcObjects.Cluster c = entries(xml, HmcObjects.Cluster.class).get(0).content();
            assertThat(c.pool().uuid()).isEqualTo("e357a79a-7a3d-35b6-8405-55ab6a2d0de7");
            assertThat(c.members()).hasSize(3).allSatisfy(n -> assertThat(n.vios().uuid()).isNotBlank());
        });
        parsers.put("lufeed.xml", xml -> assertThat(entries(xml, HmcObjects.LogicalUnit.class).stream()
                .map(e -> new DiskInfo(e.content().name(), PowerVmMapper.gib(e.content().capacityGb()), "ssp")).toList())
                .isNotEmpty().allSatisfy(d -> assertThat(d.sizeGiB()).isPositive()));
        Consumer<byte[]> files = xml -> assertThat(entries(xml, HmcObjects.File.class)).isNotEmpty()
                .allSatisfy(e -> assertThat(e.content().uuid()).isNotBlank());
        parsers.put("file_feed.xml", files);
        parsers.put("upload_file.xml", files);
        parsers.put("fake_httperror.xml", xml -> {
            HmcObjects.HttpErrorResponse r = entries(xml, HmcObjects.HttpErrorResponse.class).get(0).content();
            HypervisorException e = HmcErrors.fromResponse(r.status(), r, "Internal Server Error", null, "GET x", CTX);
            assertThat(e).isInstanceOf(BusyException.class);
            assertThat(e.retryable()).isTrue();
        });
    }

    private static <T> List<HmcXml.Entry<T>> entries(byte[] xml, Class<T> type) {
        return HmcXml.entries(xml, type, "etag-header", "capture", CTX);
    }

    private static byte[] content(byte[] entry) {
        return DocumentPatch.entries(entry, null, "capture", CTX).get(0).body();
    }

    private static List<Path> captures(Path dir) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> p.toString().endsWith(".xml")).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyCaptureParsesIntoSdkValuesOrIsIgnoredOnPurpose() {
        Path dir = Captures.require();
        List<Path> all = captures(dir);
        assertThat(all).hasSizeGreaterThan(40);
        return all.stream().map(p -> {
            String name = dir.relativize(p).toString().replace('\\', '/');
            return DynamicTest.dynamicTest(name, () -> {
                byte[] xml = Files.readAllBytes(p);
                if (IGNORED.containsKey(name)) {
                    // Still well-formed for the hardened reader: nothing the HMC sends makes it fail.
                    assertThat(DocumentPatch.entries(xml, null, name, CTX)).isNotNull();
                    return;
                }
                if (name.startsWith("lpar-create-bodies/") && !name.endsWith("vios.xml")) {
                    LparShape shape = LparShape.read(HmcXml.object(xml, HmcObjects.LogicalPartition.class, name, CTX));
                    assertThat(shape.desiredMemory()).as(name).isPositive();
                    assertThat(shape.desiredCpus()).as(name).isPositive();
                    return;
                }
                Consumer<byte[]> parser = parsers.get(name);
                assertThat(parser).as("capture " + name + " is neither parsed nor ignored on purpose: give it a place").isNotNull();
                parser.accept(xml);
            });
        });
    }

    @Test
    void everyNamedCaptureExists() {
        Path dir = Captures.require();
        for (String name : parsers.keySet()) {
            assertThat(dir.resolve(name)).as(name).exists();
        }
        for (String name : IGNORED.keySet()) {
            assertThat(dir.resolve(name)).as(name).exists();
        }
    }
}
