package io.dvmm.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How to stop a VM: ask the guest to shut down and wait up to a deadline, then, if asked, cut
 * the power; or cut the power at once.
 *
 * @param graceful whether to ask the guest to shut down first
 * @param gracefulTimeout how long to wait for the guest
 * @param forceAfterTimeout whether to cut the power when the guest has not stopped in time
 */
public record StopSpec(boolean graceful, Duration gracefulTimeout, boolean forceAfterTimeout) {

    /**

     * Validates the values.

     *

     * @param graceful see the record component

     * @param gracefulTimeout see the record component

     * @param forceAfterTimeout see the record component

     */
    public StopSpec {
        Objects.requireNonNull(gracefulTimeout, "gracefulTimeout");
        if (gracefulTimeout.isNegative()) {
            throw new InvalidSpecException("gracefulTimeout", "must not be negative");
        }
    }

    /** @return power off at once, without asking the guest */
    public static StopSpec hard() {
        return new StopSpec(false, Duration.ZERO, true);
    }

    /**
     * @param timeout how long the guest has
     * @return a guest shutdown that fails with {@link OperationTimeoutException} if it takes longer
     */
    public static StopSpec graceful(Duration timeout) {
        return new StopSpec(true, timeout, false);
    }

    /**
     * @param timeout how long the guest has
     * @return a guest shutdown followed by a power off if it takes longer
     */
    public static StopSpec gracefulThenHard(Duration timeout) {
        return new StopSpec(true, timeout, true);
    }
}
