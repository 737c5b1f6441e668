package io.dvmm.sdk;

/**
 * Receives the progress of one long-running operation. Called from SDK threads, one report at a
 * time and in order; it must return quickly and not block. An exception it throws is logged and
 * ignored.
 */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every report. */
    ProgressListener NONE = p -> { };

    /**
     * @param progress the report
     */
    void onProgress(Progress progress);
}
