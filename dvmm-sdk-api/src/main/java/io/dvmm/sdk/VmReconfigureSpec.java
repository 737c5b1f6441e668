package io.dvmm.sdk;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A change of CPU and memory. A running VM may need hot-add support; otherwise the provider
 * fails with {@link ConflictException} and the VM is unchanged.
 */
public final class VmReconfigureSpec {
    private final Integer cpuCount;
    private final Long memoryMiB;

    private VmReconfigureSpec(Integer cpuCount, Long memoryMiB) {
        this.cpuCount = cpuCount;
        this.memoryMiB = memoryMiB;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the new CPU count, if it changes */
    public OptionalInt cpuCount() {
        return cpuCount == null ? OptionalInt.empty() : OptionalInt.of(cpuCount);
    }

    /** @return the new memory in MiB, if it changes */
    public OptionalLong memoryMiB() {
        return memoryMiB == null ? OptionalLong.empty() : OptionalLong.of(memoryMiB);
    }

    @Override
    public String toString() {
        return "VmReconfigureSpec[cpu=" + cpuCount + ", memoryMiB=" + memoryMiB + "]";
    }

    /** Builds a {@link VmReconfigureSpec}. Not thread-safe. */
    public static final class Builder {
        private Integer cpuCount;
        private Long memoryMiB;

        private Builder() {
        }

        /**

         * @param value the new CPU count

         * @return this builder

         */
        public Builder cpuCount(int value) {
            this.cpuCount = value;
            return this;
        }

        /**

         * @param value the new memory in MiB

         * @return this builder

         */
        public Builder memoryMiB(long value) {
            this.memoryMiB = value;
            return this;
        }

        /**
         * @return the spec
         * @throws InvalidSpecException when nothing changes or a value breaks a rule
         */
        public VmReconfigureSpec build() {
            if (cpuCount == null && memoryMiB == null) {
                throw new InvalidSpecException("cpuCount", "set cpuCount or memoryMiB: nothing to change");
            }
            if (cpuCount != null && (cpuCount < 1 || cpuCount > 768)) {
                throw new InvalidSpecException("cpuCount", "must be between 1 and 768, was " + cpuCount);
            }
            if (memoryMiB != null && (memoryMiB < 16 || memoryMiB > 24L * 1024 * 1024)) {
                throw new InvalidSpecException("memoryMiB", "must be between 16 and 25165824 MiB, was " + memoryMiB);
            }
            return new VmReconfigureSpec(cpuCount, memoryMiB);
        }
    }
}
