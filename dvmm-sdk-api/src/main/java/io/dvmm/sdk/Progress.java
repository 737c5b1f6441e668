package io.dvmm.sdk;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One progress report of a long-running operation. For one operation, reports arrive in order
 * and the percent never decreases.
 */
public final class Progress {
    private final String operation;
    private final String stage;
    private final int percent;
    private final String message;
    private final Instant at;

    /**
     * @param operation the SDK operation, such as {@code createVm}
     * @param stage the current stage, such as {@code clone}, {@code configure}, {@code power-on}, {@code wait-ip}
     * @param percent 0 to 100, or -1 when unknown
     * @param message a short human text, possibly empty
     * @param at when it was observed
     */
    public Progress(String operation, String stage, int percent, String message, Instant at) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.stage = Objects.requireNonNull(stage, "stage");
        if (percent < -1 || percent > 100) {
            throw new IllegalArgumentException("percent must be -1 or 0..100, was " + percent);
        }
        this.percent = percent;
        this.message = message == null ? "" : message;
        this.at = Objects.requireNonNull(at, "at");
    }

    /** @return the SDK operation */
    public String operation() {
        return operation;
    }

    /** @return the current stage */
    public String stage() {
        return stage;
    }

    /** @return the overall percent done, when the hypervisor knows it */
    public OptionalInt percent() {
        return percent < 0 ? OptionalInt.empty() : OptionalInt.of(percent);
    }

    /** @return a short human text, possibly empty */
    public String message() {
        return message;
    }

    /** @return when it was observed */
    public Instant at() {
        return at;
    }

    @Override
    public String toString() {
        return operation + " " + stage + (percent < 0 ? "" : " " + percent + "%") + (message.isEmpty() ? "" : ": " + message);
    }
}
