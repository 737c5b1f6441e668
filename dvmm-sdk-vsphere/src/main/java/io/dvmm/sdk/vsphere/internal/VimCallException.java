package io.dvmm.sdk.vsphere.internal;

import java.rmi.RemoteException;

/**
 * A failed vim25 call as seen by the transport: a server fault (with the fault's type name and,
 * when the model knows it, the parsed fault object), an HTTP or protocol error, or a transport
 * failure. Thrown through yavijava's stubs, which declare {@link RemoteException}.
 */
final class VimCallException extends RemoteException {

    private static final long serialVersionUID = 1L;

    enum Kind { FAULT, HTTP, PROTOCOL, TIMEOUT, TRANSPORT }

    private final Kind kind;
    private final String method;
    private final String faultType;
    private final transient Object faultDetail;
    private final int httpStatus;
    /** True when the request provably never reached the server (so even a non-idempotent call may be retried). */
    private final boolean notSent;

    VimCallException(Kind kind, String method, String message, String faultType, Object faultDetail,
                     int httpStatus, boolean notSent, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.method = method;
        this.faultType = faultType;
        this.faultDetail = faultDetail;
        this.httpStatus = httpStatus;
        this.notSent = notSent;
    }

    Kind kind() {
        return kind;
    }

    String method() {
        return method;
    }

    /** The fault's vim25 type name, e.g. {@code InvalidLogin}; null unless {@link #kind()} is FAULT. */
    String faultType() {
        return faultType;
    }

    Object faultDetail() {
        return faultDetail;
    }

    int httpStatus() {
        return httpStatus;
    }

    boolean notSent() {
        return notSent;
    }

    boolean isFault(String type) {
        return kind == Kind.FAULT && type.equals(faultType);
    }

    @Override
    public String getMessage() {
        // RemoteException appends the cause's message; keep ours alone (never a payload).
        return super.getMessage() == null ? null : super.getMessage().replaceFirst("(?s); nested exception is:.*", "");
    }
}
