package io.dvmm.sdk.powervm;

import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.ProviderOptions;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * PowerVM options for {@link io.dvmm.sdk.VmProvisionSpec#providerOptions()}: what has no portable
 * field. Unset values come from the reference LPAR (the template): its processor mode, sharing
 * mode, uncapped weight, pool and processing units per virtual processor.
 *
 * <pre>{@code
 * spec.toBuilder().providerOptions(PowerVmOptions.builder()
 *         .processorMode(PowerVmOptions.ProcessorMode.SHARED).processingUnitsPerVirtualProcessor(new BigDecimal("0.25"))
 *         .build())
 * }</pre>
 *
 * <p>{@link io.dvmm.sdk.CloneMode#FULL}: the HMC has no API that copies a logical volume or a
 * physical volume, so a full clone is refused unless {@link Builder#emptyBootDisk(boolean)} asks
 * for what PowerVM can do instead: a new, empty boot disk of the spec's first disk size (else the
 * template disk's size) in the placement's datastore (a volume group or a shared storage pool),
 * for a network install (boot it with {@link BootMode#SMS}). The option concerns full clones only;
 * a linked clone of an SSP logical unit ignores it.
 */
public final class PowerVmOptions implements ProviderOptions {

    /** The provider type these options belong to. */
    public static final String TYPE = "powervm";

    /** How the LPAR gets its processors. */
    public enum ProcessorMode {
        /** Virtual processors backed by processing units of a shared processor pool. */
        SHARED,
        /** Whole physical processors. */
        DEDICATED
    }

    /** Whether a shared-processor LPAR may use more than its entitlement. */
    public enum SharingMode {
        /** Never more than its processing units. */
        CAPPED,
        /** Idle capacity of the pool, by uncapped weight. */
        UNCAPPED
    }

    /** How the PowerOn job boots the LPAR. */
    public enum BootMode {
        /** A normal boot ({@code norm}). */
        NORMAL("norm"),
        /** Into the System Management Services menu ({@code sms}), for a network install. */
        SMS("sms");

        private final String jobValue;

        BootMode(String jobValue) {
            this.jobValue = jobValue;
        }

        /** @return the PowerOn job's {@code bootmode} value */
        public String jobValue() {
            return jobValue;
        }
    }

    private final ProcessorMode processorMode;
    private final SharingMode sharingMode;
    private final Integer uncappedWeight;
    private final Integer sharedProcessorPoolId;
    private final BigDecimal unitsPerVirtualProcessor;
    private final boolean emptyBootDisk;
    private final BootMode bootMode;

    private PowerVmOptions(Builder b) {
        this.processorMode = b.processorMode;
        this.sharingMode = b.sharingMode;
        this.uncappedWeight = b.uncappedWeight;
        this.sharedProcessorPoolId = b.sharedProcessorPoolId;
        this.unitsPerVirtualProcessor = b.unitsPerVirtualProcessor;
        this.emptyBootDisk = b.emptyBootDisk;
        this.bootMode = b.bootMode;
    }

    /** @return a builder with every value taken from the template */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.processorMode = processorMode;
        b.sharingMode = sharingMode;
        b.uncappedWeight = uncappedWeight;
        b.sharedProcessorPoolId = sharedProcessorPoolId;
        b.unitsPerVirtualProcessor = unitsPerVirtualProcessor;
        b.emptyBootDisk = emptyBootDisk;
        b.bootMode = bootMode;
        return b;
    }

    @Override
    public String providerType() {
        return TYPE;
    }

    /** @return shared or dedicated processors, if the template's mode is not kept */
    public Optional<ProcessorMode> processorMode() {
        return Optional.ofNullable(processorMode);
    }

    /** @return capped or uncapped (shared processors), if the template's mode is not kept */
    public Optional<SharingMode> sharingMode() {
        return Optional.ofNullable(sharingMode);
    }

    /** @return the uncapped weight, 0 to 255, if the template's is not kept */
    public OptionalInt uncappedWeight() {
        return uncappedWeight == null ? OptionalInt.empty() : OptionalInt.of(uncappedWeight);
    }

    /** @return the shared processor pool's ID, if the template's is not kept */
    public OptionalInt sharedProcessorPoolId() {
        return sharedProcessorPoolId == null ? OptionalInt.empty() : OptionalInt.of(sharedProcessorPoolId);
    }

    /** @return processing units per virtual processor (0.05 to 1.0), if the template's ratio is not kept */
    public Optional<BigDecimal> processingUnitsPerVirtualProcessor() {
        return Optional.ofNullable(unitsPerVirtualProcessor);
    }

    /** @return whether {@code CloneMode.FULL} makes a new, empty boot disk for a network install */
    public boolean emptyBootDisk() {
        return emptyBootDisk;
    }

    /** @return how the PowerOn job boots the LPAR; {@link BootMode#NORMAL} by default */
    public BootMode bootMode() {
        return bootMode;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PowerVmOptions p && processorMode == p.processorMode && sharingMode == p.sharingMode
                && Objects.equals(uncappedWeight, p.uncappedWeight) && Objects.equals(sharedProcessorPoolId, p.sharedProcessorPoolId)
                && Objects.equals(unitsPerVirtualProcessor, p.unitsPerVirtualProcessor) && emptyBootDisk == p.emptyBootDisk
                && bootMode == p.bootMode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(processorMode, sharingMode, uncappedWeight, sharedProcessorPoolId, unitsPerVirtualProcessor,
                emptyBootDisk, bootMode);
    }

    @Override
    public String toString() {
        return "PowerVmOptions[processorMode=" + processorMode + ", sharingMode=" + sharingMode + ", uncappedWeight="
                + uncappedWeight + ", pool=" + sharedProcessorPoolId + ", unitsPerVirtualProcessor=" + unitsPerVirtualProcessor
                + ", emptyBootDisk=" + emptyBootDisk + ", bootMode=" + bootMode + "]";
    }

    /** Builds {@link PowerVmOptions}; validated in {@link #build()}. */
    public static final class Builder {
        private ProcessorMode processorMode;
        private SharingMode sharingMode;
        private Integer uncappedWeight;
        private Integer sharedProcessorPoolId;
        private BigDecimal unitsPerVirtualProcessor;
        private boolean emptyBootDisk;
        private BootMode bootMode = BootMode.NORMAL;

        private Builder() {
        }

        /**
         * @param value shared or dedicated processors
         * @return this builder
         */
        public Builder processorMode(ProcessorMode value) {
            this.processorMode = value;
            return this;
        }

        /**
         * @param value capped or uncapped (shared processors)
         * @return this builder
         */
        public Builder sharingMode(SharingMode value) {
            this.sharingMode = value;
            return this;
        }

        /**
         * @param value the uncapped weight, 0 to 255
         * @return this builder
         */
        public Builder uncappedWeight(int value) {
            this.uncappedWeight = value;
            return this;
        }

        /**
         * @param value the shared processor pool's ID (0 is the default pool)
         * @return this builder
         */
        public Builder sharedProcessorPoolId(int value) {
            this.sharedProcessorPoolId = value;
            return this;
        }

        /**
         * @param value processing units per virtual processor, 0.05 to 1.0 (the LPAR's entitlement is
         *              this times its CPUs, rounded to two decimals)
         * @return this builder
         */
        public Builder processingUnitsPerVirtualProcessor(BigDecimal value) {
            this.unitsPerVirtualProcessor = value;
            return this;
        }

        /**
         * @param value whether {@code CloneMode.FULL} makes a new, empty boot disk (network install)
         * @return this builder
         */
        public Builder emptyBootDisk(boolean value) {
            this.emptyBootDisk = value;
            return this;
        }

        /**
         * @param value how the PowerOn job boots the LPAR
         * @return this builder
         */
        public Builder bootMode(BootMode value) {
            this.bootMode = Objects.requireNonNull(value, "bootMode");
            return this;
        }

        /**
         * @return the options
         * @throws InvalidSpecException naming the field that breaks a rule
         */
        public PowerVmOptions build() {
            if (uncappedWeight != null && (uncappedWeight < 0 || uncappedWeight > 255)) {
                throw new InvalidSpecException("providerOptions.powervm.uncappedWeight", "must be between 0 and 255");
            }
            if (sharedProcessorPoolId != null && (sharedProcessorPoolId < 0 || sharedProcessorPoolId > 63)) {
                throw new InvalidSpecException("providerOptions.powervm.sharedProcessorPoolId", "must be between 0 and 63");
            }
            if (unitsPerVirtualProcessor != null && (unitsPerVirtualProcessor.compareTo(new BigDecimal("0.05")) < 0
                    || unitsPerVirtualProcessor.compareTo(BigDecimal.ONE) > 0)) {
                throw new InvalidSpecException("providerOptions.powervm.processingUnitsPerVirtualProcessor",
                        "must be between 0.05 and 1.0");
            }
            if (processorMode == ProcessorMode.DEDICATED && (sharingMode != null || uncappedWeight != null
                    || sharedProcessorPoolId != null || unitsPerVirtualProcessor != null)) {
                throw new InvalidSpecException("providerOptions.powervm.processorMode",
                        "dedicated processors take no sharing mode, weight, pool or processing units");
            }
            if (sharingMode == SharingMode.CAPPED && uncappedWeight != null) {
                throw new InvalidSpecException("providerOptions.powervm.uncappedWeight", "applies to uncapped LPARs only");
            }
            return new PowerVmOptions(this);
        }
    }
}
