package io.dvmm.sdk.simulator.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProxmoxSimulatorTest {

    private static ProxmoxSimulator sim;
    private static SimHttp http;

    @BeforeAll
    static void start() {
        sim = ProxmoxSimulator.builder().nodes(3).vms(20).taskDuration(Duration.ofMillis(100))
                .agentDelay(Duration.ofMillis(300)).build().start();
        http = new SimHttp(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clean() {
        sim.clearFaults();
        sim.clearViolations();
        sim.resetCounters();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static int freeId() throws IOException {
        return http.get("/cluster/nextid").data().asInt();
    }

    private static int cloneTemplate(String name) throws Exception {
        int id = freeId();
        SimHttp.Reply r = http.post("/nodes/pve1/qemu/9000/clone", "newid=" + id + "&name=" + name + "&full=1");
        assertThat(r.status()).as("%s %s", r.status(), r.reason()).isEqualTo(200);
        assertThat(http.waitTask(r.data().asText()).path("exitstatus").asText()).isEqualTo("OK");
        return id;
    }

    @Test
    void servesTheVersionOverTlsWithThePublishedCertificate() throws IOException {
        SimHttp.Reply r = http.get("/version");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.data().path("version").asText()).startsWith("9.");
        assertThat(r.serverCertSha256()).isEqualTo(sim.certificateSha256());
        assertThat(sim.baseUrl().toString()).startsWith("https://127.0.0.1:");
    }

    @Test
    void acceptsTheTokenHeaderWithASpaceAndUrlEscaped() throws IOException {
        String value = sim.apiTokenId() + "=" + sim.apiTokenSecret();
        assertThat(http.call("GET", "/nodes", null, Map.of("Authorization", "PVEAPIToken " + value)).status()).isEqualTo(200);
        assertThat(http.call("GET", "/nodes", null,
                Map.of("Authorization", "PVEAPIToken=" + value.replace("!", "%21"))).status()).isEqualTo(200);
    }

    @Test
    void rejectsMissingOrWrongCredentialsWith401InTheReasonPhrase() throws IOException {
        SimHttp.Reply none = http.call("GET", "/nodes", null, Map.of());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.reason()).isEqualTo("No ticket");
        SimHttp.Reply wrong = http.call("GET", "/nodes", null,
                Map.of("Authorization", "PVEAPIToken=" + sim.apiTokenId() + "=nope"));
        assertThat(wrong.status()).isEqualTo(401);
        SimHttp.Reply login = http.call("POST", "/access/ticket", "username=root%40pam&password=wrong", Map.of());
        assertThat(login.status()).isEqualTo(401);
        assertThat(login.reason()).isEqualTo("authentication failure");
    }

    @Test
    void ticketsNeedTheCsrfTokenOnWritesAndCanBeRenewed() throws IOException {
        SimHttp.Reply login = http.call("POST", "/access/ticket",
                "username=" + enc(sim.username()) + "&password=" + enc(sim.password()), Map.of());
        assertThat(login.status()).isEqualTo(200);
        String ticket = login.data().path("ticket").asText();
        String csrf = login.data().path("CSRFPreventionToken").asText();
        Map<String, String> cookie = Map.of("Cookie", "PVEAuthCookie=" + enc(ticket));
        assertThat(http.call("GET", "/nodes", null, cookie).status()).isEqualTo(200);
        SimHttp.Reply noCsrf = http.call("POST", "/nodes/pve1/qemu/9000/config", "description=x", cookie);
        assertThat(noCsrf.status()).isEqualTo(401);
        assertThat(noCsrf.reason()).contains("invalid csrf token");
        SimHttp.Reply withCsrf = http.call("PUT", "/nodes/pve1/qemu/9000/config", "description=x",
                Map.of("Cookie", "PVEAuthCookie=" + enc(ticket), "CSRFPreventionToken", csrf));
        assertThat(withCsrf.status()).isEqualTo(200);
        SimHttp.Reply renewed = http.call("POST", "/access/ticket",
                "username=" + enc(sim.username()) + "&password=" + enc(ticket), Map.of());
        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.data().path("ticket").asText()).isNotEqualTo(ticket);
    }

    @Test
    void expiredTicketsAreRefused() throws IOException {
        try (ProxmoxSimulator shortLived = ProxmoxSimulator.builder().tls(false).ticketLifetime(Duration.ZERO).build().start()) {
            SimHttp h = new SimHttp(shortLived);
            SimHttp.Reply login = h.call("POST", "/access/ticket",
                    "username=" + enc(shortLived.username()) + "&password=" + enc(shortLived.password()), Map.of());
            SimHttp.Reply r = h.call("GET", "/nodes", null,
                    Map.of("Cookie", "PVEAuthCookie=" + enc(login.data().path("ticket").asText())));
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.reason()).contains("invalid PVE ticket");
        }
    }

    @Test
    void cloneRunsAsATaskOnTheNamedNodeAndLocksTheNewVmUntilDone() throws Exception {
        // Its own simulator with a slow clone: the lock is looked at while the task runs, on a loaded machine too.
        try (ProxmoxSimulator slow = ProxmoxSimulator.builder().nodes(3).vms(20).taskDuration(Duration.ofSeconds(2)).build().start()) {
            cloneLocksTheNewVmUntilDone(new SimHttp(slow));
        }
    }

    private static void cloneLocksTheNewVmUntilDone(SimHttp http) throws Exception {
        int id = http.get("/cluster/nextid").data().asInt();
        SimHttp.Reply r = http.post("/nodes/pve1/qemu/9000/clone", "newid=" + id + "&name=web-1&target=pve2&full=1&storage=local-lvm&pool=dvmm");
        assertThat(r.status()).isEqualTo(200);
        String upid = r.data().asText();
        assertThat(upid).startsWith("UPID:pve1:").contains(":qmclone:9000:root@pam!dvmm:");
        SimHttp.Reply during = http.get("/nodes/pve2/qemu/" + id + "/status/current");
        assertThat(during.data().path("lock").asText()).isEqualTo("clone");
        SimHttp.Reply locked = http.post("/nodes/pve2/qemu/" + id + "/status/start", null);
        assertThat(locked.status()).isEqualTo(500);
        assertThat(locked.reason()).isEqualTo("VM is locked (clone)");
        SimHttp.Reply wrongNode = http.get("/nodes/pve2/tasks/" + upid + "/status");
        assertThat(wrongNode.status()).isEqualTo(400);
        JsonNode done = http.waitTask(upid);
        assertThat(done.path("exitstatus").asText()).isEqualTo("OK");
        assertThat(http.get("/nodes/pve2/qemu/" + id + "/status/current").data().has("lock")).isFalse();
        JsonNode log = http.get("/nodes/pve1/tasks/" + upid + "/log?start=0&limit=50").body();
        assertThat(log.path("data").toString()).contains("TASK OK");
        JsonNode resources = http.get("/cluster/resources?type=vm").data();
        boolean found = false;
        for (JsonNode vm : resources) {
            if (vm.path("vmid").asInt() == id) {
                found = true;
                assertThat(vm.path("node").asText()).isEqualTo("pve2");
                assertThat(vm.path("pool").asText()).isEqualTo("dvmm");
            }
        }
        assertThat(found).isTrue();
    }

    @Test
    void errorsCarryTheMessageInTheReasonPhraseAndADataNullBody() throws IOException {
        SimHttp.Reply r = http.get("/nodes/pve1/qemu/4242/status/current");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.reason()).isEqualTo("Configuration file 'nodes/pve1/qemu-server/4242.conf' does not exist");
        assertThat(r.body().has("data")).isTrue();
        assertThat(r.body().get("data").isNull()).isTrue();
        assertThat(r.body().path("message").asText()).endsWith("does not exist\n");
    }

    @Test
    void nextIdReservesNothingAndRejectsUsedIds() throws IOException {
        String first = http.get("/cluster/nextid").data().asText();
        assertThat(http.get("/cluster/nextid").data().asText()).isEqualTo(first);
        SimHttp.Reply used = http.get("/cluster/nextid?vmid=9000");
        assertThat(used.status()).isEqualTo(400);
        assertThat(used.body().path("errors").path("vmid").asText()).isEqualTo("VM 9000 already exists");
        SimHttp.Reply dup = http.post("/nodes/pve1/qemu/9000/clone", "newid=9000");
        assertThat(dup.status()).isEqualTo(500);
        assertThat(dup.reason()).contains("already exists on node 'pve1'");
    }

    @Test
    void validatorCatchesUnknownParametersAndBadEnums() throws IOException {
        assumeTrue(sim.schemaValidation(), "pve-apidoc.json not found (../shared/data/proxmox): schema validation not tested");
        SimHttp.Reply unknown = http.post("/nodes/pve1/qemu/9000/clone", "newid=777&colour=blue");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.reason()).isEqualTo("Parameter verification failed.");
        assertThat(unknown.body().path("errors").has("colour")).isTrue();
        SimHttp.Reply badEnum = http.get("/cluster/resources?type=bogus");
        assertThat(badEnum.status()).isEqualTo(400);
        assertThat(badEnum.body().path("errors").path("type").asText()).contains("enumeration");
        SimHttp.Reply badBool = http.post("/nodes/pve1/qemu/9000/clone", "newid=778&full=true-ish");
        assertThat(badBool.body().path("errors").path("full").asText()).contains("boolean");
        SimHttp.Reply missing = http.post("/nodes/pve1/qemu/9000/clone", "name=x");
        assertThat(missing.body().path("errors").has("newid")).isTrue();
        SimHttp.Reply badNet = http.put("/nodes/pve1/qemu/9000/config", "net0=" + enc("virtio,bridge=vmbr0,colour=blue"));
        assertThat(badNet.status()).isEqualTo(400);
        assertThat(sim.violations()).hasSize(5);
        assertThatThrownBy(sim::assertNoViolations).isInstanceOf(AssertionError.class);
    }

    @Test
    void validRequestsLeaveNoViolations() throws Exception {
        assumeTrue(sim.schemaValidation(), "pve-apidoc.json not found (../shared/data/proxmox): schema validation not tested");
        int id = cloneTemplate("valid-1");
        SimHttp.Reply cfg = http.post("/nodes/pve1/qemu/" + id + "/config",
                "cores=4&memory=4096&net0=" + enc("virtio,bridge=vmbr0") + "&agent=1&ciuser=ubuntu&ipconfig0="
                        + enc("ip=10.1.2.3/24,gw=10.1.2.1") + "&nameserver=" + enc("1.1.1.1 8.8.8.8")
                        + "&searchdomain=example.com&tags=" + enc("dvmm;web") + "&background_delay=5");
        assertThat(cfg.status()).as(cfg.reason() + cfg.body()).isEqualTo(200);
        sim.assertNoViolations();
    }

    @Test
    void sshKeysMustBeUrlEncodedInsideTheValue() throws Exception {
        int id = cloneTemplate("keys-1");
        String key = "ssh-ed25519 AAAAC3Nza me@host";
        SimHttp.Reply raw = http.put("/nodes/pve1/qemu/" + id + "/config", "sshkeys=" + enc(key));
        assertThat(raw.status()).isEqualTo(400);
        assertThat(raw.body().path("errors").path("sshkeys").asText()).startsWith("invalid urlencoded string");
        SimHttp.Reply ok = http.put("/nodes/pve1/qemu/" + id + "/config", "sshkeys=" + enc(enc(key)));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(http.get("/nodes/pve1/qemu/" + id + "/config").data().path("sshkeys").asText()).isEqualTo(enc(key));
    }

    @Test
    void guestAgentAnswersOnlyAfterBootWithTheRealErrorMessages() throws Exception {
        int id = cloneTemplate("agent-1");
        String base = "/nodes/pve1/qemu/" + id;
        assertThat(http.get(base + "/agent/network-get-interfaces").reason()).isEqualTo("VM " + id + " is not running");
        http.waitTask(http.post(base + "/status/start", null).data().asText());
        SimHttp.Reply early = http.get(base + "/agent/network-get-interfaces");
        assertThat(early.status()).isEqualTo(500);
        assertThat(early.reason()).isEqualTo("QEMU guest agent is not running");
        Thread.sleep(350);
        JsonNode result = http.get(base + "/agent/network-get-interfaces").data().path("result");
        String mac = http.get(base + "/config").data().path("net0").asText().replaceAll("^virtio=([^,]+),.*$", "$1");
        boolean eth0 = false;
        for (JsonNode nic : result) {
            if (nic.path("hardware-address").asText().equalsIgnoreCase(mac)) {
                eth0 = true;
                assertThat(nic.path("name").asText()).isEqualTo("eth0");
            }
        }
        assertThat(eth0).isTrue();
        http.put(base + "/config", "delete=agent");
        assertThat(http.get(base + "/agent/network-get-interfaces").reason()).isEqualTo("No QEMU guest agent configured");
    }

    @Test
    void snapshotsPowerAndDeleteRunAsTasks() throws Exception {
        int id = cloneTemplate("life-1");
        String base = "/nodes/pve1/qemu/" + id;
        assertThat(http.waitTask(http.post(base + "/snapshot", "snapname=before&description=x").data().asText())
                .path("exitstatus").asText()).isEqualTo("OK");
        assertThat(http.get(base + "/snapshot").data().toString()).contains("\"before\"").contains("\"current\"");
        assertThat(http.waitTask(http.post(base + "/snapshot/before/rollback", null).data().asText())
                .path("exitstatus").asText()).isEqualTo("OK");
        assertThat(http.waitTask(http.delete(base + "/snapshot/before").data().asText()).path("exitstatus").asText())
                .isEqualTo("OK");
        http.waitTask(http.post(base + "/status/start", null).data().asText());
        SimHttp.Reply running = http.delete(base + "?purge=1&destroy-unreferenced-disks=1");
        assertThat(running.reason()).isEqualTo("VM " + id + " is running - destroy failed");
        http.waitTask(http.post(base + "/status/stop", null).data().asText());
        assertThat(http.waitTask(http.delete(base + "?purge=1&destroy-unreferenced-disks=1").data().asText())
                .path("exitstatus").asText()).isEqualTo("OK");
        assertThat(sim.vmExists(id)).isFalse();
    }

    @Test
    void resizeGrowsAndRefusesToShrink() throws Exception {
        int id = cloneTemplate("disk-1");
        String base = "/nodes/pve1/qemu/" + id;
        http.waitTask(http.put(base + "/resize", "disk=scsi0&size=%2B10G").data().asText());
        assertThat(http.get(base + "/config").data().path("scsi0").asText()).contains("size=20G");
        SimHttp.Reply shrink = http.put(base + "/resize", "disk=scsi0&size=5G");
        assertThat(shrink.reason()).isEqualTo("shrinking disks is not supported");
    }

    @Test
    void vmidRaceSurfacesOnlyAsATaskFailure() throws Exception {
        sim.vmidRaceNext(1);
        int id = freeId();
        SimHttp.Reply r = http.post("/nodes/pve1/qemu/9000/clone", "newid=" + id + "&name=race-1");
        assertThat(r.status()).isEqualTo(200);
        JsonNode done = http.waitTask(r.data().asText());
        assertThat(done.path("exitstatus").asText()).contains("already exists");
        assertThat(http.get("/nodes/pve1/tasks/" + r.data().asText() + "/log").body().toString()).contains("TASK ERROR");
    }

    @Test
    void injectedFaultsAnswerWithTheGivenStatusOrResetTheConnection() throws IOException {
        sim.failNext("GET", "/nodes", 1, 596, "Connection timed out");
        SimHttp.Reply r = http.get("/nodes");
        assertThat(r.status()).isEqualTo(596);
        assertThat(r.reason()).isEqualTo("Connection timed out");
        assertThat(http.get("/nodes").status()).isEqualTo(200);
        sim.lockTimeoutNext(1);
        assertThat(http.post("/nodes/pve1/qemu/9000/clone", "newid=" + freeId()).reason()).endsWith("got timeout");
        sim.resetNext("GET", "/version", 3); // HttpURLConnection silently retries a GET once
        assertThatThrownBy(() -> http.get("/version")).isInstanceOf(IOException.class);
    }

    @Test
    void countsRequestsPerPathTemplate() throws Exception {
        http.get("/cluster/resources?type=vm");
        http.get("/nodes/pve1/qemu/9000/config");
        http.get("/nodes/pve2/network?type=bridge");
        assertThat(sim.requestCount("GET", "/cluster/resources")).isEqualTo(1);
        assertThat(sim.requestCount("GET", "/nodes/{node}/qemu/{vmid}/config")).isEqualTo(1);
        assertThat(sim.totalRequests()).isEqualTo(3);
        assertThat(sim.taskPolls()).isZero();
    }

    @Test
    void holdsTenThousandVmsAndListsThemInOneCall() throws IOException {
        try (ProxmoxSimulator big = ProxmoxSimulator.builder().nodes(4).vms(10_000).build().start()) {
            SimHttp h = new SimHttp(big);
            JsonNode vms = h.get("/cluster/resources?type=vm").data();
            assertThat(vms.size()).isEqualTo(10_001);
            assertThat(big.requestCount("GET", "/cluster/resources")).isEqualTo(1);
        }
    }
}
