package io.dvmm.sdk;

import io.dvmm.sdk.spi.HypervisorProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: finds providers and opens connections.
 *
 * <p>Providers are found through {@link ServiceLoader}: each provider jar lists its
 * {@link HypervisorProvider} in {@code META-INF/services/io.dvmm.sdk.spi.HypervisorProvider}
 * (or {@code provides} in its module descriptor). Where a fat jar or container loses those
 * files, {@link #register(HypervisorProvider)} adds a provider by hand; a registered provider
 * wins over a discovered one of the same type.
 *
 * <pre>{@code
 * try (Hypervisor hv = Hypervisors.connect(HypervisorConfig.builder("proxmox://pve1:8006")
 *         .credentials(Credentials.apiToken("root@pam!ci", secret))
 *         .tls(TlsOptions.pinSha256(fingerprint))
 *         .build())) {
 *     VmInfo vm = hv.createVm(spec).join();
 * }
 * }</pre>
 */
public final class Hypervisors {
    private static final Logger LOG = LoggerFactory.getLogger(Hypervisors.class);
    private static final Map<String, HypervisorProvider> REGISTERED = new ConcurrentHashMap<>();

    private Hypervisors() {
    }

    /**
     * Opens a connection. No request is sent until the first operation; call
     * {@link Hypervisor#testConnection()} to check the endpoint and credentials at once.
     *
     * @param config the endpoint, credentials and options
     * @return the connection
     * @throws InvalidSpecException if no provider serves the config's type; the message lists those found
     */
    public static Hypervisor connect(HypervisorConfig config) {
        Objects.requireNonNull(config, "config");
        HypervisorProvider provider = providerFor(config);
        checkProperties(provider, config);
        LOG.debug("Connecting to {} with provider {}", config.endpoint(), provider.type());
        return provider.connect(config);
    }

    /**
     * @param config a configuration
     * @return the provider that serves it: by type or scheme, else the one that recognizes its endpoint
     * @throws InvalidSpecException naming {@code type} when there is none; the message lists those found
     */
    static HypervisorProvider providerFor(HypervisorConfig config) {
        return find(config.type()).or(() -> recognizing(config)).orElseThrow(() -> new InvalidSpecException(
                "type", "no provider for '" + config.type() + "'; providers found: " + describe(installed()) + ". "
                        + (KNOWN_TYPES.contains(config.type()) ? "Add the provider's artifact (io.dvmm.sdk:dvmm-sdk-" + config.type()
                        + ") or register it with Hypervisors.register(...)"
                        : "Name the provider with HypervisorConfig.Builder.type(...) or use its own scheme, such as proxmox://")));
    }

    /**
     * Checks the config's provider-specific properties against what the provider declares: every
     * key must be declared, every value must fit its declaration.
     */
    private static void checkProperties(HypervisorProvider provider, HypervisorConfig config) {
        Map<String, ProviderProperty> declared = new LinkedHashMap<>();
        for (ProviderProperty p : provider.properties()) {
            declared.put(p.key(), p);
        }
        for (Map.Entry<String, String> e : config.properties().entrySet()) {
            ProviderProperty p = declared.get(e.getKey());
            if (p == null) {
                throw new InvalidSpecException("properties." + e.getKey(), "is not a property of the " + provider.type()
                        + " provider; it takes " + (declared.isEmpty() ? "none" : declared.keySet()));
            }
            p.check(e.getValue());
        }
    }

    /**
     * Opens a connection with the default options.
     *
     * @param endpoint the endpoint, such as {@code inmemory:/default}
     * @param credentials how to authenticate
     * @return the connection
     */
    public static Hypervisor connect(String endpoint, Credentials credentials) {
        return connect(HypervisorConfig.builder(endpoint).credentials(credentials).build());
    }

    /**
     * @return every provider available: registered by hand, then discovered; ordered by type
     */
    public static List<ProviderInfo> providers() {
        return installed().stream().map(Hypervisors::info).toList();
    }

    /**
     * @param typeOrScheme a provider type or URI scheme, case-insensitive
     * @return the provider serving it, if any
     */
    public static Optional<ProviderInfo> provider(String typeOrScheme) {
        return find(typeOrScheme).map(Hypervisors::info);
    }

    /**
     * @param uri an endpoint URI
     * @return the provider serving its scheme, if any
     */
    public static Optional<ProviderInfo> provider(URI uri) {
        return uri.getScheme() == null ? Optional.empty() : provider(uri.getScheme());
    }

    private static ProviderInfo info(HypervisorProvider p) {
        return new ProviderInfo(p.type(), p.schemes(), p.displayName(), p.capabilities(), p.properties());
    }

    private static List<HypervisorProvider> installed() {
        Map<String, HypervisorProvider> byType = new LinkedHashMap<>();
        for (HypervisorProvider p : discover()) {
            byType.putIfAbsent(p.type(), p);
        }
        byType.putAll(REGISTERED);
        List<HypervisorProvider> list = new ArrayList<>(byType.values());
        list.sort(Comparator.comparing(HypervisorProvider::type));
        return List.copyOf(list);
    }

    /** The providers of this project, whose artifacts a message may name. */
    private static final java.util.Set<String> KNOWN_TYPES = java.util.Set.of("proxmox", "vsphere", "hyperv", "powervm", "inmemory");

    /** The one provider that recognizes an endpoint of a generic scheme (https), when the config names no type. */
    private static Optional<HypervisorProvider> recognizing(HypervisorConfig config) {
        if (config.explicitType().isPresent()) {
            return Optional.empty();
        }
        List<HypervisorProvider> matches = installed().stream().filter(p -> p.recognizes(config.endpoint())).toList();
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    private static Optional<HypervisorProvider> find(String typeOrScheme) {
        String key = Objects.requireNonNull(typeOrScheme, "typeOrScheme").toLowerCase(Locale.ROOT);
        List<HypervisorProvider> all = installed();
        return all.stream().filter(p -> p.type().equals(key)).findFirst()
                .or(() -> all.stream().filter(p -> p.schemes().contains(key)).findFirst());
    }

    /**
     * Registers a provider by hand, for class loaders where {@code META-INF/services} is lost
     * (fat jars, some containers): {@code Hypervisors.register(new ProxmoxProvider())}. Replaces an
     * earlier registration of the same type.
     *
     * @param provider the provider's entry class, such as {@code io.dvmm.sdk.proxmox.ProxmoxProvider}
     */
    public static void register(HypervisorProvider provider) {
        Objects.requireNonNull(provider, "provider");
        REGISTERED.put(provider.type(), provider);
    }

    /**
     * @param type a provider type registered by hand
     * @return whether a registration was removed
     */
    public static boolean unregister(String type) {
        return REGISTERED.remove(type) != null;
    }

    private static List<HypervisorProvider> discover() {
        List<HypervisorProvider> found = new ArrayList<>();
        load(ServiceLoader.load(HypervisorProvider.class), found);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != Hypervisors.class.getClassLoader()) {
            load(ServiceLoader.load(HypervisorProvider.class, context), found);
        }
        return found;
    }

    private static void load(ServiceLoader<HypervisorProvider> loader, List<HypervisorProvider> into) {
        var it = loader.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return;
                }
                HypervisorProvider p = it.next();
                if (into.stream().noneMatch(q -> q.type().equals(p.type()))) {
                    into.add(p);
                }
            } catch (ServiceConfigurationError e) {
                // One broken provider jar must not hide the others.
                LOG.warn("Skipping a hypervisor provider that failed to load: {}", e.getMessage());
            }
        }
    }

    private static String describe(List<HypervisorProvider> providers) {
        if (providers.isEmpty()) {
            return "none";
        }
        return providers.stream().map(p -> p.type() + " " + p.schemes()).collect(Collectors.joining(", "));
    }
}
