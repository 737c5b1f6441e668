package io.dvmm.sdk.simulator.powervm.internal;

import java.util.Set;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * What the HMC checks in a partition body before it creates or changes an LPAR: the name,
 * the partition type, memory in whole logical memory blocks with minimum ≤ desired ≤ maximum,
 * consistent processor-mode fields, an existing shared processor pool, and enough free
 * capacity on the managed system. Failures are 400 {@code HttpErrorResponse}s.
 */
final class PartitionRules {

    static final Set<String> TYPES = Set.of("AIX/Linux", "OS400", "Virtual IO Server");
    static final Set<String> SHARED_MODES = Set.of("capped", "uncapped");
    static final Set<String> DEDICATED_MODES = Set.of("sre idle proces", "keep idle procs", "sre idle procs active",
            "sre idle procs always");
    private static final Pattern NAME = Pattern.compile("[- !#%+,./0-9:;=@A-Z^_a-z{}]{1,31}");
    private static final double MIN_UNITS_PER_VP = 0.05;

    private PartitionRules() {
    }

    /**
     * Validates a create or update body against a managed system. Free capacity is checked when
     * {@code capacity} is set (a create, or a change of a running partition, which already holds
     * {@code heldMemory} and {@code heldUnits}); a profile change of a stopped partition needs none.
     */
    static void validate(Element body, SystemView system, HmcModel model, boolean capacity, long heldMemory,
            double heldUnits) {
        String name = Xml.text(body, "PartitionName");
        if (name == null || !NAME.matcher(name).matches()) {
            throw HmcError.badRequest("The partition name '" + name + "' is not valid: 1 to 31 characters of "
                    + "letters, digits, blanks and - ! # % + , . / : ; = @ ^ _ { }.");
        }
        String type = Xml.text(body, "PartitionType");
        if (type != null && !TYPES.contains(type)) {
            throw HmcError.badRequest("The partition type '" + type + "' is not valid; use one of " + TYPES + ".");
        }
        memory(body, system, capacity, heldMemory);
        processors(body, system, model, capacity, heldUnits);
    }

    private static void memory(Element body, SystemView system, boolean capacity, long held) {
        long lmb = system.memoryRegionSize();
        long min = required(body, "PartitionMemoryConfiguration/MinimumMemory");
        long desired = required(body, "PartitionMemoryConfiguration/DesiredMemory");
        long max = required(body, "PartitionMemoryConfiguration/MaximumMemory");
        for (long v : new long[] {min, desired, max}) {
            if (lmb > 0 && v % lmb != 0) {
                throw HmcError.badRequest("The memory amount " + v + " MB is not a multiple of the logical memory "
                        + "block size of the managed system (" + lmb + " MB).");
            }
        }
        if (min < Math.max(lmb, 128)) {
            throw HmcError.badRequest("The minimum memory " + min + " MB is below the smallest allowed amount ("
                    + Math.max(lmb, 128) + " MB).");
        }
        if (!(min <= desired && desired <= max)) {
            throw HmcError.badRequest("The memory values must satisfy minimum <= desired <= maximum (minimum " + min
                    + " MB, desired " + desired + " MB, maximum " + max + " MB).");
        }
        if (capacity && desired > system.availableMemory() + held) {
            throw HmcError.badRequest("There is not enough memory available on the managed system: " + desired
                    + " MB requested, " + (system.availableMemory() + held) + " MB available.");
        }
    }

    private static void processors(Element body, SystemView system, HmcModel model, boolean capacity, double held) {
        String p = "PartitionProcessorConfiguration/";
        String dedicated = Xml.text(body, p + "HasDedicatedProcessors");
        String mode = Xml.text(body, p + "SharingMode");
        if (!"true".equals(dedicated) && !"false".equals(dedicated)) {
            throw HmcError.badRequest("HasDedicatedProcessors must be true or false.");
        }
        boolean hasDed = Xml.path(body, p + "DedicatedProcessorConfiguration").isPresent();
        boolean hasShared = Xml.path(body, p + "SharedProcessorConfiguration").isPresent();
        double desiredUnits;
        if ("true".equals(dedicated)) {
            if (!hasDed || hasShared) {
                throw HmcError.badRequest("A partition with dedicated processors needs DedicatedProcessorConfiguration "
                        + "and no SharedProcessorConfiguration.");
            }
            if (mode != null && !DEDICATED_MODES.contains(mode)) {
                throw HmcError.badRequest("The sharing mode '" + mode + "' is not valid for dedicated processors; use one of "
                        + DEDICATED_MODES + ".");
            }
            String d = p + "DedicatedProcessorConfiguration/";
            long min = required(body, d + "MinimumProcessors");
            long des = required(body, d + "DesiredProcessors");
            long max = required(body, d + "MaximumProcessors");
            ordered("processors", min, des, max);
            if (min < 1) {
                throw HmcError.badRequest("A partition needs at least one dedicated processor.");
            }
            desiredUnits = des;
        } else {
            if (!hasShared || hasDed) {
                throw HmcError.badRequest("A partition with shared processors needs SharedProcessorConfiguration "
                        + "and no DedicatedProcessorConfiguration.");
            }
            if (mode == null || !SHARED_MODES.contains(mode)) {
                throw HmcError.badRequest("The sharing mode '" + mode + "' is not valid for shared processors; use capped "
                        + "or uncapped.");
            }
            String s = p + "SharedProcessorConfiguration/";
            double minU = requiredDecimal(body, s + "MinimumProcessingUnits");
            double desU = requiredDecimal(body, s + "DesiredProcessingUnits");
            double maxU = requiredDecimal(body, s + "MaximumProcessingUnits");
            long minV = required(body, s + "MinimumVirtualProcessors");
            long desV = required(body, s + "DesiredVirtualProcessors");
            long maxV = required(body, s + "MaximumVirtualProcessors");
            ordered("processing units", minU, desU, maxU);
            ordered("virtual processors", minV, desV, maxV);
            unitsPerVp(minU, minV);
            unitsPerVp(desU, desV);
            unitsPerVp(maxU, maxV);
            String weight = Xml.text(body, s + "UncappedWeight");
            if (weight != null) {
                int w = Partition.intOf(weight, -1);
                if (w < 0 || w > 255) {
                    throw HmcError.badRequest("The uncapped weight must be between 0 and 255, not " + weight + ".");
                }
            }
            String pool = Xml.text(body, s + "SharedProcessorPoolID");
            if (pool != null && !poolExists(model, system, pool)) {
                throw HmcError.badRequest("The shared processor pool with ID " + pool + " does not exist on the managed "
                        + "system.");
            }
            desiredUnits = desU;
        }
        if (capacity && desiredUnits > system.availableProcessorUnits() + held + 1e-9) {
            throw HmcError.badRequest("There are not enough processing units available on the managed system: "
                    + desiredUnits + " requested, " + (system.availableProcessorUnits() + held) + " available.");
        }
    }

    private static boolean poolExists(HmcModel model, SystemView system, String id) {
        if ("0".equals(id)) {
            return true;
        }
        return model.children("SharedProcessorPool", system.object().uuid()).stream()
                .anyMatch(o -> id.equals(o.text("PoolID")));
    }

    private static void unitsPerVp(double units, long vps) {
        if (units < vps * MIN_UNITS_PER_VP - 1e-9 || units > vps + 1e-9) {
            throw HmcError.badRequest("The processing units " + units + " do not fit " + vps + " virtual processors: "
                    + "each virtual processor needs between 0.05 and 1.0 processing units.");
        }
    }

    private static void ordered(String what, double min, double desired, double max) {
        if (!(min <= desired && desired <= max)) {
            throw HmcError.badRequest("The " + what + " must satisfy minimum <= desired <= maximum (" + min + ", "
                    + desired + ", " + max + ").");
        }
    }

    private static long required(Element body, String path) {
        String v = Xml.text(body, path);
        if (v == null || v.isEmpty()) {
            throw HmcError.badRequest("The required element " + path + " is missing.");
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw HmcError.badRequest("The element " + path + " must be a whole number, not '" + v + "'.");
        }
    }

    private static double requiredDecimal(Element body, String path) {
        String v = Xml.text(body, path);
        if (v == null || v.isEmpty()) {
            throw HmcError.badRequest("The required element " + path + " is missing.");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw HmcError.badRequest("The element " + path + " must be a number, not '" + v + "'.");
        }
    }
}
