package io.dvmm.sdk.hyperv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.DiskSpec;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.hyperv.HyperVOptions;
import io.dvmm.sdk.spi.support.CloudInitSeed;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** {@code plan} checks Hyper-V's own rules locally; the folder, seed and chunks are computed without a request. */
class HyperVProvisioningPlanTest {

    private static HyperVProvisioning.Plan plan(VmProvisionSpec.Builder b) {
        // plan() reads no property and sends nothing: a provisioning without a connection is enough.
        return new HyperVProvisioning(null, java.time.Duration.ofSeconds(1)).plan(b.build());
    }

    private static VmProvisionSpec.Builder spec(String name) {
        return VmProvisionSpec.builder().name(name).template("ubuntu").nic(NicSpec.dhcp("LAN"));
    }

    @Test
    void foldersAreSafeAndDistinctPerExactName() {
        assertThat(HyperVProvisioning.folderName("web-01")).matches("web-01-[0-9a-f]{8}");
        assertThat(HyperVProvisioning.folderName("Web 01 \u00e9")).matches("web-01--[0-9a-f]{8}")
                .isNotEqualTo(HyperVProvisioning.folderName("web-01"));
        assertThat(HyperVProvisioning.folderName("WEB")).isNotEqualTo(HyperVProvisioning.folderName("web"));
        assertThat(HyperVProvisioning.folderName("..x")).matches("x-[0-9a-f]{8}");
        assertThat(HyperVProvisioning.folderName("a".repeat(80))).hasSize(48 + 9).matches("^[\\w-][\\w.-]*$");
    }

    @Test
    void hyperVRulesAreCheckedLocally() {
        assertThatThrownBy(() -> plan(spec("web."))).isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> plan(spec("CON"))).isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> plan(spec("w").cpuCount(65).providerOptions(HyperVOptions.builder().generation(1).build())))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("cpuCount"));
        assertThat(plan(spec("w").cpuCount(64).providerOptions(HyperVOptions.builder().generation(1).build())).cpu).isEqualTo(64);
        assertThat(plan(spec("w").cpuCount(240)).cpu).as("generation 2: the host decides").isEqualTo(240);
        assertThatThrownBy(() -> plan(spec("w").memoryMiB(513))).isInstanceOfSatisfying(InvalidSpecException.class,
                e -> assertThat(e.field()).isEqualTo("memoryMiB"));
        assertThatThrownBy(() -> plan(spec("w").placement(Placement.any().withResourcePool("p"))))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("placement.resourcePool"));
        assertThatThrownBy(() -> plan(spec("w").disk(DiskSpec.ofGiB(10)).disk(new DiskSpec(5, "E:\\"))))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("disks[1].datastore"));
        assertThatThrownBy(() -> plan(spec("w").metadata("hvsdk.marker", "x")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("metadata"));
        assertThatThrownBy(() -> plan(spec("w").guest(GuestCustomization.builder().username("ops").userData("#cloud-config\n").build())))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("guest.userData"));
        assertThatThrownBy(() -> plan(spec("w").memoryMiB(4096).providerOptions(HyperVOptions.builder().dynamicMemory(512, 2048).build())))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("providerOptions.hyperv.dynamicMemory"));
        assertThatThrownBy(() -> plan(spec("w").providerOptions(HyperVOptions.builder().vlan(3, 7).build())))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("providerOptions.hyperv.vlans[3]"));
        assertThatThrownBy(() -> HyperVOptions.builder().generation(3).build()).isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() -> HyperVOptions.builder().generation(1).secureBoot(false).build()).isInstanceOf(InvalidSpecException.class);
    }

    @Test
    void staticAddressesGetAMacAndANetworkConfig() {
        HyperVProvisioning.Plan p = plan(VmProvisionSpec.builder().name("web-01").template("ubuntu")
                .nic(NicSpec.staticIp("LAN", "192.0.2.44", 24, "192.0.2.1")).nic(NicSpec.dhcp("LAN"))
                .guest(GuestCustomization.builder().dnsServer("192.0.2.53").build()));
        assertThat(p.seed).isTrue();
        assertThat(p.hostname).isEqualTo("web-01");
        assertThat(p.nics).allSatisfy(n -> assertThat(n.mac()).matches("02[0-9A-F]{10}"));
        assertThat(p.nics.get(1).adapterName()).isEqualTo("Network Adapter 2");
        CloudInitSeed seed = HyperVProvisioning.seed(p, "6b3f1f9e-3c1a-4c55-9a55-0f6c1d2e3a4b");
        assertThat(seed.metaData()).contains("\"instance-id\":\"6b3f1f9e-3c1a-4c55-9a55-0f6c1d2e3a4b\"", "\"local-hostname\":\"web-01\"");
        assertThat(seed.networkConfig()).hasValueSatisfying(n -> assertThat(n).contains("\"addresses\":[\"192.0.2.44/24\"]",
                "\"macaddress\":\"" + HyperVMapper.mac(p.nics.get(0).mac()) + "\""));
        HyperVProvisioning.Plan dhcp = plan(spec("plain"));
        assertThat(dhcp.seed).isFalse();
        assertThat(dhcp.nics).singleElement().satisfies(n -> assertThat(n.mac()).isNull());
        assertThat(dhcp.cpu).isEqualTo(HyperVOptions.DEFAULT_CPUS);
        assertThat(dhcp.memBytes).isEqualTo(HyperVOptions.DEFAULT_MEMORY_MIB * HyperVMapper.MIB);
    }

    @Test
    void chunksEachGzipWithinTheCopyLimit() throws Exception {
        byte[] random = new byte[100_000];
        new java.util.Random(7).nextBytes(random);
        List<byte[]> chunks = HyperVProvisioning.chunks(random);
        assertThat(chunks).hasSizeGreaterThan(6);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] c : chunks) {
            byte[] z = HyperVProvisioning.gzip(c);
            assertThat(z.length).isLessThanOrEqualTo(16 * 1024);
            all.writeBytes(new GZIPInputStream(new java.io.ByteArrayInputStream(z)).readAllBytes());
        }
        assertThat(all.toByteArray()).isEqualTo(random);
        assertThat(HyperVProvisioning.chunks(new CloudInitSeed.Ethernet("02:00:00:00:00:01", List.of(), null).mac().getBytes()))
                .hasSize(1);
        assertThat(HyperVProvisioning.chunks(new byte[60_000])).hasSize(1);
    }
}
