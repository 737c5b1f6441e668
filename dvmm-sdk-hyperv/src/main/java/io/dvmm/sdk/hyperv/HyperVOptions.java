package io.dvmm.sdk.hyperv;

import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.ProviderOptions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Hyper-V options for {@link io.dvmm.sdk.VmProvisionSpec#providerOptions()}: what has no portable field.
 *
 * <pre>{@code
 * spec.toBuilder().providerOptions(HyperVOptions.builder()
 *         .generation(2)
 *         .secureBootTemplate(HyperVOptions.LINUX_SECURE_BOOT)   // Linux guests on generation 2
 *         .dynamicMemory(512, 4096)
 *         .vlan(0, 42)
 *         .build())
 * }</pre>
 *
 * <p>Templates are VHDX files (a template folder) or VMs marked as templates; neither tells CPU or memory, so a spec
 * without {@code cpuCount} gets {@value #DEFAULT_CPUS} vCPU and one without {@code memoryMiB}
 * {@value #DEFAULT_MEMORY_MIB} MiB.
 */
public final class HyperVOptions implements ProviderOptions {

    /** The provider type these options belong to. */
    public static final String TYPE = HyperVProvider.TYPE;
    /** The secure boot template Linux guests on generation 2 need. */
    public static final String LINUX_SECURE_BOOT = "MicrosoftUEFICertificateAuthority";
    /** vCPUs of a VM whose spec names none. */
    public static final int DEFAULT_CPUS = 1;
    /** Memory of a VM whose spec names none, in MiB. */
    public static final long DEFAULT_MEMORY_MIB = 1024;

    private static final Pattern SECURE_BOOT_TEMPLATE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    private static final Pattern VERSION = Pattern.compile("\\d{1,2}\\.\\d{1,2}");
    private static final HyperVOptions DEFAULTS = builder().build();

    private final int generation;
    private final String secureBootTemplate;
    private final Boolean secureBoot;
    private final Long dynamicMemoryMinMiB;
    private final Long dynamicMemoryMaxMiB;
    private final String configurationVersion;
    private final Map<Integer, Integer> vlans;

    private HyperVOptions(Builder b) {
        this.generation = b.generation;
        this.secureBootTemplate = b.secureBootTemplate;
        this.secureBoot = b.secureBoot;
        this.dynamicMemoryMinMiB = b.dynamicMemoryMinMiB;
        this.dynamicMemoryMaxMiB = b.dynamicMemoryMaxMiB;
        this.configurationVersion = b.configurationVersion;
        this.vlans = Map.copyOf(b.vlans);
    }

    /** @return a builder with the defaults: generation 2, the host's secure boot and configuration defaults, static memory */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults, for a spec without Hyper-V options */
    public static HyperVOptions defaults() {
        return DEFAULTS;
    }

    @Override
    public String providerType() {
        return TYPE;
    }

    /** @return the VM generation: 1 (BIOS) or 2 (UEFI, the default) */
    public int generation() {
        return generation;
    }

    /** @return the secure boot template of a generation 2 VM, such as {@link #LINUX_SECURE_BOOT}, if set */
    public Optional<String> secureBootTemplate() {
        return Optional.ofNullable(secureBootTemplate);
    }

    /** @return {@code false} to turn secure boot off (generation 2); empty keeps the host's default (on) */
    public Optional<Boolean> secureBoot() {
        return Optional.ofNullable(secureBoot);
    }

    /** @return whether memory is dynamic, between {@link #dynamicMemoryMinMiB()} and {@link #dynamicMemoryMaxMiB()} */
    public boolean dynamicMemory() {
        return dynamicMemoryMinMiB != null;
    }

    /** @return the dynamic memory minimum in MiB, when memory is dynamic */
    public OptionalLong dynamicMemoryMinMiB() {
        return dynamicMemoryMinMiB == null ? OptionalLong.empty() : OptionalLong.of(dynamicMemoryMinMiB);
    }

    /** @return the dynamic memory maximum in MiB, when memory is dynamic */
    public OptionalLong dynamicMemoryMaxMiB() {
        return dynamicMemoryMaxMiB == null ? OptionalLong.empty() : OptionalLong.of(dynamicMemoryMaxMiB);
    }

    /** @return the VM configuration version (such as {@code 9.0}) for hosts that must run it elsewhere; empty: the host's default */
    public Optional<String> configurationVersion() {
        return Optional.ofNullable(configurationVersion);
    }

    /**
     * @param nicIndex the index of a NIC in the spec's {@code nics}
     * @return the access VLAN of that NIC, if one is set
     */
    public OptionalInt vlan(int nicIndex) {
        Integer v = vlans.get(nicIndex);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /** @return the access VLANs by NIC index */
    public Map<Integer, Integer> vlans() {
        return vlans;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HyperVOptions h && generation == h.generation && Objects.equals(secureBootTemplate, h.secureBootTemplate)
                && Objects.equals(secureBoot, h.secureBoot) && Objects.equals(dynamicMemoryMinMiB, h.dynamicMemoryMinMiB)
                && Objects.equals(dynamicMemoryMaxMiB, h.dynamicMemoryMaxMiB)
                && Objects.equals(configurationVersion, h.configurationVersion) && vlans.equals(h.vlans);
    }

    @Override
    public int hashCode() {
        return Objects.hash(generation, secureBootTemplate, secureBoot, dynamicMemoryMinMiB, configurationVersion, vlans);
    }

    @Override
    public String toString() {
        return "HyperVOptions[generation=" + generation + ", secureBootTemplate=" + secureBootTemplate + ", secureBoot="
                + secureBoot + ", dynamicMemory=" + (dynamicMemory() ? dynamicMemoryMinMiB + ".." + dynamicMemoryMaxMiB + " MiB" : "off")
                + ", configurationVersion=" + configurationVersion + ", vlans=" + new TreeMap<>(vlans) + "]";
    }

    /** Builds {@link HyperVOptions}; validated in {@link #build()}. */
    public static final class Builder {
        private int generation = 2;
        private String secureBootTemplate;
        private Boolean secureBoot;
        private Long dynamicMemoryMinMiB;
        private Long dynamicMemoryMaxMiB;
        private String configurationVersion;
        private final Map<Integer, Integer> vlans = new TreeMap<>();

        private Builder() {
        }

        /**
         * @param value 1 (BIOS) or 2 (UEFI)
         * @return this builder
         */
        public Builder generation(int value) {
            this.generation = value;
            return this;
        }

        /**
         * @param value a secure boot template name, such as {@link #LINUX_SECURE_BOOT} or {@code MicrosoftWindows}
         * @return this builder
         */
        public Builder secureBootTemplate(String value) {
            this.secureBootTemplate = value;
            return this;
        }

        /**
         * @param value {@code false} turns secure boot off
         * @return this builder
         */
        public Builder secureBoot(boolean value) {
            this.secureBoot = value;
            return this;
        }

        /**
         * Makes memory dynamic; the spec's {@code memoryMiB} is the startup memory and must lie between the two.
         *
         * @param minMiB the minimum, in MiB
         * @param maxMiB the maximum, in MiB
         * @return this builder
         */
        public Builder dynamicMemory(long minMiB, long maxMiB) {
            this.dynamicMemoryMinMiB = minMiB;
            this.dynamicMemoryMaxMiB = maxMiB;
            return this;
        }

        /**
         * @param value a VM configuration version such as {@code 9.0}
         * @return this builder
         */
        public Builder configurationVersion(String value) {
            this.configurationVersion = value;
            return this;
        }

        /**
         * @param nicIndex the index of a NIC in the spec's {@code nics}
         * @param vlanId the access VLAN, 1 to 4094 (0 means untagged)
         * @return this builder
         */
        public Builder vlan(int nicIndex, int vlanId) {
            vlans.put(nicIndex, vlanId);
            return this;
        }

        /**
         * @return the options
         * @throws InvalidSpecException naming the field that breaks a rule
         */
        public HyperVOptions build() {
            String f = "providerOptions.hyperv.";
            if (generation != 1 && generation != 2) {
                throw new InvalidSpecException(f + "generation", "must be 1 or 2, was " + generation);
            }
            if (secureBootTemplate != null && !SECURE_BOOT_TEMPLATE.matcher(secureBootTemplate).matches()) {
                throw new InvalidSpecException(f + "secureBootTemplate", "must be a template name such as " + LINUX_SECURE_BOOT);
            }
            if (generation == 1 && (secureBootTemplate != null || secureBoot != null)) {
                throw new InvalidSpecException(f + "secureBoot", "needs generation 2: generation 1 VMs have no UEFI");
            }
            if (dynamicMemoryMinMiB != null) {
                if (dynamicMemoryMinMiB < 32 || dynamicMemoryMaxMiB < dynamicMemoryMinMiB || dynamicMemoryMaxMiB > 24L * 1024 * 1024) {
                    throw new InvalidSpecException(f + "dynamicMemory", "needs 32 <= min <= max <= 25165824 MiB");
                }
                if (dynamicMemoryMinMiB % 2 != 0 || dynamicMemoryMaxMiB % 2 != 0) {
                    throw new InvalidSpecException(f + "dynamicMemory", "min and max must be multiples of 2 MiB");
                }
            }
            if (configurationVersion != null && !VERSION.matcher(configurationVersion).matches()) {
                throw new InvalidSpecException(f + "configurationVersion", "must look like 9.0, was '" + configurationVersion + "'");
            }
            for (Map.Entry<Integer, Integer> v : vlans.entrySet()) {
                if (v.getKey() < 0 || v.getValue() < 0 || v.getValue() > 4094) {
                    throw new InvalidSpecException(f + "vlans[" + v.getKey() + "]", "must be a NIC index and a VLAN id 0 to 4094");
                }
            }
            return new HyperVOptions(this);
        }
    }
}
