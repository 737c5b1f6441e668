package io.dvmm.sdk.simulator.powervm.internal;

/**
 * An error the HMC answers with an {@code HttpErrorResponse} entry: the HTTP status, a reason
 * and the message (where the HMC puts its HSCL/VIOS codes).
 */
public final class HmcError extends RuntimeException {

    private final int status;
    private final String reason;

    public HmcError(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    public static HmcError badRequest(String message) {
        return new HmcError(400, "Bad Request", message);
    }

    public static HmcError notFound(String what) {
        return new HmcError(404, "Not Found", "The requested resource " + what + " was not found.");
    }

    public static HmcError conflict(String message) {
        return new HmcError(409, "Conflict", message);
    }

    /** The HMC's answer to a body it cannot bind to its schema (wrong order, unknown element). */
    public static HmcError unmarshal(String detail) {
        return new HmcError(400, "Bad Request", "Failed to unmarshal input payload: " + detail);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
