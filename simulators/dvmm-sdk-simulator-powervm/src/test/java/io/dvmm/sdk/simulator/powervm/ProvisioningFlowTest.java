package io.dvmm.sdk.simulator.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

/**
 * The provisioning sequence of the reference (create, disk, mapping, network, power on, RMC IP,
 * then teardown) at the wire level, as a provider would send it, on the captures and on the
 * built-in model.
 */
class ProvisioningFlowTest {

    private PowerVmSimulator hmc;
    private HmcClient client;
    private String ms;

    void start(boolean captures) {
        PowerVmSimulator.Builder b = PowerVmSimulator.builder().jobDurations(Duration.ofMillis(10), Duration.ofMillis(40))
                .rmcDelay(Duration.ofMillis(100), Duration.ofMillis(150)).systemCapacity(65536, 8);
        if (captures) {
            b.captures(Captures.require());
        } else {
            b.builtInModel();
        }
        hmc = b.start();
        assertThat(hmc.seededFromCaptures()).isEqualTo(captures);
        client = new HmcClient(hmc).logon();
        ms = hmc.managedSystemUuid();
    }

    @AfterEach
    void stop() {
        if (hmc != null) {
            hmc.close();
        }
    }

    static String createBody(String name) {
        String u = "uom:";
        return "<uom:LogicalPartition xmlns:uom=\"" + HmcClient.UOM_NS + "\" schemaVersion=\"V1_0\"><uom:Metadata><uom:Atom/>"
                + "</uom:Metadata><uom:AvailabilityPriority>127</uom:AvailabilityPriority>"
                + "<uom:PartitionIOConfiguration schemaVersion=\"V1_0\"><uom:Metadata><uom:Atom/></uom:Metadata>"
                + "<uom:MaximumVirtualIOSlots>64</uom:MaximumVirtualIOSlots></uom:PartitionIOConfiguration>"
                + "<uom:PartitionMemoryConfiguration schemaVersion=\"V1_0\"><uom:Metadata><uom:Atom/></uom:Metadata>"
                + "<uom:DesiredMemory>2048</uom:DesiredMemory><uom:MaximumMemory>4096</uom:MaximumMemory>"
                + "<uom:MinimumMemory>1024</uom:MinimumMemory></uom:PartitionMemoryConfiguration>"
                + "<" + u + "PartitionName>" + name + "</uom:PartitionName>"
                + "<uom:PartitionProcessorConfiguration schemaVersion=\"V1_0\"><uom:Metadata><uom:Atom/></uom:Metadata>"
                + "<uom:HasDedicatedProcessors>false</uom:HasDedicatedProcessors>"
                + "<uom:SharedProcessorConfiguration schemaVersion=\"V1_0\"><uom:Metadata><uom:Atom/></uom:Metadata>"
                + "<uom:DesiredProcessingUnits>1.0</uom:DesiredProcessingUnits>"
                + "<uom:DesiredVirtualProcessors>2</uom:DesiredVirtualProcessors>"
                + "<uom:MaximumProcessingUnits>2.0</uom:MaximumProcessingUnits>"
                + "<uom:MaximumVirtualProcessors>2</uom:MaximumVirtualProcessors>"
                + "<uom:MinimumProcessingUnits>0.1</uom:MinimumProcessingUnits>"
                + "<uom:MinimumVirtualProcessors>1</uom:MinimumVirtualProcessors>"
                + "<uom:SharedProcessorPoolID>0</uom:SharedProcessorPoolID><uom:UncappedWeight>128</uom:UncappedWeight>"
                + "</uom:SharedProcessorConfiguration><uom:SharingMode>uncapped</uom:SharingMode>"
                + "</uom:PartitionProcessorConfiguration><uom:PartitionType>AIX/Linux</uom:PartitionType>"
                + "<uom:PendingProcessorCompatibilityMode>default</uom:PendingProcessorCompatibilityMode>"
                + "</uom:LogicalPartition>";
    }

    @ParameterizedTest(name = "captures={0}")
    @ValueSource(booleans = {true, false})
    void createLinkedCloneMapNetworkPowerOnAndTearDown(boolean captures) {
        start(captures);
        hmc.resetCounters();
        // 1. The VIOSes with RMC active.
        String viosQuick = client.get("/rest/api/uom/ManagedSystem/" + ms + "/VirtualIOServer/quick/All", "*/*").body();
        assertThat(viosQuick).contains("\"RMCState\": \"active\"");
        // 2. Create the LPAR.
        HmcClient.Answer created = client.put("/rest/api/uom/ManagedSystem/" + ms + "/LogicalPartition",
                HmcClient.UOM + "LogicalPartition", createBody("vm-flow"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String lpar = HmcClient.text(created.xml(), "id");
        String lparHref = HmcClient.selfLink(created.xml());

        // 3. A new LU in the pool, then the linked clone of the template's LU.
        HmcClient.Answer sspFeed = client.get("/rest/api/uom/SharedStoragePool");
        Element sspEntry = HmcClient.entries(sspFeed.xml()).get(0);
        String ssp = HmcClient.text(sspEntry, "id");
        Element pool = HmcClient.content(sspEntry);
        Element units = HmcClient.child(pool, "LogicalUnits").orElseThrow();
        Element lu = Patch.add(units, "LogicalUnit", null);
        lu.setAttribute("schemaVersion", "V1_0");
        Patch.metadata(lu);
        Patch.add(lu, "ThinDevice", "true");
        Patch.add(lu, "UnitCapacity", "20");
        Patch.add(lu, "LogicalUnitType", "VirtualIO_Disk");
        Patch.add(lu, "UnitName", "boot_vm-flow");
        HmcClient.Answer sspUpdated = client.post("/rest/api/uom/SharedStoragePool/" + ssp,
                HmcClient.UOM + "SharedStoragePool", FeedsTest.serialize(pool), HmcClient.etagElement(sspEntry));
        assertThat(sspUpdated.status()).as(sspUpdated.body()).isEqualTo(200);
        String newUdid = HmcClient.children(HmcClient.child(sspUpdated.content(), "LogicalUnits").orElseThrow(), "LogicalUnit")
                .stream().filter(u -> "boot_vm-flow".equals(HmcClient.text(u, "UnitName"))).findFirst()
                .map(u -> HmcClient.text(u, "UniqueDeviceID")).orElseThrow();
        String sourceUdid = hmc.logicalUnits().stream().filter(u -> u.name().equals(PowerVmSimulator.SSP_TEMPLATE_DISK))
                .findFirst().orElseThrow().udid();
        String cluster = HmcClient.text(HmcClient.entries(client.get("/rest/api/uom/Cluster").xml()).get(0), "id");
        assertThat(client.get("/rest/api/uom/Cluster/do/LULinkedClone").status()).isEqualTo(200);
        Element clone = client.runJob("/rest/api/uom/Cluster/" + cluster + "/do/LULinkedClone", "LULinkedClone", "Cluster",
                Map.of("SourceUDID", sourceUdid, "DestinationUDID", newUdid));
        assertThat(HmcClient.text(clone, "Status")).isEqualTo("COMPLETED_OK");
        assertThat(hmc.logicalUnits()).filteredOn(u -> u.udid().equals(newUdid)).singleElement()
                .satisfies(u -> assertThat(u.clonedFrom()).isEqualTo(sourceUdid));

        // 4. Map the LU through every VIOS, patching the VIOS document the HMC served.
        List<HmcState.Lpar> vioses = hmc.vioses();
        for (HmcState.Lpar vios : vioses) {
            String path = "/rest/api/uom/ManagedSystem/" + ms + "/VirtualIOServer/" + vios.uuid() + "?group=ViosSCSIMapping";
            HmcClient.Answer read = client.get(path);
            Element content = read.content();
            Element mappings = HmcClient.child(content, "VirtualSCSIMappings").orElseThrow();
            Patch.mapping(mappings, lparHref, "LogicalUnit", "UnitName", "boot_vm-flow", newUdid);
            HmcClient.Answer posted = client.post(path, HmcClient.UOM + "VirtualIOServer", FeedsTest.serialize(content),
                    read.header("ETag"));
            assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        }
        List<HmcState.Mapping> mapped = hmc.mappingsOf(lpar);
        assertThat(mapped).hasSize(vioses.size()).allSatisfy(m -> {
            assertThat(m.storageType()).isEqualTo("LogicalUnit");
            assertThat(m.storageUdid()).isEqualTo(newUdid);
            assertThat(m.serverSlot()).isPositive();
            assertThat(m.serverAdapter()).startsWith("vhost");
            assertThat(m.targetDevice()).startsWith("vtscsi");
        });
        assertThat(mapped.stream().map(HmcState.Mapping::clientSlot).distinct()).hasSize(vioses.size());
        assertThat(hmc.logicalUnits()).filteredOn(u -> u.udid().equals(newUdid)).singleElement()
                .satisfies(u -> assertThat(u.inUse()).isTrue());

        // 5. A client network adapter on VLAN 1 of the default switch.
        Element vswitch = HmcClient.entries(client.get("/rest/api/uom/ManagedSystem/" + ms + "/VirtualSwitch").xml()).get(0);
        String cnaBody = "<ClientNetworkAdapter:ClientNetworkAdapter xmlns:ClientNetworkAdapter=\"" + HmcClient.UOM_NS
                + "\" xmlns=\"" + HmcClient.UOM_NS + "\" schemaVersion=\"V1_0\"><Metadata><Atom/></Metadata>"
                + "<UseNextAvailableSlotID>true</UseNextAvailableSlotID><PortVLANID>1</PortVLANID>"
                + "<AssociatedVirtualSwitch><link href=\"" + HmcClient.selfLink(vswitch) + "\" rel=\"related\"/>"
                + "</AssociatedVirtualSwitch></ClientNetworkAdapter:ClientNetworkAdapter>";
        HmcClient.Answer cna = client.put("/rest/api/uom/LogicalPartition/" + lpar + "/ClientNetworkAdapter",
                HmcClient.UOM + "ClientNetworkAdapter", cnaBody);
        assertThat(cna.status()).as(cna.body()).isEqualTo(200);
        assertThat(HmcClient.text(cna.content(), "MACAddress")).matches("[0-9A-F]{12}");
        assertThat(HmcClient.text(cna.content(), "PortVLANID")).isEqualTo("1");
        assertThat(HmcClient.child(cna.content(), "UseNextAvailableSlotID")).isEmpty();
        assertThat(hmc.networkAdapters()).filteredOn(a -> a.partitionUuid().equals(lpar)).singleElement()
                .satisfies(a -> assertThat(a.vlan()).isEqualTo(1));

        // 6. Power on with the profile, wait for RMC and the IP in quick/All.
        String profile = HmcClient.text(HmcClient.entries(client.get("/rest/api/uom/LogicalPartition/" + lpar
                + "/LogicalPartitionProfile").xml()).get(0), "id");
        Element on = client.runJob("/rest/api/uom/LogicalPartition/" + lpar + "/do/PowerOn", "PowerOn", "LogicalPartition",
                Map.of("LogicalPartitionProfile", profile, "bootmode", "norm"));
        assertThat(HmcClient.text(on, "Status")).isEqualTo("COMPLETED_OK");
        JobsTest.await("RMC IP", () -> client.get("/rest/api/uom/ManagedSystem/" + ms + "/LogicalPartition/quick/All", "*/*")
                .body().matches("(?s).*\"PartitionName\": \"vm-flow\"[^}]*\"RMCState\": \"active\", "
                        + "\"ResourceMonitoringIPAddress\": \"192\\.0\\.2\\.\\d+\".*"));
        assertThat(hmc.requestCount(HmcOperations.LPAR_CREATE)).isEqualTo(1);
        assertThat(hmc.requestCount(HmcOperations.SSP_UPDATE)).isEqualTo(1);
        assertThat(hmc.requestCount(HmcOperations.LINKED_CLONE)).isEqualTo(1);
        assertThat(hmc.requestCount("POST /rest/api/uom/ManagedSystem/{ms}/VirtualIOServer/{vios}")).isEqualTo(vioses.size());
        assertThat(hmc.requestCount(HmcOperations.CNA_CREATE)).isEqualTo(1);
        assertThat(hmc.requestCount(HmcOperations.POWER_ON)).isEqualTo(1);
        assertThat(hmc.jobPolls()).isPositive();

        // 7. Tear down: power off, unmap (posting the VIOS without the mapping), delete the LU, delete the LPAR.
        Element off = client.runJob("/rest/api/uom/LogicalPartition/" + lpar + "/do/PowerOff", "PowerOff",
                "LogicalPartition", Map.of("operation", "shutdown", "immediate", "true"));
        assertThat(HmcClient.text(off, "Status")).isEqualTo("COMPLETED_OK");
        for (HmcState.Lpar vios : vioses) {
            String path = "/rest/api/uom/VirtualIOServer/" + vios.uuid() + "?group=ViosSCSIMapping";
            HmcClient.Answer read = client.get(path);
            Element content = read.content();
            Element mappings = HmcClient.child(content, "VirtualSCSIMappings").orElseThrow();
            for (Element m : HmcClient.children(mappings, "VirtualSCSIMapping")) {
                if (HmcClient.child(m, "AssociatedLogicalPartition").orElseThrow().getAttribute("href").endsWith(lpar)) {
                    mappings.removeChild(m);
                }
            }
            assertThat(client.post(path, HmcClient.UOM + "VirtualIOServer", FeedsTest.serialize(content),
                    read.header("ETag")).status()).isEqualTo(200);
        }
        assertThat(hmc.mappingsOf(lpar)).isEmpty();
        HmcClient.Answer poolNow = client.get("/rest/api/uom/SharedStoragePool/" + ssp);
        Element poolContent = poolNow.content();
        Element lus = HmcClient.child(poolContent, "LogicalUnits").orElseThrow();
        HmcClient.children(lus, "LogicalUnit").stream().filter(u -> newUdid.equals(HmcClient.text(u, "UniqueDeviceID")))
                .forEach(lus::removeChild);
        assertThat(client.post("/rest/api/uom/SharedStoragePool/" + ssp, HmcClient.UOM + "SharedStoragePool",
                FeedsTest.serialize(poolContent), poolNow.header("ETag")).status()).isEqualTo(200);
        assertThat(client.delete("/rest/api/uom/LogicalPartition/" + lpar).status()).isEqualTo(204);
        assertThat(hmc.lpar(lpar)).isEmpty();
        assertThat(hmc.logicalUnits()).noneMatch(u -> u.udid().equals(newUdid));
        assertThat(hmc.networkAdapters()).noneMatch(a -> a.partitionUuid().equals(lpar));
        assertThat(hmc.lpar(PowerVmSimulator.SSP_TEMPLATE).orElseThrow().state()).isEqualTo("not activated");
        hmc.assertNoViolations();
    }

    @ParameterizedTest(name = "captures={0}")
    @ValueSource(booleans = {true, false})
    void aVolumeGroupDiskAndAnUploadedIsoAreMappedAndPostingWithoutAMappingDeletesIt(boolean captures) {
        start(captures);
        String lpar = HmcClient.text(client.put("/rest/api/uom/ManagedSystem/" + ms + "/LogicalPartition",
                HmcClient.UOM + "LogicalPartition", createBody("vm-lv")).xml(), "id");
        HmcState.Lpar vios = hmc.vioses().get(0);
        String vgRepo = hmc.media().stream().filter(m -> m.viosUuid().equals(vios.uuid())).findFirst().map(m -> "x")
                .orElse(null);
        assertThat(vgRepo).as("VIOS 1 has a media repository").isNotNull();

        // A logical volume through the volume group.
        Element vgEntry = HmcClient.entries(client.get("/rest/api/uom/VirtualIOServer/" + vios.uuid() + "/VolumeGroup").xml())
                .stream().max((a, b) -> Double.compare(Double.parseDouble(HmcClient.text(HmcClient.content(a), "FreeSpace")),
                        Double.parseDouble(HmcClient.text(HmcClient.content(b), "FreeSpace")))).orElseThrow();
        String vgPath = "/rest/api/uom/VirtualIOServer/" + vios.uuid() + "/VolumeGroup/" + HmcClient.text(vgEntry, "id");
        HmcClient.Answer vgRead = client.get(vgPath);
        Element vg = vgRead.content();
        Element disks = HmcClient.child(vg, "VirtualDisks").orElseThrow();
        Element disk = Patch.add(disks, "VirtualDisk", null);
        disk.setAttribute("schemaVersion", "V1_0");
        Patch.metadata(disk);
        Patch.add(disk, "DiskCapacity", "10");
        Patch.add(disk, "DiskLabel", "None");
        Patch.add(disk, "DiskName", "vm_lv_boot");
        HmcClient.Answer vgPosted = client.post(vgPath, HmcClient.UOM + "VolumeGroup", FeedsTest.serialize(vg),
                vgRead.header("ETag"));
        assertThat(vgPosted.status()).as(vgPosted.body()).isEqualTo(200);
        assertThat(hmc.virtualDisks()).filteredOn(d -> d.name().equals("vm_lv_boot")).singleElement()
                .satisfies(d -> assertThat(d.capacityGb()).isEqualTo(10.0));

        // An ISO through the File API, into the VIOS media repository.
        byte[] iso = "CD001 cidata".repeat(100).getBytes(StandardCharsets.US_ASCII);
        String fileBody = "<File:File xmlns:File=\"" + HmcClient.WEB_NS + "\" xmlns=\"" + HmcClient.WEB_NS
                + "\" schemaVersion=\"V1_0\"><Metadata><Atom/></Metadata><Filename>vm-lv-cidata.iso</Filename>"
                + "<InternetMediaType>application/octet-stream</InternetMediaType>"
                + "<ExpectedFileSizeInBytes>" + iso.length + "</ExpectedFileSizeInBytes>"
                + "<FileEnumType>BROKERED_MEDIA_ISO</FileEnumType><TargetVirtualIOServerUUID>" + vios.uuid()
                + "</TargetVirtualIOServerUUID></File:File>";
        HmcClient.Answer file = client.put("/rest/api/web/File", HmcClient.WEB + "File", fileBody);
        assertThat(file.status()).as(file.body()).isEqualTo(200);
        String fileUuid = HmcClient.text(file.content(), "FileUUID");
        assertThat(HmcClient.child(file.content(), "AssetLink").orElseThrow().getAttribute("href"))
                .isEqualTo(hmc.url() + "/rest/api/web/File/contents/" + fileUuid);
        assertThat(client.sendBytes("PUT", "/rest/api/web/File/contents/" + fileUuid, iso, "application/octet-stream",
                Map.of()).status()).isEqualTo(204);
        assertThat(hmc.media()).anySatisfy(m -> {
            assertThat(m.name()).isEqualTo("vm-lv-cidata.iso");
            assertThat(m.viosUuid()).isEqualTo(vios.uuid());
        });
        assertThat(hmc.uploads()).singleElement().satisfies(u -> assertThat(u.bytes()).isEqualTo(iso.length));
        assertThat(client.delete("/rest/api/web/File/" + fileUuid).status()).isEqualTo(204);

        // Map both, then post the VIOS without the disk mapping: the HMC deletes it.
        String viosPath = "/rest/api/uom/VirtualIOServer/" + vios.uuid() + "?group=ViosSCSIMapping";
        HmcClient.Answer read = client.get(viosPath);
        Element content = read.content();
        Element mappings = HmcClient.child(content, "VirtualSCSIMappings").orElseThrow();
        String lparHref = hmc.url() + "/rest/api/uom/ManagedSystem/" + ms + "/LogicalPartition/" + lpar;
        Patch.mapping(mappings, lparHref, "VirtualDisk", "DiskName", "vm_lv_boot", null);
        Patch.mapping(mappings, lparHref, "VirtualOpticalMedia", "MediaName", "vm-lv-cidata.iso", null);
        HmcClient.Answer posted = client.post(viosPath, HmcClient.UOM + "VirtualIOServer", FeedsTest.serialize(content),
                read.header("ETag"));
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        assertThat(hmc.mappingsOf(lpar)).extracting(HmcState.Mapping::storageType)
                .containsExactlyInAnyOrder("VirtualDisk", "VirtualOpticalMedia");
        assertThat(hmc.mappingsOf(lpar)).extracting(HmcState.Mapping::targetDevice).anySatisfy(t ->
                assertThat(t).startsWith("vtopt"));

        HmcClient.Answer again = client.get(viosPath);
        Element naive = again.content();
        Element list = HmcClient.child(naive, "VirtualSCSIMappings").orElseThrow();
        for (Element m : HmcClient.children(list, "VirtualSCSIMapping")) {
            Element storage = HmcClient.child(m, "Storage/VirtualDisk").orElse(null);
            if (storage != null && "vm_lv_boot".equals(HmcClient.text(storage, "DiskName"))) {
                list.removeChild(m);
            }
        }
        assertThat(client.post(viosPath, HmcClient.UOM + "VirtualIOServer", FeedsTest.serialize(naive),
                again.header("ETag")).status()).isEqualTo(200);
        assertThat(hmc.mappingsOf(lpar)).extracting(HmcState.Mapping::storageType).containsExactly("VirtualOpticalMedia");
        // The stale ETag of the first read no longer works.
        assertThat(client.post(viosPath, HmcClient.UOM + "VirtualIOServer", FeedsTest.serialize(content),
                read.header("ETag")).status()).isEqualTo(412);
        hmc.assertNoViolations();
    }
}
