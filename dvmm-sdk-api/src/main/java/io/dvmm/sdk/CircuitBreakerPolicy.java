package io.dvmm.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * When a connection stops calling an endpoint that keeps failing. Only outages count
 * ({@link UnavailableException}); while open, requests fail at once with
 * {@link UnavailableException} (not retried); after {@link #openDuration()} a few requests probe
 * the endpoint. Immutable; build with {@link #builder()}, copy with {@link #toBuilder()}.
 */
public final class CircuitBreakerPolicy {

    private static final CircuitBreakerPolicy DEFAULTS = builder().build();
    private static final CircuitBreakerPolicy DISABLED = builder().enabled(false).build();

    private final boolean enabled;
    private final float failureRateThreshold;
    private final int slidingWindowSize;
    private final int minimumCalls;
    private final Duration openDuration;

    private CircuitBreakerPolicy(Builder b) {
        this.enabled = b.enabled;
        this.failureRateThreshold = b.failureRateThreshold;
        this.slidingWindowSize = b.slidingWindowSize;
        this.minimumCalls = b.minimumCalls;
        this.openDuration = b.openDuration;
    }

    /** @return opens at 50 % outages of the last 20 requests (at least 10), for 30 s */
    public static CircuitBreakerPolicy defaults() {
        return DEFAULTS;
    }

    /** @return never opens */
    public static CircuitBreakerPolicy disabled() {
        return DISABLED;
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this policy */
    public Builder toBuilder() {
        return new Builder().enabled(enabled).failureRateThreshold(failureRateThreshold).slidingWindowSize(slidingWindowSize)
                .minimumCalls(minimumCalls).openDuration(openDuration);
    }

    /** @return whether the breaker is active */
    public boolean enabled() {
        return enabled;
    }

    /** @return percentage of failed requests (above 0, at most 100) that opens the breaker */
    public float failureRateThreshold() {
        return failureRateThreshold;
    }

    /** @return how many recent requests the rate is computed over */
    public int slidingWindowSize() {
        return slidingWindowSize;
    }

    /** @return requests needed before the rate is computed */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** @return how long the breaker stays open before probing */
    public Duration openDuration() {
        return openDuration;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CircuitBreakerPolicy p && enabled == p.enabled && failureRateThreshold == p.failureRateThreshold
                && slidingWindowSize == p.slidingWindowSize && minimumCalls == p.minimumCalls && openDuration.equals(p.openDuration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, failureRateThreshold, slidingWindowSize, minimumCalls, openDuration);
    }

    @Override
    public String toString() {
        return "CircuitBreakerPolicy[enabled=" + enabled + ", failureRateThreshold=" + failureRateThreshold
                + ", slidingWindowSize=" + slidingWindowSize + ", minimumCalls=" + minimumCalls + ", openDuration=" + openDuration + "]";
    }

    /** Builds a {@link CircuitBreakerPolicy}. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private float failureRateThreshold = 50f;
        private int slidingWindowSize = 20;
        private int minimumCalls = 10;
        private Duration openDuration = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * @param value whether the breaker is active
         * @return this builder
         */
        public Builder enabled(boolean value) {
            this.enabled = value;
            return this;
        }

        /**
         * @param value percentage of failed requests that opens the breaker, above 0 and at most 100
         * @return this builder
         */
        public Builder failureRateThreshold(float value) {
            this.failureRateThreshold = value;
            return this;
        }

        /**
         * @param value how many recent requests the rate is computed over
         * @return this builder
         */
        public Builder slidingWindowSize(int value) {
            this.slidingWindowSize = value;
            return this;
        }

        /**
         * @param value requests needed before the rate is computed
         * @return this builder
         */
        public Builder minimumCalls(int value) {
            this.minimumCalls = value;
            return this;
        }

        /**
         * @param value how long the breaker stays open before probing
         * @return this builder
         */
        public Builder openDuration(Duration value) {
            this.openDuration = value;
            return this;
        }

        /**
         * @return the policy
         * @throws InvalidSpecException naming the field when a value breaks a rule
         */
        public CircuitBreakerPolicy build() {
            if (!(failureRateThreshold > 0) || failureRateThreshold > 100) {
                throw new InvalidSpecException("circuitBreaker.failureRateThreshold", "must be in (0, 100]");
            }
            if (slidingWindowSize < 1) {
                throw new InvalidSpecException("circuitBreaker.slidingWindowSize", "must be at least 1");
            }
            if (minimumCalls < 1) {
                throw new InvalidSpecException("circuitBreaker.minimumCalls", "must be at least 1");
            }
            if (openDuration == null || openDuration.isNegative() || openDuration.isZero()) {
                throw new InvalidSpecException("circuitBreaker.openDuration", "must be a positive duration");
            }
            return new CircuitBreakerPolicy(this);
        }
    }
}
