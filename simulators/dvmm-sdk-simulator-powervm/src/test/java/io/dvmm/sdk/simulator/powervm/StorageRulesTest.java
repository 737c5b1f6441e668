package io.dvmm.sdk.simulator.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** What the HMC refuses in storage and network writes, and that a refused write changes nothing. */
class StorageRulesTest {

    private static PowerVmSimulator hmc;
    private static HmcClient client;
    private static String vios;
    private static String lpar;
    private static String lparHref;

    @BeforeAll
    static void start() {
        hmc = PowerVmSimulator.builder().builtInModel().jobDurations(Duration.ZERO, Duration.ofMillis(10))
                .rmcDelay(Duration.ofMinutes(10), Duration.ofMinutes(10)).start();
        client = new HmcClient(hmc).logon();
        vios = hmc.vioses().get(0).uuid();
        lpar = hmc.lpar(PowerVmSimulator.LV_TEMPLATE).orElseThrow().uuid();
        lparHref = hmc.url() + "/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid() + "/LogicalPartition/" + lpar;
    }

    @AfterAll
    static void stop() {
        hmc.close();
    }

    @BeforeEach
    void clean() {
        hmc.violations().clear();
    }

    private HmcClient.Answer postVg(java.util.function.Consumer<Element> change) {
        String path = "/rest/api/uom/VirtualIOServer/" + vios + "/VolumeGroup/" + HmcClient.text(HmcClient.entries(
                client.get("/rest/api/uom/VirtualIOServer/" + vios + "/VolumeGroup").xml()).get(0), "id");
        HmcClient.Answer read = client.get(path);
        Element vg = read.content();
        change.accept(vg);
        return client.post(path, HmcClient.UOM + "VolumeGroup", FeedsTest.serialize(vg), read.header("ETag"));
    }

    private static void addDisk(Element vg, String name, String gb) {
        Element d = Patch.add(HmcClient.child(vg, "VirtualDisks").orElseThrow(), "VirtualDisk", null);
        Patch.metadata(d);
        Patch.add(d, "DiskCapacity", gb);
        Patch.add(d, "DiskName", name);
    }

    private HmcClient.Answer map(String type, String nameElement, String name) {
        String path = "/rest/api/uom/VirtualIOServer/" + vios + "?group=ViosSCSIMapping";
        HmcClient.Answer read = client.get(path);
        Element content = read.content();
        Patch.mapping(HmcClient.child(content, "VirtualSCSIMappings").orElseThrow(), lparHref, type, nameElement, name, null);
        return client.post(path, HmcClient.UOM + "VirtualIOServer", FeedsTest.serialize(content), read.header("ETag"));
    }

    @Test
    void diskNamesAndFreeSpaceAreChecked() {
        HmcClient.Answer tooLong = postVg(vg -> addDisk(vg, "a_disk_name_that_is_too_long", "1"));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(HmcClient.text(tooLong.content(), "Message")).contains("15");
        HmcClient.Answer tooBig = postVg(vg -> addDisk(vg, "huge", "99999"));
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(HmcClient.text(tooBig.content(), "Message")).contains("GB free");
        assertThat(hmc.virtualDisks()).noneMatch(d -> d.name().equals("huge") || d.name().startsWith("a_disk"));
    }

    @Test
    void aMappedDiskCannotBeDeletedAndAMissingDeviceCannotBeMapped() {
        assertThat(postVg(vg -> {
            Element disks = HmcClient.child(vg, "VirtualDisks").orElseThrow();
            HmcClient.children(disks, "VirtualDisk").stream().filter(d -> PowerVmSimulator.LV_TEMPLATE_DISK.equals(
                    HmcClient.text(d, "DiskName"))).forEach(disks::removeChild);
        }).status()).isEqualTo(400);
        assertThat(hmc.virtualDisks()).anyMatch(d -> d.name().equals(PowerVmSimulator.LV_TEMPLATE_DISK));

        int before = hmc.mappings().size();
        HmcClient.Answer missing = map("VirtualDisk", "DiskName", "no_such_disk");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(HmcClient.text(missing.content(), "Message")).contains("no_such_disk");
        assertThat(hmc.mappings()).hasSize(before);
    }

    @Test
    void aDiskMappedToOnePartitionCannotBeMappedToAnother() {
        String other = hmc.lpar("sim-aix").orElseThrow().uuid();
        String path = "/rest/api/uom/VirtualIOServer/" + vios + "?group=ViosSCSIMapping";
        HmcClient.Answer read = client.get(path);
        Element content = read.content();
        Patch.mapping(HmcClient.child(content, "VirtualSCSIMappings").orElseThrow(), lparHref.replace(lpar, other),
                "VirtualDisk", "DiskName", PowerVmSimulator.LV_TEMPLATE_DISK, null);

        HmcClient.Answer a = client.post(path, HmcClient.UOM + "VirtualIOServer", FeedsTest.serialize(content),
                read.header("ETag"));

        assertThat(a.status()).isEqualTo(400);
        assertThat(HmcClient.text(a.content(), "Message")).contains("already mapped");
    }

    @Test
    void aMappedLogicalUnitCannotBeDeleted() {
        HmcClient.Answer read = client.get("/rest/api/uom/SharedStoragePool");
        Element entry = HmcClient.entries(read.xml()).get(0);
        Element pool = HmcClient.content(entry);
        Element lus = HmcClient.child(pool, "LogicalUnits").orElseThrow();
        HmcClient.children(lus, "LogicalUnit").stream().filter(u -> PowerVmSimulator.SSP_TEMPLATE_DISK.equals(
                HmcClient.text(u, "UnitName"))).forEach(lus::removeChild);

        HmcClient.Answer a = client.post("/rest/api/uom/SharedStoragePool/" + HmcClient.text(entry, "id"),
                HmcClient.UOM + "SharedStoragePool", FeedsTest.serialize(pool), HmcClient.etagElement(entry));

        assertThat(a.status()).isEqualTo(400);
        assertThat(hmc.logicalUnits()).anyMatch(u -> u.name().equals(PowerVmSimulator.SSP_TEMPLATE_DISK) && u.inUse());
    }

    @Test
    void aLinkedCloneOfAMissingUnitFails() {
        String cluster = HmcClient.text(HmcClient.entries(client.get("/rest/api/uom/Cluster").xml()).get(0), "id");

        Element job = client.runJob("/rest/api/uom/Cluster/" + cluster + "/do/LULinkedClone", "LULinkedClone", "Cluster",
                Map.of("SourceUDID", "nope", "DestinationUDID", "nada"));

        assertThat(HmcClient.text(job, "Status")).isEqualTo("COMPLETED_WITH_ERROR");
    }

    @Test
    void adaptersOfARunningPartitionWithoutRmcCannotChange() {
        String running = hmc.lpar("sim-db").orElseThrow().uuid();
        client.runJob("/rest/api/uom/LogicalPartition/" + running + "/do/PowerOff", "PowerOff", "LogicalPartition",
                Map.of("operation", "shutdown", "immediate", "true"));
        client.runJob("/rest/api/uom/LogicalPartition/" + running + "/do/PowerOn", "PowerOn", "LogicalPartition", Map.of());
        String body = "<ClientNetworkAdapter:ClientNetworkAdapter xmlns:ClientNetworkAdapter=\"" + HmcClient.UOM_NS
                + "\" xmlns=\"" + HmcClient.UOM_NS + "\" schemaVersion=\"V1_0\"><Metadata><Atom/></Metadata>"
                + "<UseNextAvailableSlotID>true</UseNextAvailableSlotID><PortVLANID>5</PortVLANID>"
                + "</ClientNetworkAdapter:ClientNetworkAdapter>";

        HmcClient.Answer a = client.put("/rest/api/uom/LogicalPartition/" + running + "/ClientNetworkAdapter",
                HmcClient.UOM + "ClientNetworkAdapter", body);

        assertThat(a.status()).isEqualTo(400);
        assertThat(HmcClient.text(a.content(), "Message")).contains("RMC");
        HmcClient.Answer stopped = client.put("/rest/api/uom/LogicalPartition/" + lpar + "/ClientNetworkAdapter",
                HmcClient.UOM + "ClientNetworkAdapter", body.replace("<PortVLANID>5</PortVLANID>",
                        "<PortVLANID>5000</PortVLANID>"));
        assertThat(stopped.status()).isEqualTo(400);
        assertThat(hmc.violations().list()).isEmpty();
    }
}
