package io.dvmm.sdk.simulator.powervm.internal;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;

/** The captures for tests of the internals: skipped when absent, failed when absent under {@code CI=true}. */
final class CapturesForInternal {

    private CapturesForInternal() {
    }

    static Path require() {
        Optional<Path> dir = CaptureSet.locate();
        if (dir.isEmpty()) {
            String message = "the HMC captures (" + CaptureSet.RELATIVE_DIR + ") are absent";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + ", and CI=true requires them");
            }
            assumeTrue(false, message + ": skipping a test that needs them");
        }
        return dir.get();
    }
}
