package io.dvmm.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Everything needed to open a connection: endpoint, credentials, TLS, timeouts, resilience,
 * threading and the connection's resource defaults. Immutable; build with {@link #builder(URI)},
 * copy with {@link #toBuilder()}, or read from data with {@link #fromProperties(Map, String, Supplier)}
 * (a database row, a Spring or MicroProfile property source, environment variables) and write back
 * with {@link #toProperties()}. {@link #toString()} never shows a secret.
 *
 * <h2 id="keys">Configuration keys</h2>
 *
 * <p>Keys are matched relaxed: case, {@code .}, {@code _} and {@code -} do not count, so
 * {@code circuitBreaker.openDuration}, {@code circuit-breaker.open-duration} and
 * {@code CIRCUIT_BREAKER_OPEN_DURATION} are one key. A key that is none of these is refused, as is
 * every bad value, with {@link InvalidSpecException} naming the key as it was given. Durations are
 * ISO-8601 ({@code PT30S}) or a whole number with a unit: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 1d}.
 *
 * <table>
 * <caption>Keys of {@link #fromProperties(Map, String, Supplier)}</caption>
 * <tr><th>key</th><th>value</th></tr>
 * <tr><td>{@code endpoint}</td><td>the endpoint URI (required)</td></tr>
 * <tr><td>{@code type}</td><td>the provider type, when it differs from the URI scheme</td></tr>
 * <tr><td>{@code credentials.kind}</td><td>{@code none}, {@code password} or {@code apiToken}; may be left out when
 *     {@code credentials.username} or {@code credentials.tokenId} says it</td></tr>
 * <tr><td>{@code credentials.username}</td><td>the user of {@code password} credentials</td></tr>
 * <tr><td>{@code credentials.tokenId}</td><td>the token id of {@code apiToken} credentials</td></tr>
 * <tr><td>{@code tls.pin}</td><td>the SHA-256 fingerprint of the server certificate ({@link TlsOptions#pinSha256})</td></tr>
 * <tr><td>{@code tls.trustStore}</td><td>the path of a trust store file ({@link TlsOptions#trustStore})</td></tr>
 * <tr><td>{@code tls.trustStore.password}</td><td>its password (never written by {@link #toProperties()})</td></tr>
 * <tr><td>{@code tls.trustStore.type}</td><td>{@code PKCS12} (the default) or {@code JKS}</td></tr>
 * <tr><td>{@code tls.insecure}</td><td>{@code true} to trust any certificate (labs only; logs a WARN)</td></tr>
 * <tr><td>{@code timeouts.connect}, {@code timeouts.read}, {@code timeouts.operation}</td><td>positive durations</td></tr>
 * <tr><td>{@code retry.maxAttempts}, {@code retry.initialBackoff}, {@code retry.maxBackoff}, {@code retry.multiplier}</td>
 *     <td>see {@link RetryPolicy}</td></tr>
 * <tr><td>{@code circuitBreaker.enabled}, {@code circuitBreaker.failureRateThreshold},
 *     {@code circuitBreaker.slidingWindowSize}, {@code circuitBreaker.minimumCalls}, {@code circuitBreaker.openDuration}</td>
 *     <td>see {@link CircuitBreakerPolicy}</td></tr>
 * <tr><td>{@code maxConcurrentRequests}</td><td>requests in flight per connection, at least 1</td></tr>
 * <tr><td>{@code maxResponseBytes}, {@code maxListingBytes}</td><td>response size bounds, in bytes</td></tr>
 * <tr><td>{@code defaults.datacenter}, {@code defaults.cluster}, {@code defaults.clusterId}, {@code defaults.host},
 *     {@code defaults.hostId}, {@code defaults.datastore}, {@code defaults.datastoreId}, {@code defaults.resourcePool},
 *     {@code defaults.resourcePoolId}, {@code defaults.folder}</td><td>the connection's default {@link Placement}</td></tr>
 * <tr><td>{@code defaults.network}</td><td>the network of the NIC a spec without NICs gets</td></tr>
 * <tr><td>{@code <provider>.<name>}</td><td>every property the provider declares ({@link ProviderInfo#properties()})</td></tr>
 * </table>
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
    private final Placement defaults;
    private final String defaultNetwork;

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
        this.defaults = b.defaults;
        this.defaultNetwork = b.defaultNetwork;
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
        b.defaults = defaults;
        b.defaultNetwork = defaultNetwork;
        return b;
    }

    /**
     * Reads a configuration from keys and values (see <a href="#keys">the keys</a>), with no
     * prefix and no secret: for endpoints without credentials, or credentials of kind {@code none}.
     *
     * @param properties the keys and values
     * @return the configuration
     * @throws InvalidSpecException naming the key when a key is unknown or a value is bad
     */
    public static HypervisorConfig fromProperties(Map<String, String> properties) {
        return fromProperties(properties, "", null);
    }

    /**
     * Reads a configuration from the keys that start with {@code prefix} (the rest are ignored),
     * with no secret.
     *
     * @param properties the keys and values, such as {@code System.getenv()}
     * @param prefix the prefix of this connection's keys, such as {@code DVMM_TENANT_A_} or
     *               {@code dvmm.tenants.tenant-a.}; matched exactly, then stripped
     * @return the configuration
     * @throws InvalidSpecException naming the key when a key is unknown or a value is bad
     */
    public static HypervisorConfig fromProperties(Map<String, String> properties, String prefix) {
        return fromProperties(properties, prefix, null);
    }

    /**
     * Reads a configuration from the keys that start with {@code prefix} (see
     * <a href="#keys">the keys</a>). Secrets are never in the properties: the password or token
     * secret of {@code credentials.kind} {@code password} or {@code apiToken} comes from
     * {@code secret}, asked at each login ({@link Credentials#password(String, Supplier)}).
     *
     * <pre>{@code
     * HypervisorConfig tenantA = HypervisorConfig.fromProperties(System.getenv(), "DVMM_TENANT_A_",
     *         () -> vault.read("dvmm/tenant-a"));
     * }</pre>
     *
     * @param properties the keys and values
     * @param prefix the prefix of this connection's keys, matched exactly, then stripped; {@code ""} for none
     * @param secret supplies the password or token secret, or {@code null} when the credentials need none
     * @return the configuration
     * @throws InvalidSpecException naming the key (as given, prefix included) when a key is
     *         unknown, a value is bad, or credentials that need a secret have no supplier
     */
    public static HypervisorConfig fromProperties(Map<String, String> properties, String prefix, Supplier<String> secret) {
        return ConfigKeys.read(properties, prefix, secret);
    }

    /**
     * @return every key {@link #fromProperties(Map, String, Supplier)} reads besides the providers'
     *         own ({@code <provider>.<name>}, see {@link ProviderInfo#properties()}), in the order
     *         of <a href="#keys">the documentation</a>
     */
    public static List<String> propertyKeys() {
        return ConfigKeys.CORE;
    }

    /**
     * Writes this configuration as keys and values that {@link #fromProperties(Map, String, Supplier)}
     * reads back: the endpoint, and every other setting that differs from its default. Secrets are
     * left out (the password or token secret, a trust store's password, provider-specific
     * credentials, all of whose values are secret), as are the executor, scheduler and request
     * listener, which are code.
     *
     * @return the keys and values, sorted by key
     */
    public Map<String, String> toProperties() {
        return ConfigKeys.write(this);
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

    /**
     * @return the connection's resource defaults: where {@code createVm} places a VM whose spec
     *         leaves a target out (a spec's own value wins); {@link Placement#any()} by default
     */
    public Placement defaults() {
        return defaults;
    }

    /** @return the network of the one NIC {@code createVm} gives a spec that names no NIC, if set */
    public Optional<String> defaultNetwork() {
        return Optional.ofNullable(defaultNetwork);
    }

    @Override
    public String toString() {
        return "HypervisorConfig[endpoint=" + endpoint + ", type=" + type() + ", credentials=" + credentials
                + ", tls=" + tls + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", operationTimeout=" + operationTimeout + ", retry=" + retry + ", circuitBreaker=" + circuitBreaker
                + ", maxConcurrentRequests=" + maxConcurrentRequests + ", properties=" + new TreeMap<>(properties)
                + (defaults.isAny() ? "" : ", defaults=" + defaults) + (defaultNetwork == null ? "" : ", defaultNetwork=" + defaultNetwork)
                + "]";
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
        private Placement defaults = Placement.any();
        private String defaultNetwork;

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
         * Where {@code createVm} places a VM when its spec leaves a target out: each target the
         * spec names (by name or id) wins, the rest come from here ({@link Placement#orElse}).
         *
         * @param placement the connection's default datacenter, cluster or node, datastore, pool or folder
         * @return this builder
         */
        public Builder defaults(Placement placement) {
            this.defaults = Objects.requireNonNull(placement, "defaults");
            return this;
        }

        /**
         * @param network the network of the one DHCP NIC {@code createVm} gives a spec that names no
         *                NIC, or {@code null} for none (the template's NICs stay)
         * @return this builder
         */
        public Builder defaultNetwork(String network) {
            this.defaultNetwork = network;
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
            if (defaultNetwork != null && defaultNetwork.isBlank()) {
                throw new InvalidSpecException("defaultNetwork", "must not be blank when set");
            }
            Text.noControlCharacters(defaultNetwork, "defaultNetwork");
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
