package io.dvmm.sdk.simulator.powervm.internal;

import java.util.HashMap;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * The access hints ({@code kb}) and flags ({@code kxe}) the HMC puts on each element, learned
 * from the captures, so that elements the simulator creates carry them like the real ones do.
 */
public final class AttributeHints {

    private final Map<String, String[]> byName;

    private AttributeHints(Map<String, String[]> byName) {
        this.byName = byName;
    }

    public static AttributeHints none() {
        return new AttributeHints(Map.of());
    }

    public static AttributeHints learn(Iterable<Element> roots) {
        Map<String, String[]> out = new HashMap<>();
        for (Element r : roots) {
            walk(r, out);
        }
        return new AttributeHints(Map.copyOf(out));
    }

    private static void walk(Element e, Map<String, String[]> out) {
        if (e.hasAttribute("kb") && !out.containsKey(Xml.name(e))) {
            out.put(Xml.name(e), new String[] {e.getAttribute("kb"), e.getAttribute("kxe")});
        }
        for (Element c : Xml.children(e)) {
            walk(c, out);
        }
    }

    /** The {@code kb} value seen for an element name, e.g. {@code "ROR"}; null when unknown. */
    public String accessHint(String name) {
        String[] h = byName.get(name);
        return h == null ? null : h[0];
    }

    /** Adds {@code kb}/{@code kxe} to an element (not its children) when it has none and the name is known. */
    public void decorate(Element e) {
        String[] h = byName.get(Xml.name(e));
        if (h != null && !e.hasAttribute("kb")) {
            e.setAttribute("kb", h[0]);
            if (!h[1].isEmpty()) {
                e.setAttribute("kxe", h[1]);
            }
        }
    }
}
