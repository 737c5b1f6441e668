package io.dvmm.sdk;

/**
 * The server's answer could not be understood: malformed, unexpected or hostile.
 */
public class ProtocolException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     */
    public ProtocolException(String message, ErrorContext context) {
        this(message, context, null);
    }

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     * @param cause the underlying cause, or {@code null}
     */
    public ProtocolException(String message, ErrorContext context, Throwable cause) {
        this(message, context, false, cause);
    }

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     * @param retryable whether asking again may get a well-formed answer (a garbled body, not an
     *                  answer the SDK refuses by rule, such as one too large)
     * @param cause the underlying cause, or {@code null}
     */
    public ProtocolException(String message, ErrorContext context, boolean retryable, Throwable cause) {
        super(message, context, retryable, cause);
    }
}
