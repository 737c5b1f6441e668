package io.dvmm.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * When a connection stops calling an endpoint that keeps failing. While open, calls fail at once
 * with {@link UnavailableException}; after {@code openDuration} a few calls probe the endpoint.
 *
 * @param enabled whether the breaker is active
 * @param failureRateThreshold percentage of failed calls (1 to 100) that opens the breaker
 * @param slidingWindowSize how many recent calls the rate is computed over
 * @param minimumCalls calls needed before the rate is computed
 * @param openDuration how long the breaker stays open before probing
 */
public record CircuitBreakerPolicy(boolean enabled, float failureRateThreshold, int slidingWindowSize, int minimumCalls,
                                   Duration openDuration) {

    /**

     * Validates the policy.

     *

     * @param enabled see the record component

     * @param failureRateThreshold see the record component

     * @param slidingWindowSize see the record component

     * @param minimumCalls see the record component

     * @param openDuration see the record component

     */
    public CircuitBreakerPolicy {
        if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
            throw new InvalidSpecException("circuitBreaker.failureRateThreshold", "must be in (0, 100]");
        }
        if (slidingWindowSize < 1 || minimumCalls < 1) {
            throw new InvalidSpecException("circuitBreaker.slidingWindowSize", "window and minimum calls must be at least 1");
        }
        Objects.requireNonNull(openDuration, "openDuration");
    }

    /** @return enabled: opens at 50% failures over 20 calls (at least 10), stays open 30 s */
    public static CircuitBreakerPolicy defaults() {
        return new CircuitBreakerPolicy(true, 50f, 20, 10, Duration.ofSeconds(30));
    }

    /** @return a breaker that never opens */
    public static CircuitBreakerPolicy disabled() {
        return new CircuitBreakerPolicy(false, 100f, 1, 1, Duration.ofSeconds(1));
    }
}
