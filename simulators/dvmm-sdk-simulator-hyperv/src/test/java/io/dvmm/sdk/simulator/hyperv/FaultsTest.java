package io.dvmm.sdk.simulator.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.FaultRule;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The core's fault plan, keyed by WS-Man action ({@code wsman:Receive}) and by script operation ({@code script:create-linked}). */
class FaultsTest {

    static final ScriptCatalog CATALOG = ScriptCatalog.provider();
    HyperVSimulator sim;
    WsManTestClient c;

    @BeforeEach
    void start() {
        sim = HyperVSimulator.builder().scripts(CATALOG).build().start();
        c = new WsManTestClient(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    static Map<String, Object> linked(String name, String folder) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", name);
        a.put("root", HyperVSimulator.VM_ROOT);
        a.put("folder", folder);
        a.put("template", HyperVSimulator.TEMPLATE_VHDX);
        a.put("gen", 2);
        a.put("memBytes", 2L << 30);
        a.put("cpu", 2);
        return a;
    }

    @Test
    void a503WithRetryAfterOnCreateOpensNoShell() {
        sim.faults().add(FaultRule.onOperation(HyperVSimulator.CREATE).times(1)
                .then(Fault.status(503, "Service Unavailable").retryAfter(Duration.ofSeconds(2))));
        WsManTestClient.Exchange e = c.post(c.envelope(WsManTestClient.TRANSFER + "/Create", null, null,
                "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>"));
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.headers().get("retry-after")).containsExactly("2");
        assertThat(sim.openShells()).isEmpty();
        assertThat(c.createShell(Map.of())).isNotBlank();
        assertThat(sim.faults().injected()).hasSize(1);
    }

    @Test
    void aCreateWhoseAnswerIsLostAfterItWasAppliedLeavesTheVm() {
        sim.faults().add(FaultRule.onOperation("script:create-linked").times(1).then(Fault.reset()));
        String shell = c.createShell(Map.of());
        String cmd = c.command(shell, Scripts.commandLine(CATALOG, "create-linked", linked("lost-1", "lost-1")));
        assertThatThrownBy(() -> c.receiveExchange(shell, cmd)).hasRootCauseInstanceOf(java.io.IOException.class);
        assertThat(sim.vmsNamed("lost-1")).hasSize(1);
        assertThat(c.receiveExchange(shell, cmd).wsmanFaultCode()).as("its output was sent once").isEqualTo("2150858843");
        WsManTestClient.Output again = c.run(Scripts.commandLine(CATALOG, "create-linked", linked("lost-1", "lost-1")));
        assertThat(Scripts.result(again.stdout()).path("id").asText()).isEqualTo("HvsdkConflict");
        assertThat(sim.vmsNamed("lost-1")).hasSize(1);
    }

    @Test
    void aScriptFaultNotAppliedAnswersTheCommandAndRunsNothing() {
        sim.faults().add(FaultRule.onOperation("script:create-linked").times(1).then(Fault.reset().notApplied()));
        String shell = c.createShell(Map.of());
        assertThatThrownBy(() -> c.commandExchange(shell, Scripts.commandLine(CATALOG, "create-linked", linked("never", "never"))))
                .hasRootCauseInstanceOf(java.io.IOException.class);
        assertThat(sim.vmsNamed("never")).isEmpty();
        assertThat(sim.openShells().get(0).openCommands()).isZero();
        assertThat(sim.scriptCount("create-linked")).isEqualTo(1);
    }

    @Test
    void aScriptStatusFaultIsA503OnItsCommand() {
        sim.faults().add(FaultRule.onOperation("script:list-*").times(1).then(Fault.status(503, "Service Unavailable")));
        String shell = c.createShell(Map.of());
        WsManTestClient.Exchange e = c.commandExchange(shell, Scripts.commandLine(CATALOG, "list-vms", Map.of()));
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.body()).contains("Service Unavailable");
        assertThat(c.command(shell, Scripts.commandLine(CATALOG, "list-vms", Map.of()))).isNotBlank();
    }

    @Test
    void aDelayedReceiveComesLate() {
        sim.faults().add(FaultRule.onOperation(HyperVSimulator.RECEIVE).times(1).then(Fault.delay(Duration.ofMillis(400))));
        long t0 = System.nanoTime();
        assertThat(c.run(Scripts.commandLine(CATALOG, "list-vms", Map.of())).exitCode()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void truncatedAndMalformedReceives() {
        String shell = c.createShell(Map.of());
        sim.faults().add(FaultRule.onOperation(HyperVSimulator.RECEIVE).times(1).then(Fault.truncatedBody()));
        String cmd = c.command(shell, Scripts.commandLine(CATALOG, "list-vms", Map.of()));
        assertThatThrownBy(() -> c.receiveExchange(shell, cmd)).hasRootCauseInstanceOf(java.io.IOException.class);
        sim.faults().add(FaultRule.onOperation(HyperVSimulator.RECEIVE).times(1).then(Fault.malformedBody()));
        String cmd2 = c.command(shell, Scripts.commandLine(CATALOG, "list-vms", Map.of()));
        WsManTestClient.Exchange bad = c.receiveExchange(shell, cmd2);
        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.body()).contains("<<malformed by the fault plan>>");
    }

    @Test
    void aLostCommandResponseStillStartedTheCommand() {
        String shell = c.createShell(Map.of());
        sim.faults().add(FaultRule.onOperation(HyperVSimulator.COMMAND).times(1).then(Fault.reset()));
        assertThatThrownBy(() -> c.commandExchange(shell, Scripts.commandLine(CATALOG, "list-vms", Map.of())))
                .hasRootCauseInstanceOf(java.io.IOException.class);
        assertThat(sim.openShells().get(0).openCommands()).isEqualTo(1);
    }
}
