package io.dvmm.sdk.simulator.hyperv;

import static io.dvmm.sdk.simulator.hyperv.HostCalls.args;
import static io.dvmm.sdk.simulator.hyperv.HostCalls.linked;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Power states with their real names and timings, guest shutdown, and KVP addresses appearing after boot. */
class ModelPowerTest {

    static final ScriptCatalog CATALOG = ScriptCatalog.provider();
    HyperVSimulator sim;
    HostCalls h;
    String id;

    @BeforeEach
    void start() {
        sim = HyperVSimulator.builder().scripts(CATALOG).startDelay(Duration.ofMillis(300)).guestIpDelay(Duration.ofMillis(1500))
                .guestShutdownDelay(Duration.ofMillis(200)).saveDelay(Duration.ofMillis(100)).build().start();
        h = new HostCalls(sim, CATALOG);
        id = h.data("create-linked", linked("pw", "pw")).path("id").asText();
        h.data("reconfigure", args("id", id, "nics", List.of(args("name", "Network Adapter", "switch", "Default Switch"),
                args("name", "private", "switch", "Isolated"))));
    }

    @AfterEach
    void stop() {
        sim.violations().assertNone();
        sim.close();
    }

    private Map<String, Object> vm() {
        return args("id", id);
    }

    private static List<String> ips(JsonNode vm, int nic) {
        List<String> out = new ArrayList<>();
        vm.path("nics").get(nic).path("ips").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void startShowsStartingUntilRunningAndTheScriptWaitsForIt() throws Exception {
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicReference<String> meanwhile = new java.util.concurrent.atomic.AtomicReference<>();
        Thread probe = new Thread(() -> {
            HostCalls.sleep(120);
            meanwhile.set(sim.vm(id).orElseThrow().state());
        });
        probe.start();
        JsonNode started = h.data("start", vm());
        probe.join();
        assertThat(meanwhile.get()).isEqualTo("Starting");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(started.path("state").asText()).isEqualTo("Running");
        assertThat(started.path("nics").get(0).path("mac").asText()).matches("00155D[0-9A-F]{6}");
        assertThat(h.data("start", vm()).path("state").asText()).as("Running stays Running").isEqualTo("Running");
    }

    @Test
    void guestAddressesAppearAfterBootLinkLocalFirst() {
        h.data("start", vm());
        JsonNode first = h.data("guest-ips", vm());
        assertThat(ips(first, 0)).isEmpty();
        assertThat(first.path("heartbeat").asText()).isEqualTo("NoContact");
        JsonNode early = h.await("guest-ips", vm(), d -> !ips(d, 0).isEmpty());
        if (ips(early, 0).size() == 2) {
            assertThat(ips(early, 0)).allMatch(ip -> ip.startsWith("169.254.") || ip.startsWith("fe80::"));
        }
        JsonNode full = h.await("guest-ips", vm(), d -> ips(d, 0).size() == 3);
        assertThat(ips(full, 0).get(0)).startsWith("172.20.");
        assertThat(ips(full, 0).get(1)).startsWith("fe80::215:5dff:fe");
        assertThat(ips(full, 0).get(2)).startsWith("fd00:20::");
        assertThat(ips(full, 1)).as("a Private switch has no DHCP").allMatch(ip -> ip.startsWith("169.254.") || ip.startsWith("fe80::"));
        assertThat(full.path("heartbeat").asText()).isEqualTo("OkApplicationsUnknown");
        assertThat(full.path("kvp").path("NetworkAddressIPv4").asText()).contains(ips(full, 0).get(0)).contains(";169.254.");
        assertThat(full.path("kvp").path("OSName").asText()).isEqualTo("Ubuntu 24.04 LTS");
        assertThat(full.path("kvp").path("FullyQualifiedDomainName").asText()).isEqualTo("pw");
        sim.setGuestAddresses(id, "Network Adapter", List.of("192.0.2.10", "fe80::1"));
        assertThat(ips(h.data("get-vm", vm()), 0)).containsExactly("192.0.2.10", "fe80::1");
        assertThat(h.data("get-vm", vm()).path("uptimeSec").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void guestShutdownTurnsTheVmOffLaterUnlessTheGuestIgnoresIt() {
        h.data("start", vm());
        JsonNode asked = h.data("shutdown", vm());
        assertThat(asked.path("state").asText()).as("returns at once").isEqualTo("Running");
        h.await("get-vm", vm(), d -> d.path("state").asText().equals("Off"));
        assertThat(h.data("shutdown", vm()).path("state").asText()).as("Off: nothing to do").isEqualTo("Off");
        h.data("start", vm());
        sim.setIgnoresShutdown(id, true);
        h.data("shutdown", vm());
        HostCalls.sleep(400);
        assertThat(h.data("get-vm", vm()).path("state").asText()).isEqualTo("Running");
        assertThat(h.data("turn-off", vm()).path("state").asText()).isEqualTo("Off");
        h.data("start", vm());
        sim.setShutdownReturnValue(id, 32775);
        assertThat(h.error("shutdown", vm())).isEqualTo("HvsdkOperationFailed");
        assertThat(h.error("restart", args("id", id, "guest", true))).isEqualTo("HvsdkOperationFailed");
        sim.setShutdownReturnValue(id, 0);
        sim.setIntegrationServices(id, false);
        assertThat(h.error("shutdown", vm())).isEqualTo("HvsdkInvalidState");
        assertThat(h.data("guest-ips", vm()).path("heartbeat").asText()).isEmpty();
    }

    @Test
    void saveResumeRestartAndTheirInvalidStates() {
        assertThat(h.error("save", vm())).isEqualTo("HvsdkInvalidState");
        assertThat(h.error("resume", vm())).isEqualTo("HvsdkInvalidState");
        assertThat(h.error("restart", vm())).isEqualTo("HvsdkInvalidState");
        h.data("start", vm());
        assertThat(h.data("save", vm()).path("state").asText()).isEqualTo("Saved");
        assertThat(h.data("save", vm()).path("state").asText()).isEqualTo("Saved");
        assertThat(h.data("resume", vm()).path("state").asText()).isEqualTo("Running");
        h.await("get-vm", vm(), d -> ips(d, 0).size() == 3);
        h.data("save", vm());
        assertThat(ips(h.data("resume", vm()), 0)).as("addresses survive the saved state").hasSize(3);
        assertThat(h.data("restart", vm()).path("state").asText()).isEqualTo("Running");
        assertThat(ips(h.data("get-vm", vm()), 0)).as("a hard reset reboots the guest").isEmpty();
        h.data("save", vm());
        assertThat(h.data("turn-off", vm()).path("state").asText()).as("turn-off drops the saved state").isEqualTo("Off");
        sim.setVmState(id, "Paused");
        assertThat(h.data("start", vm()).path("state").asText()).as("Start on Paused resumes").isEqualTo("Running");
        sim.setVmState(id, "OffCritical");
        assertThat(h.error("start", vm())).isEqualTo("InvalidState,Microsoft.HyperV.PowerShell.Commands.StartVM");
    }

    @Test
    void deletingAnotherLinkedVmKeepsTheSharedTemplate() {
        h.data("turn-off", vm());
        h.data("delete", args("id", h.data("create-linked", linked("other", "other")).path("id").asText(), "ownedRoot", "D:\\vms"));
        assertThat(sim.file(HyperVSimulator.TEMPLATE_VHDX)).isPresent();
        assertThat(h.data("start", vm()).path("state").asText()).isEqualTo("Running");
    }
}
