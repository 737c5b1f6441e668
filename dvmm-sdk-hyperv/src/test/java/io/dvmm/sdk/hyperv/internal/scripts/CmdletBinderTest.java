package io.dvmm.sdk.hyperv.internal.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.hyperv.internal.scripts.CmdletBinder.Binding;
import io.dvmm.sdk.hyperv.internal.scripts.CmdletBinder.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Check (c): the binder is a real check. Each snippet's last command is bound on every edition; the ones that must
 * fail fail with the expected reason, the ones that must pass pass.
 */
class CmdletBinderTest {

    private static CmdletCatalogue catalogue;
    private static Map<String, ParsedScript> parsed;

    private static final Map<String, String> MUST_FAIL = new LinkedHashMap<>();
    private static final Map<String, String> MUST_PASS = new LinkedHashMap<>();

    static {
        // snippet -> a part of the expected reason
        MUST_FAIL.put("Hyper-V\\Get-VM -Bogus 1", "no such parameter");
        MUST_FAIL.put("Hyper-V\\Set-VM -VM $v -Memory 1", "ambiguous prefix");
        MUST_FAIL.put("Hyper-V\\Get-VM -Id $g -Name web", "no parameter set");
        MUST_FAIL.put("Hyper-V\\Rename-VM -VM $v", "required -NewName is missing");
        MUST_FAIL.put("Hyper-V\\New-VHD -Path $x", "required");
        MUST_FAIL.put("Hyper-V\\Start-VM", "first in its pipeline");
        MUST_FAIL.put("Hyper-V\\Set-VMFirmware -VM $v -EnableSecureBoot Maybe", "does not accept 'Maybe'");
        MUST_FAIL.put("Hyper-V\\Add-VMHardDiskDrive -VM $v -ControllerType 'FLOPPY' -Path $x", "does not accept 'FLOPPY'");
        MUST_FAIL.put("Hyper-V\\Get-VM -ErrorAction Maybe", "does not accept 'Maybe'");
        MUST_FAIL.put("Hyper-V\\Get-VM -Id $g extra", "left over");
        MUST_FAIL.put("Microsoft.PowerShell.Management\\Join-Path a b c", "left over");
        MUST_FAIL.put("Hyper-V\\Stop-VM -VM $v -Force $true", "left over");
        MUST_FAIL.put("Hyper-V\\Stop-VM -VM $v -TurnOff:yes", "takes $true or $false");
        MUST_FAIL.put("Hyper-V\\Get-VM -Id", "needs an argument");
        MUST_FAIL.put("Hyper-V\\Get-VM -Id $g -Id $g", "given twice");
        MUST_FAIL.put("Hyper-V\\Get-VMTurbo", "unknown cmdlet");
        MUST_FAIL.put("$vms | % { $_.Name }", "unknown cmdlet %");
        MUST_FAIL.put("gci -LiteralPath $x", "unknown cmdlet gci");
        MUST_FAIL.put("Storage\\Get-VM", "in module Hyper-V, not Storage");
        MUST_FAIL.put("& $command -Id $g", "invoked through &");
        MUST_FAIL.put("$p = Get-Params\nHyper-V\\New-VM @p", "hashtable literal");
        MUST_FAIL.put("$p = @{Name = 'x'}\n$p[$key] = 1\nHyper-V\\New-VM @p", "computed key");
        MUST_FAIL.put("$p = @{Name = 'x'; $key = 1}\nHyper-V\\New-VM @p", "computed key");
        MUST_FAIL.put("$p = @{Name = 'x'}\n$p.Add('Path', 'C:\\vms')\nHyper-V\\New-VM @p", "method call");
        MUST_FAIL.put("Hyper-V\\New-VM @nowhere", "no hashtable literal");
        MUST_FAIL.put("$p = @{VM = $v; Bogus = 1}\nHyper-V\\Start-VM @p", "no such parameter");
        MUST_FAIL.put("$p = @{Id = $g}\n$p.Name = 'web'\nHyper-V\\Get-VM @p", "no parameter set");

        MUST_PASS.put("Hyper-V\\Stop-VM -VM $v -Turn -Forc", "set VMObject");
        MUST_PASS.put("Hyper-V\\Get-VM -VMName web", "set Name");
        MUST_PASS.put("Hyper-V\\Get-VM -Id $g -ea SilentlyContinue", "set Id");
        MUST_PASS.put("Hyper-V\\Get-VM -Id:$g -ErrorAction:Ignore", "set Id");
        MUST_PASS.put("Hyper-V\\Get-VM web", "set Name");
        MUST_PASS.put("Microsoft.PowerShell.Management\\Join-Path $root 'os.vhdx'", "__AllParameterSets");
        MUST_PASS.put("$vm | Hyper-V\\Start-VM", "set "); // by pipeline: the default set (Name) or VMObject
        MUST_PASS.put("Hyper-V\\Stop-VM -VM $v -TurnOff:$true -Confirm:$false", "set VMObject");
        MUST_PASS.put("hyper-v\\get-vm -ID $g", "set Id");
        MUST_PASS.put("Get-VM -Id $g", "set Id");
        MUST_PASS.put("Hyper-V\\Set-VMFirmware -VM $v -EnableSecureBoot 'off'", "set VMObject");
        MUST_PASS.put("$p = @{Name = 'x'; 'MemoryStartupBytes' = 1GB}\n$p.SwitchName = 's'\n$p['Generation'] = 2\n"
                + "$p.NewVHDPath = 'a.vhdx'\n$p.NewVHDSizeBytes = 10GB\nHyper-V\\New-VM @p", "set New VHD");
        MUST_PASS.put("$s = @{VM = $v; StaticMemory = $true}\nHyper-V\\Set-VM @s", "set VMObject");
    }

    @BeforeAll
    static void parse() {
        catalogue = CmdletCatalogue.load(SharedData.requireCmdlets());
        Map<String, String> sources = new LinkedHashMap<>();
        MUST_FAIL.keySet().forEach(s -> sources.put(s, s));
        MUST_PASS.keySet().forEach(s -> sources.put(s, s));
        sources.put("local", "function Out-R($o) { $o }\nOut-R -Anything 1");
        sources.put("gpu", "Hyper-V\\Get-VMGpuPartitionAdapter -VMName web");
        parsed = new LinkedHashMap<>();
        PowerShellParser.require().parse(sources).forEach(p -> parsed.put(p.name(), p));
    }

    @Test
    void callsThatMustFailFailWithTheirReasonOnEveryEdition() {
        MUST_FAIL.forEach((snippet, reason) -> {
            for (String edition : CmdletCatalogue.EDITIONS) {
                Binding b = last(snippet, edition);
                assertThat(b.failed()).as(edition + ": " + snippet + " -> " + b).isTrue();
                assertThat(b.detail()).as(edition + ": " + snippet).contains(reason);
            }
        });
    }

    @Test
    void callsThatMustPassBindOnEveryEdition() {
        MUST_PASS.forEach((snippet, set) -> {
            for (String edition : CmdletCatalogue.EDITIONS) {
                Binding b = last(snippet, edition);
                assertThat(b.outcome()).as(edition + ": " + snippet + " -> " + b).isEqualTo(Outcome.BOUND);
                assertThat(b.detail()).as(edition + ": " + snippet).contains(set);
            }
        });
    }

    @Test
    void splatsAreExpandedOnlyFromWhatTheScriptShows() {
        ParsedScript p = parsed.get(MUST_PASS.keySet().stream().filter(s -> s.contains("NewVHDPath")).findFirst().orElseThrow());
        assertThat(CmdletBinder.splatKeys(p, "p").keys())
                .containsExactly("Name", "MemoryStartupBytes", "SwitchName", "Generation", "NewVHDPath", "NewVHDSizeBytes");
    }

    @Test
    void functionsOfTheScriptAreNotCmdlets() {
        assertThat(last("local", "2016").outcome()).isEqualTo(Outcome.LOCAL_FUNCTION);
    }

    @Test
    void bindingDependsOnTheEdition() {
        assertThat(last("gpu", "2016").failed()).isTrue();
        assertThat(last("gpu", "2019").failed()).isTrue();
        assertThat(last("gpu", "2022").outcome()).isEqualTo(Outcome.BOUND);
        assertThat(last("gpu", "2025").outcome()).isEqualTo(Outcome.BOUND);
    }

    @Test
    void theAllowListLetsACommandThroughWithItsReason() {
        ParsedScript p = parsed.get("Hyper-V\\Get-VMTurbo");
        Binding b = new CmdletBinder(catalogue, "2022", Map.of("Hyper-V\\Get-VMTurbo", "a test of the allow-list")).bind(p).get(0);
        assertThat(b.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(b.detail()).isEqualTo("a test of the allow-list");
    }

    private static Binding last(String snippet, String edition) {
        ParsedScript p = parsed.get(snippet);
        assertThat(p.errors()).as(snippet).isEmpty();
        List<Binding> all = new CmdletBinder(catalogue, edition, Map.of()).bind(p);
        assertThat(all).as(snippet).isNotEmpty();
        return all.get(all.size() - 1);
    }
}
