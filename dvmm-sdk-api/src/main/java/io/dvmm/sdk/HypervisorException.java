package io.dvmm.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Root of the SDK's one unchecked exception hierarchy.
 *
 * <p>Every failure a {@link Hypervisor} reports completes its future exceptionally with a
 * subclass of this type. Each carries the provider type, the SDK operation, the server's own
 * message and code where there was one, and whether retrying the same call may help. Messages
 * never contain secrets, and are cut to a few KiB however much the server sent. Exceptions
 * survive Java serialization with their context.
 *
 * <p>When an operation failed midway and could not remove everything it made, the error says
 * what is left: {@link #leftBehind()} lists it, and the message ends with it.
 */
public class HypervisorException extends RuntimeException {
    private static final long serialVersionUID = 2L;
    /** The longest message kept, in characters. */
    private static final int MAX_MESSAGE = 8192;

    /** Provider, operation and server details. */
    private final ErrorContext context;
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
        super(ErrorContext.cut(Objects.requireNonNull(message, "message"), MAX_MESSAGE), cause);
        this.context = context == null ? ErrorContext.EMPTY : context;
        this.retryable = retryable;
    }

    /**
     * The failure behind the wrappers a future adds: {@link CompletionException} and
     * {@link ExecutionException} are removed, so {@code catch (CompletionException e)} around
     * {@code join()} can look at the SDK's own exception.
     *
     * @param error an error from a future, or any throwable
     * @return the first cause that is not such a wrapper
     */
    public static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
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

    /**
     * What a failed operation made and could not remove, as the hypervisor names it (such as
     * {@code VM 100123 on node pve1}); empty when nothing is left.
     *
     * @return the resources left behind, in the order they were made
     */
    public List<String> leftBehind() {
        List<String> out = new ArrayList<>();
        for (Throwable s : getSuppressed()) {
            if (s instanceof CleanupFailedException c) {
                out.addAll(c.resources());
            }
        }
        return List.copyOf(out);
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
        List<String> left = leftBehind();
        if (!left.isEmpty()) {
            b.append("; left behind: ").append(String.join(", ", left));
        }
        return b.toString();
    }
}
