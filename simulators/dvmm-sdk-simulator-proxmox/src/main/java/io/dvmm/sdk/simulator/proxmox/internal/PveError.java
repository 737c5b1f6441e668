package io.dvmm.sdk.simulator.proxmox.internal;

import java.util.Map;

/** An API error as pveproxy reports it: the message goes into the HTTP reason phrase. */
public final class PveError extends RuntimeException {

    private final int status;
    private final Map<String, String> errors;

    public PveError(int status, String message) {
        this(status, message, Map.of());
    }

    public PveError(int status, String message, Map<String, String> errors) {
        super(message, null, false, false);
        this.status = status;
        this.errors = errors;
    }

    public static PveError param(String field, String message) {
        return new PveError(400, "Parameter verification failed.", Map.of(field, message));
    }

    public int status() {
        return status;
    }

    public Map<String, String> errors() {
        return errors;
    }
}
