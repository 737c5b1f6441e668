package io.dvmm.sdk.simulator.powervm;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Tests that need the HMC captures ({@code shared/data/powervm}) call {@link #require()}: it
 * skips the test with a clear message where the captures are absent (a clone outside the
 * workspace), and fails it instead under {@code CI=true}, where they must be present.
 */
final class Captures {

    private Captures() {
    }

    static Path require() {
        Optional<Path> dir = PowerVmSimulator.findCaptures();
        if (dir.isEmpty()) {
            String message = "the HMC captures (shared/data/powervm above " + Path.of("").toAbsolutePath()
                    + ") are absent";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + ", and CI=true requires them");
            }
            assumeTrue(false, message + ": skipping a test that needs them");
        }
        return dir.get();
    }
}
