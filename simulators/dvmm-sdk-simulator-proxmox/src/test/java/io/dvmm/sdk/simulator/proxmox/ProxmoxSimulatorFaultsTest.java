package io.dvmm.sdk.simulator.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.FaultRule;
import io.dvmm.sdk.simulator.RequestLog;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's fault plan and request log, wired into the Proxmox simulator; started by its extension. */
class ProxmoxSimulatorFaultsTest {

    @RegisterExtension
    static final ProxmoxSimulatorExtension PVE = new ProxmoxSimulatorExtension(
            ProxmoxSimulator.builder().nodes(2).taskDuration(Duration.ofMillis(30)));

    private static final String CLONE = "/nodes/{node}/qemu/{vmid}/clone";

    @BeforeEach
    void clean(ProxmoxSimulator sim) {
        sim.clearFaults();
        sim.resetCounters();
    }

    @Test
    void theExtensionInjectsOneRunningSimulator(ProxmoxSimulator sim) {
        assertThat(sim).isSameAs(PVE.simulator());
        assertThat(sim.baseUrl().toString()).startsWith("https://127.0.0.1:");
    }

    @Test
    void aLostAnswerAfterTheCloneTookEffectLeavesTheVm(ProxmoxSimulator sim) throws Exception {
        SimHttp http = new SimHttp(sim);
        int id = http.get("/cluster/nextid").data().asInt();
        // times(2): HttpURLConnection sends a POST again when its first answer is lost
        sim.faults().add(FaultRule.onOperation(ProxmoxSimulator.operation("POST", CLONE)).times(2).then(Fault.reset()));
        assertThatThrownBy(() -> http.post("/nodes/pve1/qemu/9000/clone", "newid=" + id + "&name=lost-1"))
                .isInstanceOf(IOException.class);
        assertThat(sim.vmExists(id)).as("the request arrived, the answer was lost").isTrue();
        assertThat(sim.requestCount("POST", CLONE)).isEqualTo(2);
        assertThat(sim.faults().injected()).hasSize(2).allSatisfy(i -> assertThat(i.fault().kind()).isEqualTo(Fault.Kind.RESET));
    }

    @Test
    void resetNextLosesTheRequestBeforeItTakesEffect(ProxmoxSimulator sim) throws Exception {
        SimHttp http = new SimHttp(sim);
        int id = http.get("/cluster/nextid").data().asInt();
        sim.resetNext("POST", CLONE, 2);
        assertThatThrownBy(() -> http.post("/nodes/pve1/qemu/9000/clone", "newid=" + id)).isInstanceOf(IOException.class);
        assertThat(sim.vmExists(id)).isFalse();
    }

    @Test
    void aStatusFaultAnswersInPveStyleWithRetryAfter(ProxmoxSimulator sim) throws Exception {
        sim.faults().add(FaultRule.onRequest("GET", "/api2/json/cluster/**").times(1)
                .then(Fault.status(503, "Service Unavailable").retryAfter(Duration.ofSeconds(2))));
        SimHttp.Reply r = new SimHttp(sim).get("/cluster/resources");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.reason()).isEqualTo("Service Unavailable");
        assertThat(r.body().get("data").isNull()).isTrue();
        assertThat(r.body().path("message").asText()).isEqualTo("Service Unavailable\n");
    }

    @Test
    void aMalformedBodyIsNotJson(ProxmoxSimulator sim) {
        sim.faults().add(FaultRule.onOperation("GET /version").then(Fault.malformedBody()));
        assertThatThrownBy(() -> new SimHttp(sim).get("/version")).isInstanceOf(IOException.class);
    }

    @Test
    void theRequestLogKeepsNoSecret(ProxmoxSimulator sim) throws Exception {
        SimHttp http = new SimHttp(sim);
        http.get("/nodes");
        SimHttp.Reply login = http.call("POST", "/access/ticket", "username=" + URLEncoder.encode(sim.username(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(sim.password(), StandardCharsets.UTF_8), Map.of());
        assertThat(login.status()).isEqualTo(200);
        String everything = sim.requests().snapshot().toString() + sim.requests().snapshot().stream()
                .map(e -> e.headers() + e.bodyText()).toList();
        assertThat(everything).contains("GET /api2/json/nodes [GET /nodes]").contains("password=" + RequestLog.REDACTED)
                .doesNotContain(sim.apiTokenSecret()).doesNotContain(sim.password());
        assertThat(sim.requests().count("POST /access/ticket")).isEqualTo(1);
    }
}
