package io.dvmm.sdk;

/**
 * The object already exists (for example, a VM with that name), or the call conflicts with its current state.
 */
public class ConflictException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     */
    public ConflictException(String message, ErrorContext context) {
        this(message, context, null);
    }

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     * @param cause the underlying cause, or {@code null}
     */
    public ConflictException(String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
    }
}
