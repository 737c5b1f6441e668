package io.dvmm.sdk.powervm.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The real HMC captures in {@code shared/data/powervm} (pypowervm's test data), found by walking
 * up from the working directory. Tests that read them skip with a clear message when they are
 * absent, so a clone outside this workspace still builds; under {@code CI=true} they fail instead.
 */
public final class Captures {
    public static final String RELATIVE = "shared/data/powervm";

    private Captures() {
    }

    /** @return the directory, if found above the working directory */
    public static Optional<Path> locate() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve(RELATIVE);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** @return the directory; skips the test (fails it under {@code CI=true}) when it is absent */
    public static Path require() {
        Optional<Path> dir = locate();
        if (dir.isEmpty()) {
            String message = "the HMC captures (" + RELATIVE + ") are not above " + Path.of("").toAbsolutePath()
                    + "; the tests that read them are skipped";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + ", which CI=true does not allow");
            }
            Assumptions.abort(message);
        }
        return dir.get();
    }
}
