package io.dvmm.sdk.hyperv.internal.scripts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/node/ps-invocations.js} (tree-sitter-powershell under Node) on PowerShell texts and reads
 * back what it found. Skips the calling test (fails on CI) when Node or the Node packages are missing.
 */
final class PowerShellParser {

    private static final long TIMEOUT_SECONDS = 120;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final Path project;

    private PowerShellParser(Path project) {
        this.project = project;
    }

    /** The parser, or a skip (a failure on CI) naming the install command. */
    static PowerShellParser require() {
        Path project = findProject();
        if (project == null) {
            throw MissingTool.report("src/test/node of dvmm-sdk-hyperv not found from " + Path.of("").toAbsolutePath());
        }
        if (!Files.isRegularFile(project.resolve("node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm"))
                || !Files.isDirectory(project.resolve("node_modules/web-tree-sitter"))) {
            throw MissingTool.report("tree-sitter-powershell is not installed; run: " + MissingTool.NODE_INSTALL);
        }
        if (!nodeRuns()) {
            throw MissingTool.report("node (20 or later) is not on the PATH; install it (apt-get install -y nodejs npm), then run: "
                    + MissingTool.NODE_INSTALL);
        }
        return new PowerShellParser(project);
    }

    /** Parses each text (name to source) in one Node run; the result keeps the order of {@code sources}. */
    List<ParsedScript> parse(Map<String, String> sources) {
        List<Map<String, String>> input = new ArrayList<>();
        sources.forEach((name, text) -> input.add(Map.of("name", name, "text", text)));
        try {
            byte[] request = JSON.writeValueAsBytes(input);
            // --liftoff-only: V8's optimizing tier-up of the 1 MB grammar module took 10-20 s per run on a 2-core machine and
            // buys nothing for a few dozen short parses; the baseline compiler alone answers in a fraction of a second.
            Process p = new ProcessBuilder("node", "--liftoff-only", "ps-invocations.js", "--stdin").directory(project.toFile()).start();
            CompletableFuture<byte[]> stdout = readAsync(p.getInputStream());
            CompletableFuture<byte[]> stderr = readAsync(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                in.write(request);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("ps-invocations.js did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("ps-invocations.js exited " + p.exitValue() + ": "
                        + new String(stderr.join(), StandardCharsets.UTF_8));
            }
            JsonNode root = JSON.readTree(stdout.join());
            List<ParsedScript> out = new ArrayList<>();
            for (JsonNode source : root.get("sources")) {
                out.add(JSON.treeToValue(source, ParsedScript.class));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node ps-invocations.js", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Parses one text. */
    ParsedScript parse(String name, String text) {
        Map<String, String> one = new LinkedHashMap<>();
        one.put(name, text);
        return parse(one).get(0);
    }

    /** Drains a stream on its own thread, so that neither pipe of the child can fill up and stall it. */
    private static CompletableFuture<byte[]> readAsync(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                result.complete(in.readAllBytes());
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }, "ps-invocations-reader");
        t.setDaemon(true);
        t.start();
        return result;
    }

    private static boolean nodeRuns() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path findProject() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("src/test/node"), dir.resolve("dvmm-sdk-hyperv/src/test/node"))) {
                if (Files.isRegularFile(candidate.resolve("ps-invocations.js"))) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
