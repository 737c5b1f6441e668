package io.dvmm.sdk.simulator.powervm.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.w3c.dom.Element;

/**
 * Typed access to a managed system's content: its name, logical memory block size and the
 * memory and processor units still free, which activation takes and shutdown gives back.
 */
public final class SystemView {

    private static final String MEM = "AssociatedSystemMemoryConfiguration/";
    private static final String PROC = "AssociatedSystemProcessorConfiguration/";

    private final UomObject o;
    private final ContentEditor editor;

    public SystemView(UomObject o, ContentEditor editor) {
        this.o = o;
        this.editor = editor;
    }

    public UomObject object() {
        return o;
    }

    public String name() {
        return o.text("SystemName");
    }

    /** The logical memory block size in MB ({@code MemoryRegionSize}). */
    public long memoryRegionSize() {
        return Partition.longOf(o.text(MEM + "MemoryRegionSize"));
    }

    public long availableMemory() {
        return Partition.longOf(o.text(MEM + "CurrentAvailableSystemMemory"));
    }

    public double availableProcessorUnits() {
        return Partition.doubleOf(o.text(PROC + "CurrentAvailableSystemProcessorUnits"));
    }

    public void availableMemory(long mb) {
        editor.set(o.content(), MEM + "CurrentAvailableSystemMemory", Long.toString(mb));
        Xml.path(o.content(), MEM + "PendingAvailableSystemMemory").ifPresent(e -> e.setTextContent(Long.toString(mb)));
    }

    public void availableProcessorUnits(double units) {
        String v = BigDecimal.valueOf(units).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
        editor.set(o.content(), PROC + "CurrentAvailableSystemProcessorUnits", v);
        Xml.path(o.content(), PROC + "PendingAvailableSystemProcessorUnits").ifPresent(e -> e.setTextContent(v));
    }

    /** Replaces a link list such as {@code AssociatedLogicalPartitions} with links to the given paths. */
    public void links(String listName, Iterable<String> hrefs) {
        Element list = editor.ensure(o.content(), listName);
        String indent = "\n        ";
        Xml.removeChildren(list);
        for (String h : hrefs) {
            list.appendChild(list.getOwnerDocument().createTextNode(indent));
            Element link = list.getOwnerDocument().createElementNS(list.getNamespaceURI(), "link");
            link.setAttribute("href", h);
            link.setAttribute("rel", "related");
            list.appendChild(link);
        }
        list.appendChild(list.getOwnerDocument().createTextNode("\n    "));
    }
}
