package io.dvmm.sdk;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which VMs {@link Hypervisor#listVms(VmQuery)} returns. Templates are never listed as VMs.
 * Providers fetch the list in as few requests as their API allows and filter the rest locally.
 */
public final class VmQuery {
    private static final VmQuery ALL = new VmQuery(null, Set.of(), Map.of());

    private final String namePattern;
    private final int[] glob;
    private final Set<PowerState> powerStates;
    private final Map<String, String> metadata;

    private VmQuery(String namePattern, Set<PowerState> powerStates, Map<String, String> metadata) {
        this.namePattern = namePattern;
        this.glob = namePattern == null ? null : namePattern.codePoints().toArray();
        this.powerStates = powerStates.isEmpty() ? Set.of() : Set.copyOf(powerStates);
        this.metadata = Map.copyOf(metadata);
    }

    /** @return every VM */
    public static VmQuery all() {
        return ALL;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the glob on names ({@code *} and {@code ?}), if any */
    public Optional<String> namePattern() {
        return Optional.ofNullable(namePattern);
    }

    /** @return the accepted power states; empty accepts all */
    public Set<PowerState> powerStates() {
        return powerStates;
    }

    /** @return metadata every listed VM must carry, with equal values */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * @param vm a VM
     * @return whether it passes this query
     */
    public boolean matches(VmInfo vm) {
        if (glob != null && !globMatches(glob, vm.name().codePoints().toArray())) {
            return false;
        }
        if (!powerStates.isEmpty() && !powerStates.contains(vm.powerState())) {
            return false;
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (!e.getValue().equals(vm.metadata().get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code *} any run of characters, {@code ?} one character, anything else itself. Matched in
     * one pass that goes back only to the last star, so no pattern takes more than
     * (name length x pattern length) steps; a regular expression would backtrack exponentially on
     * {@code *a*a*a*...b}.
     */
    private static boolean globMatches(int[] pattern, int[] name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length) {
            if (p < pattern.length && (pattern[p] == '?' || (pattern[p] != '*' && pattern[p] == name[n]))) {
                p++;
                n++;
            } else if (p < pattern.length && pattern[p] == '*') {
                star = p++;
                resume = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == '*') {
            p++;
        }
        return p == pattern.length;
    }

    @Override
    public String toString() {
        return "VmQuery[name=" + namePattern + ", states=" + powerStates + ", metadata=" + metadata + "]";
    }

    /** Builds a {@link VmQuery}. Not thread-safe. */
    public static final class Builder {
        private String namePattern;
        private final Set<PowerState> powerStates = EnumSet.noneOf(PowerState.class);
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {
        }

        /**

         * @param glob a glob on VM names, such as {@code web-*}

         * @return this builder

         */
        public Builder namePattern(String glob) {
            this.namePattern = glob;
            return this;
        }

        /**

         * @param states the accepted power states

         * @return this builder

         */
        public Builder powerState(PowerState... states) {
            powerStates.addAll(java.util.Arrays.asList(states));
            return this;
        }

        /**

         * @param key a metadata key

         * @param value the value it must have

         * @return this builder

         */
        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), value == null ? "" : value);
            return this;
        }

        /** @return the query */
        public VmQuery build() {
            if (namePattern != null && namePattern.isEmpty()) {
                throw new InvalidSpecException("namePattern", "must not be empty when set");
            }
            return new VmQuery(namePattern, powerStates, metadata);
        }
    }
}
