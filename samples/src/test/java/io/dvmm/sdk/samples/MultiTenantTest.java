package io.dvmm.sdk.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiTenantTest {

    private static String run(int expectedRc, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = new MultiTenant(new PrintStream(buf, true, StandardCharsets.UTF_8)).run(args);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(out).isEqualTo(expectedRc);
        return out;
    }

    @Test
    void twoTenantsOnTwoProvidersProvisionAtOnceFromOnePropertiesFile() {
        String out = run(0);
        assertThat(out).contains("tenants [acme, globex] from multitenant.properties",
                "Started the Proxmox VE API simulator at https://127.0.0.1:",
                "Tenant acme: inmemory at inmemory:/multitenant-acme", "Tenant globex: proxmox at proxmox://127.0.0.1:",
                "VMs of acme (inmemory, 1):", "VMs of globex (proxmox, 1):",
                "Deleted acme-web-01 of acme", "Deleted globex-web-01 of globex", "MultiTenant finished.");
        // Neither spec named a host, datastore or network: each tenant's defaults placed its VM.
        assertThat(out).containsPattern("acme-web-01 +POWERED_ON +host=host2 +datastore=nfs-shared +network=backend +ip=10\\.77\\.")
                .containsPattern("globex-web-01 +POWERED_ON +host=pve2 +datastore=local +network=vmbr0 +ip=\\d+\\.");
        // The two tenants' progress interleaves: the second create started before the first was done.
        int acmeDone = out.indexOf("[acme] done");
        int globexFirst = out.indexOf("[globex]");
        assertThat(globexFirst).isPositive().isLessThan(acmeDone);
        assertThat(out).doesNotContain("inmemory-token").doesNotContain("password=inmemory");
    }

    @Test
    void aBadKeyInTheFileIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tenants.properties");
        Files.writeString(file, "tenants=acme\ntenants.acme.hypervisor.endpoint=inmemory:/mt-bad\n"
                + "tenants.acme.hypervisor.timeouts.read=soon\ntenants.acme.template=ubuntu-22.04\n");
        String out = run(1, file.toString());
        assertThat(out).contains("InvalidSpecException", "tenants.acme.hypervisor.timeouts.read", "must be a duration");
    }
}
