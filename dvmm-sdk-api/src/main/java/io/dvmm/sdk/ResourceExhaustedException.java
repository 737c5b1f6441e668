package io.dvmm.sdk;

/**
 * The hypervisor lacks the capacity (CPU, memory, storage, IDs) to do what was asked.
 */
public class ResourceExhaustedException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     */
    public ResourceExhaustedException(String message, ErrorContext context) {
        this(message, context, null);
    }

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     * @param cause the underlying cause, or {@code null}
     */
    public ResourceExhaustedException(String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
    }
}
