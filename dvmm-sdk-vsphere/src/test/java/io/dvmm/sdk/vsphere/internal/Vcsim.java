package io.dvmm.sdk.vsphere.internal;

import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A running govmomi simulator (vcsim) on loopback, started from the Go launcher in
 * {@code src/test/go/vcsim-launcher}, which is built into {@code target/} on first use.
 *
 * <p>Where Go or govmomi is missing the calling test is skipped with the commands to install them;
 * with {@code CI=true} it fails instead, so CI never goes green by skipping. The simulator exits
 * when this JVM closes its stdin (close() or JVM death), so it never outlives the tests.
 */
public final class Vcsim implements AutoCloseable {

    public static final String INSTALL_HINT = "vcsim tests need Go and govmomi: "
            + "apt-get update && apt-get install -y golang-go golang-github-vmware-govmomi-dev";
    static final String GOPATH = "/usr/share/gocode";
    static final String USER = "dvmm";
    static final String PASSWORD = "vcsim-secret";
    /** The template the vCenter model holds: the first VM, powered off, with a snapshot "base". */
    public static final String TEMPLATE = "tmpl-linux";

    private static final Path MODULE = locateModule();
    private static Path binary;

    private final Process process;
    private final URI sdkUrl;
    private final String sha256;

    private Vcsim(Process process, URI sdkUrl, String sha256) {
        this.process = process;
        this.sdkUrl = sdkUrl;
        this.sha256 = sha256;
    }

    /** A vCenter model: {@code clusters} clusters of {@code hostsPerCluster} hosts, one standalone host, {@code vmsPerPool} VMs per pool. */
    public static Vcsim vcenter(int clusters, int hostsPerCluster, int vmsPerPool) {
        return start(List.of("-cluster", String.valueOf(clusters), "-host", String.valueOf(hostsPerCluster),
                "-standalone-host", "1", "-vm", String.valueOf(vmsPerPool), "-template", TEMPLATE));
    }

    /** A standalone ESXi host with {@code vms} VMs. */
    public static Vcsim esx(int vms) {
        return start(List.of("-esx", "-vm", String.valueOf(vms)));
    }

    public static Vcsim start(List<String> modelArgs) {
        Path bin = build();
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.toString());
        cmd.addAll(List.of("-stdin-tie", "-username", USER, "-password", PASSWORD));
        cmd.addAll(modelArgs);
        try {
            Path log = MODULE.resolve("target").resolve("vcsim-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            URI url = null;
            String sha = null;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("URL ")) {
                    url = URI.create(line.substring(4).trim());
                } else if (line.startsWith("SHA256 ")) {
                    sha = line.substring(7).trim().toLowerCase(Locale.ROOT);
                } else if (line.equals("READY")) {
                    break;
                }
            }
            if (url == null || sha == null) {
                p.destroyForcibly();
                throw new IllegalStateException("vcsim-launcher did not report its URL; exit " + p.waitFor());
            }
            return new Vcsim(p, url, sha);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start vcsim-launcher", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Builds the launcher once per JVM (skipping or failing the test when Go is missing). */
    static synchronized Path build() {
        if (binary != null) {
            return binary;
        }
        Path go = findGo();
        boolean govmomi = Files.isDirectory(Path.of(GOPATH, "src/github.com/vmware/govmomi/simulator"));
        if (go == null || !govmomi) {
            String what = (go == null ? "Go toolchain not found" : "govmomi sources not found in " + GOPATH) + ". " + INSTALL_HINT;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(what);
            }
            Assumptions.abort(what);
        }
        Path target = MODULE.resolve("target");
        Path out = target.resolve("vcsim-launcher");
        Path src = MODULE.resolve("src/test/go/vcsim-launcher/main.go");
        try {
            if (!Files.isExecutable(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) < 0) {
                Files.createDirectories(target);
                ProcessBuilder pb = new ProcessBuilder(go.toString(), "build", "-o", out.toString(), "./src/test/go/vcsim-launcher")
                        .directory(MODULE.toFile()).redirectErrorStream(true);
                Map<String, String> env = pb.environment();
                env.put("GOPATH", GOPATH);
                env.put("GO111MODULE", "off");
                env.put("GOFLAGS", "");
                env.put("GOPROXY", "off");
                if (env.get("GOCACHE") == null && (env.get("HOME") == null || env.get("HOME").isEmpty())) {
                    env.put("GOCACHE", target.resolve("go-cache").toString());
                }
                Process p = pb.start();
                String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new IllegalStateException("go build of vcsim-launcher failed:\n" + log);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("go build of vcsim-launcher failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        binary = out;
        return out;
    }

    private static Path findGo() {
        String path = System.getenv("PATH");
        List<Path> candidates = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                candidates.add(Path.of(dir, "go"));
            }
        }
        candidates.add(Path.of("/usr/lib/go/bin/go"));
        candidates.add(Path.of("/usr/local/go/bin/go"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    private static Path locateModule() {
        Path here = Path.of("").toAbsolutePath();
        if (Files.isDirectory(here.resolve("src/test/go/vcsim-launcher"))) {
            return here;
        }
        Path child = here.resolve("dvmm-sdk-vsphere");
        return Files.isDirectory(child.resolve("src/test/go/vcsim-launcher")) ? child : here;
    }

    /** @return the SDK endpoint, e.g. {@code https://127.0.0.1:40123/sdk} */
    public URI sdkUrl() {
        return sdkUrl;
    }

    /** @return {@code vsphere://127.0.0.1:port/sdk} */
    public URI vsphereUri() {
        return URI.create("vsphere://" + sdkUrl.getHost() + ":" + sdkUrl.getPort() + sdkUrl.getPath());
    }

    /** @return the simulator certificate's SHA-256 fingerprint, lowercase hex */
    public String sha256() {
        return sha256;
    }

    public String username() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
