package io.dvmm.sdk.simulator.powervm.internal;

import org.w3c.dom.Element;

/**
 * Typed access to a partition's content (an LPAR or a VIOS share the base partition schema):
 * names, state, RMC, memory and processor settings, and the system it belongs to.
 */
public final class Partition {

    public static final String NOT_ACTIVATED = "not activated";
    public static final String STARTING = "starting";
    public static final String RUNNING = "running";
    public static final String SHUTTING_DOWN = "shutting down";
    public static final String ERROR = "error";

    private final UomObject o;
    private final ContentEditor editor;

    public Partition(UomObject o, ContentEditor editor) {
        this.o = o;
        this.editor = editor;
    }

    public UomObject object() {
        return o;
    }

    public String uuid() {
        return o.uuid();
    }

    public Element content() {
        return o.content();
    }

    public String name() {
        return o.text("PartitionName");
    }

    public int id() {
        return intOf(o.text("PartitionID"), 0);
    }

    public String type() {
        return o.text("PartitionType");
    }

    public String state() {
        return o.text("PartitionState");
    }

    public void state(String state) {
        editor.set(o.content(), "PartitionState", state);
    }

    public String rmcState() {
        return o.text("ResourceMonitoringControlState");
    }

    public void rmcState(String state) {
        editor.set(o.content(), "ResourceMonitoringControlState", state);
    }

    public String ip() {
        return o.text("ResourceMonitoringIPAddress");
    }

    public void ip(String ip) {
        editor.setOrRemove(o.content(), "ResourceMonitoringIPAddress", ip);
    }

    /** Activated in any way: the HMC refuses PowerOn then (HSCL3681). */
    public boolean activated() {
        String s = state();
        return s != null && !s.equals(NOT_ACTIVATED) && !s.equals(ERROR) && !s.equals("not available");
    }

    public String systemUuid() {
        return o.parentUuid();
    }

    public String profileUuid() {
        return Xml.child(o.content(), "AssociatedPartitionProfile").map(e -> HmcModel.uuidOf(e.getAttribute("href")))
                .orElse(null);
    }

    public long desiredMemory() {
        return longOf(o.text("PartitionMemoryConfiguration/DesiredMemory"));
    }

    public long minimumMemory() {
        return longOf(o.text("PartitionMemoryConfiguration/MinimumMemory"));
    }

    public long maximumMemory() {
        return longOf(o.text("PartitionMemoryConfiguration/MaximumMemory"));
    }

    public boolean dedicated() {
        return "true".equals(o.text("PartitionProcessorConfiguration/HasDedicatedProcessors"));
    }

    /** Processor units the partition takes from the system when it runs. */
    public double desiredProcessorUnits() {
        if (dedicated()) {
            return doubleOf(o.text("PartitionProcessorConfiguration/DedicatedProcessorConfiguration/DesiredProcessors"));
        }
        return doubleOf(o.text("PartitionProcessorConfiguration/SharedProcessorConfiguration/DesiredProcessingUnits"));
    }

    /** Virtual processors (shared) or dedicated processors: what the guest sees as CPUs. */
    public int desiredProcessors() {
        if (dedicated()) {
            return intOf(o.text("PartitionProcessorConfiguration/DedicatedProcessorConfiguration/DesiredProcessors"), 0);
        }
        return intOf(o.text("PartitionProcessorConfiguration/SharedProcessorConfiguration/DesiredVirtualProcessors"), 0);
    }

    public String sharingMode() {
        return o.text("PartitionProcessorConfiguration/SharingMode");
    }

    /** Mirrors the desired values into the {@code Current*} elements, as activation does. */
    public void applyCurrentFromDesired() {
        Element c = o.content();
        Xml.path(c, "PartitionMemoryConfiguration/CurrentMemory").ifPresent(e -> e.setTextContent(
                Long.toString(desiredMemory())));
    }

    static long longOf(String s) {
        if (s == null || s.isBlank()) {
            return 0;
        }
        return (long) Double.parseDouble(s.trim());
    }

    static int intOf(String s, int fallback) {
        if (s == null || s.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static double doubleOf(String s) {
        if (s == null || s.isBlank()) {
            return 0;
        }
        return Double.parseDouble(s.trim());
    }
}
