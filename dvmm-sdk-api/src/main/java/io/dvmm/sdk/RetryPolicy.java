package io.dvmm.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How a connection retries a call that failed with a retryable error. Only calls that are
 * idempotent, or that provably never reached the server, are retried, so a retry never
 * duplicates a VM.
 *
 * @param maxAttempts total attempts including the first; 1 disables retries
 * @param initialBackoff the wait before the second attempt
 * @param maxBackoff the longest wait between two attempts
 * @param multiplier how much each wait grows
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

    /**

     * Validates the policy.

     *

     * @param maxAttempts see the record component

     * @param initialBackoff see the record component

     * @param maxBackoff see the record component

     * @param multiplier see the record component

     */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new InvalidSpecException("retry.maxAttempts", "must be at least 1");
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new InvalidSpecException("retry.maxBackoff", "must be at least initialBackoff, which must not be negative");
        }
        if (multiplier < 1.0) {
            throw new InvalidSpecException("retry.multiplier", "must be at least 1.0");
        }
    }

    /** @return 3 attempts, 200 ms doubling up to 5 s */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5), 2.0);
    }

    /** @return a single attempt */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0);
    }
}
