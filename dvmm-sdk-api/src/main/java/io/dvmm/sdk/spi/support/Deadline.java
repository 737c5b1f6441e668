package io.dvmm.sdk.spi.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A point in time an operation must finish by, on the monotonic clock.
 */
public final class Deadline {
    private final long deadlineNanos;
    private final Duration budget;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.deadlineNanos = System.nanoTime() + budget.toNanos();
    }

    /**
     * @param budget the time allowed from now
     * @return the deadline
     */
    public static Deadline after(Duration budget) {
        return new Deadline(budget);
    }

    /** @return the budget it was created with */
    public Duration budget() {
        return budget;
    }

    /** @return the time left, never negative */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    /** @return whether it has passed */
    public boolean expired() {
        return deadlineNanos - System.nanoTime() <= 0;
    }

    /**
     * @param delayNanos a wanted delay
     * @return the delay, shortened so that it ends at the deadline at the latest
     */
    public long clampNanos(long delayNanos) {
        return Math.max(0, Math.min(delayNanos, deadlineNanos - System.nanoTime()));
    }

    @Override
    public String toString() {
        return "Deadline[" + TimeUnit.NANOSECONDS.toMillis(remaining().toNanos()) + " ms left of " + budget + "]";
    }
}
