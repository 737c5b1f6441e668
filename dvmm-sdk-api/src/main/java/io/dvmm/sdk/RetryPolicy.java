package io.dvmm.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How a connection retries a request that failed with a retryable error. Only requests that are
 * idempotent, or that provably never reached the server, are retried, so a retry never
 * duplicates a VM; a server's {@code Retry-After} is honoured (never past the operation's
 * deadline). Immutable; build with {@link #builder()}, copy with {@link #toBuilder()}.
 */
public final class RetryPolicy {

    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy NONE = builder().maxAttempts(1).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO)
            .multiplier(1.0).build();

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double multiplier;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.multiplier = b.multiplier;
    }

    /** @return 3 attempts, 200 ms doubling up to 5 s */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** @return no retries */
    public static RetryPolicy none() {
        return NONE;
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this policy */
    public Builder toBuilder() {
        return new Builder().maxAttempts(maxAttempts).initialBackoff(initialBackoff).maxBackoff(maxBackoff).multiplier(multiplier);
    }

    /** @return total attempts including the first; 1 disables retries */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the wait before the second attempt */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the longest wait between two attempts (a server's {@code Retry-After} may ask for more) */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return how much each wait grows */
    public double multiplier() {
        return multiplier;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy p && maxAttempts == p.maxAttempts && initialBackoff.equals(p.initialBackoff)
                && maxBackoff.equals(p.maxBackoff) && multiplier == p.multiplier;
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxAttempts, initialBackoff, maxBackoff, multiplier);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff
                + ", multiplier=" + multiplier + "]";
    }

    /** Builds a {@link RetryPolicy}. Not thread-safe. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private double multiplier = 2.0;

        private Builder() {
        }

        /**
         * @param value total attempts including the first; 1 disables retries
         * @return this builder
         */
        public Builder maxAttempts(int value) {
            this.maxAttempts = value;
            return this;
        }

        /**
         * @param value the wait before the second attempt
         * @return this builder
         */
        public Builder initialBackoff(Duration value) {
            this.initialBackoff = value;
            return this;
        }

        /**
         * @param value the longest wait between two attempts
         * @return this builder
         */
        public Builder maxBackoff(Duration value) {
            this.maxBackoff = value;
            return this;
        }

        /**
         * @param value how much each wait grows, at least 1.0
         * @return this builder
         */
        public Builder multiplier(double value) {
            this.multiplier = value;
            return this;
        }

        /**
         * @return the policy
         * @throws InvalidSpecException naming the field when a value breaks a rule
         */
        public RetryPolicy build() {
            if (maxAttempts < 1) {
                throw new InvalidSpecException("retry.maxAttempts", "must be at least 1");
            }
            if (initialBackoff == null || initialBackoff.isNegative()) {
                throw new InvalidSpecException("retry.initialBackoff", "must be a duration of zero or more");
            }
            if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new InvalidSpecException("retry.maxBackoff", "must be at least initialBackoff");
            }
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new InvalidSpecException("retry.multiplier", "must be a finite number of at least 1.0");
            }
            return new RetryPolicy(this);
        }
    }
}
