package io.dvmm.sdk.simulator.hyperv;

import static io.dvmm.sdk.simulator.hyperv.HostCalls.args;
import static io.dvmm.sdk.simulator.hyperv.HostCalls.linked;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.simulator.RequestLog;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Check (e), the simulator half: strings that would be code if spliced into PowerShell (quotes including
 * U+2018–U+201B, {@code $()}, backticks, {@code ;}, newlines, here-string ends, a leading {@code -}, wildcards) used as
 * VM names, notes, paths and switch names reach the model as data, exactly, and never appear in any script text.
 */
class InjectionCorpusTest {

    static final List<String> CORPUS = List.of(
            "it's", "say \"hi\"", "\u2018left\u2019", "\u201alow\u201b", "\u201cdouble\u201d", "$(Hyper-V\\Remove-VM *)",
            "`whoami`", "a;Remove-Item C:\\ -Recurse", "line1\nline2", "'@\nhere\n'@", "\"@\nhere\n\"@", "-Force",
            "[abc]", "*", "?", "x*y?z[1]", "'; exit 0; '", "\u2019;Stop-Computer;\u2018");

    static HyperVSimulator sim;
    static ScriptCatalog catalog;
    static HostCalls h;

    @BeforeAll
    static void start() {
        catalog = ScriptCatalog.provider();
        sim = HyperVSimulator.builder().scripts(catalog).build().start();
        h = new HostCalls(sim, catalog);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void vmNamesAndNotesAreStoredExactly() {
        int i = 0;
        for (String s : CORPUS) {
            Map<String, Object> a = linked(s, "inj-" + i++);
            a.put("notes", s + "\r\n[hvsdk-meta:e30=]");
            JsonNode vm = h.data("create-linked", a);
            String id = vm.path("id").asText();
            assertThat(vm.path("name").asText()).isEqualTo(s);
            assertThat(sim.vm(id).orElseThrow().name()).isEqualTo(s);
            assertThat(sim.vm(id).orElseThrow().notes()).isEqualTo(s + "\r\n[hvsdk-meta:e30=]");
            JsonNode found = h.data("find-vm", args("name", s));
            assertThat(found.size()).as("find-vm " + s).isEqualTo(1);
            h.data("set-metadata", args("id", id, "notes", s, "expected", s + "\r\n[hvsdk-meta:e30=]"));
            assertThat(sim.vm(id).orElseThrow().notes()).isEqualTo(s);
        }
        assertThat(sim.vms()).hasSize(CORPUS.size() + 1);
        assertNeverInScriptText();
    }

    @Test
    void switchNamesAreStoredExactly() {
        String id = h.data("create-linked", linked("sw", "inj-sw")).path("id").asText();
        for (String s : CORPUS) {
            sim.addSwitch(s, "Private");
            JsonNode vm = h.data("reconfigure", args("id", id, "nics", List.of(args("name", "Network Adapter", "switch", s))));
            assertThat(vm.path("nics").get(0).path("switch").asText()).isEqualTo(s);
            assertThat(sim.vm(id).orElseThrow().nics().get(0).switchName()).isEqualTo(s);
        }
        assertNeverInScriptText();
    }

    @Test
    void pathsAreTakenLiterallyAndOnlyWindowsRefusesWhatNoFileNameMayHold() {
        String chunk = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        for (String s : CORPUS) {
            String path = "D:\\vms\\files\\" + s + ".bin";
            JsonNode r = h.call("copy-file", args("path", path, "root", "D:\\vms", "chunk", chunk, "offset", 0, "last", true));
            boolean illegal = s.chars().anyMatch(c -> c == '"' || c == '*' || c == '?' || c == ':' || c < 32);
            if (illegal) {
                assertThat(r.path("ok").asBoolean()).as(s).isFalse();
                assertThat(r.path("type").asText()).isEqualTo("System.Management.Automation.MethodInvocationException");
                assertThat(sim.file(path.replace('\n', '_'))).isEmpty();
            } else {
                assertThat(r.path("ok").asBoolean()).as(s + " " + r).isTrue();
                assertThat(r.path("data").path("path").asText()).isEqualTo(path);
                assertThat(sim.file(path).orElseThrow().content().orElseThrow()).containsExactly(1, 2, 3);
            }
        }
        assertThat(sim.files()).anyMatch(f -> f.path().equals("D:\\vms\\files\\[abc].bin"))
                .noneMatch(f -> f.path().equals("D:\\vms\\files\\a.bin"));
        assertNeverInScriptText();
    }

    @Test
    void aTemplatesFolderAndAnOwnedRootWithWildcardsAreLiteral() {
        sim.addTemplateVhd("D:\\tpl [x]\\base*.vhdx".replace("*", "-"), 10L << 30);
        JsonNode inv = h.data("inventory", args("templates", "D:\\tpl [x]"));
        assertThat(inv.path("templates").get(0).path("path").asText()).isEqualTo("D:\\tpl [x]\\base-.vhdx");
        h.call("copy-file", args("path", "D:\\own [1]\\$(x)\\f", "root", "D:\\own [1]", "chunk", "AA==", "offset", 0));
        assertThat(sim.file("D:\\own [1]\\$(x)\\f")).isPresent();
        assertNeverInScriptText();
    }

    /** Every script the host ran was a catalog text with a base64 literal in the placeholder, so none holds corpus text. */
    private static void assertNeverInScriptText() {
        sim.violations().assertNone();
        List<RequestLog.Entry> runs = sim.scriptRuns().snapshot();
        assertThat(runs).isNotEmpty();
        for (RequestLog.Entry e : runs) {
            String text = e.bodyText();
            String op = e.operation().substring("script:".length());
            String template = catalog.template(op).orElseThrow();
            int at = template.indexOf(ScriptCatalog.PLACEHOLDER);
            String literal = text.substring(at, text.length() - (template.length() - at - ScriptCatalog.PLACEHOLDER.length()));
            assertThat(literal).matches("[A-Za-z0-9+/]*={0,2}");
            assertThat(text).isEqualTo(template.replace(ScriptCatalog.PLACEHOLDER, literal));
            for (String s : CORPUS) {
                if (!template.contains(s)) {
                    assertThat(text).as(e.operation()).doesNotContain(s);
                }
            }
        }
    }
}
