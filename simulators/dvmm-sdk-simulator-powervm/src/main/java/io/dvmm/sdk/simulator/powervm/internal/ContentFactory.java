package io.dvmm.sdk.simulator.powervm.internal;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Turns a request body (which may use any prefix, e.g. pypowervm's {@code uom:}) into stored
 * content written the way the HMC writes it: {@code <Type:Type xmlns:Type="…" xmlns="…">} with
 * unprefixed children, {@code kb}/{@code kxe} on every element, and
 * {@code Metadata/Atom/AtomID}.
 */
public final class ContentFactory {

    private final ContentEditor editor;

    public ContentFactory(ContentEditor editor) {
        this.editor = editor;
    }

    /** A new stored root for {@code type} in a namespace, with the HMC's namespace declarations. */
    public Element root(String type, String namespace, String schemaVersion) {
        Document doc = Xml.newDocument();
        Element root = doc.createElementNS(namespace, type + ":" + type);
        root.setAttributeNS(Ns.XMLNS, "xmlns:" + type, namespace);
        root.setAttributeNS(Ns.XMLNS, "xmlns", namespace);
        root.setAttributeNS(Ns.XMLNS, "xmlns:ns2", Ns.K2);
        root.setAttribute("schemaVersion", schemaVersion == null || schemaVersion.isEmpty() ? "V1_0" : schemaVersion);
        doc.appendChild(root);
        return root;
    }

    /** Stored content built from a request body: its children copied, then the Atom identity set. */
    public Element fromBody(Element body, String uuid) {
        String type = Xml.name(body);
        Element root = root(type, body.getNamespaceURI(), body.getAttribute("schemaVersion"));
        for (Node n = body.getFirstChild(); n != null; n = n.getNextSibling()) {
            Node copy = rebuild(n, root.getOwnerDocument(), body.getNamespaceURI());
            if (copy != null) {
                root.appendChild(copy);
            }
        }
        atomId(root, uuid);
        return root;
    }

    /** A request element rebuilt in the stored document: unprefixed, attributes kept, learned hints added. */
    public Element rebuildElement(Element source, Document target) {
        return (Element) rebuild(source, target, source.getNamespaceURI());
    }

    private Node rebuild(Node n, Document doc, String ns) {
        if (n instanceof Element e) {
            Element copy = doc.createElementNS(e.getNamespaceURI() == null ? ns : e.getNamespaceURI(), Xml.name(e));
            NamedNodeMap attrs = e.getAttributes();
            for (int i = 0; i < attrs.getLength(); i++) {
                Attr a = (Attr) attrs.item(i);
                if (!a.getName().startsWith("xmlns")) {
                    copy.setAttribute(a.getName(), a.getValue());
                }
            }
            editor.hints().decorate(copy);
            for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                Node cc = rebuild(c, doc, ns);
                if (cc != null) {
                    copy.appendChild(cc);
                }
            }
            return copy;
        }
        if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
            return doc.createTextNode(n.getNodeValue());
        }
        return null;
    }

    /** Sets {@code Metadata/Atom/AtomID} and {@code AtomCreated}, creating {@code Metadata} first in the root. */
    public void atomId(Element root, String uuid) {
        Element md = Xml.child(root, "Metadata").orElse(null);
        Document doc = root.getOwnerDocument();
        if (md == null) {
            md = doc.createElementNS(root.getNamespaceURI(), "Metadata");
            root.insertBefore(md, root.getFirstChild());
        }
        Xml.removeChildren(md);
        Element atom = doc.createElementNS(root.getNamespaceURI(), "Atom");
        Element id = doc.createElementNS(root.getNamespaceURI(), "AtomID");
        id.setTextContent(uuid);
        Element created = doc.createElementNS(root.getNamespaceURI(), "AtomCreated");
        created.setTextContent(Long.toString(System.currentTimeMillis()));
        atom.appendChild(id);
        atom.appendChild(created);
        md.appendChild(atom);
    }
}
