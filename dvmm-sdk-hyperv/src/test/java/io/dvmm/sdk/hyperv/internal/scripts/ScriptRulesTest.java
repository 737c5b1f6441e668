package io.dvmm.sdk.hyperv.internal.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.hyperv.internal.scripts.CmdletCatalogue.Cmdlet;
import io.dvmm.sdk.hyperv.internal.scripts.ParsedScript.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rules every script follows (README.md beside the scripts), checked on the text as sent. */
class ScriptRulesTest {

    /** What the scripts may be at most, as sent, so that an argument of {@link #MIN_INLINE_BYTES} still fits inline. */
    static final int MAX_SCRIPT_CHARS = 2_500;
    static final int MIN_INLINE_BYTES = 300;

    private static final Path SCRIPTS = Path.of("src/main/resources/io/dvmm/sdk/hyperv/internal/scripts");

    @Test
    void everyResourceIsAnOperationAndEveryOperationHasItsResource() throws IOException {
        Set<String> files;
        try (Stream<Path> s = Files.list(SCRIPTS)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ps1")).collect(Collectors.toSet());
        }
        Set<String> expected = Arrays.stream(HyperVScript.values()).map(HyperVScript::resourceName).collect(Collectors.toSet());
        expected.add(HyperVScript.PRELUDE_RESOURCE);
        assertThat(files).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Files.readString(SCRIPTS.resolve("README.md"))).as("the contract names every script")
                .contains(expected.stream().filter(n -> !n.equals(HyperVScript.PRELUDE_RESOURCE)).toList());
    }

    @Test
    void eachScriptHasTheShapeTheSimulatorAndTheProviderRelyOn() {
        for (HyperVScript s : HyperVScript.values()) {
            String t = s.template();
            assertThat(t).as(s + " header").startsWith("# hvsdk:" + s.operation() + "\n");
            assertThat(t.split("\n")[1]).as(s + " first statement").startsWith("$ErrorActionPreference='Stop';");
            assertThat(t.indexOf(HyperVScript.ARGUMENT_PLACEHOLDER)).as(s + " placeholder").isPositive();
            assertThat(t.indexOf(HyperVScript.ARGUMENT_PLACEHOLDER)).isEqualTo(t.lastIndexOf(HyperVScript.ARGUMENT_PLACEHOLDER));
            assertThat(t).as(s + " placeholder in single quotes").contains("'" + HyperVScript.ARGUMENT_PLACEHOLDER + "'");
            assertThat(t.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f))).as(s + " is printable ASCII").isTrue();
            assertThat(t).as(s + " result marker only in Out-R").containsOnlyOnce(HyperVScript.RESULT_MARKER);
            assertThat(t).as(s + " ends with a result").containsPattern("Out-R [^\\n]*\\n?$");
            String lower = t.toLowerCase(Locale.ROOT);
            for (String banned : List.of("invoke-expression", "iex ", "expandstring", "add-type", "& $", ". $", "invoke-command",
                    "start-process", "scriptblock]::create", "-encodedcommand", "write-host")) {
                assertThat(lower).as(s + " must not use " + banned).doesNotContain(banned);
            }
        }
    }

    @Test
    void eachScriptLeavesRoomForItsArgumentOnTheCommandLine() {
        StringBuilder sizes = new StringBuilder();
        for (HyperVScript s : HyperVScript.values()) {
            int chars = s.template().length();
            int inline = s.maxInlineArgumentBytes();
            sizes.append(s.operation()).append(": ").append(chars).append(" chars, ").append(inline).append(" bytes inline; ");
            assertThat(chars).as(s + " size as sent").isLessThanOrEqualTo(MAX_SCRIPT_CHARS);
            assertThat(inline).as(s + " room for an inline argument").isGreaterThanOrEqualTo(MIN_INLINE_BYTES);
            byte[] fits = json(inline);
            byte[] tooBig = json(inline + 1);
            assertThat(s.fitsInline(fits)).as(s + " " + inline + " bytes fit").isTrue();
            assertThat(HyperVScript.commandLine(s.withArguments(fits)).length()).isLessThanOrEqualTo(HyperVScript.COMMAND_LINE_LIMIT);
            assertThat(s.fitsInline(tooBig)).as(s + " " + (inline + 1) + " bytes do not fit").isFalse();
        }
        System.out.println("[hyperv scripts] " + sizes);
    }

    @Test
    void theCommandLineIsPowerShellWithTheScriptAsUtf16Base64() {
        String text = HyperVScript.GET_VM.withArguments(ScriptSources.SAMPLE_ARGUMENT);
        String line = HyperVScript.commandLine(text);
        assertThat(line).startsWith("powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ");
        String b64 = line.substring(line.lastIndexOf(' ') + 1);
        assertThat(new String(java.util.Base64.getDecoder().decode(b64), StandardCharsets.UTF_16LE)).isEqualTo(text);
    }

    @Test
    void cmdletsAreModuleQualifiedAndPathsLiteral() {
        CmdletCatalogue catalogue = CmdletCatalogue.load(SharedData.requireCmdlets());
        for (ParsedScript p : PowerShellParser.require().parse(ScriptSources.asSent())) {
            for (Command c : p.commands()) {
                boolean local = p.functions().stream().anyMatch(f -> f.equalsIgnoreCase(c.name()));
                if (local) {
                    continue;
                }
                assertThat(c.name()).as(p.name() + ":" + c.where() + " is module-qualified").contains("\\");
                Optional<Cmdlet> cmdlet = catalogue.find("2016", c.name().substring(c.name().indexOf('\\') + 1));
                boolean hasLiteralPath = cmdlet.map(x -> x.parameters().stream().anyMatch(q -> q.name().equals("LiteralPath"))).orElse(false);
                if (hasLiteralPath) {
                    assertThat(c.args()).as(p.name() + ":" + c.where() + " " + c.name() + " uses -LiteralPath")
                            .anyMatch(a -> a.isParameter() && a.name().equalsIgnoreCase("LiteralPath"));
                }
            }
        }
    }

    /** PowerShell resolves aliases before functions, so a helper named like a built-in alias would never run. */
    @Test
    void scriptFunctionsAreNotShadowedByBuiltInAliases() {
        Set<String> aliases = Set.of("%", "?", "h", "r", "ac", "cd", "cp", "fc", "fl", "ft", "fw", "gc", "gi", "gl", "gm", "gp",
                "gu", "gv", "ii", "lp", "ls", "md", "mi", "mp", "mv", "ni", "nv", "oh", "ps", "rd", "ri", "rm", "rp", "rv", "sc",
                "si", "sl", "sp", "sv", "cls", "dir", "del", "cat", "echo", "kill", "man", "pwd", "sort", "tee", "type", "where",
                "select", "foreach", "group", "measure", "compare", "copy", "move", "set", "start", "sleep", "write", "history");
        for (ParsedScript p : PowerShellParser.require().parse(ScriptSources.asSent())) {
            for (String f : p.functions()) {
                assertThat(aliases).as(p.name() + " function " + f).doesNotContain(f.toLowerCase(Locale.ROOT));
            }
        }
    }

    private static byte[] json(int bytes) {
        StringBuilder s = new StringBuilder("{\"id\":\"");
        while (s.length() < bytes - 2) {
            s.append('x');
        }
        return s.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
