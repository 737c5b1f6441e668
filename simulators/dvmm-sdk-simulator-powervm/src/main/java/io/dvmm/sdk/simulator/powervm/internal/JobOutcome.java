package io.dvmm.sdk.simulator.powervm.internal;

import java.util.Map;

/** How a job ends: its final status, the failure text (with the HSCL code) and extra results. */
public record JobOutcome(String status, String message, Map<String, String> results) {

    public static JobOutcome success() {
        return new JobOutcome(Job.COMPLETED_OK, null, Map.of());
    }

    public static JobOutcome success(Map<String, String> results) {
        return new JobOutcome(Job.COMPLETED_OK, null, results);
    }

    public static JobOutcome error(String message) {
        return new JobOutcome(Job.COMPLETED_WITH_ERROR, message, Map.of());
    }

    public static JobOutcome failedBefore(String message) {
        return new JobOutcome(Job.FAILED_BEFORE_COMPLETION, message, Map.of());
    }

    public boolean ok() {
        return status.equals(Job.COMPLETED_OK);
    }
}
