package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.Progress;
import io.dvmm.sdk.Progress.Stage;
import io.dvmm.sdk.ProgressListener;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the progress of one operation to a {@link ProgressListener} with the guarantees the
 * API promises: one report at a time, in order, the percent never decreasing, and a listener's
 * exception never breaking the operation. Thread-safe.
 */
public final class ProgressReporter {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

    private final String operation;
    private final ProgressListener listener;
    private final Clock clock;
    private int lastPercent = -1;
    private Stage lastStage;
    private String lastMessage;

    /**
     * @param operation the SDK operation
     * @param listener the listener
     */
    public ProgressReporter(String operation, ProgressListener listener) {
        this(operation, listener, Clock.systemUTC());
    }

    /**
     * @param operation the SDK operation
     * @param listener the listener
     * @param clock the clock stamping reports
     */
    public ProgressReporter(String operation, ProgressListener listener, Clock clock) {
        this.operation = operation;
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.clock = clock;
    }

    /**
     * Reports progress. A percent lower than the last one reported is raised to it; a report
     * identical to the last one is dropped.
     *
     * @param stage the stage
     * @param percent 0 to 100, or -1 when unknown
     * @param message a short text
     */
    public synchronized void report(Stage stage, int percent, String message) {
        int p = Math.max(-1, Math.min(100, percent));
        if (p >= 0 && p < lastPercent) {
            p = lastPercent;
        }
        if (p < 0 && lastPercent >= 0) {
            p = lastPercent;
        }
        String m = message == null ? "" : message;
        if (stage == lastStage && p == lastPercent && m.equals(lastMessage)) {
            return;
        }
        lastStage = stage;
        lastPercent = p;
        lastMessage = m;
        try {
            listener.onProgress(new Progress(operation, stage, p, m, clock.instant()));
        } catch (RuntimeException e) {
            LOG.warn("Progress listener of {} threw; ignoring it", operation, e);
        }
    }

    /**
     * Maps a stage's own percent into a slice of the overall percent.
     *
     * @param stage the stage
     * @param from the overall percent where the stage starts
     * @param to the overall percent where it ends
     * @param stagePercent the stage's own percent, 0 to 100, or -1
     * @param message a short text
     */
    public void reportSlice(Stage stage, int from, int to, int stagePercent, String message) {
        int p = stagePercent < 0 ? from : from + (int) ((to - from) * (Math.min(100, stagePercent) / 100.0));
        report(stage, p, message);
    }

    /** @return the SDK operation reported on */
    public String operation() {
        return operation;
    }

    /** @return the stage reported last, or {@code null} before the first report */
    public synchronized Stage lastStage() {
        return lastStage;
    }

    /** @return the highest percent reported so far, or -1 */
    public synchronized int lastPercent() {
        return lastPercent;
    }
}
