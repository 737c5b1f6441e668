package io.dvmm.sdk.hyperv.internal.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.hyperv.internal.scripts.CmdletBinder.Outcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Check (b): every command call of every script, as sent, binds on Windows Server 2016, 2019, 2022 and 2025
 * according to {@code cmdlets.json}; the outcome is written to {@code target/hyperv-binding-report.txt}.
 */
class ScriptBindingTest {

    /** Commands the scripts may call although cmdlets.json does not list them, each with its reason. Keep it empty. */
    static final Map<String, String> ALLOWED = Map.of();

    static final Path REPORT = Path.of("target", "hyperv-binding-report.txt");

    @Test
    void everyCallBindsOnEveryEdition() {
        CmdletCatalogue catalogue = CmdletCatalogue.load(SharedData.requireCmdlets());
        List<ParsedScript> scripts = PowerShellParser.require().parse(ScriptSources.asSent());
        BindingReport report = new BindingReport();
        for (String edition : CmdletCatalogue.EDITIONS) {
            CmdletBinder binder = new CmdletBinder(catalogue, edition, ALLOWED);
            for (ParsedScript script : scripts) {
                report.addEmpty(script.name(), edition);
                report.add(edition, binder.bind(script));
            }
        }
        report.write(REPORT, "Hyper-V script binding report: every command call of every script as sent (prelude included),"
                + " bound against shared/data/hyperv/cmdlets.json. Allow-list: " + ALLOWED);
        assertThat(report.failures()).as(report.summary()).isEmpty();
        assertThat(report.scripts()).isEqualTo(HyperVScript.values().length);
        assertThat(report.count(Outcome.BOUND)).isGreaterThan(HyperVScript.values().length * 4L);
        assertThat(report.count(Outcome.UNCHECKED_SPLAT)).isZero();
    }
}
