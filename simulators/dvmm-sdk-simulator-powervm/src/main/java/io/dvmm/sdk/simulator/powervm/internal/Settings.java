package io.dvmm.sdk.simulator.powervm.internal;

import java.time.Duration;

/**
 * The simulator's knobs, changeable while it runs (tests slow a job down or speed RMC up
 * between two calls). Fields are volatile; each read sees the latest value.
 */
public final class Settings {

    /** How long a job stays {@code NOT_STARTED}. */
    public volatile Duration jobQueueTime = Duration.ofMillis(20);
    /** How long a job stays {@code RUNNING}. */
    public volatile Duration jobRunTime = Duration.ofMillis(100);
    /** From {@code running} to RMC {@code active}. */
    public volatile Duration rmcDelay = Duration.ofMillis(300);
    /** From {@code running} to an IP address in {@code ResourceMonitoringIPAddress} (never before RMC). */
    public volatile Duration ipDelay = Duration.ofMillis(300);
    /** How long an idle event poll is held before 204 (the HMC holds it about 10 s). */
    public volatile Duration eventIdleWait = Duration.ofSeconds(2);
    /** Event polls allowed per listener within {@link #eventPollWindow}; more get REST026C. */
    public volatile int eventPollLimit = 20;
    public volatile Duration eventPollWindow = Duration.ofSeconds(1);
    /** An API session unused this long expires (401). */
    public volatile Duration sessionIdleTimeout = Duration.ofHours(2);
    /** Answer 406 when a write carries {@code X-HMC-Schema-Version}, as some firmware does. */
    public volatile boolean refuseSchemaVersionOnWrites = true;
    /** Prefix of the IP addresses RMC reports; the partition ID completes it. */
    public volatile String ipPrefix = "192.0.2.";
}
