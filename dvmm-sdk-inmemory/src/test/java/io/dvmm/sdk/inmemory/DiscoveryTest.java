package io.dvmm.sdk.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.ProviderInfo;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers are found through ServiceLoader both on the class path (META-INF/services) and on
 * the module path (the api's {@code uses}, the testkit's {@code provides}).
 */
class DiscoveryTest {
    /** What the api and in-memory modules need at run time; everything else on the test class path is left off. */
    private static final Pattern MODULE_PATH_ENTRY = Pattern.compile(
            ".*(dvmm-sdk-api|dvmm-sdk-inmemory)[/\\\\]target[/\\\\]classes$|.*[/\\\\]dvmm-sdk-api-[0-9][^/\\\\]*(?<!-javadoc|-sources)\\.jar$"
                    + "|.*[/\\\\](slf4j-api|resilience4j-[a-z]+)-[^/\\\\]*\\.jar$");

    @Test
    void inMemoryIsFoundOnTheClassPath() {
        assertThat(Hypervisors.providers()).extracting(ProviderInfo::type).contains("inmemory");
        assertThat(Hypervisors.provider("inmemory")).map(ProviderInfo::displayName).hasValueSatisfying(
                n -> assertThat(n).contains("In-memory"));
    }

    @Test
    void inMemoryIsFoundOnTheModulePath(@TempDir Path tmp) throws IOException, InterruptedException {
        String testClassPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> modulePath = Arrays.stream(testClassPath.split(File.pathSeparator))
                .filter(e -> MODULE_PATH_ENTRY.matcher(e).matches()).distinct().collect(Collectors.toList());
        assertThat(modulePath).anyMatch(e -> e.contains("dvmm-sdk-api")).anyMatch(e -> e.contains("dvmm-sdk-inmemory"));

        // A probe module that requires only the api: the inmemory provider must arrive by service binding.
        Path src = tmp.resolve("src/probe");
        Files.createDirectories(src.resolve("probe"));
        Files.writeString(src.resolve("module-info.java"), "module probe { requires io.dvmm.sdk.api; }\n");
        Files.writeString(src.resolve("probe/Main.java"), """
                package probe;
                public class Main {
                    public static void main(String[] args) {
                        for (io.dvmm.sdk.ProviderInfo p : io.dvmm.sdk.Hypervisors.providers()) {
                            try (io.dvmm.sdk.Hypervisor h = io.dvmm.sdk.Hypervisors.connect(p.type() + ":/probe",
                                    io.dvmm.sdk.Credentials.none())) {
                                System.out.println("provider " + p.type() + " in module " + h.getClass().getModule().getName());
                            }
                        }
                    }
                }
                """);
        Path out = tmp.resolve("out");
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        assertThat(run(List.of(bin.resolve("javac").toString(), "-d", out.toString(), "--module-path",
                String.join(File.pathSeparator, modulePath), src.resolve("module-info.java").toString(),
                src.resolve("probe/Main.java").toString()))).as("probe module compiles").isEmpty();

        String output = run(new ArrayList<>(List.of(bin.resolve("java").toString(),
                "--module-path", out + File.pathSeparator + String.join(File.pathSeparator, modulePath),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=off", "--module", "probe/probe.Main")));
        assertThat(output).contains("provider inmemory in module io.dvmm.sdk.inmemory");
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finishes", cmd.get(0)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
