package io.dvmm.sdk;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one long-running call runs: its deadline and who hears its progress. Immutable; build
 * with {@link #builder()}, copy with {@link #toBuilder()}.
 *
 * <p>Cancelling the returned future ({@code future.cancel(true)}) stops the local waiting at once
 * and, where the connection has {@link Capability#CANCEL_TASK}, asks the hypervisor to cancel its
 * task. It does not interrupt a request already on the wire.
 */
public final class OperationOptions {

    private static final OperationOptions DEFAULTS = builder().build();

    private final Duration timeout;
    private final ProgressListener listener;

    private OperationOptions(Builder b) {
        this.timeout = b.timeout;
        this.listener = b.listener;
    }

    /** @return the connection's default deadline, no listener */
    public static OperationOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param timeout the deadline, counted from the call
     * @return options with that deadline
     */
    public static OperationOptions timeout(Duration timeout) {
        return builder().timeout(Objects.requireNonNull(timeout, "timeout")).build();
    }

    /**
     * @param listener the progress listener
     * @return options reporting to that listener
     */
    public static OperationOptions progress(ProgressListener listener) {
        return builder().listener(listener).build();
    }

    /** @return a builder with no deadline of its own and no listener */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        return new Builder().timeout(timeout).listener(listener);
    }

    /** @return the deadline from the call, if set; otherwise the connection's {@code operationTimeout} applies */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** @return who hears the progress; {@link ProgressListener#NONE} by default */
    public ProgressListener listener() {
        return listener;
    }

    @Override
    public String toString() {
        return "OperationOptions[timeout=" + timeout + ", listener=" + (listener == ProgressListener.NONE ? "none" : "set") + "]";
    }

    /** Builds {@link OperationOptions}. Not thread-safe. */
    public static final class Builder {
        private Duration timeout;
        private ProgressListener listener = ProgressListener.NONE;

        private Builder() {
        }

        /**
         * @param value the deadline from the call, or {@code null} for the connection's default
         * @return this builder
         */
        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        /**
         * @param value receives progress reports, or {@code null} for none
         * @return this builder
         */
        public Builder listener(ProgressListener value) {
            this.listener = value == null ? ProgressListener.NONE : value;
            return this;
        }

        /**
         * @return the options
         * @throws InvalidSpecException if the timeout is not positive
         */
        public OperationOptions build() {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new InvalidSpecException("timeout", "must be positive");
            }
            return new OperationOptions(this);
        }
    }
}
