package io.dvmm.sdk;

/**
 * The credentials are valid but lack the privilege for this operation.
 */
public class PermissionDeniedException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     */
    public PermissionDeniedException(String message, ErrorContext context) {
        this(message, context, null);
    }

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     * @param cause the underlying cause, or {@code null}
     */
    public PermissionDeniedException(String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
    }
}
