package io.dvmm.sdk.simulator.powervm.internal;

import java.util.List;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;

/**
 * Takes content out of captured Atom documents into the model: each object gets its own
 * document, and links lose the captured host ({@code https://9.1.2.3:12443}) so that the
 * simulator can serve them under its own address.
 */
final class Imports {

    private Imports() {
    }

    /** The entries of a feed, or the entry itself. */
    static List<Element> entries(Element feedOrEntry) {
        if (Xml.name(feedOrEntry).equals("entry")) {
            return List.of(feedOrEntry);
        }
        return Xml.children(feedOrEntry, "entry");
    }

    static String id(Element entry) {
        return Xml.text(entry, "id");
    }

    /** A copy of the content element of an entry, in a document of its own, links made host-relative. */
    static Element content(Element entry) {
        Element content = Xml.child(entry, "content").orElseThrow(() -> new IllegalArgumentException("entry without content"));
        Element root = Xml.children(content).get(0);
        return copy(root);
    }

    /** A copy of any element, in a document of its own, links made host-relative. */
    static Element copy(Element root) {
        Document doc = Xml.newDocument();
        Element copy = (Element) doc.importNode(root, true);
        doc.appendChild(copy);
        relativize(copy);
        return copy;
    }

    static void relativize(Element e) {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (a.getName().equals("href")) {
                a.setValue(hostRelative(a.getValue()));
            }
        }
        for (Element c : Xml.children(e)) {
            relativize(c);
        }
    }

    /** {@code https://9.1.2.3:12443/rest/api/uom/X} becomes {@code /rest/api/uom/X}. */
    static String hostRelative(String href) {
        int at = href.indexOf("/rest/api/");
        return at > 0 && href.contains("://") ? href.substring(at) : href;
    }
}
