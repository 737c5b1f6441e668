package io.dvmm.sdk;

/**
 * The endpoint could not be reached or answered that it is temporarily unavailable.
 */
public class UnavailableException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     */
    public UnavailableException(String message, ErrorContext context) {
        this(message, context, null);
    }

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     * @param cause the underlying cause, or {@code null}
     */
    public UnavailableException(String message, ErrorContext context, Throwable cause) {
        super(message, context, true, cause);
    }
}
