package io.dvmm.sdk.proxmox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import io.dvmm.sdk.testing.HostileBodies;
import io.dvmm.sdk.testing.HostileBodies.Body;
import io.dvmm.sdk.testing.ParserContract;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every answer PVE could send, read the way the provider reads it ({@link ProxmoxClient#parseData}
 * then the mapper): a value or a typed error, never another exception, never a hang. The seeds are
 * real answers of the Proxmox simulator (listing, config, status, snapshots, guest agent, task
 * status and log, a UPID), mutated by {@link HostileBodies}.
 */
class ProxmoxParsingProperties {
    private static final ErrorContext CTX = ErrorContext.of("proxmox", "parse");
    private static final Map<String, byte[]> SEEDS = new LinkedHashMap<>();

    @BeforeContainer
    static void captureAnswersOfTheSimulator() throws Exception {
        try (ProxmoxSimulator sim = ProxmoxSimulator.builder().tls(false).build().start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String auth = "PVEAPIToken=" + sim.apiTokenId() + "=" + sim.apiTokenSecret();
            String node = sim.nodeNames().get(0);
            int template = ProxmoxSimulator.TEMPLATE_VMID;
            String vm = "/nodes/" + node + "/qemu/";
            get(sim, http, auth, "version", "/version");
            get(sim, http, auth, "resources", "/cluster/resources");
            get(sim, http, auth, "nodes", "/nodes");
            get(sim, http, auth, "network", "/nodes/" + node + "/network");
            get(sim, http, auth, "storage", "/nodes/" + node + "/storage");
            get(sim, http, auth, "config", vm + template + "/config");
            String upid = text(post(sim, http, auth, vm + template + "/clone", Map.of("newid", "4242", "name", "prop-vm")));
            SEEDS.put("upid", ("{\"data\":\"" + upid + "\"}").getBytes(StandardCharsets.UTF_8));
            awaitTask(sim, http, auth, node, upid);
            get(sim, http, auth, "task-log", "/nodes/" + node + "/tasks/" + URLEncoder.encode(upid, StandardCharsets.UTF_8) + "/log");
            awaitTask(sim, http, auth, node, text(post(sim, http, auth, vm + "4242/status/start", Map.of())));
            awaitTask(sim, http, auth, node, text(post(sim, http, auth, vm + "4242/snapshot",
                    Map.of("snapname", "before", "description", "a\nb"))));
            get(sim, http, auth, "status", vm + "4242/status/current");
            get(sim, http, auth, "config-running", vm + "4242/config");
            get(sim, http, auth, "snapshots", vm + "4242/snapshot");
            for (int i = 0; i < 50 && !SEEDS.containsKey("agent"); i++) {
                HttpResponse<byte[]> a = send(sim, http, auth, "GET", vm + "4242/agent/network-get-interfaces", null);
                if (a.statusCode() == 200) {
                    SEEDS.put("agent", a.body());
                } else {
                    Thread.sleep(100);
                }
            }
            get(sim, http, auth, "resources-after", "/cluster/resources");
        }
        assertThat(SEEDS).containsKeys("resources", "config", "status", "snapshots", "task-status", "upid", "agent");
        assertThat(new String(SEEDS.get("snapshots"), StandardCharsets.UTF_8)).contains("snaptime");
    }

    @AfterContainer
    static void forget() {
        SEEDS.clear();
    }

    @Property(tries = 500)
    void aMutatedAnswerIsReadOrRefusedTyped(@ForAll("mutatedAnswers") Body body) {
        ParserContract.typedOutcome(() -> read(body.bytes()));
    }

    @Property(tries = 1000)
    void anAnswerWithHostileValuesIsReadOrRefusedTyped(@ForAll("revaluedAnswers") Body body) {
        ParserContract.typedOutcome(() -> read(body.bytes()));
    }

    @Property(tries = 1000)
    void anAnswerOfKnownKeysAndHostileValuesIsReadOrRefusedTyped(@ForAll("recombinedAnswers") Body body) {
        ParserContract.typedOutcome(() -> read(body.bytes()));
    }

    @Property(tries = 200)
    void noiseIsReadOrRefusedTyped(@ForAll("noise") Body body) {
        ParserContract.typedOutcome(() -> read(body.bytes()));
    }

    @Example
    void everySeedIsRead() {
        SEEDS.forEach((name, body) -> assertThat(ParserContract.typedOutcome(() -> read(body)).failed()).as(name).isFalse());
    }

    // ---- counterexamples the properties found, kept as they shrank ---------------------------------

    @Example
    void aTaskIdThatIsNoUpidIsAProtocolError() {
        assertThat(ParserContract.typedOutcome(() -> read(bytes("{\"data\":\"UPID:\"}"))).error())
                .isInstanceOf(ProtocolException.class);
    }

    @Example
    void aNicKeyWithAnIndexPastIntIsNoNic() {
        assertThat(ParserContract.typedOutcome(() -> read(bytes("{\"data\":{\"net099999999999\":\"\"}}"))).failed()).isFalse();
        assertThat(ProxmoxMapper.fromDetails(100, "pve1", json("{}"), json("{\"ipconfig99999999999\":\"ip=10.0.0.1/24\","
                + "\"net99999999999\":\"virtio=BC:24:11:AA:BB:CC\"}"), null).nics()).isEmpty();
    }

    @Example
    void aDiskLineOfOnlyACommaIsADiskWithoutStorage() {
        assertThat(ParserContract.typedOutcome(() -> read(bytes("{\"data\":{\"scsi0\":\",\"}}"))).failed()).isFalse();
        assertThat(ProxmoxMapper.parseDisk("scsi0", ",")).isEqualTo(new io.dvmm.sdk.DiskInfo("scsi0", 0, ""));
    }

    @Example
    void aSnapshotTimePastLongOrPastTheLastInstantHasNoTime() {
        for (String time : List.of("-9223372036854775809", "9223372036854775807", "99999999999999999999")) {
            assertThat(ParserContract.typedOutcome(() -> read(bytes("{\"data\":[{\"name\":\"s\",\"snaptime\":" + time + "}]}"))).failed())
                    .as(time).isFalse();
            assertThat(ProxmoxMapper.fromSnapshot(json("{\"name\":\"s\",\"snaptime\":" + time + "}")).created()).as(time).isEmpty();
        }
        assertThat(ProxmoxMapper.asLong(json("{\"n\":-9223372036854775809}").get("n"), -1)).isEqualTo(-1);
    }

    private static JsonNode json(String text) {
        return ProxmoxClient.parseData("test", bytes("{\"data\":" + text + "}"), CTX);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<Body> mutatedAnswers() {
        return HostileBodies.mutated(HostileBodies.Syntax.JSON, SEEDS);
    }

    @Provide
    Arbitrary<Body> revaluedAnswers() {
        return HostileBodies.revalued(HostileBodies.Syntax.JSON, SEEDS);
    }

    @Provide
    Arbitrary<Body> recombinedAnswers() {
        return HostileBodies.recombinedJson(SEEDS);
    }

    @Provide
    Arbitrary<Body> noise() {
        return HostileBodies.noise();
    }

    /**
     * One answer through every reading the provider makes of an answer: listings, one VM's details
     * (the answer as status, config and guest agent at once), snapshots, task status and log, UPIDs.
     */
    static Object read(byte[] body) {
        JsonNode data = ProxmoxClient.parseData("GET /test", body, CTX);
        int n = 0;
        for (JsonNode r : data) {
            ProxmoxMapper.asText(r.get("type"), "qemu");
            ProxmoxMapper.isTemplate(r);
            ProxmoxMapper.fromResource(r);
            ProxmoxMapper.fromSnapshot(r);
            ProxmoxMapper.asText(r.get("t"), "");
            n++;
        }
        ProxmoxMapper.fromDetails(4242, "pve1", data, data, data);
        ProxmoxMapper.fromDetails(4242, "pve1", data, data, null);
        ProxmoxMapper.agentIps(data, "");
        ProxmoxMapper.agentIps(data, "bc:24:11:aa:bb:cc");
        if (ProxmoxMapper.isUpid(data)) {
            ProxmoxMapper.upidNode(data.asText(), CTX);
        }
        return n;
    }

    // ---- the simulator's answers ------------------------------------------------------------------

    private static void get(ProxmoxSimulator sim, HttpClient http, String auth, String name, String path) throws Exception {
        HttpResponse<byte[]> r = send(sim, http, auth, "GET", path, null);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        SEEDS.put(name, r.body());
    }

    private static JsonNode post(ProxmoxSimulator sim, HttpClient http, String auth, String path, Map<String, String> form)
            throws Exception {
        StringBuilder b = new StringBuilder();
        form.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<byte[]> r = send(sim, http, auth, "POST", path, b.toString());
        assertThat(r.statusCode()).as(path + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return ProxmoxClient.parseData(path, r.body(), CTX);
    }

    private static void awaitTask(ProxmoxSimulator sim, HttpClient http, String auth, String node, String upid) throws Exception {
        String path = "/nodes/" + node + "/tasks/" + URLEncoder.encode(upid, StandardCharsets.UTF_8) + "/status";
        for (int i = 0; i < 100; i++) {
            HttpResponse<byte[]> r = send(sim, http, auth, "GET", path, null);
            if (ProxmoxClient.parseData(path, r.body(), CTX).path("status").asText().equals("stopped")) {
                SEEDS.put("task-status", r.body());
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("task " + upid + " did not finish");
    }

    private static String text(JsonNode data) {
        return data.asText();
    }

    private static HttpResponse<byte[]> send(ProxmoxSimulator sim, HttpClient http, String auth, String method, String path,
                                             String form) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api2/json" + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", auth);
        if (form == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
