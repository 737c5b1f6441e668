package io.dvmm.sdk;

/**
 * The object is locked or busy with another task; retrying later may succeed.
 */
public class BusyException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     */
    public BusyException(String message, ErrorContext context) {
        this(message, context, null);
    }

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     * @param cause the underlying cause, or {@code null}
     */
    public BusyException(String message, ErrorContext context, Throwable cause) {
        super(message, context, true, cause);
    }
}
