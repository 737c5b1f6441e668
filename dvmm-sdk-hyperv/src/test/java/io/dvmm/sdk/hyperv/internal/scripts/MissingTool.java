package io.dvmm.sdk.hyperv.internal.scripts;

import org.junit.jupiter.api.Assumptions;

/**
 * What a check does when a tool or data set it needs is absent: skip with the way to get it, or fail under
 * {@code CI=true}, where a skipped check would pass silently.
 */
final class MissingTool {

    static final String NODE_INSTALL = "npm ci --prefix dvmm-sdk-hyperv/src/test/node";

    private MissingTool() {
    }

    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips the calling test with {@code message}, or fails it on CI. Never returns normally. */
    static RuntimeException report(String message) {
        if (onCi()) {
            throw new IllegalStateException(message + " (CI=true: failing instead of skipping)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }
}
