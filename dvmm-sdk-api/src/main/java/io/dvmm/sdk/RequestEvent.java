package io.dvmm.sdk;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One request a connection sent and what came of it. Never holds a secret, a header or a body.
 * Immutable; build with {@link #builder()}.
 */
public final class RequestEvent {
    private final String provider;
    private final String operation;
    private final String method;
    private final String target;
    private final int status;
    private final Duration latency;
    private final long bytesSent;
    private final long bytesReceived;
    private final String failure;

    private RequestEvent(Builder b) {
        this.provider = b.provider;
        this.operation = b.operation;
        this.method = Objects.requireNonNull(b.method, "method");
        this.target = b.target;
        this.status = b.status;
        this.latency = b.latency;
        this.bytesSent = b.bytesSent;
        this.bytesReceived = b.bytesReceived;
        this.failure = b.failure;
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the provider type */
    public String provider() {
        return provider;
    }

    /** @return the SDK operation the request served, such as {@code createVm} */
    public String operation() {
        return operation;
    }

    /** @return the method: an HTTP method ({@code GET}), a SOAP method ({@code CloneVM_Task}), a WS-Man action ({@code Command}) */
    public String method() {
        return method;
    }

    /** @return what the request addressed: an HTTP path, a managed object, a script name */
    public String target() {
        return target;
    }

    /** @return the HTTP status, or 0 when no answer arrived */
    public int status() {
        return status;
    }

    /** @return from sending to the end of reading the answer (or the failure) */
    public Duration latency() {
        return latency;
    }

    /** @return the size of the request body, or -1 when unknown */
    public long bytesSent() {
        return bytesSent;
    }

    /** @return the size of the response body read, or -1 when unknown */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** @return a short description of the failure (timeout, reset, refused), when no answer arrived */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return provider + " " + operation + ": " + method + " " + target + " -> " + (status == 0 ? failure : status)
                + " in " + latency.toMillis() + " ms";
    }

    /** Builds a {@link RequestEvent}. Not thread-safe. */
    public static final class Builder {
        private String provider = "";
        private String operation = "";
        private String method;
        private String target = "";
        private int status;
        private Duration latency = Duration.ZERO;
        private long bytesSent = -1;
        private long bytesReceived = -1;
        private String failure;

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
         * @param value the method
         * @return this builder
         */
        public Builder method(String value) {
            this.method = value;
            return this;
        }

        /**
         * @param value what the request addressed
         * @return this builder
         */
        public Builder target(String value) {
            this.target = value;
            return this;
        }

        /**
         * @param value the HTTP status, or 0
         * @return this builder
         */
        public Builder status(int value) {
            this.status = value;
            return this;
        }

        /**
         * @param value the latency
         * @return this builder
         */
        public Builder latency(Duration value) {
            this.latency = Objects.requireNonNull(value, "latency");
            return this;
        }

        /**
         * @param value the request body's size, or -1
         * @return this builder
         */
        public Builder bytesSent(long value) {
            this.bytesSent = value;
            return this;
        }

        /**
         * @param value the response body's size, or -1
         * @return this builder
         */
        public Builder bytesReceived(long value) {
            this.bytesReceived = value;
            return this;
        }

        /**
         * @param value a short description of the failure, or {@code null}
         * @return this builder
         */
        public Builder failure(String value) {
            this.failure = value;
            return this;
        }

        /** @return the event */
        public RequestEvent build() {
            return new RequestEvent(this);
        }
    }
}
