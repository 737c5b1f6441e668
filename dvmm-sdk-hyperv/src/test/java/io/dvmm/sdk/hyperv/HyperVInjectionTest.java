package io.dvmm.sdk.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.hyperv.internal.scripts.HyperVScript;
import io.dvmm.sdk.simulator.RequestLog;
import io.dvmm.sdk.simulator.hyperv.HyperVSimulator;
import io.dvmm.sdk.simulator.hyperv.SimNic;
import io.dvmm.sdk.simulator.hyperv.SimVm;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Check (e) end to end, through the SDK's API: strings that would be code if spliced into PowerShell (quotes including
 * U+2018–U+201B, {@code $()}, backticks, {@code ;}, newlines, here-string ends {@code '@} and {@code "@}, a leading
 * {@code -}, wildcards {@code [ ] * ?}) as VM names, metadata (kept in the VM's Notes) and switch names. The
 * simulator's model must hold each exactly; it must see no rule broken; and no script text it ran may contain one.
 * Names the SDK's own rules forbid ({@code ' ; $ `} and the like) are refused before any request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HyperVInjectionTest {

    /** Everything, for metadata (keys and values) and switch names. */
    static final List<String> CORPUS = List.of(
            "it's", "''", "say \"hi\"", "\u2018left\u2019", "\u201alow\u201b", "\u201cdouble\u201d", "\u2018; Remove-VM -Name * -Force; \u2019",
            "$(Hyper-V\\Remove-VM *)", "$env:USERNAME", "${x}", "`whoami`", "`\"; exit; `\"", ";", "a;Remove-Item C:\\ -Recurse",
            "'@", "\"@", "@' here '@", "@\" $(here) \"@", "-Force", "--%", "-Name:x", "[abc]", "*", "?", "x*y?z[1]", "'; exit 0; '", "\u2019;Stop-Computer;\u2018",
            "| Out-Null", "& calc", "<# c #>", "\u00c4\u00d6\u00dc \u540d\u524d \uD83D\uDE80");

    /** Values with line breaks: the SDK refuses control characters in names, metadata and network names alike. */
    static final List<String> LINES = List.of("line1\nline2", "\r\nHyper-V\\Remove-VM -Name * -Force\r\n", "@'\nhere\n'@",
            "@\"\n$(here)\n\"@");

    /** VM names the SDK accepts: the hostile ones without its forbidden characters. */
    static final List<String> NAMES = List.of(
            "\u2018left\u2019", "\u201alow\u201b", "\u201cdouble\u201d", "\u2018) + (\u2019", "\u201b-Name x\u201b", "-Force",
            "-Name x", "[abc]", "web[1]", "a (b) {c} @d", "@{x=1}", "~!^=+,", "\u00c4\u00d6\u00dc \u540d\u524d");

    /** VM names the SDK refuses by its own rules, before any request. */
    static final List<String> REFUSED_NAMES = List.of("it's", "$(Remove-VM *)", "`whoami`", "a;b", "line1\nline2", "'@",
            "\"@", "*", "?", "x*y?z[1]", "say \"hi\"", "--%");

    private static final Pattern FRAME = Pattern.compile("\\[hvsdk-meta:([A-Za-z0-9+/=]*)\\]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private HyperVSimulator sim;
    private Hypervisor hv;
    private String decoy;

    @BeforeAll
    void start() {
        sim = HyperVSimulator.builder().scripts(HyperVContractTest.catalog()).basic(true).build().start();
        for (String s : CORPUS) {
            sim.addSwitch(s, "Internal");
        }
        // what a wildcard name would also match
        decoy = sim.addVm("a", "D:\\existing\\a", HyperVSimulator.DEFAULT_SWITCH, false);
        hv = Hypervisors.connect(HypervisorConfig.builder(sim.sdkUri())
                .credentials(Credentials.password(sim.username(), sim.password()))
                .tls(TlsOptions.pinSha256(sim.certificateSha256())).property(HyperVProvider.AUTH, "basic")
                .property(HyperVProvider.TEMPLATES_PATH, HyperVSimulator.TEMPLATES_FOLDER)
                .property(HyperVProvider.VM_ROOT, HyperVSimulator.VM_ROOT).build());
    }

    @AfterAll
    void stop() {
        try {
            hv.close();
            sim.violations().assertNone();
            noScriptTextHoldsAnyValue();
        } finally {
            sim.close();
        }
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The metadata in a VM's Notes, as the simulator holds them: the frame's base64 JSON, decoded here. */
    private static Map<String, String> metadataInNotes(SimVm vm) {
        Matcher m = FRAME.matcher(vm.notes());
        assertThat(m.find()).as("the SDK's frame in the Notes of " + vm.name()).isTrue();
        try {
            Map<String, String> all = JSON.readValue(Base64.getDecoder().decode(m.group(1)), new TypeReference<Map<String, String>>() { });
            all.keySet().removeIf(k -> k.startsWith("hvsdk."));
            return all;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void hostileVmNamesAreStoredFoundAndDeletedExactly() {
        for (String name : NAMES) {
            VmInfo made = await(hv.createVm(VmProvisionSpec.builder().name(name).template("ubuntu-24.04").cloneMode(CloneMode.LINKED)
                    .metadata("name", name).powerOn(false).build()));
            assertThat(made.name()).isEqualTo(name);
            assertThat(sim.vmsNamed(name)).as(name).singleElement().satisfies(v -> {
                assertThat(v.name()).isEqualTo(name);
                assertThat(v.id()).isEqualTo(made.id().value());
                assertThat(metadataInNotes(v)).containsEntry("name", name);
            });
            assertThat(await(hv.findVm(name))).as("findVm matches the name exactly, not as a pattern: " + name)
                    .hasValueSatisfying(v -> assertThat(v.id()).isEqualTo(made.id()));
            assertThat(await(hv.getVm(made.id())).name()).isEqualTo(name);
            assertThat(await(hv.deleteVm(made.id()))).isTrue();
            assertThat(sim.vmsNamed(name)).isEmpty();
        }
        assertThat(sim.vm(decoy)).as("no wildcard reached the VM named 'a'").isPresent();
    }

    @Test
    void whatTheSdkForbidsIsRefusedBeforeAnyRequest() {
        long before = sim.counts().values().stream().mapToLong(Long::longValue).sum();
        List<String> names = new ArrayList<>(REFUSED_NAMES);
        names.addAll(LINES);
        for (String name : names) {
            assertThatThrownBy(() -> VmProvisionSpec.builder().name(name).template("ubuntu-24.04").build()).as(name)
                    .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("name"));
        }
        for (String line : LINES) {
            assertThatThrownBy(() -> VmProvisionSpec.builder().name("x").template("ubuntu-24.04").metadata("k", line).build())
                    .as(line).isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).startsWith("metadata"));
            assertThatThrownBy(() -> VmProvisionSpec.builder().name("x").template("ubuntu-24.04").nic(NicSpec.dhcp(line)).build())
                    .as(line).isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).startsWith("nics"));
        }
        assertThat(sim.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(before);
    }

    @Test
    void hostileMetadataKeysAndValuesAreKeptExactly() {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < CORPUS.size(); i++) {
            metadata.put("value-" + i, CORPUS.get(i));
            metadata.put(CORPUS.get(i), "key-" + i);
        }
        VmProvisionSpec.Builder spec = VmProvisionSpec.builder().name("meta-corpus").template("ubuntu-24.04").powerOn(false);
        metadata.forEach(spec::metadata);
        VmInfo made = await(hv.createVm(spec.build()));
        assertThat(made.metadata()).isEqualTo(metadata);
        assertThat(metadataInNotes(sim.vm(made.id().value()).orElseThrow())).isEqualTo(metadata);
        assertThat(await(hv.getVm(made.id())).metadata()).isEqualTo(metadata);
        assertThat(await(hv.deleteVm(made.id()))).isTrue();
    }

    @Test
    void hostileSwitchNamesAreNetworksAndNicsConnectToThemExactly() {
        Inventory inv = await(hv.inventory());
        assertThat(inv.networks()).extracting(n -> n.name()).containsAll(CORPUS);
        List<String> switches = new ArrayList<>(CORPUS);
        for (int at = 0, vm = 0; at < switches.size(); at += 4, vm++) {
            List<String> batch = switches.subList(at, Math.min(switches.size(), at + 4));
            VmProvisionSpec.Builder spec = VmProvisionSpec.builder().name("switches-" + vm).template("ubuntu-24.04").powerOn(false);
            batch.forEach(s -> spec.nic(NicSpec.dhcp(s)));
            VmInfo made = await(hv.createVm(spec.build()));
            assertThat(made.nics()).extracting(n -> n.network()).containsExactlyElementsOf(batch);
            assertThat(sim.vm(made.id().value()).orElseThrow().nics()).extracting(SimNic::switchName).containsExactlyElementsOf(batch);
            assertThat(await(hv.deleteVm(made.id()))).isTrue();
        }
    }

    /** No script the simulator ran has a value in its text, unless the provider's constant scripts have it anyway. */
    private void noScriptTextHoldsAnyValue() {
        List<String> constants = new ArrayList<>();
        for (HyperVScript s : HyperVScript.values()) {
            constants.add(s.template());
            constants.add(s.withArgumentsInEnvironment());
        }
        List<RequestLog.Entry> runs = sim.scriptRuns().snapshot();
        assertThat(runs).hasSizeGreaterThan(50);
        List<String> values = new ArrayList<>(CORPUS);
        values.addAll(NAMES);
        for (String v : values) {
            if (constants.stream().anyMatch(c -> c.contains(v))) {
                continue;
            }
            for (RequestLog.Entry run : runs) {
                assertThat(run.bodyText()).as(run + " must not hold " + v).doesNotContain(v);
            }
        }
    }
}
