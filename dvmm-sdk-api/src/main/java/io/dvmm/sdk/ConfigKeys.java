package io.dvmm.sdk;

import io.dvmm.sdk.spi.HypervisorProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key vocabulary of {@link HypervisorConfig#fromProperties(Map, String, Supplier)} and
 * {@link HypervisorConfig#toProperties()}: reading keys and values into a config (every value
 * checked, every error naming the key as the caller gave it) and writing one back.
 */
final class ConfigKeys {
    static final String ENDPOINT = "endpoint";
    static final String TYPE = "type";
    static final String CREDENTIALS_KIND = "credentials.kind";
    static final String CREDENTIALS_USERNAME = "credentials.username";
    static final String CREDENTIALS_TOKEN_ID = "credentials.tokenId";
    static final String TLS_PIN = "tls.pin";
    static final String TLS_TRUST_STORE = "tls.trustStore";
    static final String TLS_TRUST_STORE_PASSWORD = "tls.trustStore.password";
    static final String TLS_TRUST_STORE_TYPE = "tls.trustStore.type";
    static final String TLS_INSECURE = "tls.insecure";
    static final String TIMEOUTS_CONNECT = "timeouts.connect";
    static final String TIMEOUTS_READ = "timeouts.read";
    static final String TIMEOUTS_OPERATION = "timeouts.operation";
    static final String RETRY_MAX_ATTEMPTS = "retry.maxAttempts";
    static final String RETRY_INITIAL_BACKOFF = "retry.initialBackoff";
    static final String RETRY_MAX_BACKOFF = "retry.maxBackoff";
    static final String RETRY_MULTIPLIER = "retry.multiplier";
    static final String CB_ENABLED = "circuitBreaker.enabled";
    static final String CB_FAILURE_RATE = "circuitBreaker.failureRateThreshold";
    static final String CB_WINDOW = "circuitBreaker.slidingWindowSize";
    static final String CB_MINIMUM_CALLS = "circuitBreaker.minimumCalls";
    static final String CB_OPEN_DURATION = "circuitBreaker.openDuration";
    static final String MAX_CONCURRENT_REQUESTS = "maxConcurrentRequests";
    static final String MAX_RESPONSE_BYTES = "maxResponseBytes";
    static final String MAX_LISTING_BYTES = "maxListingBytes";
    static final String DEFAULTS_NETWORK = "defaults.network";

    /** The placement targets, each as {@code defaults.<name>} here and {@code placement.<name>} on a spec. */
    static final List<String> PLACEMENT = List.of("datacenter", "cluster", "clusterId", "host", "hostId", "datastore",
            "datastoreId", "resourcePool", "resourcePoolId", "folder");

    /** Every key the SDK itself defines, in documentation order; provider keys come from the providers. */
    static final List<String> CORE = core();

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");
    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final HypervisorConfig DEFAULT = HypervisorConfig.builder("inmemory:/defaults").build();

    private ConfigKeys() {
    }

    private static List<String> core() {
        List<String> keys = new ArrayList<>(List.of(ENDPOINT, TYPE, CREDENTIALS_KIND, CREDENTIALS_USERNAME, CREDENTIALS_TOKEN_ID,
                TLS_PIN, TLS_TRUST_STORE, TLS_TRUST_STORE_PASSWORD, TLS_TRUST_STORE_TYPE, TLS_INSECURE, TIMEOUTS_CONNECT,
                TIMEOUTS_READ, TIMEOUTS_OPERATION, RETRY_MAX_ATTEMPTS, RETRY_INITIAL_BACKOFF, RETRY_MAX_BACKOFF, RETRY_MULTIPLIER,
                CB_ENABLED, CB_FAILURE_RATE, CB_WINDOW, CB_MINIMUM_CALLS, CB_OPEN_DURATION, MAX_CONCURRENT_REQUESTS,
                MAX_RESPONSE_BYTES, MAX_LISTING_BYTES));
        PLACEMENT.forEach(p -> keys.add("defaults." + p));
        keys.add(DEFAULTS_NETWORK);
        return Collections.unmodifiableList(keys);
    }

    /**
     * The relaxed form of a key: case, {@code .}, {@code _} and {@code -} do not count, so that
     * {@code circuitBreaker.openDuration}, {@code circuit-breaker.open-duration} and
     * {@code CIRCUIT_BREAKER_OPEN_DURATION} are one key.
     */
    static String relaxed(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c != '.' && c != '_' && c != '-') {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }

    /** One key as the caller gave it (prefix included), and its value. */
    private record Given(String key, String value) {
        InvalidSpecException bad(String rule) {
            return new InvalidSpecException(key, rule);
        }

        /** The rule, and the value when it is no secret. */
        InvalidSpecException bad(String rule, boolean showValue) {
            return new InvalidSpecException(key, showValue ? rule + ", was '" + shown(value) + "'" : rule);
        }

        String trimmed() {
            return value.trim();
        }
    }

    private static String shown(String value) {
        String v = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return v.replaceAll("\\p{Cntrl}", "?");
    }

    // ---- reading --------------------------------------------------------------------------------------

    static HypervisorConfig read(Map<String, String> properties, String prefix, Supplier<String> secret) {
        Objects.requireNonNull(properties, "properties");
        String pre = prefix == null ? "" : prefix;
        Map<String, String> coreByRelaxed = new LinkedHashMap<>();
        CORE.forEach(k -> coreByRelaxed.put(relaxed(k), k));

        Map<String, Given> core = new LinkedHashMap<>();
        List<Given> others = new ArrayList<>();
        // A null key (a HashMap allows one) is no key of ours: left out, like keys of another prefix.
        Map<String, String> sorted = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k != null) {
                sorted.put(k, v);
            }
        });
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            String raw = e.getKey();
            if (!raw.startsWith(pre)) {
                continue;
            }
            Given g = new Given(raw, e.getValue() == null ? "" : e.getValue());
            String canonical = coreByRelaxed.get(relaxed(raw.substring(pre.length())));
            if (canonical == null) {
                others.add(g);
            } else if (core.containsKey(canonical)) {
                throw g.bad("is given twice (also as " + core.get(canonical).key() + ")");
            } else {
                core.put(canonical, g);
            }
        }
        for (Given g : core.values()) {
            Text.noControlCharacters(g.value(), g.key());
        }

        Given endpointKey = core.get(ENDPOINT);
        if (endpointKey == null) {
            throw new InvalidSpecException(pre + ENDPOINT, "is required");
        }
        URI endpoint;
        try {
            endpoint = new URI(endpointKey.trimmed());
        } catch (URISyntaxException e) {
            throw endpointKey.bad("is not a valid URI: " + e.getReason());
        }
        if (endpoint.getUserInfo() != null) {
            throw endpointKey.bad("must not carry credentials; set credentials.username and pass the secret as a supplier");
        }
        Given typeKey = core.get(TYPE);
        HypervisorConfig.Builder b = HypervisorConfig.builder(endpoint);
        if (typeKey != null) {
            String type = typeKey.trimmed().toLowerCase(Locale.ROOT);
            if (!TYPE_NAME.matcher(type).matches()) {
                throw typeKey.bad("must be a provider type such as proxmox or inmemory", true);
            }
            b.type(type);
        }
        HypervisorProvider provider;
        try {
            provider = Hypervisors.providerFor(renamed(b::build, Map.of("endpoint", endpointKey)));
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException(typeKey != null ? typeKey.key() : endpointKey.key(), e.rule());
        }

        readProviderProperties(b, provider, others, pre);
        readCredentials(b, core, pre, secret);
        readTls(b, core);
        readTimeoutsAndLimits(b, core);
        readRetry(b, core);
        readCircuitBreaker(b, core);
        readDefaults(b, core);

        Map<String, Given> builderFields = new LinkedHashMap<>();
        builderFields.put("endpoint", endpointKey);
        put(builderFields, "connectTimeout", core.get(TIMEOUTS_CONNECT));
        put(builderFields, "readTimeout", core.get(TIMEOUTS_READ));
        put(builderFields, "operationTimeout", core.get(TIMEOUTS_OPERATION));
        put(builderFields, "maxConcurrentRequests", core.get(MAX_CONCURRENT_REQUESTS));
        put(builderFields, "maxResponseBytes", core.get(MAX_RESPONSE_BYTES));
        put(builderFields, "maxListingBytes", core.get(MAX_LISTING_BYTES) != null ? core.get(MAX_LISTING_BYTES)
                : core.get(MAX_RESPONSE_BYTES));
        put(builderFields, "defaultNetwork", core.get(DEFAULTS_NETWORK));
        return renamed(b::build, builderFields);
    }

    private static void put(Map<String, Given> m, String field, Given g) {
        if (g != null) {
            m.put(field, g);
        }
    }

    /** Runs a build; an error about a field that came from a key is rethrown naming the key. */
    private static <T> T renamed(Supplier<T> build, Map<String, Given> keyOfField) {
        try {
            return build.get();
        } catch (InvalidSpecException e) {
            Given g = keyOfField.get(e.field());
            if (g == null) {
                throw e;
            }
            throw g.bad(e.rule());
        }
    }

    private static void readProviderProperties(HypervisorConfig.Builder b, HypervisorProvider provider, List<Given> others,
                                               String pre) {
        Map<String, ProviderProperty> declared = new LinkedHashMap<>();
        provider.properties().forEach(p -> declared.put(relaxed(p.key()), p));
        Map<String, Given> seen = new LinkedHashMap<>();
        for (Given g : others) {
            String rest = g.key().substring(pre.length());
            ProviderProperty p = declared.get(relaxed(rest));
            if (p == null) {
                boolean providerLike = relaxed(rest).startsWith(relaxed(provider.type()));
                throw g.bad(providerLike
                        ? "is not a property of the " + provider.type() + " provider; it takes "
                        + (declared.isEmpty() ? "none" : provider.properties().stream().map(ProviderProperty::key).toList())
                        : "is not a configuration key; the keys are listed in HypervisorConfig's documentation");
            }
            if (seen.containsKey(p.key())) {
                throw g.bad("is given twice (also as " + seen.get(p.key()).key() + ")");
            }
            seen.put(p.key(), g);
            try {
                p.check(g.value());
            } catch (InvalidSpecException e) {
                throw g.bad(e.rule());
            }
            b.property(p.key(), g.trimmed());
        }
    }

    private static void readCredentials(HypervisorConfig.Builder b, Map<String, Given> core, String pre, Supplier<String> secret) {
        Given kindKey = core.get(CREDENTIALS_KIND);
        Given user = core.get(CREDENTIALS_USERNAME);
        Given token = core.get(CREDENTIALS_TOKEN_ID);
        if (user != null && token != null) {
            throw token.bad("cannot be combined with " + user.key() + ": credentials are a password or an API token");
        }
        Credentials.Kind kind;
        if (kindKey == null) {
            kind = user != null ? Credentials.Kind.PASSWORD : token != null ? Credentials.Kind.API_TOKEN : Credentials.Kind.NONE;
        } else {
            kind = switch (relaxed(kindKey.trimmed())) {
                case "none" -> Credentials.Kind.NONE;
                case "password" -> Credentials.Kind.PASSWORD;
                case "apitoken" -> Credentials.Kind.API_TOKEN;
                default -> throw kindKey.bad("must be none, password or apiToken (provider-specific credentials are set in code)",
                        true);
            };
        }
        Given named = kindKey != null ? kindKey : user != null ? user : token;
        switch (kind) {
            case NONE -> {
                if (user != null || token != null) {
                    throw (user != null ? user : token).bad("needs credentials.kind password or apiToken, not none");
                }
            }
            case PASSWORD -> {
                if (token != null) {
                    throw token.bad("applies to credentials.kind=apiToken, not password");
                }
                if (user == null || user.trimmed().isEmpty()) {
                    throw user != null ? user.bad("must not be empty") : named.bad("password credentials need " + pre + CREDENTIALS_USERNAME);
                }
                requireSecret(named, secret);
                b.credentials(Credentials.password(user.trimmed(), secret));
            }
            case API_TOKEN -> {
                if (user != null) {
                    throw user.bad("applies to credentials.kind=password, not apiToken");
                }
                if (token == null || token.trimmed().isEmpty()) {
                    throw token != null ? token.bad("must not be empty") : named.bad("apiToken credentials need " + pre + CREDENTIALS_TOKEN_ID);
                }
                requireSecret(named, secret);
                b.credentials(Credentials.apiToken(token.trimmed(), secret));
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    private static void requireSecret(Given named, Supplier<String> secret) {
        if (secret == null) {
            throw named.bad("needs a secret, and secrets are never read from properties: pass a supplier to "
                    + "HypervisorConfig.fromProperties(properties, prefix, secret)");
        }
    }

    private static void readTls(HypervisorConfig.Builder b, Map<String, Given> core) {
        Given pin = core.get(TLS_PIN);
        Given store = core.get(TLS_TRUST_STORE);
        Given password = core.get(TLS_TRUST_STORE_PASSWORD);
        Given type = core.get(TLS_TRUST_STORE_TYPE);
        Given insecure = core.get(TLS_INSECURE);
        boolean trustAll = insecure != null && bool(insecure);
        List<Given> modes = new ArrayList<>();
        if (pin != null) {
            modes.add(pin);
        }
        if (store != null) {
            modes.add(store);
        }
        if (trustAll) {
            modes.add(insecure);
        }
        if (modes.size() > 1) {
            throw modes.get(1).bad("cannot be combined with " + modes.get(0).key() + ": choose one way to trust the server");
        }
        if (store == null) {
            for (Given g : new Given[] {password, type}) {
                if (g != null) {
                    throw g.bad("needs " + TLS_TRUST_STORE);
                }
            }
        }
        if (pin != null) {
            try {
                b.tls(TlsOptions.pinSha256(pin.trimmed()));
            } catch (InvalidSpecException e) {
                throw pin.bad(e.rule(), true);
            }
        } else if (store != null) {
            Path path;
            try {
                path = Path.of(store.trimmed());
            } catch (InvalidPathException e) {
                throw store.bad("is not a file path: " + e.getReason(), true);
            }
            if (store.trimmed().isEmpty() || !Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw store.bad("must be a readable trust store file", true);
            }
            String storeType = null;
            if (type != null) {
                storeType = type.trimmed().toUpperCase(Locale.ROOT);
                try {
                    KeyStore.getInstance(storeType);
                } catch (KeyStoreException e) {
                    throw type.bad("must be a key store type of this JVM, such as PKCS12 or JKS", true);
                }
            }
            b.tls(TlsOptions.trustStore(path, password == null ? null : password.value(), storeType));
        } else if (trustAll) {
            b.tls(TlsOptions.insecure());
        }
    }

    private static void readTimeoutsAndLimits(HypervisorConfig.Builder b, Map<String, Given> core) {
        apply(core.get(TIMEOUTS_CONNECT), g -> b.connectTimeout(positive(g)));
        apply(core.get(TIMEOUTS_READ), g -> b.readTimeout(positive(g)));
        apply(core.get(TIMEOUTS_OPERATION), g -> b.operationTimeout(positive(g)));
        apply(core.get(MAX_CONCURRENT_REQUESTS), g -> b.maxConcurrentRequests((int) whole(g, 1, 1_000_000)));
        apply(core.get(MAX_RESPONSE_BYTES), g -> b.maxResponseBytes(whole(g, 1024, Long.MAX_VALUE)));
        apply(core.get(MAX_LISTING_BYTES), g -> b.maxListingBytes(whole(g, 1024, Long.MAX_VALUE)));
    }

    private static void readRetry(HypervisorConfig.Builder b, Map<String, Given> core) {
        Map<String, Given> fields = group(core, RETRY_MAX_ATTEMPTS, RETRY_INITIAL_BACKOFF, RETRY_MAX_BACKOFF, RETRY_MULTIPLIER);
        if (fields.isEmpty()) {
            return;
        }
        RetryPolicy.Builder r = RetryPolicy.defaults().toBuilder();
        apply(core.get(RETRY_MAX_ATTEMPTS), g -> r.maxAttempts((int) whole(g, 1, 100)));
        apply(core.get(RETRY_INITIAL_BACKOFF), g -> r.initialBackoff(duration(g, true)));
        apply(core.get(RETRY_MAX_BACKOFF), g -> r.maxBackoff(duration(g, true)));
        apply(core.get(RETRY_MULTIPLIER), g -> r.multiplier(decimal(g)));
        b.retry(renamed(r::build, related(fields, RETRY_MAX_BACKOFF, RETRY_INITIAL_BACKOFF)));
    }

    private static void readCircuitBreaker(HypervisorConfig.Builder b, Map<String, Given> core) {
        Map<String, Given> fields = group(core, CB_ENABLED, CB_FAILURE_RATE, CB_WINDOW, CB_MINIMUM_CALLS, CB_OPEN_DURATION);
        if (fields.isEmpty()) {
            return;
        }
        CircuitBreakerPolicy.Builder c = CircuitBreakerPolicy.defaults().toBuilder();
        apply(core.get(CB_ENABLED), g -> c.enabled(bool(g)));
        apply(core.get(CB_FAILURE_RATE), g -> c.failureRateThreshold((float) decimal(g)));
        apply(core.get(CB_WINDOW), g -> c.slidingWindowSize((int) whole(g, 1, 1_000_000)));
        apply(core.get(CB_MINIMUM_CALLS), g -> c.minimumCalls((int) whole(g, 1, 1_000_000)));
        apply(core.get(CB_OPEN_DURATION), g -> c.openDuration(positive(g)));
        b.circuitBreaker(renamed(c::build, fields));
    }

    private static void readDefaults(HypervisorConfig.Builder b, Map<String, Given> core) {
        Placement.Builder p = Placement.builder();
        Map<String, Given> fields = new LinkedHashMap<>();
        for (String target : PLACEMENT) {
            Given g = core.get("defaults." + target);
            if (g == null) {
                continue;
            }
            fields.put("placement." + target, g);
            String v = g.trimmed();
            switch (target) {
                case "datacenter" -> p.datacenter(v);
                case "cluster" -> p.cluster(v);
                case "clusterId" -> p.clusterId(v);
                case "host" -> p.host(v);
                case "hostId" -> p.hostId(v);
                case "datastore" -> p.datastore(v);
                case "datastoreId" -> p.datastoreId(v);
                case "resourcePool" -> p.resourcePool(v);
                case "resourcePoolId" -> p.resourcePoolId(v);
                case "folder" -> p.folder(v);
                default -> throw new IllegalStateException(target);
            }
        }
        if (!fields.isEmpty()) {
            b.defaults(renamed(p::build, fields));
        }
        apply(core.get(DEFAULTS_NETWORK), g -> b.defaultNetwork(g.trimmed()));
    }

    /** The given keys of a group, by the field names their builder reports ({@code retry.maxAttempts}). */
    private static Map<String, Given> group(Map<String, Given> core, String... keys) {
        Map<String, Given> m = new LinkedHashMap<>();
        for (String k : keys) {
            put(m, k, core.get(k));
        }
        return m;
    }

    /** An error about {@code field} names its key, or, when that key was not given, the related key that was. */
    private static Map<String, Given> related(Map<String, Given> fields, String field, String relatedKey) {
        Map<String, Given> m = new LinkedHashMap<>(fields);
        if (!m.containsKey(field) && m.containsKey(relatedKey)) {
            m.put(field, m.get(relatedKey));
        }
        return m;
    }

    private static void apply(Given g, java.util.function.Consumer<Given> action) {
        if (g != null) {
            action.accept(g);
        }
    }

    private static boolean bool(Given g) {
        return switch (g.trimmed().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw g.bad("must be true or false", true);
        };
    }

    private static long whole(Given g, long min, long max) {
        long n;
        try {
            n = Long.parseLong(g.trimmed());
        } catch (NumberFormatException e) {
            throw g.bad("must be a whole number", true);
        }
        if (n < min || n > max) {
            throw g.bad("must be between " + min + " and " + max, true);
        }
        return n;
    }

    private static double decimal(Given g) {
        try {
            double d = Double.parseDouble(g.trimmed());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw g.bad("must be a finite number", true);
        }
    }

    private static Duration positive(Given g) {
        return duration(g, false);
    }

    /** ISO-8601 ({@code PT30S}) or a whole number with a unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}). */
    static Duration parseDuration(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE_DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (v.startsWith("p") || v.startsWith("-p") || v.startsWith("+p")) {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        throw new DateTimeParseException("not a duration", text, 0);
    }

    private static Duration duration(Given g, boolean zeroAllowed) {
        Duration d;
        try {
            d = parseDuration(g.value());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw g.bad("must be a duration such as 30s, 500ms or PT30S", true);
        }
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw g.bad(zeroAllowed ? "must be a duration of zero or more" : "must be a positive duration", true);
        }
        return d;
    }

    // ---- writing --------------------------------------------------------------------------------------

    static Map<String, String> write(HypervisorConfig c) {
        Map<String, String> out = new TreeMap<>();
        out.put(ENDPOINT, c.endpoint().toString());
        c.explicitType().ifPresent(t -> out.put(TYPE, t));
        Credentials cr = c.credentials();
        switch (cr.kind()) {
            case PASSWORD -> {
                out.put(CREDENTIALS_KIND, "password");
                out.put(CREDENTIALS_USERNAME, cr.principal().orElseThrow());
            }
            case API_TOKEN -> {
                out.put(CREDENTIALS_KIND, "apiToken");
                out.put(CREDENTIALS_TOKEN_ID, cr.principal().orElseThrow());
            }
            default -> {
                // none: nothing to say; provider-specific: every value is secret
            }
        }
        TlsOptions tls = c.tls();
        switch (tls.mode()) {
            case PINNED -> out.put(TLS_PIN, tls.pinnedSha256().orElseThrow());
            case TRUST_STORE -> {
                out.put(TLS_TRUST_STORE, tls.trustStorePath().orElseThrow().toString());
                tls.trustStoreType().filter(t -> !t.equals("PKCS12")).ifPresent(t -> out.put(TLS_TRUST_STORE_TYPE, t));
            }
            case INSECURE -> out.put(TLS_INSECURE, "true");
            default -> {
                // the system trust is the default
            }
        }
        differs(out, TIMEOUTS_CONNECT, c.connectTimeout(), DEFAULT.connectTimeout(), Duration::toString);
        differs(out, TIMEOUTS_READ, c.readTimeout(), DEFAULT.readTimeout(), Duration::toString);
        differs(out, TIMEOUTS_OPERATION, c.operationTimeout(), DEFAULT.operationTimeout(), Duration::toString);
        RetryPolicy r = c.retry();
        RetryPolicy rd = DEFAULT.retry();
        differs(out, RETRY_MAX_ATTEMPTS, r.maxAttempts(), rd.maxAttempts(), String::valueOf);
        differs(out, RETRY_INITIAL_BACKOFF, r.initialBackoff(), rd.initialBackoff(), Duration::toString);
        differs(out, RETRY_MAX_BACKOFF, r.maxBackoff(), rd.maxBackoff(), Duration::toString);
        differs(out, RETRY_MULTIPLIER, r.multiplier(), rd.multiplier(), String::valueOf);
        CircuitBreakerPolicy cb = c.circuitBreaker();
        CircuitBreakerPolicy cbd = DEFAULT.circuitBreaker();
        differs(out, CB_ENABLED, cb.enabled(), cbd.enabled(), String::valueOf);
        differs(out, CB_FAILURE_RATE, cb.failureRateThreshold(), cbd.failureRateThreshold(), String::valueOf);
        differs(out, CB_WINDOW, cb.slidingWindowSize(), cbd.slidingWindowSize(), String::valueOf);
        differs(out, CB_MINIMUM_CALLS, cb.minimumCalls(), cbd.minimumCalls(), String::valueOf);
        differs(out, CB_OPEN_DURATION, cb.openDuration(), cbd.openDuration(), Duration::toString);
        differs(out, MAX_CONCURRENT_REQUESTS, c.maxConcurrentRequests(), DEFAULT.maxConcurrentRequests(), String::valueOf);
        differs(out, MAX_RESPONSE_BYTES, c.maxResponseBytes(), DEFAULT.maxResponseBytes(), String::valueOf);
        differs(out, MAX_LISTING_BYTES, c.maxListingBytes(), DEFAULT.maxListingBytes(), String::valueOf);
        Placement p = c.defaults();
        p.datacenterName().ifPresent(v -> out.put("defaults.datacenter", v));
        p.clusterName().ifPresent(v -> out.put("defaults.cluster", v));
        p.clusterId().ifPresent(v -> out.put("defaults.clusterId", v));
        p.hostName().ifPresent(v -> out.put("defaults.host", v));
        p.hostId().ifPresent(v -> out.put("defaults.hostId", v));
        p.datastoreName().ifPresent(v -> out.put("defaults.datastore", v));
        p.datastoreId().ifPresent(v -> out.put("defaults.datastoreId", v));
        p.resourcePoolName().ifPresent(v -> out.put("defaults.resourcePool", v));
        p.resourcePoolId().ifPresent(v -> out.put("defaults.resourcePoolId", v));
        p.folderPath().ifPresent(v -> out.put("defaults.folder", v));
        c.defaultNetwork().ifPresent(v -> out.put(DEFAULTS_NETWORK, v));
        out.putAll(c.properties());
        return Collections.unmodifiableMap(out);
    }

    private static <T> void differs(Map<String, String> out, String key, T value, T defaultValue, Function<T, String> text) {
        if (!value.equals(defaultValue)) {
            out.put(key, text.apply(value));
        }
    }
}
