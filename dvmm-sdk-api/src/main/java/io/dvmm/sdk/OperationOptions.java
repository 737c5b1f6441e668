package io.dvmm.sdk;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one long-running call runs: its deadline and who hears its progress.
 *
 * <p>Cancelling the returned future ({@code future.cancel(true)}) stops the local waiting at once
 * and, where the connection has {@link Capability#CANCEL_TASK}, asks the hypervisor to cancel its
 * task. It does not interrupt a request already on the wire.
 *
 * @param timeout the deadline from the call, or {@code null} for the connection's default
 * @param listener receives progress reports
 */
public record OperationOptions(Duration timeout, ProgressListener listener) {

    private static final OperationOptions DEFAULTS = new OperationOptions(null, ProgressListener.NONE);

    /**

     * Validates the values.

     *

     * @param timeout see the record component

     * @param listener see the record component

     */
    public OperationOptions {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new InvalidSpecException("timeout", "must be positive");
        }
        listener = listener == null ? ProgressListener.NONE : listener;
    }

    /** @return the connection's default deadline, no listener */
    public static OperationOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param timeout the deadline
     * @return options with that deadline
     */
    public static OperationOptions timeout(Duration timeout) {
        return new OperationOptions(Objects.requireNonNull(timeout, "timeout"), ProgressListener.NONE);
    }

    /**
     * @param listener the progress listener
     * @return options reporting to that listener
     */
    public static OperationOptions progress(ProgressListener listener) {
        return new OperationOptions(null, listener);
    }

    /**
     * @param value the deadline
     * @return a copy with that deadline
     */
    public OperationOptions withTimeout(Duration value) {
        return new OperationOptions(value, listener);
    }

    /**
     * @param value the progress listener
     * @return a copy reporting to that listener
     */
    public OperationOptions withListener(ProgressListener value) {
        return new OperationOptions(timeout, value);
    }

    /** @return the deadline, if set */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(timeout);
    }
}
