package io.dvmm.sdk.hyperv.internal.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.dvmm.sdk.hyperv.internal.scripts.ParsedScript.Argument;
import io.dvmm.sdk.hyperv.internal.scripts.ParsedScript.Command;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Check (e), the part that needs no simulator: hostile values used as VM names, notes, paths and switch names never
 * reach the script text. The text sent differs from the constant script only inside the quoted base64 literal, and
 * its parse tree has the same commands as with a harmless argument.
 */
class ScriptInjectionTest {

    static final List<String> CORPUS = List.of(
            "'", "''", "\u2018", "\u2019", "\u201A", "\u201B", "\u2018; Remove-VM -Name * -Force; \u2019",
            "\"", "\u201C\u201D", "$(Remove-Item -Recurse C:\\)", "$env:USERNAME", "${x}", "`", "`\"; exit; `\"",
            ";", "a;b", "\n", "\r\nHyper-V\\Remove-VM -Name * -Force\r\n", "'@", "\"@", "@'\nx\n'@", "@\"\n$(x)\n\"@",
            "-Force", "--%", "-Name:x", "[abc]", "*", "?", "web[1]*?.vhdx", "%", "%SystemRoot%", "|", "&", "&&", "#", "<#",
            "{}", "(1)", "\\\\server\\share\\..\\..\\Windows", "..\\..\\Windows\\System32", "C:\\", "\u00c4\u00d6\u00dc \u540d\u524d \uD83D\uDE80",
            "\u0000", "\t", "'; Invoke-Expression 'calc'; '");

    static final String HARMLESS = "web-1";

    /** Every string field any script reads, so each hostile value reaches every place a user's value can go. */
    static byte[] argument(String value) {
        Map<String, Object> a = new LinkedHashMap<>();
        for (String key : List.of("id", "name", "notes", "expected", "path", "root", "ownedRoot", "folder", "template",
                "templates", "switch", "checkpoint", "dvd", "sbTemplate", "type", "mac", "version", "chunk")) {
            a.put(key, value);
        }
        a.put("roots", List.of(value, value));
        a.put("nics", List.of(Map.of("name", value, "switch", value, "mac", value)));
        try {
            return JsonMapper.builder().build().writeValueAsBytes(a);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern LITERAL = Pattern.compile("\\$b='([^']*)'");

    @Test
    void hostileValuesStayInsideTheBase64Literal() {
        for (HyperVScript script : HyperVScript.values()) {
            String template = script.template();
            String constant = template.replace(HyperVScript.ARGUMENT_PLACEHOLDER, "");
            for (String value : CORPUS) {
                byte[] json = argument(value);
                String sent = script.withArguments(json);
                Matcher m = LITERAL.matcher(sent);
                assertThat(m.find()).as(script + ": the argument literal").isTrue();
                String literal = m.group(1);
                assertThat(literal).as(script + ": only base64 inside the quotes").matches("[A-Za-z0-9+/=]*");
                assertThat(Base64.getDecoder().decode(literal)).as(script + ": the value arrives intact").isEqualTo(json);
                assertThat(sent.substring(0, m.start(1)) + sent.substring(m.end(1)))
                        .as(script + ": outside the literal the text is the constant script").isEqualTo(constant);
                assertThat(m.find()).as(script + ": one literal").isFalse();
                if (!constant.contains(value)) {
                    assertThat(sent).as(script + " must not contain " + value).doesNotContain(value);
                }
                assertThat(HyperVScript.environmentValue(json)).matches("[A-Za-z0-9+/=]*");
            }
            assertThat(script.withArgumentsInEnvironment()).isEqualTo(constant);
        }
    }

    @Test
    void hostileValuesDoNotChangeTheParseTree() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (HyperVScript script : HyperVScript.values()) {
            sources.put(script + " harmless", script.withArguments(argument(HARMLESS)));
            for (int i = 0; i < CORPUS.size(); i++) {
                sources.put(script + " #" + i, script.withArguments(argument(CORPUS.get(i))));
            }
        }
        Map<String, ParsedScript> parsed = new LinkedHashMap<>();
        PowerShellParser.require().parse(sources).forEach(p -> parsed.put(p.name(), p));
        for (HyperVScript script : HyperVScript.values()) {
            ParsedScript reference = parsed.get(script + " harmless");
            assertThat(reference.errors()).isEmpty();
            List<String> shape = shape(reference);
            for (int i = 0; i < CORPUS.size(); i++) {
                ParsedScript p = parsed.get(script + " #" + i);
                assertThat(p.errors()).as(script + " with " + CORPUS.get(i)).isEmpty();
                assertThat(shape(p)).as(script + " with " + CORPUS.get(i)).isEqualTo(shape);
                assertThat(p.assignments()).as(script + " with " + CORPUS.get(i)).hasSameSizeAs(reference.assignments());
            }
        }
    }

    /** The commands in order, each with its name, pipeline position and arguments (text and kind). */
    private static List<String> shape(ParsedScript p) {
        return p.commands().stream().map(ScriptInjectionTest::shape).toList();
    }

    private static String shape(Command c) {
        StringBuilder s = new StringBuilder(c.name()).append(c.firstInPipeline() ? " first" : " piped").append(" @").append(c.line());
        for (Argument a : c.args()) {
            s.append(" [").append(a.kind()).append(' ').append(a.text()).append(']');
        }
        return s.toString();
    }
}
