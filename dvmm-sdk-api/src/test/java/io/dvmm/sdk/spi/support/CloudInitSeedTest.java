package io.dvmm.sdk.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cidata} image is checked with tools nobody here wrote: libarchive's {@code bsdtar} lists and extracts
 * it (byte for byte, Joliet names), and {@code isoinfo} (genisoimage) reads its volume descriptors. Without them the
 * test skips with the install command; under {@code CI=true} it fails instead.
 */
class CloudInitSeedTest {
    private static final String INSTALL = "apt-get install -y libarchive-tools genisoimage";

    @TempDir
    Path dir;

    private static CloudInitSeed sample() {
        return CloudInitSeed.builder()
                .instanceId("6b3f1f9e-3c1a-4c55-9a55-0f6c1d2e3a4b")
                .hostname("web-01")
                .domain("example.test")
                .user("ops")
                .sshKeys(List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFyQ3Ekq1vqW4o0vM3qjP6i4hU4o1b4rZxE0x8nQbLh8 ops@lab"))
                .ethernet(new CloudInitSeed.Ethernet("02:15:5D:00:00:01", List.of("192.0.2.44/24"), "192.0.2.1"))
                .ethernet(new CloudInitSeed.Ethernet("02:15:5d:00:00:02", List.of(), null))
                .dns(List.of("192.0.2.53"), List.of("example.test"))
                .build();
    }

    @Test
    void documentsAreJsonThatCloudInitReadsAsYaml() {
        CloudInitSeed seed = sample();
        assertThat(seed.metaData()).isEqualTo("{\"instance-id\":\"6b3f1f9e-3c1a-4c55-9a55-0f6c1d2e3a4b\",\"local-hostname\":\"web-01\"}\n");
        assertThat(seed.userData()).startsWith("#cloud-config\n{\"hostname\":\"web-01\",\"fqdn\":\"web-01.example.test\"")
                .contains("\"users\":[\"default\",{\"name\":\"ops\"", "\"ssh_authorized_keys\":[\"ssh-ed25519 ");
        assertThat(seed.networkConfig()).hasValueSatisfying(n -> assertThat(n)
                .startsWith("{\"version\":2,\"ethernets\":{\"eth0\":{\"match\":{\"macaddress\":\"02:15:5d:00:00:01\"}")
                .contains("\"addresses\":[\"192.0.2.44/24\"]", "\"routes\":[{", "\"via\":\"192.0.2.1\"",
                        "\"eth1\":{\"match\":{\"macaddress\":\"02:15:5d:00:00:02\"},\"set-name\":\"eth1\",\"dhcp4\":true",
                        "\"nameservers\":{\"addresses\":[\"192.0.2.53\"],\"search\":[\"example.test\"]}"));
    }

    @Test
    void valuesAreQuotedNeverSpliced() {
        String hostile = "x\"}\n- evil: \u2018'$(rm)\\";
        CloudInitSeed seed = CloudInitSeed.builder().instanceId(hostile).sshKeys(List.of(hostile)).build();
        assertThat(seed.metaData()).isEqualTo("{\"instance-id\":\"x\\\"}\\n- evil: \\u2018'$(rm)\\\\\","
                + "\"public-keys\":[\"x\\\"}\\n- evil: \\u2018'$(rm)\\\\\"]}\n");
        assertThat(seed.networkConfig()).isEmpty();
    }

    @Test
    void ownUserDataIsKeptAsItIsAndRefusesAGeneratedUser() {
        String own = "#cloud-config\nruncmd:\n  - echo hello\n";
        assertThat(CloudInitSeed.builder().instanceId("i").userData(own).build().userData()).isEqualTo(own);
        assertThatThrownBy(() -> CloudInitSeed.builder().instanceId("i").userData(own).user("ops").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theImageIsReadByBsdtarWithItsNamesAndBytes() throws Exception {
        requireTool("bsdtar");
        Map<String, byte[]> files = new LinkedHashMap<>(sample().files());
        byte[] big = new byte[5000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        files.put("vendor-data", big);
        files.put("empty", new byte[0]);
        Path iso = dir.resolve("seed.iso");
        Files.write(iso, CloudInitSeed.iso(CloudInitSeed.VOLUME_ID, files));

        // bsdtar lists the root directory itself as ".".
        assertThat(run("bsdtar", "-tf", iso.toString()).lines().map(String::strip).filter(s -> !s.isEmpty() && !s.equals(".")).sorted().toList())
                .isEqualTo(files.keySet().stream().sorted().toList());
        Path out = Files.createDirectory(dir.resolve("out"));
        run("bsdtar", "-xf", iso.toString(), "-C", out.toString());
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            assertThat(Files.readAllBytes(out.resolve(f.getKey()))).as(f.getKey()).isEqualTo(f.getValue());
        }
    }

    @Test
    void isoinfoSeesTheCidataLabelAndTheJolietTree() throws Exception {
        requireTool("isoinfo");
        Path iso = dir.resolve("seed.iso");
        Files.write(iso, sample().toIso());
        String descriptors = run("isoinfo", "-d", "-i", iso.toString());
        assertThat(descriptors).contains("Volume id: cidata", "Joliet with UCS level 3 found", "Logical block size is: 2048");
        String joliet = run("isoinfo", "-J", "-l", "-i", iso.toString());
        assertThat(joliet).contains("meta-data", "user-data", "network-config");
        String primary = run("isoinfo", "-l", "-i", iso.toString());
        assertThat(primary).contains("META_DAT.;1", "USER_DAT.;1", "NETWORK_.;1");
        Path extracted = dir.resolve("user-data");
        Files.write(extracted, run("isoinfo", "-J", "-i", iso.toString(), "-x", "/user-data").getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(extracted)).isEqualTo(sample().userData());
    }

    @Test
    void badNamesAndLabelsAreRefused() {
        assertThatThrownBy(() -> CloudInitSeed.iso("cidata", Map.of("a/b", new byte[0]))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CloudInitSeed.iso("ci data", Map.of("a", new byte[0]))).isInstanceOf(IllegalArgumentException.class);
        assertThat(CloudInitSeed.iso("cidata", Map.of("a", new byte[] {1}))).hasSize(26 * 2048);
    }

    private static void requireTool(String tool) {
        boolean found = false;
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(p, tool))) {
                found = true;
            }
        }
        if (!found) {
            String message = tool + " is not installed; install it with: " + INSTALL;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + " (CI=true: failing instead of skipping)");
            }
            Assumptions.abort(message);
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", cmd) + " finished").isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + text).isZero();
        return text;
    }
}
