package io.dvmm.sdk;

/**
 * The operation did not finish before its deadline. The remote task may still be running.
 */
public class OperationTimeoutException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     */
    public OperationTimeoutException(String message, ErrorContext context) {
        this(message, context, null);
    }

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     * @param cause the underlying cause, or {@code null}
     */
    public OperationTimeoutException(String message, ErrorContext context, Throwable cause) {
        super(message, context, true, cause);
    }
}
