package io.dvmm.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Everything needed to open a connection: endpoint, credentials, TLS, timeouts, resilience and
 * threading. Immutable; build with {@link #builder(URI)}, copy with {@link #toBuilder()}.
 * {@link #toString()} never shows a secret.
 */
public final class HypervisorConfig {

    private final URI endpoint;
    private final String type;
    private final Credentials credentials;
    private final TlsOptions tls;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration operationTimeout;
    private final RetryPolicy retry;
    private final CircuitBreakerPolicy circuitBreaker;
    private final int maxConcurrentRequests;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Map<String, String> properties;
    private final RequestListener requestListener;
    private final long maxResponseBytes;
    private final long maxListingBytes;

    private HypervisorConfig(Builder b) {
        this.endpoint = b.endpoint;
        this.type = b.type;
        this.credentials = b.credentials;
        this.tls = b.tls;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.operationTimeout = b.operationTimeout;
        this.retry = b.retry;
        this.circuitBreaker = b.circuitBreaker;
        this.maxConcurrentRequests = b.maxConcurrentRequests;
        this.executor = b.executor;
        this.scheduler = b.scheduler;
        this.properties = Map.copyOf(b.properties);
        this.requestListener = b.requestListener;
        this.maxResponseBytes = b.maxResponseBytes;
        this.maxListingBytes = b.maxListingBytes;
    }

    /**
     * @param endpoint the endpoint, such as {@code proxmox://pve1:8006} or {@code inmemory:/default}
     * @return a builder with the defaults
     */
    public static Builder builder(URI endpoint) {
        return new Builder().endpoint(endpoint);
    }

    /**
     * @param endpoint the endpoint as a string
     * @return a builder with the defaults
     * @throws InvalidSpecException if the string is not a URI
     */
    public static Builder builder(String endpoint) {
        try {
            return builder(new URI(Objects.requireNonNull(endpoint, "endpoint")));
        } catch (java.net.URISyntaxException e) {
            throw new InvalidSpecException("endpoint", "is not a valid URI: " + e.getReason());
        }
    }

    /** @return a builder holding this configuration */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.endpoint = endpoint;
        b.type = type;
        b.credentials = credentials;
        b.tls = tls;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.operationTimeout = operationTimeout;
        b.retry = retry;
        b.circuitBreaker = circuitBreaker;
        b.maxConcurrentRequests = maxConcurrentRequests;
        b.executor = executor;
        b.scheduler = scheduler;
        b.properties.putAll(properties);
        b.requestListener = requestListener;
        b.maxResponseBytes = maxResponseBytes;
        b.maxListingBytes = maxListingBytes;
        return b;
    }

    /** @return the endpoint URI */
    public URI endpoint() {
        return endpoint;
    }

    /** @return the provider type: the one set explicitly, else the endpoint's scheme, lower case */
    public String type() {
        return type != null ? type : endpoint.getScheme().toLowerCase(Locale.ROOT);
    }

    /** @return the type set explicitly with {@link Builder#type(String)}, if any */
    public Optional<String> explicitType() {
        return Optional.ofNullable(type);
    }

    /** @return the credentials; {@link Credentials#none()} by default */
    public Credentials credentials() {
        return credentials;
    }

    /** @return the TLS options; {@link TlsOptions#systemTrust()} by default */
    public TlsOptions tls() {
        return tls;
    }

    /** @return the TCP (and TLS handshake) connect timeout; 10 s by default */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the read timeout of one request; 60 s by default */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** @return the default deadline of a long-running operation; 10 min by default */
    public Duration operationTimeout() {
        return operationTimeout;
    }

    /** @return the retry policy; {@link RetryPolicy#defaults()} by default */
    public RetryPolicy retry() {
        return retry;
    }

    /** @return the circuit breaker policy; {@link CircuitBreakerPolicy#defaults()} by default */
    public CircuitBreakerPolicy circuitBreaker() {
        return circuitBreaker;
    }

    /** @return how many requests one connection has in flight at most; 16 by default */
    public int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /** @return the caller's executor for completions and blocking transports, if supplied */
    public Optional<Executor> executor() {
        return Optional.ofNullable(executor);
    }

    /** @return the caller's scheduler for polling and timeouts, if supplied */
    public Optional<ScheduledExecutorService> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    /** @return provider-specific settings, documented by each provider */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * @param key a provider-specific setting
     * @return its value, if set
     */
    public Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /** @return who hears every request this connection sends; {@link RequestListener#NONE} by default */
    public RequestListener requestListener() {
        return requestListener;
    }

    /**
     * @return the largest response body read for one request, except listings; 8 MiB by default.
     *         A larger answer fails with {@link ProtocolException} without being held in memory.
     */
    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    /** @return the largest response body of a listing (VMs, inventory); 256 MiB by default */
    public long maxListingBytes() {
        return maxListingBytes;
    }

    @Override
    public String toString() {
        return "HypervisorConfig[endpoint=" + endpoint + ", type=" + type() + ", credentials=" + credentials
                + ", tls=" + tls + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", operationTimeout=" + operationTimeout + ", retry=" + retry + ", circuitBreaker=" + circuitBreaker
                + ", maxConcurrentRequests=" + maxConcurrentRequests + ", properties=" + new TreeMap<>(properties) + "]";
    }

    /** Builds a {@link HypervisorConfig}. Not thread-safe. */
    public static final class Builder {
        private URI endpoint;
        private String type;
        private Credentials credentials = Credentials.none();
        private TlsOptions tls = TlsOptions.systemTrust();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration operationTimeout = Duration.ofMinutes(10);
        private RetryPolicy retry = RetryPolicy.defaults();
        private CircuitBreakerPolicy circuitBreaker = CircuitBreakerPolicy.defaults();
        private int maxConcurrentRequests = 16;
        private Executor executor;
        private ScheduledExecutorService scheduler;
        private final Map<String, String> properties = new TreeMap<>();
        private RequestListener requestListener = RequestListener.NONE;
        private long maxResponseBytes = 8L << 20;
        private long maxListingBytes = 256L << 20;

        private Builder() {
        }

        /**
         * @param endpoint the endpoint URI; credentials never go in it
         * @return this builder
         */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /**
         * @param type the provider type, when it differs from the URI scheme
         * @return this builder
         */
        public Builder type(String type) {
            this.type = type == null ? null : type.toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * @param credentials how to authenticate
         * @return this builder
         */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * @param tls how to verify the server certificate
         * @return this builder
         */
        public Builder tls(TlsOptions tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * @param timeout the connect timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * @param timeout the read timeout of one request
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        /**
         * @param timeout the default deadline of long-running operations
         * @return this builder
         */
        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = timeout;
            return this;
        }

        /**
         * @param retry the retry policy
         * @return this builder
         */
        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /**
         * @param circuitBreaker the circuit breaker policy
         * @return this builder
         */
        public Builder circuitBreaker(CircuitBreakerPolicy circuitBreaker) {
            this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
            return this;
        }

        /**
         * @param max how many requests one connection has in flight at most
         * @return this builder
         */
        public Builder maxConcurrentRequests(int max) {
            this.maxConcurrentRequests = max;
            return this;
        }

        /**
         * @param executor runs completions and blocking transports; the SDK never shuts it down
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * @param scheduler schedules polls and timeouts; the SDK never shuts it down
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * @param key a provider-specific setting
         * @param value its value
         * @return this builder
         */
        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param listener hears every request this connection sends, or {@code null} for none
         * @return this builder
         */
        public Builder requestListener(RequestListener listener) {
            this.requestListener = listener == null ? RequestListener.NONE : listener;
            return this;
        }

        /**
         * @param bytes the largest response body read for one request, except listings
         * @return this builder
         */
        public Builder maxResponseBytes(long bytes) {
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * @param bytes the largest response body of a listing
         * @return this builder
         */
        public Builder maxListingBytes(long bytes) {
            this.maxListingBytes = bytes;
            return this;
        }

        /**
         * @return the configuration
         * @throws InvalidSpecException naming the field when a value breaks a rule
         */
        public HypervisorConfig build() {
            if (endpoint == null) {
                throw new InvalidSpecException("endpoint", "is required");
            }
            if (endpoint.getScheme() == null && type == null) {
                throw new InvalidSpecException("endpoint", "needs a scheme such as proxmox:// or inmemory:, or set type");
            }
            if (endpoint.getUserInfo() != null) {
                throw new InvalidSpecException("endpoint", "must not carry credentials; use credentials(...)");
            }
            requirePositive(connectTimeout, "connectTimeout");
            requirePositive(readTimeout, "readTimeout");
            requirePositive(operationTimeout, "operationTimeout");
            if (maxConcurrentRequests < 1) {
                throw new InvalidSpecException("maxConcurrentRequests", "must be at least 1");
            }
            if (maxResponseBytes < 1024) {
                throw new InvalidSpecException("maxResponseBytes", "must be at least 1024");
            }
            if (maxListingBytes < maxResponseBytes) {
                throw new InvalidSpecException("maxListingBytes", "must be at least maxResponseBytes");
            }
            for (Map.Entry<String, String> p : properties.entrySet()) {
                for (char c : (p.getKey() + p.getValue()).toCharArray()) {
                    if (Character.isISOControl(c)) {
                        throw new InvalidSpecException("properties." + p.getKey(), "must not contain control characters");
                    }
                }
            }
            return new HypervisorConfig(this);
        }

        private static void requirePositive(Duration d, String field) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidSpecException(field, "must be a positive duration");
            }
        }
    }
}
