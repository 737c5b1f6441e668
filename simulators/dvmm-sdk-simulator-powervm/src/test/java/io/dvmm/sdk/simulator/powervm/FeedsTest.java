package io.dvmm.sdk.simulator.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** Feeds and entries look like the captures: a reader written against the captures reads the simulator's answers. */
class FeedsTest {

    private static Path captures;
    private static PowerVmSimulator hmc;
    private static HmcClient client;
    private static String ms;

    @BeforeAll
    static void start() {
        captures = Captures.require();
        hmc = PowerVmSimulator.builder().captures(captures).start();
        client = new HmcClient(hmc).logon();
        ms = hmc.managedSystemUuid();
    }

    @AfterAll
    static void stop() {
        if (hmc != null) {
            hmc.close();
        }
    }

    @BeforeEach
    void clean() {
        hmc.violations().clear();
    }

    /** What a provider reads of an LPAR, written against lpar.xml. */
    record LparRow(String uuid, String name, String state, String rmc, String ip, String memory, String schemaVersion) {
    }

    static Map<String, LparRow> readLpars(Element feed) {
        Map<String, LparRow> out = new LinkedHashMap<>();
        for (Element entry : HmcClient.entries(feed)) {
            Element lpar = HmcClient.content(entry);
            String uuid = HmcClient.text(entry, "id");
            assertThat(HmcClient.text(lpar, "Metadata/Atom/AtomID")).isEqualTo(uuid);
            out.put(uuid, new LparRow(uuid, HmcClient.text(lpar, "PartitionName"), HmcClient.text(lpar, "PartitionState"),
                    HmcClient.text(lpar, "ResourceMonitoringControlState"),
                    HmcClient.text(lpar, "ResourceMonitoringIPAddress"),
                    HmcClient.text(lpar, "PartitionMemoryConfiguration/DesiredMemory"), lpar.getAttribute("schemaVersion")));
        }
        return out;
    }

    @Test
    void theLparFeedServesTheCapturedPartitionsOfTheSystem() throws Exception {
        Element captured = HmcClient.parse(Files.readString(captures.resolve("lpar.xml")));
        Map<String, LparRow> expected = new LinkedHashMap<>();
        readLpars(captured).forEach((uuid, row) -> {
            Element entry = HmcClient.entries(captured).stream().filter(e -> HmcClient.text(e, "id").equals(uuid))
                    .findFirst().orElseThrow();
            String system = HmcClient.child(HmcClient.content(entry), "AssociatedManagedSystem").orElseThrow()
                    .getAttribute("href");
            if (system.endsWith(ms)) {
                expected.put(uuid, row);
            }
        });

        HmcClient.Answer a = client.get("/rest/api/uom/ManagedSystem/" + ms + "/LogicalPartition");

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).isEqualTo("application/atom+xml");
        Map<String, LparRow> served = readLpars(a.xml());
        assertThat(expected).hasSizeGreaterThan(10);
        expected.forEach((uuid, row) -> assertThat(served.get(uuid)).isEqualTo(row));
        assertThat(served.values().stream().map(LparRow::name)).contains(PowerVmSimulator.SSP_TEMPLATE,
                PowerVmSimulator.LV_TEMPLATE);
    }

    @Test
    void entriesCarrySelfLinksEtagsAndTypedContentLikeTheCaptures() {
        String feedPath = "/rest/api/uom/ManagedSystem/" + ms + "/LogicalPartition";
        Element feed = client.get(feedPath).xml();

        assertThat(HmcClient.name(feed)).isEqualTo("feed");
        assertThat(HmcClient.text(feed, "generator")).isEqualTo("IBM Power Systems Management Console");
        assertThat(HmcClient.selfLink(feed)).isEqualTo(hmc.url() + feedPath);
        for (Element entry : HmcClient.entries(feed)) {
            String uuid = HmcClient.text(entry, "id");
            assertThat(HmcClient.text(entry, "title")).isEqualTo("LogicalPartition");
            assertThat(HmcClient.selfLink(entry)).isEqualTo(hmc.url() + feedPath + "/" + uuid);
            assertThat(HmcClient.etagElement(entry)).matches("-?\\d+");
            Element content = HmcClient.child(entry, "content").orElseThrow();
            assertThat(content.getAttribute("type")).isEqualTo(HmcClient.UOM + "LogicalPartition");
            Element lpar = HmcClient.content(entry);
            assertThat(lpar.getNamespaceURI()).isEqualTo(HmcClient.UOM_NS);
            assertThat(lpar.getPrefix()).isEqualTo("LogicalPartition");
            assertThat(HmcClient.child(lpar, "AssociatedManagedSystem").orElseThrow().getAttribute("href"))
                    .isEqualTo(hmc.url() + "/rest/api/uom/ManagedSystem/" + ms);
        }
        Element first = HmcClient.entries(feed).get(0);
        HmcClient.Answer single = client.get("/rest/api/uom/LogicalPartition/" + HmcClient.text(first, "id"));
        assertThat(single.header("ETag")).isEqualTo(HmcClient.etagElement(first));
        assertThat(HmcClient.etagElement(single.xml())).isNull();
    }

    @Test
    void theManagedSystemIsTheCapturedOneWithItsMemoryAndProcessors() {
        Element entry = HmcClient.entries(client.get("/rest/api/uom/ManagedSystem").xml()).get(0);
        Element system = HmcClient.content(entry);

        assertThat(HmcClient.text(system, "SystemName")).isEqualTo(hmc.managedSystemName())
                .isEqualTo("Server-8246-L1C-SN0604C6A");
        assertThat(HmcClient.text(system, "AssociatedSystemMemoryConfiguration/MemoryRegionSize")).isEqualTo("256");
        assertThat(HmcClient.text(system, "AssociatedSystemMemoryConfiguration/CurrentAvailableSystemMemory"))
                .matches("\\d+");
        List<String> vioses = new ArrayList<>();
        HmcClient.children(HmcClient.child(system, "AssociatedVirtualIOServers").orElseThrow(), "link")
                .forEach(l -> vioses.add(l.getAttribute("href")));
        assertThat(vioses).hasSize(2).allSatisfy(h -> assertThat(h).startsWith(hmc.url() + "/rest/api/uom/ManagedSystem/"
                + ms + "/VirtualIOServer/"));
        Element search = client.get("/rest/api/uom/ManagedSystem/search/(SystemName=='" + hmc.managedSystemName() + "')")
                .xml();
        assertThat(HmcClient.entries(search)).hasSize(1);
    }

    @Test
    void threeManagedSystemsWhenAsked() {
        try (PowerVmSimulator three = PowerVmSimulator.builder().captures(captures).managedSystems(3).start()) {
            HmcClient c = new HmcClient(three).logon();
            List<String> names = HmcClient.entries(c.get("/rest/api/uom/ManagedSystem").xml()).stream()
                    .map(e -> HmcClient.text(HmcClient.content(e), "SystemName")).toList();
            assertThat(names).containsExactlyInAnyOrder("HV4", "Server-8246-L1C-SN0604C6A", "Server-8246-L1C-SN0604CAA");
            assertThat(HmcClient.entries(c.get("/rest/api/uom/LogicalPartition").xml())).hasSize(21 + 2);
        }
    }

    @Test
    void groupNoneLeavesOutTheExtendedGroupsAndKeepsTheQueryInSelfLinks() {
        String path = "/rest/api/uom/ManagedSystem/" + ms + "/VirtualIOServer";
        Element all = client.get(path).xml();
        Element none = client.get(path + "?group=None").xml();
        Element scsi = client.get(path + "?group=ViosSCSIMapping").xml();

        Element vios = HmcClient.content(HmcClient.entries(all).get(0));
        assertThat(HmcClient.child(vios, "VirtualSCSIMappings")).isPresent();
        assertThat(HmcClient.child(vios, "PhysicalVolumes")).isPresent();
        Element viosNone = HmcClient.content(HmcClient.entries(none).get(0));
        assertThat(HmcClient.child(viosNone, "VirtualSCSIMappings")).isEmpty();
        assertThat(HmcClient.child(viosNone, "PartitionName")).isPresent();
        assertThat(HmcClient.selfLink(none)).endsWith(path + "?group=None");
        assertThat(HmcClient.selfLink(HmcClient.entries(none).get(0))).endsWith("?group=None");
        Element viosScsi = HmcClient.content(HmcClient.entries(scsi).get(0));
        assertThat(HmcClient.child(viosScsi, "VirtualSCSIMappings")).isPresent();
        assertThat(HmcClient.child(viosScsi, "PhysicalVolumes")).isEmpty();
    }

    @Test
    void anEmptyFeedIs204WithoutBody() {
        String template = hmc.lpar(PowerVmSimulator.SSP_TEMPLATE).orElseThrow().uuid();

        HmcClient.Answer a = client.get("/rest/api/uom/LogicalPartition/" + template + "/ClientNetworkAdapter");

        assertThat(a.status()).isEqualTo(204);
        assertThat(a.body()).isEmpty();
    }

    @Test
    void quickAllIsJsonAndRefusesATypedAccept() {
        String path = "/rest/api/uom/ManagedSystem/" + ms + "/LogicalPartition/quick/All";
        HmcClient.Answer json = client.get(path, "*/*");

        assertThat(json.status()).isEqualTo(200);
        assertThat(json.header("Content-Type")).startsWith("application/json");
        assertThat(json.body()).startsWith("[{").contains("\"PartitionName\": \"" + PowerVmSimulator.SSP_TEMPLATE + "\"")
                .contains("\"RMCState\": ").contains("\"UUID\": ").contains("\"PartitionState\": \"not activated\"");
        assertThat(hmc.violations().list()).isEmpty();

        HmcClient.Answer typed = client.get(path, HmcClient.UOM + "LogicalPartition");
        assertThat(typed.status()).isEqualTo(406);
        assertThat(hmc.violations().list()).singleElement().asString().contains("quick");
    }

    @Test
    void storageNetworkAndPoolFeedsServeTheCapturedObjects() {
        Element ssp = HmcClient.content(HmcClient.entries(client.get("/rest/api/uom/SharedStoragePool").xml()).get(0));
        assertThat(HmcClient.text(ssp, "StoragePoolName")).isEqualTo("neossp1");
        assertThat(HmcClient.children(HmcClient.child(ssp, "LogicalUnits").orElseThrow(), "LogicalUnit")).hasSizeGreaterThan(20);

        Element switches = client.get("/rest/api/uom/ManagedSystem/" + ms + "/VirtualSwitch").xml();
        assertThat(HmcClient.text(HmcClient.content(HmcClient.entries(switches).get(0)), "SwitchName"))
                .isEqualTo("ETHERNET0(Default)");
        Element vlans = client.get("/rest/api/uom/ManagedSystem/" + ms + "/VirtualNetwork").xml();
        assertThat(HmcClient.entries(vlans)).hasSize(10);
        Element pools = client.get("/rest/api/uom/ManagedSystem/" + ms + "/SharedProcessorPool").xml();
        assertThat(HmcClient.entries(pools).stream().map(e -> HmcClient.text(HmcClient.content(e), "PoolName")))
                .contains("DefaultPool");
        Element tiers = client.get("/rest/api/uom/Tier").xml();
        String tier = HmcClient.text(HmcClient.entries(tiers).get(0), "id");
        Element lus = client.get("/rest/api/uom/Tier/" + tier + "/LogicalUnit").xml();
        assertThat(HmcClient.entries(lus)).hasSizeGreaterThan(20).allSatisfy(e ->
                assertThat(HmcClient.text(HmcClient.content(e), "Metadata/Atom/AtomID")).isEqualTo(HmcClient.text(e, "id")));
        Element cluster = HmcClient.content(HmcClient.entries(client.get("/rest/api/uom/Cluster").xml()).get(0));
        assertThat(HmcClient.child(cluster, "ClusterSharedStoragePool").orElseThrow().getAttribute("href"))
                .isEqualTo(hmc.url() + "/rest/api/uom/SharedStoragePool/" + HmcClient.text(ssp, "Metadata/Atom/AtomID"));
        assertThat(client.get("/rest/api/web/File").status()).isEqualTo(200);
        assertThat(hmc.violations().list()).isEmpty();
    }

    @Test
    void unknownObjectsAre404AndUnknownMethods405() {
        HmcClient.Answer missing = client.get("/rest/api/uom/LogicalPartition/00000000-0000-0000-0000-000000000000");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(HmcClient.text(missing.content(), "HTTPStatus")).isEqualTo("404");

        HmcClient.Answer method = client.send("PATCH", "/rest/api/uom/ManagedSystem", "", HmcClient.UOM + "ManagedSystem",
                Map.of());
        assertThat(method.status()).isEqualTo(405);
    }

    @Test
    void everyServedDocumentObeysTheOrderTheSimulatorEnforces() {
        for (String path : List.of("/rest/api/uom/ManagedSystem", "/rest/api/uom/LogicalPartition",
                "/rest/api/uom/VirtualIOServer", "/rest/api/uom/SharedStoragePool", "/rest/api/uom/Cluster",
                "/rest/api/uom/ManagedSystem/" + ms + "/VirtualNetwork", "/rest/api/web/File")) {
            for (Element entry : HmcClient.entries(client.get(path).xml())) {
                Element content = HmcClient.content(entry);
                String type = HmcClient.name(content);
                String ns = content.getNamespaceURI();
                String self = HmcClient.selfLink(entry).substring(hmc.url().toString().length());
                // POSTing the served content back unchanged is accepted: no order or unknown-element violation.
                String body = serialize(content);
                HmcClient.Answer a = client.post(self, (ns.equals(HmcClient.WEB_NS) ? HmcClient.WEB : HmcClient.UOM) + type,
                        body, HmcClient.etagElement(entry));
                assertThat(a.status()).as(self + ": " + a.body()).isNotEqualTo(415).isNotEqualTo(406);
                assertThat(a.body()).as(self).doesNotContain("Failed to unmarshal");
            }
        }
        assertThat(hmc.violations().list()).isEmpty();
    }

    static String serialize(Element e) {
        try {
            javax.xml.transform.Transformer t = javax.xml.transform.TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
            java.io.StringWriter w = new java.io.StringWriter();
            t.transform(new javax.xml.transform.dom.DOMSource(e), new javax.xml.transform.stream.StreamResult(w));
            return w.toString();
        } catch (Exception x) {
            throw new IllegalStateException(x);
        }
    }
}
