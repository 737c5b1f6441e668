package io.dvmm.sdk.spi.support;

import java.time.Duration;

/**
 * Poll intervals that start short and grow to a cap: a finished task is noticed within one step,
 * and a long task is not hammered.
 *
 * @param first the first interval
 * @param cap the longest interval
 * @param multiplier how much each interval grows
 */
public record Backoff(Duration first, Duration cap, double multiplier) {

    /**

     * Validates the values.

     *

     * @param first see the record component

     * @param cap see the record component

     * @param multiplier see the record component

     */
    public Backoff {
        if (first.isNegative() || cap.compareTo(first) < 0 || multiplier < 1.0) {
            throw new IllegalArgumentException("need 0 <= first <= cap and multiplier >= 1");
        }
    }

    /** @return 100 ms growing by 1.5 up to 2 s: the default for hypervisor tasks */
    public static Backoff tasks() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 1.5);
    }

    /**
     * @param attempt the attempt number, from 0
     * @return the interval before the next attempt
     */
    public Duration interval(int attempt) {
        double nanos = first.toNanos() * Math.pow(multiplier, Math.min(attempt, 60));
        return nanos >= cap.toNanos() ? cap : Duration.ofNanos((long) nanos);
    }
}
