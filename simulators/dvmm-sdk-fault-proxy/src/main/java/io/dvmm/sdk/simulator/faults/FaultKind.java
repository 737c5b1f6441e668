package io.dvmm.sdk.simulator.faults;

/** What the proxy does to one request. */
public enum FaultKind {
    /** The connection is reset before the request is forwarded: the target never sees it. */
    RESET_BEFORE(false),
    /** 503 Service Unavailable with {@code Retry-After: 1}, not forwarded. */
    UNAVAILABLE_RETRY_AFTER(false),
    /** PVE's 596 "Connection timed out" (pveproxy could not reach the node), not forwarded. */
    STATUS_596(false),
    /** The request is held until the client gives up; not forwarded. */
    NEVER_ANSWER(false),
    /** The request is held past the client's timeout, then forwarded: it takes effect after the client gave up. */
    LATE_REQUEST(false),
    /** Forwarded and acted on; then the connection is reset instead of answering. */
    RESET_AFTER(true),
    /** Forwarded and acted on; the answer arrives after the client's timeout. */
    LATE_ANSWER(true),
    /** Forwarded and acted on; the answer's body is cut in half (the connection then closes). */
    TRUNCATED_BODY(true),
    /** Forwarded and acted on; the answer's body is garbage. */
    MALFORMED_BODY(true),
    /** Forwarded and acted on; the headers arrive, then the body trickles slower than the client waits. */
    STALLED_BODY(true);

    private final boolean forwarded;

    FaultKind(boolean forwarded) {
        this.forwarded = forwarded;
    }

    /** @return whether the target receives (and acts on) the request */
    public boolean forwarded() {
        return forwarded;
    }
}
