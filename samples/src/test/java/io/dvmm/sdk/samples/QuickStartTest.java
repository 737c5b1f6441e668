package io.dvmm.sdk.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuickStartTest {

    private static String run(Map<String, String> env, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = new QuickStart(new PrintStream(buf, true, StandardCharsets.UTF_8), env::get).run(args);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(out).isZero();
        return out;
    }

    @Test
    void provisionsOnTheEmbeddedDefaultWithNoArguments() {
        String out = run(Map.of("DVMM_VM_NAME", "qs-test"));
        assertThat(out).contains("inmemory:/quickstart", "Connected: DVMM in-memory hypervisor", "templates:   ubuntu-22.04",
                "100% done", "name:     qs-test", "state:    POWERED_ON", "Stopped qs-test: POWERED_OFF",
                "Deleted qs-test", "QuickStart finished.");
        assertThat(out).containsPattern("IP: +10\\.77\\.\\d+\\.\\d+");
    }

    @Test
    void takesTheEndpointAndCredentialsFromTheEnvironment() {
        String out = run(Map.of("DVMM_URI", "inmemory:/qs-env", "DVMM_USER", "admin", "DVMM_PASSWORD", "inmemory",
                "DVMM_TEMPLATE", "debian-12", "DVMM_VM_NAME", "qs-env"));
        assertThat(out).contains("inmemory:/qs-env", "from debian-12", "Deleted qs-env").doesNotContain("inmemory\n");
    }

    @Test
    void runsTheRealProxmoxProviderAgainstTheEmbeddedSimulator() {
        String out = run(Map.of("DVMM_VM_NAME", "qs-pve"), "--simulate", "proxmox");
        assertThat(out).contains("Started the Proxmox VE API simulator at https://127.0.0.1:", "(proxmox)",
                "Connected: Proxmox VE", "100% done", "name:     qs-pve", "state:    POWERED_ON",
                "Stopped qs-pve: POWERED_OFF", "Deleted qs-pve", "QuickStart finished.");
        assertThat(out).containsPattern("IP: +\\d+\\.\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void reportsTypedFailuresWithoutSecrets() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = new QuickStart(new PrintStream(buf, true, StandardCharsets.UTF_8), Map.<String, String>of()::get)
                .run(new String[] {"--uri", "inmemory:/qs-bad", "--user", "admin", "--password", "not-the-password"});
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).isEqualTo(1);
        assertThat(out).contains("failed: AuthenticationException").doesNotContain("not-the-password");
    }
}
