package io.dvmm.sdk.simulator.hyperv.internal;

import java.time.Duration;

/**
 * How long the model's transitions take: Start-VM (Starting), Save-VM (Saving), starting from saved state, a guest
 * shutting down (or rebooting) after the integration service asked, and the guest's KVP addresses after boot
 * (link-local ones at half that time).
 */
public record ModelTimings(Duration start, Duration save, Duration resume, Duration guestShutdown, Duration guestIp) {

    public static ModelTimings fast() {
        return new ModelTimings(Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofMillis(10),
                Duration.ofMillis(50), Duration.ofMillis(100));
    }
}
