package io.dvmm.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * Root of the SDK's one unchecked exception hierarchy.
 *
 * <p>Every failure a {@link Hypervisor} reports completes its future exceptionally with a
 * subclass of this type. Each carries the provider type, the SDK operation, the server's own
 * message and code where there was one, and whether retrying the same call may help. Messages
 * never contain secrets.
 */
public class HypervisorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Provider, operation and server details; not serialized. */
    private final transient ErrorContext context;
    /** Whether retrying may help. */
    private final boolean retryable;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, for a human
     * @param context provider, operation and server details
     * @param retryable whether the same call may succeed if retried
     * @param cause the underlying cause, or {@code null}
     */
    protected HypervisorException(String message, ErrorContext context, boolean retryable, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.context = context == null ? ErrorContext.EMPTY : context;
        this.retryable = retryable;
    }

    /** @return the provider type, such as {@code proxmox}, or empty when not known */
    public String provider() {
        return context.provider();
    }

    /** @return the SDK operation that failed, such as {@code createVm}, or empty when not known */
    public String operation() {
        return context.operation();
    }

    /** @return the server's own error code (HTTP status, SOAP fault name, exit status), if any */
    public Optional<String> serverCode() {
        return Optional.ofNullable(context.serverCode());
    }

    /** @return the server's own error message, if any */
    public Optional<String> serverMessage() {
        return Optional.ofNullable(context.serverMessage());
    }

    /** @return the full context of this failure */
    public ErrorContext context() {
        return context;
    }

    /** @return {@code true} when the same call may succeed if retried later */
    public boolean retryable() {
        return retryable;
    }

    @Override
    public String getMessage() {
        StringBuilder b = new StringBuilder();
        if (!context.provider().isEmpty() || !context.operation().isEmpty()) {
            b.append('[').append(context.provider());
            if (!context.operation().isEmpty()) {
                b.append(context.provider().isEmpty() ? "" : " ").append(context.operation());
            }
            b.append("] ");
        }
        b.append(super.getMessage());
        if (context.serverCode() != null || context.serverMessage() != null) {
            b.append(" (server:");
            if (context.serverCode() != null) {
                b.append(' ').append(context.serverCode());
            }
            if (context.serverMessage() != null) {
                b.append(' ').append(context.serverMessage());
            }
            b.append(')');
        }
        return b.toString();
    }
}
