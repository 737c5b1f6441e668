package io.dvmm.sdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What VM to create: a clone of a template, sized, placed, networked and customized.
 * Immutable; build with {@link #builder()}, copy with {@link #toBuilder()}.
 *
 * <pre>{@code
 * VmProvisionSpec spec = VmProvisionSpec.builder()
 *         .name("web-01")
 *         .template("ubuntu-22.04")
 *         .cpuCount(2)
 *         .memoryMiB(4096)
 *         .nic(NicSpec.staticIp("vmbr0", "10.0.0.21", 24, "10.0.0.1"))
 *         .guest(GuestCustomization.builder().hostname("web-01").sshKey(key).build())
 *         .waitForIp(true)
 *         .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} checks every portable rule locally and names the field that breaks
 * one; providers check their own rules (such as allowed name characters) before any request.
 */
public final class VmProvisionSpec {

    /** The longest VM name any provider accepts. */
    public static final int MAX_NAME_LENGTH = 80;

    private static final String FORBIDDEN_NAME_CHARS = "/\\%\"'<>|*?:#&;`$";

    private final String name;
    private final String templateName;
    private final String templateId;
    private final CloneMode cloneMode;
    private final Integer cpuCount;
    private final Long memoryMiB;
    private final List<DiskSpec> disks;
    private final List<NicSpec> nics;
    private final Placement placement;
    private final GuestCustomization guest;
    private final Map<String, String> metadata;
    private final boolean powerOn;
    private final boolean waitForIp;
    private final Map<String, ProviderOptions> providerOptions;

    private VmProvisionSpec(Builder b) {
        this.name = b.name;
        this.templateName = b.templateName;
        this.templateId = b.templateId;
        this.cloneMode = b.cloneMode;
        this.cpuCount = b.cpuCount;
        this.memoryMiB = b.memoryMiB;
        this.disks = List.copyOf(b.disks);
        this.nics = List.copyOf(b.nics);
        this.placement = b.placement;
        this.guest = b.guest;
        this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.powerOn = b.powerOn;
        this.waitForIp = b.waitForIp;
        this.providerOptions = Map.copyOf(b.providerOptions);
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this spec's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.templateName = templateName;
        b.templateId = templateId;
        b.cloneMode = cloneMode;
        b.cpuCount = cpuCount;
        b.memoryMiB = memoryMiB;
        b.disks.addAll(disks);
        b.nics.addAll(nics);
        b.placement = placement;
        b.guest = guest;
        b.metadata.putAll(metadata);
        b.powerOn = powerOn;
        b.waitForIp = waitForIp;
        b.providerOptions.putAll(providerOptions);
        return b;
    }

    /** @return the new VM's name */
    public String name() {
        return name;
    }

    /** @return the template's name, when the template is named */
    public Optional<String> templateName() {
        return Optional.ofNullable(templateName);
    }

    /** @return the template's provider id, when the template is given by id */
    public Optional<String> templateId() {
        return Optional.ofNullable(templateId);
    }

    /** @return full or linked clone; {@link CloneMode#FULL} by default */
    public CloneMode cloneMode() {
        return cloneMode;
    }

    /** @return virtual CPUs, or empty to keep the template's */
    public OptionalInt cpuCount() {
        return cpuCount == null ? OptionalInt.empty() : OptionalInt.of(cpuCount);
    }

    /** @return memory in MiB, or empty to keep the template's */
    public OptionalLong memoryMiB() {
        return memoryMiB == null ? OptionalLong.empty() : OptionalLong.of(memoryMiB);
    }

    /** @return the disks: the first resizes the boot disk, the rest are added */
    public List<DiskSpec> disks() {
        return disks;
    }

    /** @return the NICs, in order; empty keeps the template's */
    public List<NicSpec> nics() {
        return nics;
    }

    /** @return where the VM goes */
    public Placement placement() {
        return placement;
    }

    /** @return the guest customization, possibly empty */
    public GuestCustomization guest() {
        return guest;
    }

    /** @return metadata to store on the VM (tags have an empty value) */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** @return whether to start the VM once created; {@code true} by default */
    public boolean powerOn() {
        return powerOn;
    }

    /** @return whether {@code createVm} completes only once the guest reports an IP; {@code false} by default */
    public boolean waitForIp() {
        return waitForIp;
    }

    /** @return every provider option attached, by provider type */
    public Map<String, ProviderOptions> providerOptions() {
        return providerOptions;
    }

    /**
     * @param type the options class of a provider
     * @param <T> the options type
     * @return the attached options of that class, if any
     */
    public <T extends ProviderOptions> Optional<T> providerOptions(Class<T> type) {
        return providerOptions.values().stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VmProvisionSpec s && name.equals(s.name) && Objects.equals(templateName, s.templateName)
                && Objects.equals(templateId, s.templateId) && cloneMode == s.cloneMode
                && Objects.equals(cpuCount, s.cpuCount) && Objects.equals(memoryMiB, s.memoryMiB)
                && disks.equals(s.disks) && nics.equals(s.nics) && placement.equals(s.placement)
                && guest.equals(s.guest) && metadata.equals(s.metadata) && powerOn == s.powerOn
                && waitForIp == s.waitForIp && providerOptions.equals(s.providerOptions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, templateName, templateId, cpuCount, memoryMiB);
    }

    @Override
    public String toString() {
        return "VmProvisionSpec[name=" + name + ", template=" + (templateName != null ? templateName : "id:" + templateId)
                + ", clone=" + cloneMode + ", cpu=" + cpuCount + ", memoryMiB=" + memoryMiB + ", disks=" + disks
                + ", nics=" + nics + ", placement=" + placement + ", guest=" + guest + ", metadata=" + metadata
                + ", powerOn=" + powerOn + ", waitForIp=" + waitForIp + ", providerOptions=" + providerOptions.keySet() + "]";
    }

    /** Builds a {@link VmProvisionSpec}. Not thread-safe. */
    public static final class Builder {
        private String name;
        private String templateName;
        private String templateId;
        private CloneMode cloneMode = CloneMode.FULL;
        private Integer cpuCount;
        private Long memoryMiB;
        private final List<DiskSpec> disks = new ArrayList<>();
        private final List<NicSpec> nics = new ArrayList<>();
        private Placement placement = Placement.any();
        private GuestCustomization guest = GuestCustomization.builder().build();
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private boolean powerOn = true;
        private boolean waitForIp;
        private final Map<String, ProviderOptions> providerOptions = new LinkedHashMap<>();

        private Builder() {
        }

        /**

         * @param value the new VM's name

         * @return this builder

         */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /**

         * @param value the template's name; clears a template id

         * @return this builder

         */
        public Builder template(String value) {
            this.templateName = value;
            this.templateId = null;
            return this;
        }

        /**

         * @param value the template's provider id; clears a template name

         * @return this builder

         */
        public Builder templateId(String value) {
            this.templateId = value;
            this.templateName = null;
            return this;
        }

        /**

         * @param value full or linked clone

         * @return this builder

         */
        public Builder cloneMode(CloneMode value) {
            this.cloneMode = Objects.requireNonNull(value, "cloneMode");
            return this;
        }

        /**

         * @param value virtual CPUs

         * @return this builder

         */
        public Builder cpuCount(int value) {
            this.cpuCount = value;
            return this;
        }

        /**

         * @param value memory in MiB

         * @return this builder

         */
        public Builder memoryMiB(long value) {
            this.memoryMiB = value;
            return this;
        }

        /**

         * @param disk a disk; the first resizes the boot disk

         * @return this builder

         */
        public Builder disk(DiskSpec disk) {
            disks.add(Objects.requireNonNull(disk, "disk"));
            return this;
        }

        /**

         * @param nic a NIC, added after those already given

         * @return this builder

         */
        public Builder nic(NicSpec nic) {
            nics.add(Objects.requireNonNull(nic, "nic"));
            return this;
        }

        /**
         * @param values the NICs, replacing those already given
         * @return this builder
         */
        public Builder nics(List<NicSpec> values) {
            nics.clear();
            values.forEach(this::nic);
            return this;
        }

        /**
         * @param values the disks, replacing those already given; the first is the boot disk
         * @return this builder
         */
        public Builder disks(List<DiskSpec> values) {
            disks.clear();
            values.forEach(this::disk);
            return this;
        }

        /**

         * @param value where the VM goes

         * @return this builder

         */
        public Builder placement(Placement value) {
            this.placement = Objects.requireNonNull(value, "placement");
            return this;
        }

        /**

         * @param value what to set inside the guest

         * @return this builder

         */
        public Builder guest(GuestCustomization value) {
            this.guest = Objects.requireNonNull(value, "guest");
            return this;
        }

        /**

         * @param key a metadata key

         * @param value its value (empty for a tag)

         * @return this builder

         */
        public Builder metadata(String key, String value) {
            metadata.put(key, value == null ? "" : value);
            return this;
        }

        /**

         * @param value whether to start the VM once created

         * @return this builder

         */
        public Builder powerOn(boolean value) {
            this.powerOn = value;
            return this;
        }

        /**

         * @param value whether to wait for a guest IP before completing

         * @return this builder

         */
        public Builder waitForIp(boolean value) {
            this.waitForIp = value;
            return this;
        }

        /**

         * @param options typed options of one provider, replacing earlier ones of that provider

         * @return this builder

         */
        public Builder providerOptions(ProviderOptions options) {
            Objects.requireNonNull(options, "providerOptions");
            providerOptions.put(options.providerType(), options);
            return this;
        }

        /**
         * Checks every portable rule and builds the spec.
         *
         * @return the spec
         * @throws InvalidSpecException naming the first field that breaks a rule, and the rule
         */
        public VmProvisionSpec build() {
            validateName(name);
            if (templateName == null && templateId == null) {
                throw new InvalidSpecException("template", "is required: set template(name) or templateId(id)");
            }
            if (templateName != null && templateName.isBlank()) {
                throw new InvalidSpecException("template", "must not be blank");
            }
            if (templateId != null && templateId.isBlank()) {
                throw new InvalidSpecException("templateId", "must not be blank");
            }
            Text.noControlCharacters(templateName, "template");
            Text.noControlCharacters(templateId, "templateId");
            if (cpuCount != null && (cpuCount < 1 || cpuCount > 768)) {
                throw new InvalidSpecException("cpuCount", "must be between 1 and 768, was " + cpuCount);
            }
            if (memoryMiB != null && (memoryMiB < 16 || memoryMiB > 24L * 1024 * 1024)) {
                throw new InvalidSpecException("memoryMiB", "must be between 16 and 25165824 MiB, was " + memoryMiB);
            }
            for (int i = 0; i < disks.size(); i++) {
                disks.get(i).validate("disks[" + i + "]");
            }
            for (int i = 0; i < nics.size(); i++) {
                nics.get(i).validate("nics[" + i + "]");
            }
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                String key = m.getKey();
                if (key == null || key.isBlank() || key.length() > 128) {
                    throw new InvalidSpecException("metadata", "keys must be 1 to 128 characters, was '" + key + "'");
                }
                Text.noControlCharacters(key, "metadata");
                Text.noControlCharacters(m.getValue(), "metadata." + key);
                if (m.getValue() != null && m.getValue().length() > 1024) {
                    throw new InvalidSpecException("metadata." + key, "values must be at most 1024 characters");
                }
            }
            if (waitForIp && !powerOn) {
                throw new InvalidSpecException("waitForIp", "needs powerOn(true): a stopped VM reports no IP");
            }
            return new VmProvisionSpec(this);
        }

        private static void validateName(String name) {
            if (name == null || name.isBlank()) {
                throw new InvalidSpecException("name", "must not be empty");
            }
            if (name.length() > MAX_NAME_LENGTH) {
                throw new InvalidSpecException("name", "must be at most " + MAX_NAME_LENGTH + " characters, was " + name.length());
            }
            if (!name.equals(name.strip())) {
                throw new InvalidSpecException("name", "must not start or end with white space");
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (Character.isISOControl(c) || FORBIDDEN_NAME_CHARS.indexOf(c) >= 0) {
                    throw new InvalidSpecException("name", "must not contain control characters nor any of "
                            + FORBIDDEN_NAME_CHARS + " (found '" + (Character.isISOControl(c) ? "\\u" + Integer.toHexString(c) : c)
                            + "' at index " + i + ")");
                }
            }
        }
    }
}
