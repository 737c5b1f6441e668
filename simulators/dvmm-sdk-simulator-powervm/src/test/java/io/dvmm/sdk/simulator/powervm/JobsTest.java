package io.dvmm.sdk.simulator.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** Jobs move NOT_STARTED, RUNNING, then a final status with the HSCL results the HMC gives. */
class JobsTest {

    private PowerVmSimulator hmc;
    private HmcClient client;
    private String lpar;
    private String doPath;

    @BeforeEach
    void start() {
        hmc = PowerVmSimulator.builder().jobDurations(Duration.ofMillis(20), Duration.ofMillis(60))
                .rmcDelay(Duration.ofMillis(200), Duration.ofMillis(300)).systemCapacity(32768, 4).start();
        client = new HmcClient(hmc).logon();
        lpar = hmc.lpar(PowerVmSimulator.SSP_TEMPLATE).orElseThrow().uuid();
        doPath = "/rest/api/uom/LogicalPartition/" + lpar + "/do/";
    }

    @AfterEach
    void stop() {
        hmc.assertNoViolations();
        hmc.close();
    }

    private Element run(String op, Map<String, String> params) {
        return client.runJob(doPath + op, op, "LogicalPartition", params);
    }

    private static String result(Element job) {
        return HmcClient.children(HmcClient.child(job, "Results").orElseThrow(), "JobParameter").stream()
                .filter(p -> "result".equals(HmcClient.text(p, "ParameterName"))).findFirst()
                .map(p -> HmcClient.text(p, "ParameterValue")).orElse(null);
    }

    static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.get()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            HmcClient.sleep(20);
        }
    }

    @Test
    void theTemplateOfADoUrlIsAnEmptyJobRequest() {
        HmcClient.Answer a = client.get(doPath + "PowerOn");

        assertThat(a.status()).isEqualTo(200);
        Element request = a.content();
        assertThat(HmcClient.name(request)).isEqualTo("JobRequest");
        assertThat(request.getNamespaceURI()).isEqualTo(HmcClient.WEB_NS);
        assertThat(HmcClient.text(request, "RequestedOperation/OperationName")).isEqualTo("PowerOn");
        assertThat(HmcClient.text(request, "RequestedOperation/GroupName")).isEqualTo("LogicalPartition");
        assertThat(HmcClient.children(HmcClient.child(request, "JobParameters").orElseThrow(), "JobParameter")).isEmpty();
        assertThat(HmcClient.child(a.xml(), "content").orElseThrow().getAttribute("type"))
                .isEqualTo(HmcClient.WEB + "JobRequest");
        assertThat(client.get(doPath + "Explode").status()).isEqualTo(404);
    }

    @Test
    void powerOnRunsThroughTheStatesAndRmcComesUpWithAnIp() {
        hmc.jobDurations(Duration.ofMillis(150), Duration.ofMillis(300));
        String profile = hmc.lpar(lpar).orElseThrow().profileUuid();
        HmcClient.Answer started = client.put(doPath + "PowerOn", HmcClient.WEB + "JobRequest", jobRequest("PowerOn",
                Map.of("LogicalPartitionProfile", profile, "bootmode", "norm", "force", "false", "novsi", "true")));

        assertThat(started.status()).isEqualTo(200);
        Element response = started.content();
        assertThat(HmcClient.name(response)).isEqualTo("JobResponse");
        assertThat(HmcClient.text(response, "Status")).isEqualTo("NOT_STARTED");
        assertThat(HmcClient.child(response, "RequestURL").orElseThrow().getAttribute("href"))
                .isEqualTo("LogicalPartition/" + lpar + "/do/PowerOn");
        assertThat(HmcClient.text(response, "TargetUuid")).isEqualTo(lpar);
        String id = HmcClient.text(response, "JobID");
        assertThat(HmcClient.selfLink(started.xml())).isEqualTo(hmc.url() + "/rest/api/uom/jobs/" + id);

        await("RUNNING", () -> "RUNNING".equals(HmcClient.text(client.get("/rest/api/uom/jobs/" + id).content(), "Status")));
        assertThat(hmc.lpar(lpar).orElseThrow().state()).isEqualTo("starting");
        await("COMPLETED_OK", () -> "COMPLETED_OK".equals(HmcClient.text(client.get("/rest/api/uom/jobs/" + id).content(),
                "Status")));
        Element done = client.get("/rest/api/uom/jobs/" + id).content();
        assertThat(HmcClient.text(done, "Results/JobParameter/ParameterValue")).isEqualTo("0");
        assertThat(HmcClient.children(HmcClient.child(done, "JobRequestInstance/JobParameters").orElseThrow(),
                "JobParameter").stream().map(p -> HmcClient.text(p, "ParameterName")))
                .containsExactlyInAnyOrder("LogicalPartitionProfile", "bootmode", "force", "novsi");
        HmcState.Lpar running = hmc.lpar(lpar).orElseThrow();
        assertThat(running.state()).isEqualTo("running");
        assertThat(running.rmcState()).isEqualTo("inactive");
        assertThat(running.ipAddress()).isNull();

        await("RMC active", () -> "active".equals(hmc.lpar(lpar).orElseThrow().rmcState()));
        await("an IP", () -> hmc.lpar(lpar).orElseThrow().ipAddress() != null);
        String quick = client.get("/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid()
                + "/LogicalPartition/quick/All", "*/*").body();
        assertThat(quick).contains("\"ResourceMonitoringIPAddress\": \"" + hmc.lpar(lpar).orElseThrow().ipAddress() + "\"");
        Element entry = client.get("/rest/api/uom/LogicalPartition/" + lpar).content();
        assertThat(HmcClient.text(entry, "ResourceMonitoringControlState")).isEqualTo("active");
        assertThat(HmcClient.text(entry, "ResourceMonitoringIPAddress")).startsWith("192.0.2.");

        assertThat(client.delete("/rest/api/uom/jobs/" + id).status()).isEqualTo(204);
        assertThat(client.get("/rest/api/uom/jobs/" + id).status()).isEqualTo(404);
        assertThat(hmc.jobs()).isEmpty();
    }

    @Test
    void powerOnOfARunningPartitionFailsWithHscl3681() {
        assertThat(HmcClient.text(run("PowerOn", Map.of()), "Status")).isEqualTo("COMPLETED_OK");

        Element again = run("PowerOn", Map.of());

        assertThat(HmcClient.text(again, "Status")).isEqualTo("COMPLETED_WITH_ERROR");
        assertThat(result(again)).startsWith("HSCL3681");
    }

    @Test
    void powerOffOfAStoppedPartitionFailsWithHscl1558() {
        Element job = run("PowerOff", Map.of("operation", "shutdown", "immediate", "true"));

        assertThat(HmcClient.text(job, "Status")).isEqualTo("COMPLETED_WITH_ERROR");
        assertThat(result(job)).startsWith("HSCL1558");
    }

    @Test
    void osShutdownWithoutRmcFailsWithHscl0db4AndVspShutdownWorks() {
        hmc.rmcDelay(Duration.ofMinutes(5), Duration.ofMinutes(5));
        run("PowerOn", Map.of());

        Element os = run("PowerOff", Map.of("operation", "osshutdown", "immediate", "true"));
        assertThat(HmcClient.text(os, "Status")).isEqualTo("COMPLETED_WITH_ERROR");
        assertThat(result(os)).startsWith("HSCL0DB4");
        assertThat(hmc.lpar(lpar).orElseThrow().state()).isEqualTo("running");

        Element vsp = run("PowerOff", Map.of("operation", "shutdown", "immediate", "false"));
        assertThat(HmcClient.text(vsp, "Status")).isEqualTo("COMPLETED_OK");
        assertThat(hmc.lpar(lpar).orElseThrow().state()).isEqualTo("not activated");
    }

    @Test
    void osShutdownWithRmcStopsThePartition() {
        hmc.rmcDelay(Duration.ZERO, Duration.ZERO);
        run("PowerOn", Map.of());
        await("RMC", () -> "active".equals(hmc.lpar(lpar).orElseThrow().rmcState()));

        Element os = run("PowerOff", Map.of("operation", "osshutdown", "immediate", "true"));

        assertThat(HmcClient.text(os, "Status")).isEqualTo("COMPLETED_OK");
        assertThat(hmc.lpar(lpar).orElseThrow().state()).isEqualTo("not activated");
        assertThat(hmc.lpar(lpar).orElseThrow().rmcState()).isEqualTo("inactive");
    }

    @Test
    void aRunningJobCanBeCancelledButNotDeleted() {
        hmc.jobDurations(Duration.ofMillis(10), Duration.ofSeconds(30));
        HmcClient.Answer started = client.put(doPath + "PowerOn", HmcClient.WEB + "JobRequest", jobRequest("PowerOn",
                Map.of()));
        String id = HmcClient.text(started.content(), "JobID");
        await("RUNNING", () -> !hmc.jobsRunning().isEmpty() && hmc.jobsRunning().get(0).status().equals("RUNNING"));

        assertThat(client.delete("/rest/api/uom/jobs/" + id).status()).isEqualTo(409);
        assertThat(client.put("/rest/api/uom/jobs/" + id + "/cancel", HmcClient.WEB + "JobRequest", "").status())
                .isEqualTo(204);

        Element job = client.get("/rest/api/uom/jobs/" + id).content();
        assertThat(HmcClient.text(job, "Status")).isEqualTo("COMPLETED_WITH_ERROR");
        assertThat(result(job)).contains("cancelled");
        assertThat(hmc.lpar(lpar).orElseThrow().state()).isEqualTo("not activated");
        assertThat(client.put("/rest/api/uom/jobs/" + id + "/cancel", HmcClient.WEB + "JobRequest", "").status())
                .isEqualTo(409);
        assertThat(client.delete("/rest/api/uom/jobs/" + id).status()).isEqualTo(204);
    }

    @Test
    void anInvalidParameterFailsBeforeCompletion() {
        Element job = run("PowerOn", Map.of("bootmode", "sideways"));

        assertThat(HmcClient.text(job, "Status")).isEqualTo("FAILED_BEFORE_COMPLETION");
        assertThat(result(job)).contains("bootmode");
        assertThat(hmc.lpar(lpar).orElseThrow().state()).isEqualTo("not activated");
    }

    @Test
    void aJobRequestForAnotherOperationIsRefused() {
        HmcClient.Answer a = client.put(doPath + "PowerOn", HmcClient.WEB + "JobRequest", jobRequest("PowerOff", Map.of()));

        assertThat(a.status()).isEqualTo(400);
    }

    @Test
    void failNextJobEndsTheNextJobWithTheGivenResult() {
        hmc.failNextJob("PowerOn", "HSCL1234 something broke");

        Element job = run("PowerOn", Map.of());

        assertThat(HmcClient.text(job, "Status")).isEqualTo("COMPLETED_WITH_ERROR");
        assertThat(result(job)).isEqualTo("HSCL1234 something broke");
        assertThat(HmcClient.text(run("PowerOn", Map.of()), "Status")).isEqualTo("COMPLETED_OK");
    }

    @Test
    void aBootThatFailsLeavesNoRmcAndReferenceCode0608() {
        hmc.rmcDelay(Duration.ZERO, Duration.ZERO).failNextBoot(lpar);

        run("PowerOn", Map.of());
        HmcClient.sleep(200);

        assertThat(hmc.lpar(lpar).orElseThrow().rmcState()).isEqualTo("inactive");
        assertThat(HmcClient.text(client.get("/rest/api/uom/LogicalPartition/" + lpar).content(), "ReferenceCode"))
                .isEqualTo("0608");
    }

    @Test
    void activationTakesMemoryAndProcessorsFromTheSystemAndShutdownGivesThemBack() {
        hmc.systemCapacity(2048, 0.5);
        run("PowerOn", Map.of());
        Element system = client.get("/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid()).content();
        assertThat(HmcClient.text(system, "AssociatedSystemMemoryConfiguration/CurrentAvailableSystemMemory")).isEqualTo("0");

        String other = hmc.lpar(PowerVmSimulator.LV_TEMPLATE).orElseThrow().uuid();
        Element refused = client.runJob("/rest/api/uom/LogicalPartition/" + other + "/do/PowerOn", "PowerOn",
                "LogicalPartition", Map.of());
        assertThat(HmcClient.text(refused, "Status")).isEqualTo("COMPLETED_WITH_ERROR");
        assertThat(result(refused)).contains("memory");

        run("PowerOff", Map.of("operation", "shutdown", "immediate", "true"));
        system = client.get("/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid()).content();
        assertThat(HmcClient.text(system, "AssociatedSystemMemoryConfiguration/CurrentAvailableSystemMemory"))
                .isEqualTo("2048");
    }

    static String jobRequest(String op, Map<String, String> params) {
        StringBuilder p = new StringBuilder();
        params.forEach((k, v) -> p.append("<JobParameter schemaVersion=\"V1_0\"><Metadata><Atom/></Metadata><ParameterName>")
                .append(k).append("</ParameterName><ParameterValue>").append(v).append("</ParameterValue></JobParameter>"));
        return "<JobRequest:JobRequest xmlns:JobRequest=\"" + HmcClient.WEB_NS + "\" xmlns=\"" + HmcClient.WEB_NS
                + "\" schemaVersion=\"V1_0\"><Metadata><Atom/></Metadata><RequestedOperation schemaVersion=\"V1_0\">"
                + "<Metadata><Atom/></Metadata><OperationName>" + op + "</OperationName><GroupName>LogicalPartition"
                + "</GroupName></RequestedOperation><JobParameters schemaVersion=\"V1_0\"><Metadata><Atom/></Metadata>" + p
                + "</JobParameters></JobRequest:JobRequest>";
    }
}
