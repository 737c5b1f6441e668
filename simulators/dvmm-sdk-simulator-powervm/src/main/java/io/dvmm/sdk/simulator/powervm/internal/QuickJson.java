package io.dvmm.sdk.simulator.powervm.internal;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the HMC's {@code quick} URIs: flat objects with the partition or system
 * properties a client lists by (state, RMC state and IP, memory, processors), keyed as the HMC
 * keys them ({@code PartitionName}, {@code PartitionState}, {@code RMCState}, {@code UUID}, ...).
 */
final class QuickJson {

    private QuickJson() {
    }

    static Map<String, Object> partition(Hmc hmc, UomObject o) {
        Partition p = hmc.partitions.view(o);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PartitionName", p.name());
        m.put("PartitionID", p.id());
        m.put("UUID", o.uuid());
        m.put("PartitionType", p.type());
        m.put("PartitionState", p.state());
        m.put("RMCState", p.rmcState());
        m.put("ResourceMonitoringIPAddress", p.ip());
        m.put("HasDedicatedProcessors", Boolean.toString(p.dedicated()));
        m.put("SharingMode", p.sharingMode());
        boolean on = p.activated();
        m.put("CurrentMemory", on ? p.desiredMemory() : 0);
        m.put("CurrentProcessors", on && p.dedicated() ? p.desiredProcessors() : null);
        m.put("CurrentProcessingUnits", on && !p.dedicated() ? p.desiredProcessorUnits() : null);
        m.put("AllocatedVirtualProcessors", on && !p.dedicated() ? p.desiredProcessors() : null);
        m.put("OperatingSystemVersion", o.text("OperatingSystemVersion") == null ? "Unknown"
                : o.text("OperatingSystemVersion"));
        m.put("ReferenceCode", o.text("ReferenceCode") == null ? "" : o.text("ReferenceCode"));
        m.put("AssociatedManagedSystem", hmc.baseUrl() + HmcModel.UOM + "ManagedSystem/" + o.parentUuid());
        return m;
    }

    static Map<String, Object> system(Hmc hmc, UomObject o) {
        SystemView s = new SystemView(o, hmc.editor);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("SystemName", s.name());
        m.put("UUID", o.uuid());
        m.put("State", o.text("State"));
        m.put("MemoryRegionSize", s.memoryRegionSize());
        m.put("CurrentAvailableSystemMemory", s.availableMemory());
        m.put("CurrentAvailableSystemProcessorUnits", s.availableProcessorUnits());
        m.put("InstalledSystemMemory", Partition.longOf(o.text("AssociatedSystemMemoryConfiguration/InstalledSystemMemory")));
        m.put("MachineType", o.text("MachineTypeModelAndSerialNumber/MachineType"));
        m.put("Model", o.text("MachineTypeModelAndSerialNumber/Model"));
        m.put("SerialNumber", o.text("MachineTypeModelAndSerialNumber/SerialNumber"));
        return m;
    }

    static String array(List<Map<String, Object>> objects) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < objects.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            object(b, objects.get(i));
        }
        return b.append(']').toString();
    }

    static String object(Map<String, Object> o) {
        StringBuilder b = new StringBuilder();
        object(b, o);
        return b.toString();
    }

    private static void object(StringBuilder b, Map<String, Object> o) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : o.entrySet()) {
            if (!first) {
                b.append(", ");
            }
            first = false;
            string(b, e.getKey());
            b.append(": ");
            value(b, e.getValue());
        }
        b.append('}');
    }

    static String value(Object v) {
        StringBuilder b = new StringBuilder();
        value(b, v);
        return b.toString();
    }

    private static void value(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Double d) {
            b.append(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else {
            string(b, v.toString());
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
