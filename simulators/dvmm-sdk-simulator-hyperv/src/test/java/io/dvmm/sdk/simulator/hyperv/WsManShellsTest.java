package io.dvmm.sdk.simulator.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shells: reuse, quotas, idle timeout, OperationTimeout, multi-chunk output, authentication and AllowUnencrypted. */
class WsManShellsTest {

    static final ScriptCatalog CATALOG = ScriptCatalog.provider();

    private static String listVms() {
        return Scripts.commandLine(CATALOG, "list-vms", Map.of());
    }

    @Test
    void oneShellRunsManyCommandsInThreeMessagesEach() {
        try (HyperVSimulator sim = HyperVSimulator.builder().scripts(CATALOG).build().start()) {
            WsManTestClient c = new WsManTestClient(sim);
            String shell = c.createShell(Map.of());
            for (int i = 0; i < 5; i++) {
                String cmd = c.command(shell, listVms());
                WsManTestClient.Output o = c.receiveAll(shell, cmd);
                assertThat(o.exitCode()).isZero();
                assertThat(o.receives()).isEqualTo(1);
                assertThat(o.stderr().isEmpty()).as("progress noise only on the shell's first command").isEqualTo(i > 0);
                c.signal(shell, cmd);
            }
            c.delete(shell);
            assertThat(sim.count(HyperVSimulator.COMMAND) + sim.count(HyperVSimulator.RECEIVE) + sim.count(HyperVSimulator.SIGNAL))
                    .isEqualTo(15);
            assertThat(sim.scriptCount("list-vms")).isEqualTo(5);
            assertThat(sim.openShells()).isEmpty();
            sim.violations().assertNone();
        }
    }

    @Test
    void maxShellsPerUserIsTheQuotaFault() {
        try (HyperVSimulator sim = HyperVSimulator.builder().scripts(CATALOG).maxShellsPerUser(2).build().start()) {
            WsManTestClient c = new WsManTestClient(sim);
            String a = c.createShell(Map.of());
            c.createShell(Map.of());
            WsManTestClient.Exchange third = c.post(c.envelope(WsManTestClient.TRANSFER + "/Create", null, null,
                    "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>"));
            assertThat(third.status()).isEqualTo(500);
            assertThat(third.wsmanFaultCode()).isEqualTo("2150859173");
            assertThat(third.body()).contains("w:QuotaLimit").contains("maximum number of 2 concurrent shells");
            c.delete(a);
            assertThat(c.createShell(Map.of())).isNotBlank();
            assertThat(sim.openShells()).hasSize(2);
        }
    }

    @Test
    void anIdleShellIsGoneAndAClientMustReopen() throws Exception {
        try (HyperVSimulator sim = HyperVSimulator.builder().scripts(CATALOG).shellIdleTimeout(Duration.ofMillis(200)).build().start()) {
            WsManTestClient c = new WsManTestClient(sim);
            String shell = c.createShell(Map.of());
            Thread.sleep(400);
            WsManTestClient.Exchange e = c.commandExchange(shell, listVms());
            assertThat(e.wsmanFaultCode()).isEqualTo("2150858843");
            assertThat(c.delete(shell).wsmanFaultCode()).as("Delete of an expired shell").isEqualTo("2150858843");
            assertThat(c.run(listVms()).exitCode()).isZero();
        }
    }

    @Test
    void dropShellsEndsEveryShell() {
        try (HyperVSimulator sim = HyperVSimulator.builder().scripts(CATALOG).build().start()) {
            WsManTestClient c = new WsManTestClient(sim);
            String shell = c.createShell(Map.of());
            assertThat(sim.openShells()).hasSize(1);
            sim.dropShells();
            assertThat(c.commandExchange(shell, listVms()).wsmanFaultCode()).isEqualTo("2150858843");
        }
    }

    @Test
    void aReceiveThatWaitsLongerThanItsOperationTimeoutIsTheTimedOutFault() {
        try (HyperVSimulator sim = HyperVSimulator.builder().scripts(CATALOG).commandDelay(Duration.ofMillis(1200)).build().start()) {
            WsManTestClient c = new WsManTestClient(sim);
            c.operationTimeout = "PT0.5S";
            String shell = c.createShell(Map.of());
            String cmd = c.command(shell, listVms());
            WsManTestClient.Exchange first = c.receiveExchange(shell, cmd);
            assertThat(first.status()).isEqualTo(500);
            assertThat(first.wsmanFaultCode()).isEqualTo("2150858793");
            assertThat(first.body()).contains("w:TimedOut").contains("s:Receiver");
            WsManTestClient.Output o = c.receiveAll(shell, cmd);
            assertThat(o.exitCode()).isZero();
            assertThat(Scripts.result(o.stdout()).path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void stdoutSpreadOverSeveralReceivesSaysRunningUntilTheLast() {
        try (HyperVSimulator sim = HyperVSimulator.builder().scripts(CATALOG).stdoutReceives(3).vms(20).build().start()) {
            WsManTestClient c = new WsManTestClient(sim);
            String shell = c.createShell(Map.of());
            String cmd = c.command(shell, listVms());
            WsManTestClient.Exchange first = c.receiveExchange(shell, cmd);
            assertThat(first.body()).contains("CommandState/Running").doesNotContain("ExitCode");
            WsManTestClient.Output rest = c.receiveAll(shell, cmd);
            assertThat(rest.receives()).isEqualTo(2);
            assertThat(rest.exitCode()).isZero();
        }
    }

    @Test
    void aLargeOutputIsCutToTheClientsMaxEnvelopeSize() {
        try (HyperVSimulator sim = HyperVSimulator.builder().scripts(CATALOG).vms(300).build().start()) {
            WsManTestClient c = new WsManTestClient(sim);
            WsManTestClient.Output o = c.run(listVms());
            assertThat(o.receives()).isGreaterThan(1);
            assertThat(Scripts.result(o.stdout()).path("data").size()).isEqualTo(301);
        }
    }

    @Test
    void wrongBasicCredentialsAre401() {
        try (HyperVSimulator sim = HyperVSimulator.builder().scripts(CATALOG).build().start()) {
            WsManTestClient bad = new WsManTestClient(sim, sim.username(), "nope");
            WsManTestClient.Exchange e = bad.post(bad.envelope(WsManTestClient.TRANSFER + "/Create", null, null, "<rsp:Shell/>"));
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.headers().get("www-authenticate")).containsExactly("Basic realm=\"WSMAN\"");
            assertThat(sim.count(HyperVSimulator.UNAUTHORIZED)).isEqualTo(1);
            assertThat(sim.count(HyperVSimulator.CREATE)).isZero();
        }
    }

    @Test
    void basicOverHttpNeedsAllowUnencrypted() {
        try (HyperVSimulator sim = HyperVSimulator.builder().tls(false).scripts(CATALOG).build().start()) {
            WsManTestClient c = new WsManTestClient(sim);
            WsManTestClient.Exchange e = c.post(c.envelope(WsManTestClient.TRANSFER + "/Create", null, null, "<rsp:Shell/>"));
            assertThat(e.status()).isEqualTo(401);
            assertThat(sim.violations().list()).anyMatch(v -> v.contains("AllowUnencrypted"));
        }
        try (HyperVSimulator sim = HyperVSimulator.builder().tls(false).allowUnencrypted(true).scripts(CATALOG).build().start()) {
            assertThat(new WsManTestClient(sim).run(listVms()).exitCode()).isZero();
            sim.violations().assertNone();
        }
    }

    @Test
    void environmentVariablesOfTheCreateBodyReachTheShell() {
        try (HyperVSimulator sim = HyperVSimulator.builder().scripts(CATALOG).build().start()) {
            WsManTestClient c = new WsManTestClient(sim);
            String shell = c.createShell(WsManTestClient.env("HVSDK_ARGS", Base64.getEncoder().encodeToString("{}".getBytes())));
            assertThat(sim.openShells().get(0).environment()).containsKey("HVSDK_ARGS");
            assertThat(sim.openShells().get(0).codePage()).isEqualTo(437);
            c.delete(shell);
        }
    }
}
