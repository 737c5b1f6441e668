package io.dvmm.sdk;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link HypervisorException} happened and what the server said. Immutable and
 * serializable; build with {@link #builder()} or {@link #of(String, String)}, copy with
 * {@link #toBuilder()}. A server message is cut to {@value #MAX_SERVER_MESSAGE} characters, so a
 * hostile or broken server cannot make an exception hold megabytes.
 */
public final class ErrorContext implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The longest server message kept, in characters. */
    public static final int MAX_SERVER_MESSAGE = 4096;

    /** A context that names nothing. */
    public static final ErrorContext EMPTY = builder().build();

    /** The provider type, or an empty string. */
    private final String provider;
    /** The SDK operation, or an empty string. */
    private final String operation;
    /** The server's error code, or null. */
    private final String serverCode;
    /** The server's error message, or null. */
    private final String serverMessage;
    /** The wait the server asked for, or null. */
    private final Duration retryAfter;

    private ErrorContext(Builder b) {
        this.provider = b.provider == null ? "" : b.provider;
        this.operation = b.operation == null ? "" : b.operation;
        this.serverCode = cut(b.serverCode, 256);
        this.serverMessage = cut(b.serverMessage, MAX_SERVER_MESSAGE);
        this.retryAfter = b.retryAfter;
    }

    static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, max) + "... (" + (s.length() - max) + " more characters)";
    }

    /**
     * @param provider the provider type
     * @param operation the SDK operation
     * @return a context without server details
     */
    public static ErrorContext of(String provider, String operation) {
        return builder().provider(provider).operation(operation).build();
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this context */
    public Builder toBuilder() {
        return new Builder().provider(provider).operation(operation).serverCode(serverCode).serverMessage(serverMessage)
                .retryAfter(retryAfter);
    }

    /** @return the provider type, or an empty string */
    public String provider() {
        return provider;
    }

    /** @return the SDK operation, or an empty string */
    public String operation() {
        return operation;
    }

    /** @return the server's error code (HTTP status, fault name, error id), or {@code null} */
    public String serverCode() {
        return serverCode;
    }

    /** @return the server's error message, or {@code null} */
    public String serverMessage() {
        return serverMessage;
    }

    /** @return how long the server asked the client to wait before retrying ({@code Retry-After}), if it did */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * @param code the server's error code
     * @param message the server's error message
     * @return a copy carrying the server's details
     */
    public ErrorContext withServer(String code, String message) {
        return toBuilder().serverCode(code).serverMessage(message).build();
    }

    /**
     * @param newOperation the operation name
     * @return a copy naming another operation
     */
    public ErrorContext withOperation(String newOperation) {
        return toBuilder().operation(newOperation).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorContext c && provider.equals(c.provider) && operation.equals(c.operation)
                && Objects.equals(serverCode, c.serverCode) && Objects.equals(serverMessage, c.serverMessage)
                && Objects.equals(retryAfter, c.retryAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, operation, serverCode, serverMessage, retryAfter);
    }

    @Override
    public String toString() {
        return "ErrorContext[provider=" + provider + ", operation=" + operation + ", serverCode=" + serverCode
                + ", serverMessage=" + serverMessage + (retryAfter == null ? "" : ", retryAfter=" + retryAfter) + "]";
    }

    /** Builds an {@link ErrorContext}. Not thread-safe. */
    public static final class Builder {
        private String provider;
        private String operation;
        private String serverCode;
        private String serverMessage;
        private Duration retryAfter;

        private Builder() {
        }

        /**
         * @param value the provider type
         * @return this builder
         */
        public Builder provider(String value) {
            this.provider = value;
            return this;
        }

        /**
         * @param value the SDK operation
         * @return this builder
         */
        public Builder operation(String value) {
            this.operation = value;
            return this;
        }

        /**
         * @param value the server's error code, or {@code null}
         * @return this builder
         */
        public Builder serverCode(String value) {
            this.serverCode = value;
            return this;
        }

        /**
         * @param value the server's error message, or {@code null}
         * @return this builder
         */
        public Builder serverMessage(String value) {
            this.serverMessage = value;
            return this;
        }

        /**
         * @param value the wait the server asked for, or {@code null}
         * @return this builder
         */
        public Builder retryAfter(Duration value) {
            if (value != null && value.isNegative()) {
                throw new InvalidSpecException("retryAfter", "must not be negative");
            }
            this.retryAfter = value;
            return this;
        }

        /** @return the context */
        public ErrorContext build() {
            return new ErrorContext(this);
        }
    }
}
