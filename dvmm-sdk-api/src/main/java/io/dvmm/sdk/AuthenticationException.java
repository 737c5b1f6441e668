package io.dvmm.sdk;

/**
 * The credentials were refused, or the session could not be re-established.
 */
public class AuthenticationException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     */
    public AuthenticationException(String message, ErrorContext context) {
        this(message, context, null);
    }

    /**
     * @param message what went wrong
     * @param context provider, operation and server details
     * @param cause the underlying cause, or {@code null}
     */
    public AuthenticationException(String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
    }
}
