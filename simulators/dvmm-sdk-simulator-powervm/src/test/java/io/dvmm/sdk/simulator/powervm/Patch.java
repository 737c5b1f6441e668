package io.dvmm.sdk.simulator.powervm;

import org.w3c.dom.Element;

/** Raw-XML patching as a provider must do it: change the document the HMC served, element by element. */
final class Patch {

    private Patch() {
    }

    /** Appends {@code <name>text</name>} (or an empty element) in the parent's namespace. */
    static Element add(Element parent, String name, String text) {
        Element e = parent.getOwnerDocument().createElementNS(parent.getNamespaceURI(), name);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }

    static Element link(Element parent, String name, String href) {
        Element e = add(parent, name, null);
        e.setAttribute("href", href);
        e.setAttribute("rel", "related");
        return e;
    }

    static Element metadata(Element parent) {
        Element md = add(parent, "Metadata", null);
        add(md, "Atom", null);
        return md;
    }

    /** A VSCSI mapping asking the HMC for the slots, in the order the captures show. */
    static Element mapping(Element mappings, String lparHref, String storageType, String nameElement, String name,
            String udid) {
        Element m = add(mappings, "VirtualSCSIMapping", null);
        m.setAttribute("schemaVersion", "V1_0");
        metadata(m);
        link(m, "AssociatedLogicalPartition", lparHref);
        for (String side : new String[] {"Client", "Server"}) {
            Element a = add(m, side + "Adapter", null);
            a.setAttribute("schemaVersion", "V1_0");
            metadata(a);
            add(a, "AdapterType", side);
            add(a, "UseNextAvailableSlotID", "true");
        }
        Element storage = add(m, "Storage", null);
        Element device = add(storage, storageType, null);
        device.setAttribute("schemaVersion", "V1_0");
        metadata(device);
        if (udid != null && storageType.equals("LogicalUnit")) {
            add(device, "UniqueDeviceID", udid);
        }
        add(device, nameElement, name);
        return m;
    }
}
