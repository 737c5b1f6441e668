package io.dvmm.sdk;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One provider-specific setting a provider declares ({@link HypervisorConfig.Builder#property}):
 * its key, type, default and meaning. {@link Hypervisors#connect(HypervisorConfig)} checks every
 * property of a config against its provider's declarations before anything else: an unknown key
 * or a bad value fails with {@link InvalidSpecException} naming {@code properties.<key>}.
 * Immutable; build with {@link #builder(String, Type)}.
 */
public final class ProviderProperty {

    /** The value types a property can have. */
    public enum Type {
        /** Any text without control characters. */
        STRING,
        /** A whole number, within {@link #min()} and {@link #max()}. */
        INTEGER,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** One of {@link #allowedValues()}, case-insensitive. */
        ENUM,
        /** A comma-separated list of {@link #allowedValues()}, case-insensitive; may be empty. */
        ENUM_LIST
    }

    private final String key;
    private final Type type;
    private final String defaultValue;
    private final String description;
    private final long min;
    private final long max;
    private final List<String> allowedValues;

    private ProviderProperty(Builder b) {
        this.key = b.key;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.description = b.description;
        this.min = b.min;
        this.max = b.max;
        this.allowedValues = List.copyOf(b.allowedValues);
    }

    /**
     * @param key the key, such as {@code proxmox.vmidMin}
     * @param type its value type
     * @return a builder
     */
    public static Builder builder(String key, Type type) {
        return new Builder(key, type);
    }

    /** @return the key */
    public String key() {
        return key;
    }

    /** @return the value type */
    public Type type() {
        return type;
    }

    /** @return the value used when the config does not set one, if there is one */
    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** @return what the property does, one sentence */
    public String description() {
        return description;
    }

    /** @return the smallest value of an {@link Type#INTEGER} property */
    public long min() {
        return min;
    }

    /** @return the largest value of an {@link Type#INTEGER} property */
    public long max() {
        return max;
    }

    /** @return the values an {@link Type#ENUM} or {@link Type#ENUM_LIST} property accepts */
    public List<String> allowedValues() {
        return allowedValues;
    }

    /**
     * Checks a value against this declaration.
     *
     * @param value the configured value
     * @throws InvalidSpecException naming {@code properties.<key>} when the value is not acceptable
     */
    public void check(String value) {
        String field = "properties." + key;
        if (value == null) {
            throw new InvalidSpecException(field, "must not be null");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidSpecException(field, "must not contain control characters");
            }
        }
        switch (type) {
            case STRING -> {
                // any text
            }
            case INTEGER -> {
                long n;
                try {
                    n = Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    throw new InvalidSpecException(field, "must be a whole number, was '" + value + "'");
                }
                if (n < min || n > max) {
                    throw new InvalidSpecException(field, "must be between " + min + " and " + max + ", was " + n);
                }
            }
            case BOOLEAN -> {
                String v = value.trim().toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) {
                    throw new InvalidSpecException(field, "must be true or false, was '" + value + "'");
                }
            }
            case ENUM -> checkAllowed(field, value.trim());
            case ENUM_LIST -> Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .forEach(v -> checkAllowed(field, v));
        }
    }

    private void checkAllowed(String field, String v) {
        if (allowedValues.stream().noneMatch(a -> a.equalsIgnoreCase(v))) {
            throw new InvalidSpecException(field, "must be one of " + allowedValues + ", was '" + v + "'");
        }
    }

    @Override
    public String toString() {
        return key + " (" + type.name().toLowerCase(Locale.ROOT) + (defaultValue == null ? "" : ", default " + defaultValue) + ")";
    }

    /** Builds a {@link ProviderProperty}. Not thread-safe. */
    public static final class Builder {
        private final String key;
        private final Type type;
        private String defaultValue;
        private String description = "";
        private long min = Long.MIN_VALUE;
        private long max = Long.MAX_VALUE;
        private List<String> allowedValues = List.of();

        private Builder(String key, Type type) {
            this.key = Objects.requireNonNull(key, "key");
            this.type = Objects.requireNonNull(type, "type");
        }

        /**
         * @param value the default, checked against the declaration when built
         * @return this builder
         */
        public Builder defaultValue(String value) {
            this.defaultValue = value;
            return this;
        }

        /**
         * @param value what the property does
         * @return this builder
         */
        public Builder description(String value) {
            this.description = Objects.requireNonNull(value, "description");
            return this;
        }

        /**
         * @param lowest the smallest accepted value
         * @param highest the largest accepted value
         * @return this builder
         */
        public Builder range(long lowest, long highest) {
            this.min = lowest;
            this.max = highest;
            return this;
        }

        /**
         * @param values the accepted values of an enum or enum-list property
         * @return this builder
         */
        public Builder allowedValues(List<String> values) {
            this.allowedValues = List.copyOf(values);
            return this;
        }

        /** @return the declaration */
        public ProviderProperty build() {
            if (!key.matches("[a-z][a-zA-Z0-9]*(\\.[a-zA-Z][a-zA-Z0-9]*)+")) {
                throw new IllegalArgumentException("a property key is <provider>.<name>, was '" + key + "'");
            }
            if (min > max) {
                throw new IllegalArgumentException("min > max for " + key);
            }
            if ((type == Type.ENUM || type == Type.ENUM_LIST) && allowedValues.isEmpty()) {
                throw new IllegalArgumentException(key + " needs allowed values");
            }
            ProviderProperty p = new ProviderProperty(this);
            if (defaultValue != null) {
                p.check(defaultValue);
            }
            return p;
        }
    }
}
