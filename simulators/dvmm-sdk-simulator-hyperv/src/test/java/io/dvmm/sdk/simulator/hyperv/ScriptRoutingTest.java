package io.dvmm.sdk.simulator.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Script checking ("only the placeholder differs") and routing, on the provider's own scripts. */
class ScriptRoutingTest {

    static HyperVSimulator sim;
    static ScriptCatalog catalog;
    static String templateVmId;
    WsManTestClient c;

    @BeforeAll
    static void start() {
        catalog = ScriptCatalog.provider();
        sim = HyperVSimulator.builder().scripts(catalog).build().start();
        templateVmId = sim.vmsNamed(HyperVSimulator.TEMPLATE_VM).get(0).id();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void client() {
        c = new WsManTestClient(sim);
        sim.violations().clear();
    }

    private WsManTestClient.Output runText(String scriptText) {
        return c.run(Scripts.commandLine(scriptText));
    }

    private void assertRefused(WsManTestClient.Output o) {
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.stdout()).doesNotContain("@@HVSDK@@");
        assertThat(o.stderr()).contains("ParserError").contains("HvsdkScriptNotInCatalog");
        assertThat(sim.violations().list()).anyMatch(v -> v.contains("script refused"));
    }

    @Test
    void theProviderCatalogHasEveryScriptOfTheContractAndEachIsModelled() {
        assertThat(catalog.operations()).hasSize(25).contains("list-vms", "create-linked", "copy-file", "delete");
        for (String op : catalog.operations()) {
            c.run(Scripts.commandLine(catalog, op, Map.of()));
        }
        assertThat(sim.violations().list()).noneMatch(v -> v.contains("no model"));
        assertThat(sim.scriptRuns().counts()).hasSize(25);
    }

    @Test
    void aTamperedScriptFailsLikeAParseError() {
        String text = catalog.withArgument("list-vms", Scripts.b64("{}")).replace("Hyper-V\\Get-VM", "Hyper-V\\Get-VMx");
        assertRefused(runText(text));
        String extra = catalog.withArgument("list-vms", Scripts.b64("{}")) + "\nRemove-Item C:\\ -Recurse";
        assertRefused(runText(extra));
    }

    @Test
    void codeInPlaceOfTheBase64LiteralIsRefused() {
        assertRefused(runText(catalog.withArgument("get-vm", "x';Hyper-V\\Remove-VM *;'")));
        assertRefused(runText(catalog.withArgument("get-vm", "e30=$(calc)")));
        assertRefused(runText(catalog.withArgument("get-vm", "e30")));
    }

    @Test
    void anUnknownOperationIsRefused() {
        assertRefused(runText("# hvsdk:format-disk\n$b='__HVSDK_ARGS__'"));
        assertRefused(runText("Hyper-V\\Get-VM"));
    }

    @Test
    void theArgumentMayComeFromTheShellEnvironment() {
        String b64 = Base64.getEncoder().encodeToString(("{\"id\":\"" + templateVmId + "\"}").getBytes(StandardCharsets.UTF_8));
        WsManTestClient.Output o = c.run(Scripts.commandLine(catalog.withArgument("get-vm", "")),
                WsManTestClient.env("HVSDK_ARGS", b64));
        JsonNode r = Scripts.result(o.stdout());
        assertThat(r.path("data").path("name").asText()).isEqualTo(HyperVSimulator.TEMPLATE_VM);
        sim.violations().assertNone();
    }

    @Test
    void anEmptyPlaceholderWithoutTheVariableFailsInThePrelude() {
        WsManTestClient.Output o = c.run(Scripts.commandLine(catalog.withArgument("get-vm", "")));
        JsonNode r = Scripts.result(o.stdout());
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(r.path("ok").asBoolean()).isFalse();
        assertThat(r.path("id").asText()).isEqualTo("ArgumentNullException");
        assertThat(r.path("type").asText()).isEqualTo("System.Management.Automation.MethodInvocationException");
    }

    @Test
    void jsonIsReadAsConvertFromJsonReadsIt() {
        JsonNode invalid = Scripts.result(c.run(Scripts.commandLine(catalog.withArgument("get-vm", Scripts.b64("{id:")))).stdout());
        assertThat(invalid.path("id").asText()).isEqualTo("System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand");
        JsonNode dup = Scripts.result(c.run(Scripts.commandLine(catalog.withArgument("get-vm",
                Scripts.b64("{\"id\":\"a\",\"ID\":\"b\"}")))).stdout());
        assertThat(dup.path("id").asText()).startsWith("DuplicateKeysInJsonString");
        JsonNode upper = Scripts.result(c.run(Scripts.commandLine(catalog.withArgument("get-vm",
                Scripts.b64("{\"ID\":\"" + templateVmId + "\"}")))).stdout());
        assertThat(upper.path("data").path("id").asText()).as("member names are case-insensitive").isEqualTo(templateVmId);
    }

    @Test
    void aMissingRequiredFieldIsHvsdkInvalidArgumentAndAnUnknownOneAViolation() {
        JsonNode missing = Scripts.result(c.run(Scripts.commandLine(catalog, "find-vm", Map.of())).stdout());
        assertThat(missing.path("ok").asBoolean()).isFalse();
        assertThat(missing.path("id").asText()).isEqualTo("HvsdkInvalidArgument");
        assertThat(missing.path("msg").asText()).contains("'name'");
        assertThat(missing.path("type").asText()).isEqualTo("System.Exception");
        JsonNode wrongType = Scripts.result(c.run(Scripts.commandLine(catalog, "find-vm", Map.of("name", 7))).stdout());
        assertThat(wrongType.path("id").asText()).isEqualTo("HvsdkInvalidArgument");
        c.run(Scripts.commandLine(catalog, "find-vm", Map.of("name", "x", "nmae", "y")));
        assertThat(sim.violations().list()).anyMatch(v -> v.contains("[nmae]"));
    }

    @Test
    void aNonCanonicalPowerShellLineRunsButIsAViolation() {
        String b64 = Base64.getEncoder().encodeToString(catalog.withArgument("list-vms", Scripts.b64("{}"))
                .getBytes(StandardCharsets.UTF_16LE));
        WsManTestClient.Output o = c.run("powershell -encodedcommand " + b64);
        assertThat(o.exitCode()).isZero();
        assertThat(sim.violations().list()).anyMatch(v -> v.contains("the command line is not"));
    }

    @Test
    void aCommandThatIsNotPowerShellIsCmdsUnknownCommand() {
        WsManTestClient.Output o = c.run("ipconfig /all");
        assertThat(o.exitCode()).isEqualTo(9009);
        assertThat(o.stderr()).contains("'ipconfig' is not recognized as an internal or external command");
        assertThat(sim.violations().list()).anyMatch(v -> v.contains("not a PowerShell command line"));
    }

    @Test
    void aSmallTestCatalogIsAllTheHostKnows() {
        String mine = "# hvsdk:list-vms\n$b='__HVSDK_ARGS__'\n# a test script\n";
        ScriptCatalog small = ScriptCatalog.of(Map.of("list-vms", mine));
        try (HyperVSimulator s = HyperVSimulator.builder().scripts(small).build().start()) {
            WsManTestClient t = new WsManTestClient(s);
            assertThat(Scripts.result(t.run(Scripts.commandLine(small, "list-vms", Map.of())).stdout()).path("ok").asBoolean()).isTrue();
            WsManTestClient.Output other = t.run(Scripts.commandLine(catalog, "list-vms", Map.of()));
            assertThat(other.exitCode()).isEqualTo(1);
            assertThat(s.violations().list()).anyMatch(v -> v.contains("differs from the catalog"));
        }
    }

    @Test
    void aCatalogEntryMustNameItsOperationAndHoldThePlaceholderOnce() {
        assertThatThrownBy(() -> ScriptCatalog.of(Map.of("x", "# hvsdk:y\n'__HVSDK_ARGS__'"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScriptCatalog.of(Map.of("x", "# hvsdk:x\nno placeholder"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScriptCatalog.of(Map.of("x", "# hvsdk:x\n'__HVSDK_ARGS__' '__HVSDK_ARGS__'")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
