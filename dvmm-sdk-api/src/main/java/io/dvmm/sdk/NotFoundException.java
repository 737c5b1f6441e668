package io.dvmm.sdk;

/**
 * The VM, template, snapshot or other object named in the call does not exist.
 */
public class NotFoundException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     */
    public NotFoundException(String message, ErrorContext context) {
        this(message, context, null);
    }

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     * @param cause the underlying cause, or {@code null}
     */
    public NotFoundException(String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
    }
}
