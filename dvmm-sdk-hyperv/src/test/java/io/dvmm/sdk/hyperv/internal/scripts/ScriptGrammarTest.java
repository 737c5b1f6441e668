package io.dvmm.sdk.hyperv.internal.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Check (a): every script, as sent (prelude and argument included), parses with no ERROR or MISSING node. */
class ScriptGrammarTest {

    @Test
    void everyScriptAsSentParsesWithoutErrors() {
        PowerShellParser parser = PowerShellParser.require();
        Map<String, String> sources = new LinkedHashMap<>(ScriptSources.asSent());
        for (HyperVScript s : HyperVScript.values()) {
            sources.put(s.resourceName() + " (arguments in the environment)", s.withArgumentsInEnvironment());
        }
        List<ParsedScript> parsed = parser.parse(sources);
        assertThat(parsed).hasSize(sources.size());
        for (ParsedScript p : parsed) {
            assertThat(p.errors()).as(p.name()).isEmpty();
            assertThat(p.commands()).as(p.name() + " has commands").isNotEmpty();
        }
    }

    @Test
    void theParserReportsBrokenScripts() {
        PowerShellParser parser = PowerShellParser.require();
        ParsedScript broken = parser.parse("broken", "if ($x) { Hyper-V\\Get-VM -Id $a.id\n$y = (1 + \n");
        assertThat(broken.errors()).isNotEmpty();
        assertThat(broken.errors()).extracting(ParsedScript.SyntaxError::kind).containsAnyOf("ERROR", "MISSING");
    }
}
