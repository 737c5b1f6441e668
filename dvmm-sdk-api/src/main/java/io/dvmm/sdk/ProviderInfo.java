package io.dvmm.sdk;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an installed provider is and offers, as {@link Hypervisors#providers()} lists it: its type,
 * the URI schemes it serves, a display name, the most it can do and the properties it takes.
 * Immutable.
 */
public final class ProviderInfo {
    private final String type;
    private final Set<String> schemes;
    private final String displayName;
    private final Set<Capability> capabilities;
    private final List<ProviderProperty> properties;

    /**
     * @param type the provider type, such as {@code proxmox}
     * @param schemes the URI schemes it serves
     * @param displayName a human name
     * @param capabilities the most a connection of this provider can do
     * @param properties the provider-specific settings it declares
     */
    public ProviderInfo(String type, Set<String> schemes, String displayName, Set<Capability> capabilities,
                        List<ProviderProperty> properties) {
        this.type = Objects.requireNonNull(type, "type");
        this.schemes = Set.copyOf(schemes);
        this.displayName = Objects.requireNonNull(displayName, "displayName");
        this.capabilities = Collections.unmodifiableSet(capabilities.isEmpty() ? EnumSet.noneOf(Capability.class)
                : EnumSet.copyOf(capabilities));
        this.properties = List.copyOf(properties);
    }

    /** @return the provider type */
    public String type() {
        return type;
    }

    /** @return the URI schemes it serves */
    public Set<String> schemes() {
        return schemes;
    }

    /** @return a human name, such as {@code Proxmox VE (REST)} */
    public String displayName() {
        return displayName;
    }

    /** @return the most a connection of this provider can do; a connection may offer less */
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** @return the provider-specific settings it declares */
    public List<ProviderProperty> properties() {
        return properties;
    }

    @Override
    public String toString() {
        return type + " " + schemes + " (" + displayName + ")";
    }
}
