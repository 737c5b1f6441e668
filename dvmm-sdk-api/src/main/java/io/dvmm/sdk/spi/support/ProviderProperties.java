package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.ProviderProperty;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A provider's declared properties read from a config, typed, with the declared defaults.
 * {@link io.dvmm.sdk.Hypervisors#connect} has already checked every value against its
 * declaration, so reading never fails for a declared key.
 */
public final class ProviderProperties {
    private final HypervisorConfig config;
    private final Map<String, ProviderProperty> declared = new LinkedHashMap<>();

    private ProviderProperties(HypervisorConfig config, List<ProviderProperty> declarations) {
        this.config = config;
        declarations.forEach(p -> declared.put(p.key(), p));
    }

    /**
     * @param config the connection's configuration
     * @param declarations what the provider declares
     * @return the reader
     */
    public static ProviderProperties of(HypervisorConfig config, List<ProviderProperty> declarations) {
        return new ProviderProperties(config, declarations);
    }

    private String raw(String key) {
        ProviderProperty p = declared.get(key);
        if (p == null) {
            throw new IllegalArgumentException("undeclared property " + key);
        }
        String v = config.property(key).orElse(p.defaultValue().orElse(null));
        if (v != null) {
            // A config built without Hypervisors.connect (a provider's own tests) is checked here.
            p.check(v);
        }
        return v;
    }

    /**
     * @param key a declared string property
     * @return its value or default, or {@code null} when it has neither
     */
    public String string(String key) {
        return raw(key);
    }

    /**
     * @param key a declared integer property with a default
     * @return its value or default
     */
    public long number(String key) {
        return Long.parseLong(raw(key).trim());
    }

    /**
     * @param key a declared boolean property with a default
     * @return its value or default
     */
    public boolean flag(String key) {
        return Boolean.parseBoolean(raw(key).trim());
    }

    /**
     * @param key a declared enum-list property
     * @return its values, lower case, in order; empty when unset
     */
    public List<String> list(String key) {
        String v = raw(key);
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }
}
