package io.dvmm.sdk.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.CircuitBreakerPolicy;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.TlsOptions;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link HypervisorConfig#fromProperties} and {@link HypervisorConfig#toProperties()}: the round
 * trip, relaxed and prefixed keys, and for every documented key a bad value refused with
 * {@link InvalidSpecException} naming the key as it was given.
 */
class ConfigPropertiesTest {
    private static final String PIN = "ab".repeat(32);
    private static final String ENDPOINT = "inmemory:/config-test";

    @TempDir
    static Path dir;
    private static Path trustStore;

    @BeforeAll
    static void aTrustStoreFile() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        trustStore = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            ks.store(out, "store-pass".toCharArray());
        }
    }

    /** A key, a bad value for it, what else the case needs, and a fragment of the rule it breaks. */
    record Case(String key, String value, Map<String, String> extra, String rule) {
        @Override
        public String toString() {
            return key + "=" + value.replaceAll("\\p{Cntrl}", "?");
        }
    }

    static Stream<Case> badValues() {
        String store = trustStore.toString();
        return Stream.of(
                new Case("endpoint", "inmemory:/with space", Map.of(), "is not a valid URI"),
                new Case("type", "Prox Mox", Map.of(), "must be a provider type"),
                new Case("credentials.kind", "kerberos", Map.of(), "must be none, password or apiToken"),
                new Case("credentials.username", "  ", Map.of("credentials.kind", "password"), "must not be empty"),
                new Case("credentials.tokenId", "", Map.of("credentials.kind", "apiToken"), "must not be empty"),
                new Case("tls.pin", "abcd", Map.of(), "64 hex digits"),
                new Case("tls.trustStore", dir.resolve("no-such.p12").toString(), Map.of(), "readable trust store file"),
                new Case("tls.trustStore.password", "pass\u0000word", Map.of("tls.trustStore", store), "control characters"),
                new Case("tls.trustStore.type", "NOPE", Map.of("tls.trustStore", store), "key store type"),
                new Case("tls.insecure", "yes", Map.of(), "true or false"),
                new Case("timeouts.connect", "fast", Map.of(), "must be a duration"),
                new Case("timeouts.read", "0s", Map.of(), "must be a positive duration"),
                new Case("timeouts.operation", "-PT5M", Map.of(), "must be a positive duration"),
                new Case("retry.maxAttempts", "0", Map.of(), "between 1 and 100"),
                new Case("retry.initialBackoff", "soon", Map.of(), "must be a duration"),
                new Case("retry.maxBackoff", "100ms", Map.of(), "at least initialBackoff"),
                new Case("retry.multiplier", "0.5", Map.of(), "at least 1.0"),
                new Case("circuitBreaker.enabled", "maybe", Map.of(), "true or false"),
                new Case("circuitBreaker.failureRateThreshold", "150", Map.of(), "(0, 100]"),
                new Case("circuitBreaker.slidingWindowSize", "0", Map.of(), "between 1 and"),
                new Case("circuitBreaker.minimumCalls", "many", Map.of(), "whole number"),
                new Case("circuitBreaker.openDuration", "0ms", Map.of(), "must be a positive duration"),
                new Case("maxConcurrentRequests", "0", Map.of(), "between 1 and"),
                new Case("maxResponseBytes", "10", Map.of(), "between 1024 and"),
                new Case("maxListingBytes", "2048", Map.of(), "at least maxResponseBytes"),
                new Case("defaults.datacenter", " ", Map.of(), "must not be blank"),
                new Case("defaults.cluster", "c\u0007", Map.of(), "control characters"),
                new Case("defaults.clusterId", "cluster-1", Map.of("defaults.cluster", "cluster1"), "by name or by id"),
                new Case("defaults.host", "", Map.of(), "must not be blank"),
                new Case("defaults.hostId", "host-1", Map.of("defaults.host", "host1"), "by name or by id"),
                new Case("defaults.datastore", "\t", Map.of(), "control characters"),
                new Case("defaults.datastoreId", "ds-1", Map.of("defaults.datastore", "datastore1"), "by name or by id"),
                new Case("defaults.resourcePool", "   ", Map.of(), "must not be blank"),
                new Case("defaults.resourcePoolId", "pool-1", Map.of("defaults.resourcePool", "dev"), "by name or by id"),
                new Case("defaults.folder", "/", Map.of(), "must be a folder path"),
                new Case("defaults.network", " ", Map.of(), "must not be blank"),
                new Case("inmemory.taskMillis", "-1", Map.of(), "between 0 and 3600000"),
                new Case("inmemory.ipDelayMillis", "soon", Map.of(), "whole number"),
                new Case("inmemory.disabledCapabilities", "TELEPORT", Map.of(), "must be one of"));
    }

    private static Map<String, String> withEndpoint(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("endpoint", ENDPOINT);
        out.putAll(m);
        return out;
    }

    /** {@code tls.trustStore.password} as an environment variable: {@code TLS_TRUST_STORE_PASSWORD}. */
    static String envStyle(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').toUpperCase(java.util.Locale.ROOT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void everyBadValueIsRefusedNamingItsKey(Case c) {
        Map<String, String> props = withEndpoint(c.extra());
        props.put(c.key(), c.value());
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(props, "", () -> "secret"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo(c.key());
                    assertThat(e.rule()).contains(c.rule());
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void anEnvironmentStyleKeyIsNamedAsItWasGiven(Case c) {
        Map<String, String> env = new LinkedHashMap<>();
        withEndpoint(c.extra()).forEach((k, v) -> env.put("DVMM_TENANT_A_" + envStyle(k), v));
        env.put("DVMM_TENANT_A_" + envStyle(c.key()), c.value());
        env.put("PATH", "/usr/bin");
        env.put("DVMM_TENANT_B_ENDPOINT", "inmemory:/b");
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(env, "DVMM_TENANT_A_", () -> "secret"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field())
                        .isEqualTo("DVMM_TENANT_A_" + envStyle(c.key())));
    }

    @Test
    void everyDocumentedKeyHasABadValueCase() {
        Set<String> covered = new HashSet<>();
        badValues().forEach(c -> covered.add(c.key()));
        assertThat(covered).containsAll(HypervisorConfig.propertyKeys());
        assertThat(covered).contains("inmemory.taskMillis", "inmemory.ipDelayMillis", "inmemory.disabledCapabilities");
        assertThat(HypervisorConfig.propertyKeys()).hasSize(36).doesNotHaveDuplicates();
    }

    @Test
    void noTwoKeysAreOneRelaxedKey() {
        List<String> all = new ArrayList<>(HypervisorConfig.propertyKeys());
        io.dvmm.sdk.Hypervisors.providers().forEach(p -> p.properties().forEach(pp -> all.add(pp.key())));
        assertThat(all.stream().map(k -> k.replaceAll("[._-]", "").toLowerCase(java.util.Locale.ROOT)).toList())
                .doesNotHaveDuplicates();
    }

    private static HypervisorConfig everythingSet(Credentials credentials, TlsOptions tls) {
        return HypervisorConfig.builder(ENDPOINT)
                .type("inmemory")
                .credentials(credentials)
                .tls(tls)
                .connectTimeout(Duration.ofSeconds(3))
                .readTimeout(Duration.ofMillis(45_500))
                .operationTimeout(Duration.ofMinutes(25))
                .retry(RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofSeconds(9))
                        .multiplier(1.5).build())
                .circuitBreaker(CircuitBreakerPolicy.builder().failureRateThreshold(75.5f).slidingWindowSize(40).minimumCalls(7)
                        .openDuration(Duration.ofSeconds(12)).build())
                .maxConcurrentRequests(32)
                .maxResponseBytes(4L << 20)
                .maxListingBytes(64L << 20)
                .defaults(Placement.builder().datacenter("dc1").clusterId("cluster-1").host("host2").datastore("nfs-shared")
                        .resourcePool("default").folder("/dc1/vm/tenants").build())
                .defaultNetwork("backend")
                .property("inmemory.taskMillis", "25")
                .property("inmemory.disabledCapabilities", "SUSPEND")
                .build();
    }

    @Test
    void propertiesRoundTripWithTheSecretLeftOut() {
        AtomicInteger reads = new AtomicInteger();
        Supplier<String> vault = () -> {
            reads.incrementAndGet();
            return "s3cr3t-from-the-vault";
        };
        HypervisorConfig original = everythingSet(Credentials.password("admin", vault), TlsOptions.pinSha256(PIN));
        Map<String, String> props = original.toProperties();

        assertThat(props).containsEntry("endpoint", ENDPOINT).containsEntry("type", "inmemory")
                .containsEntry("credentials.kind", "password").containsEntry("credentials.username", "admin")
                .containsEntry("tls.pin", PIN).containsEntry("timeouts.read", "PT45.5S")
                .containsEntry("retry.multiplier", "1.5").containsEntry("circuitBreaker.failureRateThreshold", "75.5")
                .containsEntry("defaults.clusterId", "cluster-1").containsEntry("defaults.network", "backend")
                .containsEntry("inmemory.taskMillis", "25");
        assertThat(props.toString()).doesNotContain("s3cr3t");
        assertThat(reads).hasValue(0);

        HypervisorConfig back = HypervisorConfig.fromProperties(props, "", vault);
        assertThat(back.toProperties()).isEqualTo(props);
        assertThat(back.endpoint()).isEqualTo(original.endpoint());
        assertThat(back.explicitType()).isEqualTo(original.explicitType());
        assertThat(back.credentials().kind()).isEqualTo(Credentials.Kind.PASSWORD);
        assertThat(back.credentials().principal()).hasValue("admin");
        assertThat(back.credentials().rotates()).isTrue();
        assertThat(back.credentials().secret()).hasValue("s3cr3t-from-the-vault");
        assertThat(back.tls()).isEqualTo(original.tls());
        assertThat(back.connectTimeout()).isEqualTo(original.connectTimeout());
        assertThat(back.readTimeout()).isEqualTo(original.readTimeout());
        assertThat(back.operationTimeout()).isEqualTo(original.operationTimeout());
        assertThat(back.retry()).isEqualTo(original.retry());
        assertThat(back.circuitBreaker()).isEqualTo(original.circuitBreaker());
        assertThat(back.maxConcurrentRequests()).isEqualTo(32);
        assertThat(back.maxResponseBytes()).isEqualTo(4L << 20);
        assertThat(back.maxListingBytes()).isEqualTo(64L << 20);
        assertThat(back.defaults()).isEqualTo(original.defaults());
        assertThat(back.defaultNetwork()).hasValue("backend");
        assertThat(back.properties()).isEqualTo(original.properties());
    }

    @Test
    void aTrustStoreAndATokenRoundTripWithoutTheirSecrets() {
        HypervisorConfig original = everythingSet(Credentials.apiToken("admin!sdk", () -> "token-secret"),
                TlsOptions.trustStore(trustStore, "store-pass", "JKS"));
        Map<String, String> props = original.toProperties();
        assertThat(props).containsEntry("credentials.kind", "apiToken").containsEntry("credentials.tokenId", "admin!sdk")
                .containsEntry("tls.trustStore", trustStore.toString()).containsEntry("tls.trustStore.type", "JKS")
                .doesNotContainKey("tls.trustStore.password");
        assertThat(props.values()).noneMatch(v -> v.contains("store-pass") || v.contains("token-secret"));
        Map<String, String> withPassword = new TreeMap<>(props);
        withPassword.put("tls.trustStore.password", "store-pass");
        HypervisorConfig back = HypervisorConfig.fromProperties(withPassword, "", () -> "token-secret");
        assertThat(back.toProperties()).isEqualTo(props);
        assertThat(back.tls().trustStorePassword()).hasValue("store-pass");
        assertThat(back.toString()).doesNotContain("store-pass").doesNotContain("token-secret");
    }

    @Test
    void defaultsAreLeftOutAndReadBackAsDefaults() {
        HypervisorConfig plain = HypervisorConfig.builder(ENDPOINT).build();
        assertThat(plain.toProperties()).isEqualTo(Map.of("endpoint", ENDPOINT));
        HypervisorConfig back = HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT));
        assertThat(back.retry()).isEqualTo(RetryPolicy.defaults());
        assertThat(back.circuitBreaker()).isEqualTo(CircuitBreakerPolicy.defaults());
        assertThat(back.credentials()).isEqualTo(Credentials.none());
        assertThat(back.defaults().isAny()).isTrue();
    }

    @Test
    void environmentVariablesKebabCaseAndExactKeysAreOneVocabulary() {
        HypervisorConfig expected = everythingSet(Credentials.password("admin", () -> "x"), TlsOptions.pinSha256(PIN));
        Map<String, String> env = new TreeMap<>();
        Map<String, String> kebab = new TreeMap<>();
        expected.toProperties().forEach((k, v) -> {
            env.put("DVMM_TENANT_A_" + envStyle(k), v);
            kebab.put("dvmm.tenants.tenant-a." + envStyle(k).toLowerCase(java.util.Locale.ROOT).replace('_', '-'), v);
        });
        env.put("DVMM_TENANT_B_ENDPOINT", "inmemory:/someone-else");
        env.put("HOME", "/root");
        assertThat(env).containsKeys("DVMM_TENANT_A_ENDPOINT", "DVMM_TENANT_A_CIRCUIT_BREAKER_FAILURE_RATE_THRESHOLD",
                "DVMM_TENANT_A_INMEMORY_TASK_MILLIS", "DVMM_TENANT_A_DEFAULTS_RESOURCE_POOL");
        assertThat(HypervisorConfig.fromProperties(env, "DVMM_TENANT_A_", () -> "x").toProperties())
                .isEqualTo(expected.toProperties());
        assertThat(HypervisorConfig.fromProperties(kebab, "dvmm.tenants.tenant-a.", () -> "x").toProperties())
                .isEqualTo(expected.toProperties());
    }

    @Test
    void durationsTakeIsoAndShortForms() {
        Map<String, String> p = new LinkedHashMap<>(Map.of("endpoint", ENDPOINT, "timeouts.connect", "500ms", "timeouts.read", "30s",
                "timeouts.operation", "PT1H", "circuitBreaker.openDuration", "2m", "retry.maxBackoff", "1d"));
        HypervisorConfig c = HypervisorConfig.fromProperties(p);
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.operationTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(c.circuitBreaker().openDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.retry().maxBackoff()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void unknownAndRepeatedKeysAreRefused() {
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "timeouts.write", "5s")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("timeouts.write"))
                .hasMessageContaining("is not a configuration key");
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "inmemory.taskMilis", "5")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("inmemory.taskMilis"))
                .hasMessageContaining("is not a property of the inmemory provider").hasMessageContaining("inmemory.taskMillis");
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "proxmox.vmidMin", "100")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("proxmox.vmidMin"));
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "tls.pin", PIN, "TLS_PIN", PIN)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("is given twice");
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("type", "inmemory")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("endpoint"))
                .hasMessageContaining("is required");
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("type", "inmemory"), "DVMM_X_"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("DVMM_X_endpoint"));
    }

    @Test
    void aTypeOrSchemeNoInstalledProviderServesIsRefused() {
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "type", "nosuch")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("type"))
                .hasMessageContaining("no provider for 'nosuch'");
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", "nosuch://host")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("endpoint"));
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", "inmemory://admin:pw@host/x")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("endpoint"))
                .hasMessageNotContaining("pw@");
    }

    @Test
    void credentialsCombinationsAndTheMissingSecret() {
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "credentials.username", "admin")))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("credentials.username"))
                .hasMessageContaining("pass a supplier");
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "credentials.kind", "apiToken"), "",
                () -> "s")).isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("credentials.kind"))
                .hasMessageContaining("credentials.tokenId");
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "credentials.kind", "password",
                "credentials.tokenId", "admin!sdk"), "", () -> "s"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("credentials.tokenId"));
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "credentials.username", "admin",
                "credentials.tokenId", "admin!sdk"), "", () -> "s")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("cannot be combined");
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "tls.pin", PIN, "tls.insecure", "true")))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("cannot be combined");
        HypervisorConfig token = HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "credentials.tokenId", "admin!sdk"), "",
                () -> "tok");
        assertThat(token.credentials().kind()).isEqualTo(Credentials.Kind.API_TOKEN);
        assertThat(HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "credentials.kind", "API_TOKEN",
                "credentials.tokenId", "admin!sdk"), "", () -> "tok").credentials().kind()).isEqualTo(Credentials.Kind.API_TOKEN);
        assertThat(HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "tls.insecure", "false")).tls().mode())
                .isEqualTo(TlsOptions.Mode.SYSTEM);
    }

    @Test
    void aBadValueIsShownButATrustStorePasswordNever() {
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT, "maxConcurrentRequests", "lots")))
                .hasMessageContaining("'lots'");
        assertThatThrownBy(() -> HypervisorConfig.fromProperties(Map.of("endpoint", ENDPOINT,
                "tls.trustStore.password", "hunter2-store")))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("needs tls.trustStore")
                .hasMessageNotContaining("hunter2-store");
    }
}
