package io.dvmm.sdk.simulator.vsphere.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Builds the Go launcher ({@code vcsim-launcher/main.go}, a resource of this jar) once per source
 * version, in GOPATH mode against Debian's govmomi, into a work directory: {@code target/} of the
 * working directory when there is one (a Maven module), the system temp directory otherwise.
 *
 * <p>Where Go or govmomi is missing the calling test is aborted (skipped) with the command that
 * installs them; with {@code CI=true} it fails instead, so CI never goes green by skipping.
 */
public final class VcsimLauncher {

    public static final String INSTALL_HINT = "vcsim needs Go and govmomi: "
            + "apt-get update && apt-get install -y golang-go golang-github-vmware-govmomi-dev";
    static final String GOPATH = "/usr/share/gocode";
    private static final String SOURCE = "/io/dvmm/sdk/simulator/vsphere/vcsim-launcher/main.go";

    private static Path binary;

    private VcsimLauncher() {
    }

    /** The launcher binary, built on first use (and again when its source changed). */
    public static synchronized Path binary() {
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
        byte[] source = source();
        Path dir = workDirectory().resolve("vcsim-launcher-" + sha256(source).substring(0, 12));
        Path out = dir.resolve("vcsim-launcher");
        if (!Files.isExecutable(out)) {
            build(go, source, dir, out);
        }
        binary = out;
        return out;
    }

    /** Where the launcher writes its logs: next to the binary. */
    public static Path logDirectory() {
        return binary().getParent();
    }

    private static void build(Path go, byte[] source, Path dir, Path out) {
        try {
            Path src = dir.resolve("src/vcsim-launcher");
            Files.createDirectories(src);
            Files.write(src.resolve("main.go"), source);
            Path tmp = Files.createTempFile(dir, "vcsim-launcher", ".tmp");
            ProcessBuilder pb = new ProcessBuilder(go.toString(), "build", "-o", tmp.toString(), "./vcsim-launcher")
                    .directory(dir.resolve("src").toFile()).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("GOPATH", GOPATH);
            env.put("GO111MODULE", "off");
            env.put("GOFLAGS", "");
            env.put("GOPROXY", "off");
            if (env.get("GOCACHE") == null && (env.get("HOME") == null || env.get("HOME").isEmpty())) {
                env.put("GOCACHE", dir.resolve("go-cache").toString());
            }
            Process p = pb.start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("go build of vcsim-launcher failed:\n" + log);
            }
            // Another JVM may build the same source at the same time: the last complete binary wins.
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("go build of vcsim-launcher failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] source() {
        try (InputStream in = VcsimLauncher.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SOURCE + " is missing from dvmm-sdk-simulator-vsphere");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path workDirectory() {
        Path target = Path.of("").toAbsolutePath().resolve("target");
        Path base = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"), "dvmm-sdk");
        try {
            return Files.createDirectories(base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
}
