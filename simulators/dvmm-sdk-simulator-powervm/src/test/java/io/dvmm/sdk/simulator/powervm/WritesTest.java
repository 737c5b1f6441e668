package io.dvmm.sdk.simulator.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;

/** LPAR create, update and delete: the captured create bodies are accepted, broken ones refused like the HMC does. */
class WritesTest {

    private static Path captures;
    private static PowerVmSimulator hmc;
    private static HmcClient client;
    private static String feed;

    @BeforeAll
    static void start() {
        captures = Captures.require();
        hmc = PowerVmSimulator.builder().captures(captures).systemCapacity(65536, 8).start();
        client = new HmcClient(hmc).logon();
        feed = "/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid() + "/LogicalPartition";
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

    static Stream<String> createBodies() throws Exception {
        Path dir = PowerVmSimulator.findCaptures().map(d -> d.resolve("lpar-create-bodies")).orElse(null);
        if (dir == null) {
            return Stream.of("absent");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("_lpar.xml")).sorted().toList().stream();
        }
    }

    static String body(String file, String name) throws Exception {
        return Files.readString(captures.resolve("lpar-create-bodies").resolve(file))
                .replaceAll("<uom:PartitionName>[^<]*</uom:PartitionName>", "<uom:PartitionName>" + name + "</uom:PartitionName>");
    }

    @ParameterizedTest
    @MethodSource("createBodies")
    void everyCapturedCreateBodyCreatesAnLpar(String file) throws Exception {
        Captures.require();
        String name = "t-" + file.replace("_lpar.xml", "").replace('_', '-');
        HmcClient.Answer a = client.put(feed, HmcClient.UOM + "LogicalPartition", body(file, name));

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        Element lpar = a.content();
        String uuid = HmcClient.text(a.xml(), "id");
        assertThat(HmcClient.text(lpar, "PartitionName")).isEqualTo(name);
        assertThat(HmcClient.text(lpar, "PartitionUUID")).isEqualTo(uuid);
        assertThat(HmcClient.text(lpar, "Metadata/Atom/AtomID")).isEqualTo(uuid);
        assertThat(HmcClient.text(lpar, "PartitionState")).isEqualTo("not activated");
        assertThat(HmcClient.text(lpar, "ResourceMonitoringControlState")).isEqualTo("inactive");
        assertThat(HmcClient.text(lpar, "PartitionID")).matches("\\d+");
        assertThat(HmcClient.child(lpar, "AssociatedPartitionProfile")).isPresent();
        assertThat(HmcClient.child(lpar, "PartitionName").orElseThrow().getAttribute("kb")).isEqualTo("CUR");
        assertThat(a.header("ETag")).matches("-?\\d+");
        assertThat(hmc.lpar(name)).isPresent();

        // What the HMC serves back for the new LPAR is accepted as an update unchanged.
        HmcClient.Answer read = client.get("/rest/api/uom/LogicalPartition/" + uuid);
        HmcClient.Answer again = client.post("/rest/api/uom/LogicalPartition/" + uuid, HmcClient.UOM + "LogicalPartition",
                FeedsTest.serialize(read.content()), read.header("ETag"));
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(client.delete("/rest/api/uom/LogicalPartition/" + uuid).status()).isEqualTo(204);
        assertThat(hmc.lpar(name)).isEmpty();
        assertThat(hmc.violations().list()).isEmpty();
    }

    @Test
    void elementsOutOfOrderAreRefusedWithTheHmcErrorAndRecorded() throws Exception {
        String good = body("shared_lpar.xml", "t-swapped");
        String swapped = good.replace("<uom:DesiredMemory>1024</uom:DesiredMemory><uom:MaximumMemory>1024</uom:MaximumMemory>",
                "<uom:MaximumMemory>1024</uom:MaximumMemory><uom:DesiredMemory>1024</uom:DesiredMemory>");
        assertThat(swapped).isNotEqualTo(good);

        HmcClient.Answer a = client.put(feed, HmcClient.UOM + "LogicalPartition", swapped);

        assertThat(a.status()).isEqualTo(400);
        Element error = a.content();
        assertThat(HmcClient.name(error)).isEqualTo("HttpErrorResponse");
        assertThat(error.getNamespaceURI()).isEqualTo(HmcClient.WEB_NS);
        assertThat(HmcClient.text(error, "HTTPStatus")).isEqualTo("400");
        assertThat(HmcClient.text(error, "Message")).startsWith("Failed to unmarshal input payload")
                .contains("MaximumMemory before DesiredMemory");
        assertThat(HmcClient.text(error, "RequestHeaders")).contains("x-api-session=*******")
                .doesNotContain(client.session());
        assertThat(hmc.violations().list()).singleElement().asString().startsWith("element order: PUT " + feed)
                .contains("PartitionMemoryConfiguration: MaximumMemory before DesiredMemory");
        assertThat(hmc.lpar("t-swapped")).isEmpty();
    }

    @Test
    void unknownElementsAreRefused() throws Exception {
        String body = body("shared_lpar.xml", "t-unknown").replace("<uom:PartitionType>",
                "<uom:CloudInit>yes</uom:CloudInit><uom:PartitionType>");

        HmcClient.Answer a = client.put(feed, HmcClient.UOM + "LogicalPartition", body);

        assertThat(a.status()).isEqualTo(400);
        assertThat(HmcClient.text(a.content(), "Message")).contains("unknown element CloudInit");
        assertThat(hmc.violations().list()).singleElement().asString().contains("unknown element CloudInit");
    }

    @Test
    void aWrongMediaTypeIsRefusedAndRecorded() throws Exception {
        HmcClient.Answer a = client.put(feed, HmcClient.UOM + "ManagedSystem", body("shared_lpar.xml", "t-media"));

        assertThat(a.status()).isEqualTo(415);
        assertThat(hmc.violations().list()).singleElement().asString().startsWith("media type:");
        assertThat(hmc.lpar("t-media")).isEmpty();
    }

    @Test
    void anAtomEntryADoctypeAndASchemaVersionHeaderAreRefused() throws Exception {
        String atom = "<entry xmlns=\"http://www.w3.org/2005/Atom\"><content>" + body("shared_lpar.xml", "t-atom")
                .replaceFirst("<\\?xml[^>]*\\?>", "") + "</content></entry>";
        assertThat(client.put(feed, HmcClient.UOM + "LogicalPartition", atom).status()).isEqualTo(400);
        String dtd = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>";
        HmcClient.Answer refused = client.put(feed, HmcClient.UOM + "LogicalPartition", dtd);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).doesNotContain("root:");
        HmcClient.Answer header = client.send("PUT", feed, body("shared_lpar.xml", "t-header"),
                HmcClient.UOM + "LogicalPartition", Map.of("X-HMC-Schema-Version", "V1_0"));
        assertThat(header.status()).isEqualTo(406);
        assertThat(hmc.violations().list()).hasSize(3);
    }

    @Test
    void theHmcValidationsOfACreate() throws Exception {
        String ok = body("shared_lpar.xml", "t-valid");
        Map<String, String> broken = Map.of(
                ok.replace("<uom:DesiredMemory>1024<", "<uom:DesiredMemory>1000<"), "multiple of the logical memory block",
                ok.replace("<uom:MinimumMemory>1024<", "<uom:MinimumMemory>2048<"), "minimum <= desired <= maximum",
                ok.replace("<uom:UncappedWeight>64<", "<uom:UncappedWeight>300<"), "uncapped weight",
                ok.replace("<uom:SharedProcessorPoolID>0<", "<uom:SharedProcessorPoolID>999<"), "shared processor pool",
                ok.replace("<uom:DesiredProcessingUnits>0.50<", "<uom:DesiredProcessingUnits>0.02<"), "processing units",
                ok.replace("<uom:HasDedicatedProcessors>false<", "<uom:HasDedicatedProcessors>true<"), "dedicated",
                ok.replace("t-valid", "a-name-that-is-much-too-long-for-an-hmc"), "not valid",
                ok.replace("<uom:MaximumMemory>1024<", "<uom:MaximumMemory>9999872<").replace(
                        "<uom:DesiredMemory>1024<", "<uom:DesiredMemory>9999872<"), "not enough memory");
        for (Map.Entry<String, String> b : broken.entrySet()) {
            HmcClient.Answer a = client.put(feed, HmcClient.UOM + "LogicalPartition", b.getKey());
            assertThat(a.status()).as(b.getValue()).isEqualTo(400);
            assertThat(HmcClient.text(a.content(), "Message")).containsIgnoringCase(b.getValue());
        }
        assertThat(client.put(feed, HmcClient.UOM + "LogicalPartition", ok).status()).isEqualTo(200);
        HmcClient.Answer dup = client.put(feed, HmcClient.UOM + "LogicalPartition", ok);
        assertThat(dup.status()).isEqualTo(400);
        assertThat(HmcClient.text(dup.content(), "Message")).contains("already exists");
        assertThat(hmc.violations().list()).isEmpty();
    }

    @Test
    void aStaleIfMatchIs412AndNotAViolation() throws Exception {
        HmcClient.Answer created = client.put(feed, HmcClient.UOM + "LogicalPartition", body("uncapped_lpar.xml", "t-etag"));
        String uuid = HmcClient.text(created.xml(), "id");
        String path = "/rest/api/uom/LogicalPartition/" + uuid;
        HmcClient.Answer read = client.get(path);
        String etag = read.header("ETag");
        assertThat(client.send("GET", path, (String) null, null, Map.of("If-None-Match", etag)).status()).isEqualTo(304);

        String renamed = FeedsTest.serialize(read.content()).replace(">t-etag<", ">t-etag-2<");
        HmcClient.Answer ok = client.post(path, HmcClient.UOM + "LogicalPartition", renamed, etag);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(HmcClient.text(ok.content(), "PartitionName")).isEqualTo("t-etag-2");
        assertThat(ok.header("ETag")).isNotEqualTo(etag);

        HmcClient.Answer stale = client.post(path, HmcClient.UOM + "LogicalPartition", renamed.replace("t-etag-2", "t-etag-3"),
                etag);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(hmc.lpar(uuid).orElseThrow().name()).isEqualTo("t-etag-2");
        assertThat(hmc.violations().list()).isEmpty();

        HmcClient.Answer noIfMatch = client.post(path, HmcClient.UOM + "LogicalPartition", renamed, null);
        assertThat(noIfMatch.status()).isEqualTo(200);
        assertThat(hmc.violations().list()).singleElement().asString().contains("without If-Match");
    }

    @Test
    void anUpdateChangesMemoryAndProcessorsOfAStoppedLpar() throws Exception {
        HmcClient.Answer created = client.put(feed, HmcClient.UOM + "LogicalPartition", body("shared_lpar.xml", "t-resize"));
        String uuid = HmcClient.text(created.xml(), "id");
        String path = "/rest/api/uom/LogicalPartition/" + uuid;
        HmcClient.Answer read = client.get(path);
        String xml = FeedsTest.serialize(read.content());
        String bigger = xml.replaceAll("(<DesiredMemory[^>]*>)1024<", "$12048<").replaceAll("(<MaximumMemory[^>]*>)1024<",
                "$14096<");

        HmcClient.Answer a = client.post(path, HmcClient.UOM + "LogicalPartition", bigger, read.header("ETag"));

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(hmc.lpar(uuid).orElseThrow().desiredMemoryMb()).isEqualTo(2048);
    }

    @Test
    void aRunningLparCannotBeDeleted() {
        HmcState.Lpar running = hmc.lpars().stream().filter(l -> l.state().equals("running")).findFirst().orElseThrow();

        HmcClient.Answer a = client.delete("/rest/api/uom/LogicalPartition/" + running.uuid());

        assertThat(a.status()).isEqualTo(409);
        assertThat(HmcClient.text(a.content(), "Message")).contains("powered off");
        assertThat(hmc.lpar(running.uuid())).isPresent();
    }

    @Test
    void createsCountUnderTheirOperationKey() throws Exception {
        long before = hmc.requestCount(HmcOperations.LPAR_CREATE);
        client.put(feed, HmcClient.UOM + "LogicalPartition", body("capped_lpar.xml", "t-count"));

        assertThat(hmc.requestCount(HmcOperations.LPAR_CREATE)).isEqualTo(before + 1);
        assertThat(hmc.routes()).contains(HmcOperations.LPAR_CREATE, HmcOperations.LPAR_FEED, HmcOperations.POWER_ON.replace(
                "PowerOn", "{op}"));
        assertThat(List.copyOf(hmc.requestCounts().keySet())).contains(HmcOperations.LOGON);
    }
}
