package io.dvmm.sdk.simulator.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HA resources ({@code /cluster/ha/resources}) and how HA-managed guests start, stop and are destroyed. */
class ProxmoxSimulatorHaTest {

    private static final Duration NEVER = Duration.ofHours(1);
    private static ProxmoxSimulator sim;
    private static SimHttp http;

    @BeforeAll
    static void start() {
        sim = ProxmoxSimulator.builder().nodes(2).taskDuration(Duration.ofMillis(50)).haDelay(Duration.ofMillis(20))
                .build().start();
        http = new SimHttp(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clean() {
        sim.haDelay(Duration.ofMillis(20));
        sim.clearFaults();
        sim.clearViolations();
        sim.resetCounters();
    }

    private static int cloneTemplate(String name) throws Exception {
        int id = http.get("/cluster/nextid").data().asInt();
        SimHttp.Reply r = http.post("/nodes/pve1/qemu/9000/clone", "newid=" + id + "&name=" + name + "&full=1");
        assertThat(r.status()).as("%s %s", r.status(), r.reason()).isEqualTo(200);
        assertThat(http.waitTask(r.data().asText()).path("exitstatus").asText()).isEqualTo("OK");
        return id;
    }

    private static JsonNode current(int id) throws IOException {
        return http.get("/nodes/pve1/qemu/" + id + "/status/current").data();
    }

    /** Waits (bounded) until the simulated HA manager has brought the guest into {@code status}. */
    private static void awaitStatus(int id, String status) throws Exception {
        for (int i = 0; i < 500 && !status.equals(current(id).path("status").asText()); i++) {
            Thread.sleep(10);
        }
        assertThat(current(id).path("status").asText()).isEqualTo(status);
    }

    @Test
    void haResourcesCanBeAddedReadChangedAndRemoved() throws Exception {
        int id = cloneTemplate("ha-crud");
        String sid = "vm:" + id;
        SimHttp.Reply add = http.post("/cluster/ha/resources", "sid=" + sid + "&state=stopped&max_restart=2&comment=web");
        assertThat(add.status()).as(add.reason()).isEqualTo(200);
        assertThat(add.data().isNull()).isTrue();
        assertThat(http.get("/cluster/ha/resources").data().findValuesAsText("sid")).contains(sid);
        JsonNode one = http.get("/cluster/ha/resources/" + sid).data();
        assertThat(one.path("state").asText()).isEqualTo("stopped");
        assertThat(one.path("max_restart").asInt()).isEqualTo(2);
        assertThat(one.path("comment").asText()).isEqualTo("web");

        SimHttp.Reply put = http.put("/cluster/ha/resources/" + sid, "state=started&delete=comment");
        assertThat(put.status()).as(put.reason()).isEqualTo(200);
        one = http.get("/cluster/ha/resources/" + sid).data();
        assertThat(one.path("state").asText()).isEqualTo("started");
        assertThat(one.has("comment")).isFalse();
        assertThat(current(id).path("ha").path("managed").asInt()).isEqualTo(1);
        assertThat(current(id).path("ha").path("state").asText()).isEqualTo("started");
        JsonNode resources = http.get("/cluster/resources?type=vm").data();
        for (JsonNode r : resources) {
            if (r.path("vmid").asInt() == id) {
                assertThat(r.path("hastate").asText()).isEqualTo("started");
            }
        }

        SimHttp.Reply again = http.post("/cluster/ha/resources", "sid=" + id);
        assertThat(again.status()).isEqualTo(500);
        assertThat(again.reason()).isEqualTo("resource ID '" + sid + "' already defined");
        assertThat(http.delete("/cluster/ha/resources/" + sid).status()).isEqualTo(200);
        assertThat(http.get("/cluster/ha/resources").data().findValuesAsText("sid")).doesNotContain(sid);
        assertThat(http.get("/cluster/ha/resources/" + sid).reason()).isEqualTo("no such resource '" + sid + "'");
        assertThat(http.delete("/cluster/ha/resources/" + sid).status()).isEqualTo(500);
        assertThat(current(id).path("ha").path("managed").asInt()).isZero();
        sim.assertNoViolations();
        assertThat(sim.requestCount("POST", "/cluster/ha/resources")).isEqualTo(2);
        assertThat(sim.requestCount("PUT", "/cluster/ha/resources/{sid}")).isEqualTo(1);
        assertThat(sim.requestCount("DELETE", "/cluster/ha/resources/{sid}")).isEqualTo(2);
    }

    @Test
    void haRequestsAreValidatedAgainstTheSchema() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(sim.schemaValidation(), "pve-apidoc.json not found: not tested");
        assertThat(http.post("/cluster/ha/resources", "sid=vm:abc").status()).isEqualTo(400);
        SimHttp.Reply badState = http.post("/cluster/ha/resources", "sid=vm:12345&state=running");
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.body().path("errors").has("state")).isTrue();
        assertThat(sim.violations()).hasSize(2);
    }

    @Test
    void startAndStopOfAnHaGuestAreInstantHaTasksAndTheHaManagerActsLater() throws Exception {
        int id = cloneTemplate("ha-power");
        sim.haDelay(NEVER);
        assertThat(http.post("/cluster/ha/resources", "sid=" + id + "&state=stopped").status()).isEqualTo(200);
        String base = "/nodes/pve1/qemu/" + id;

        String upid = http.post(base + "/status/start", null).data().asText();
        assertThat(upid).contains(":hastart:" + id + ":");
        assertThat(http.waitTask(upid).path("exitstatus").asText()).isEqualTo("OK");
        // the task is over, but the HA manager has not acted yet: only the requested state changed
        assertThat(current(id).path("status").asText()).isEqualTo("stopped");
        assertThat(sim.haState(id)).contains("started");

        sim.haDelay(Duration.ofMillis(20));
        assertThat(http.put("/cluster/ha/resources/vm:" + id, "state=started").status()).isEqualTo(200);
        awaitStatus(id, "running");

        String stop = http.post(base + "/status/shutdown", "timeout=10").data().asText();
        assertThat(stop).contains(":hastop:" + id + ":");
        assertThat(http.waitTask(stop).path("exitstatus").asText()).isEqualTo("OK");
        assertThat(sim.haState(id)).contains("stopped");
        awaitStatus(id, "stopped");
        sim.assertNoViolations();
        assertThat(sim.requestCount("POST", "/nodes/{node}/qemu/{vmid}/status/start")).isEqualTo(1);
        assertThat(sim.requestCount("POST", "/nodes/{node}/qemu/{vmid}/status/shutdown")).isEqualTo(1);
    }

    @Test
    void anIgnoredHaResourceIsBypassed() throws Exception {
        int id = cloneTemplate("ha-ignored");
        assertThat(http.post("/cluster/ha/resources", "sid=vm:" + id + "&state=ignored").status()).isEqualTo(200);
        String upid = http.post("/nodes/pve1/qemu/" + id + "/status/start", null).data().asText();
        assertThat(upid).contains(":qmstart:" + id + ":");
        assertThat(http.waitTask(upid).path("exitstatus").asText()).isEqualTo("OK");
        assertThat(current(id).path("status").asText()).isEqualTo("running");
    }

    @Test
    void destroyingAnHaGuestNeedsPurgeAndRemovesTheResource() throws Exception {
        int id = cloneTemplate("ha-destroy");
        assertThat(http.post("/cluster/ha/resources", "sid=vm:" + id + "&state=stopped").status()).isEqualTo(200);
        String base = "/nodes/pve1/qemu/" + id;
        SimHttp.Reply refused = http.delete(base);
        assertThat(refused.status()).isEqualTo(500);
        assertThat(refused.reason()).isEqualTo("unable to remove VM " + id
                + " - used in HA resources and purge parameter not set.");
        assertThat(sim.vmExists(id)).isTrue();
        assertThat(http.waitTask(http.delete(base + "?purge=1&destroy-unreferenced-disks=1").data().asText())
                .path("exitstatus").asText()).isEqualTo("OK");
        assertThat(sim.vmExists(id)).isFalse();
        assertThat(sim.haState(id)).isEmpty();
        assertThat(http.get("/cluster/ha/resources").data().findValuesAsText("sid")).doesNotContain("vm:" + id);
        sim.assertNoViolations();
    }
}
