package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.ResourceExhaustedException;
import io.dvmm.sdk.powervm.PowerVmOptions;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * What an LPAR is made of, in the HMC's terms: memory (desired, minimum, maximum in MB) and
 * processors (dedicated processors, or virtual processors with processing units, sharing mode,
 * uncapped weight and pool), and the few partition settings copied from the reference LPAR. The
 * rules of sizing and checking live here, so that a spec that cannot fit is refused before the
 * create request: memory in whole logical memory blocks and at least 128 MB, each virtual
 * processor between 0.05 and 1.0 processing units, and what the managed system has free.
 *
 * @param name the partition name
 * @param type {@code AIX/Linux}, {@code OS400} or {@code Virtual IO Server}
 * @param availabilityPriority 0 to 255
 * @param maxVirtualIoSlots the virtual I/O slots of the partition
 * @param compatibilityMode the pending processor compatibility mode
 * @param desiredMemory desired memory, MB
 * @param minMemory minimum memory, MB
 * @param maxMemory maximum memory, MB
 * @param dedicated dedicated processors (else shared)
 * @param sharingMode {@code capped}/{@code uncapped} (shared) or a dedicated sharing mode such as {@code sre idle proces}
 * @param desiredCpus dedicated processors or desired virtual processors
 * @param minCpus the minimum of {@code desiredCpus}
 * @param maxCpus the maximum of {@code desiredCpus}
 * @param desiredUnits desired processing units (shared), else null
 * @param minUnits minimum processing units (shared), else null
 * @param maxUnits maximum processing units (shared), else null
 * @param poolId the shared processor pool (shared), else null
 * @param uncappedWeight 0 to 255 (uncapped shared), else null
 */
record LparShape(String name, String type, int availabilityPriority, int maxVirtualIoSlots, String compatibilityMode,
                 long desiredMemory, long minMemory, long maxMemory, boolean dedicated, String sharingMode, int desiredCpus,
                 int minCpus, int maxCpus, BigDecimal desiredUnits, BigDecimal minUnits, BigDecimal maxUnits, Integer poolId,
                 Integer uncappedWeight) {

    /** pypowervm's processing units per virtual processor when nothing says otherwise. */
    static final BigDecimal DEFAULT_UNITS_PER_VP = new BigDecimal("0.5");
    static final BigDecimal MIN_UNITS_PER_VP = new BigDecimal("0.05");
    static final String DEDICATED_DEFAULT_MODE = "sre idle proces";
    static final long MIN_MEMORY_MB = 128;
    private static final int DEFAULT_WEIGHT = 64;

    /**
     * The shape of a new LPAR: the reference LPAR's settings, with the spec's CPUs and memory and
     * the options' processor settings where given.
     *
     * @param template the reference LPAR
     * @param name the new partition's name
     * @param cpus the spec's CPUs, or null to keep the template's
     * @param memory the spec's memory in MiB (MB on the HMC), or null to keep the template's
     * @param o the provider options
     * @return the shape (not yet checked against the managed system)
     */
    static LparShape of(HmcObjects.LogicalPartition template, String name, Integer cpus, Long memory, PowerVmOptions o) {
        HmcObjects.MemoryConfiguration m = template.memory();
        long desiredMem = memory != null ? memory : m != null && m.desired() != null ? m.desired() : 2048;
        long minMem = Math.min(m != null && m.minimum() != null ? m.minimum() : desiredMem, desiredMem);
        long maxMem = Math.max(m != null && m.maximum() != null ? m.maximum() : desiredMem, desiredMem);
        HmcObjects.ProcessorConfiguration p = template.processors();
        boolean templateDedicated = p != null && p.isDedicated();
        boolean dedicated = o.processorMode().map(mode -> mode == PowerVmOptions.ProcessorMode.DEDICATED)
                .orElse(templateDedicated);
        int templateCpus = p == null ? 1 : Math.max(1, p.cpus());
        int desired = cpus != null ? cpus : templateCpus;
        String partitionType = template.type() == null ? "AIX/Linux" : template.type();
        int priority = template.availabilityPriority() == null ? 127 : template.availabilityPriority();
        int slots = template.io() == null || template.io().maximumVirtualIoSlots() == null ? 64
                : template.io().maximumVirtualIoSlots();
        String compat = template.compatibilityMode() == null ? "default" : template.compatibilityMode();
        if (dedicated) {
            HmcObjects.DedicatedProcessors d = templateDedicated ? p.dedicated() : null;
            int min = Math.min(d != null && d.minimum() != null ? d.minimum() : desired, desired);
            int max = Math.max(d != null && d.maximum() != null ? d.maximum() : desired, desired);
            String mode = templateDedicated && p.sharingMode() != null ? p.sharingMode() : DEDICATED_DEFAULT_MODE;
            return new LparShape(name, partitionType, priority, slots, compat, desiredMem, minMem, maxMem, true, mode, desired,
                    min, max, null, null, null, null, null);
        }
        HmcObjects.SharedProcessors s = !templateDedicated && p != null ? p.shared() : null;
        BigDecimal ratio = o.processingUnitsPerVirtualProcessor().orElseGet(() -> s != null && s.desiredUnits() != null
                && s.desiredVirtual() != null && s.desiredVirtual() > 0
                ? s.desiredUnits().divide(BigDecimal.valueOf(s.desiredVirtual()), 2, RoundingMode.HALF_UP) : DEFAULT_UNITS_PER_VP);
        BigDecimal desiredUnits = units(BigDecimal.valueOf(desired).multiply(ratio), desired);
        int minVp = Math.min(s != null && s.minimumVirtual() != null ? s.minimumVirtual() : desired, desired);
        int maxVp = Math.max(s != null && s.maximumVirtual() != null ? s.maximumVirtual() : desired, desired);
        BigDecimal minUnits = units(min(s != null ? s.minimumUnits() : null, desiredUnits), minVp);
        BigDecimal maxUnits = units(max(s != null ? s.maximumUnits() : null, desiredUnits), maxVp);
        String mode = o.sharingMode().map(sm -> sm.name().toLowerCase(java.util.Locale.ROOT))
                .orElse(!templateDedicated && p != null && p.sharingMode() != null ? p.sharingMode() : "uncapped");
        Integer weight = mode.equals("uncapped") ? o.uncappedWeight().isPresent() ? Integer.valueOf(o.uncappedWeight().getAsInt())
                : s != null && s.uncappedWeight() != null ? s.uncappedWeight() : DEFAULT_WEIGHT : null;
        Integer pool = o.sharedProcessorPoolId().isPresent() ? Integer.valueOf(o.sharedProcessorPoolId().getAsInt())
                : s != null && s.poolId() != null ? s.poolId() : 0;
        Objects.requireNonNull(mode);
        return new LparShape(name, partitionType, priority, slots, compat, desiredMem, minMem, maxMem, false, mode, desired,
                minVp, maxVp, desiredUnits, minUnits, maxUnits, pool, weight);
    }

    private static BigDecimal min(BigDecimal a, BigDecimal b) {
        return a == null ? b : a.min(b);
    }

    private static BigDecimal max(BigDecimal a, BigDecimal b) {
        return a == null ? b : a.max(b);
    }

    /** Processing units for {@code vps} virtual processors: two decimals, between 0.05 and 1.0 per virtual processor. */
    static BigDecimal units(BigDecimal wanted, int vps) {
        BigDecimal low = MIN_UNITS_PER_VP.multiply(BigDecimal.valueOf(vps)).setScale(2, RoundingMode.UP);
        BigDecimal high = BigDecimal.valueOf(vps).setScale(2, RoundingMode.DOWN);
        BigDecimal v = wanted.setScale(2, RoundingMode.HALF_UP);
        return v.max(low).min(high);
    }

    /** @return processing units the partition takes from its system when it runs */
    BigDecimal processingUnits() {
        return dedicated ? BigDecimal.valueOf(desiredCpus) : desiredUnits;
    }

    /**
     * Checks the shape against the managed system: memory in whole logical memory blocks, at
     * least 128 MB (and one block), and no more than the system has free.
     *
     * @param lmbMb the logical memory block size (MB), 0 when unknown
     * @param freeMemoryMb the free memory, or a negative number when unknown
     * @param freeUnits the free processing units, or null when unknown
     * @param memoryField the spec field the memory came from, for the error
     * @param cpuField the spec field the CPUs came from
     * @param ctx provider and operation
     */
    void check(long lmbMb, long freeMemoryMb, BigDecimal freeUnits, String memoryField, String cpuField, ErrorContext ctx) {
        long smallest = Math.max(MIN_MEMORY_MB, lmbMb);
        if (desiredMemory < smallest) {
            throw new InvalidSpecException(memoryField, "must be at least " + smallest + " MiB on this managed system (the "
                    + "smallest partition: one logical memory block and at least 128 MiB), was " + desiredMemory, ctx);
        }
        if (lmbMb > 0) {
            for (long v : new long[] {desiredMemory, minMemory, maxMemory}) {
                if (v % lmbMb != 0) {
                    throw new InvalidSpecException(memoryField, "must be a multiple of the managed system's logical memory "
                            + "block size, " + lmbMb + " MiB (was " + v + ")", ctx);
                }
            }
        }
        if (desiredCpus < 1) {
            throw new InvalidSpecException(cpuField, "must be at least 1", ctx);
        }
        if (freeMemoryMb >= 0 && desiredMemory > freeMemoryMb) {
            throw new ResourceExhaustedException("the LPAR needs " + desiredMemory + " MiB of memory; the managed system has "
                    + freeMemoryMb + " MiB free", ctx);
        }
        if (freeUnits != null && processingUnits().compareTo(freeUnits) > 0) {
            throw new ResourceExhaustedException("the LPAR needs " + processingUnits().toPlainString() + " processing units; "
                    + "the managed system has " + freeUnits.stripTrailingZeros().toPlainString() + " free", ctx);
        }
    }

    /**
     * The shape after a change of CPUs or memory. A partition that is not activated takes any
     * values (its minimum and maximum widen to hold them); a running one changes by DLPAR only
     * within them.
     *
     * @param cpus the new CPUs, or null
     * @param memory the new memory (MiB), or null
     * @param running whether the partition runs
     * @param ctx provider and operation
     * @return the new shape
     */
    LparShape reconfigured(Integer cpus, Long memory, boolean running, ErrorContext ctx) {
        long mem = memory != null ? memory : desiredMemory;
        int c = cpus != null ? cpus : desiredCpus;
        if (running) {
            if (mem < minMemory || mem > maxMemory) {
                throw new ConflictException("partition " + name + " runs: its memory can change only between " + minMemory
                        + " and " + maxMemory + " MiB (dynamic LPAR); stop it to set " + mem + " MiB", ctx);
            }
            if (c < minCpus || c > maxCpus) {
                throw new ConflictException("partition " + name + " runs: its processors can change only between " + minCpus
                        + " and " + maxCpus + " (dynamic LPAR); stop it to set " + c, ctx);
            }
        }
        long minM = Math.min(minMemory, mem);
        long maxM = Math.max(maxMemory, mem);
        int minC = Math.min(minCpus, c);
        int maxC = Math.max(maxCpus, c);
        if (dedicated) {
            return new LparShape(name, type, availabilityPriority, maxVirtualIoSlots, compatibilityMode, mem, minM, maxM, true,
                    sharingMode, c, minC, maxC, null, null, null, null, null);
        }
        BigDecimal ratio = desiredCpus > 0 ? desiredUnits.divide(BigDecimal.valueOf(desiredCpus), 2, RoundingMode.HALF_UP)
                : DEFAULT_UNITS_PER_VP;
        BigDecimal du = units(BigDecimal.valueOf(c).multiply(ratio), c);
        if (running && (du.compareTo(minUnits) < 0 || du.compareTo(maxUnits) > 0)) {
            du = du.max(minUnits).min(maxUnits);
            du = units(du, c);
        }
        BigDecimal minU = running ? minUnits : units(minUnits.min(du), minC);
        BigDecimal maxU = running ? maxUnits : units(maxUnits.max(du), maxC);
        return new LparShape(name, type, availabilityPriority, maxVirtualIoSlots, compatibilityMode, mem, minM, maxM, false,
                sharingMode, c, minC, maxC, du, minU, maxU, poolId, uncappedWeight);
    }

    /**
     * @param lpar an LPAR as read
     * @return its shape, the values as the HMC holds them
     */
    static LparShape read(HmcObjects.LogicalPartition lpar) {
        HmcObjects.MemoryConfiguration m = lpar.memory();
        long desired = m == null || m.desired() == null ? 0 : m.desired();
        long min = m == null || m.minimum() == null ? desired : m.minimum();
        long max = m == null || m.maximum() == null ? desired : m.maximum();
        HmcObjects.ProcessorConfiguration p = lpar.processors();
        String type = lpar.type() == null ? "AIX/Linux" : lpar.type();
        int priority = lpar.availabilityPriority() == null ? 127 : lpar.availabilityPriority();
        int slots = lpar.io() == null || lpar.io().maximumVirtualIoSlots() == null ? 64 : lpar.io().maximumVirtualIoSlots();
        String compat = lpar.compatibilityMode() == null ? "default" : lpar.compatibilityMode();
        if (p != null && p.isDedicated()) {
            HmcObjects.DedicatedProcessors d = p.dedicated();
            int c = d == null || d.desired() == null ? 1 : d.desired();
            return new LparShape(lpar.name(), type, priority, slots, compat, desired, min, max, true, p.sharingMode(), c,
                    d == null || d.minimum() == null ? c : d.minimum(), d == null || d.maximum() == null ? c : d.maximum(),
                    null, null, null, null, null);
        }
        HmcObjects.SharedProcessors s = p == null ? null : p.shared();
        int vp = s == null || s.desiredVirtual() == null ? 1 : s.desiredVirtual();
        BigDecimal du = s == null || s.desiredUnits() == null ? DEFAULT_UNITS_PER_VP : s.desiredUnits();
        return new LparShape(lpar.name(), type, priority, slots, compat, desired, min, max, false,
                p == null || p.sharingMode() == null ? "uncapped" : p.sharingMode(), vp,
                s == null || s.minimumVirtual() == null ? vp : s.minimumVirtual(),
                s == null || s.maximumVirtual() == null ? vp : s.maximumVirtual(), du,
                s == null || s.minimumUnits() == null ? du : s.minimumUnits(),
                s == null || s.maximumUnits() == null ? du : s.maximumUnits(),
                s == null ? null : s.poolId(), s == null ? null : s.uncappedWeight());
    }
}
