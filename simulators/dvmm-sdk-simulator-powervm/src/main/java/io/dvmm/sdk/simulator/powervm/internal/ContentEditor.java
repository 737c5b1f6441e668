package io.dvmm.sdk.simulator.powervm.internal;

import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Changes content trees the way the HMC would have written them: new elements go where the
 * derived {@link ElementOrder} puts them, in their parent's namespace, with the {@code kb}/{@code kxe}
 * attributes the captures show for that name.
 */
public final class ContentEditor {

    private final ElementOrder order;
    private final AttributeHints hints;

    public ContentEditor(ElementOrder order, AttributeHints hints) {
        this.order = order;
        this.hints = hints;
    }

    public ElementOrder order() {
        return order;
    }

    public AttributeHints hints() {
        return hints;
    }

    /** A new, detached element in the namespace of {@code like}, decorated with the learned attributes. */
    public Element create(Element like, String name) {
        Document doc = like.getOwnerDocument();
        Element e = doc.createElementNS(like.getNamespaceURI(), name);
        hints.decorate(e);
        return e;
    }

    /** A new element with text. */
    public Element create(Element like, String name, String text) {
        Element e = create(like, name);
        e.setTextContent(text);
        return e;
    }

    /** An element with the {@code <Metadata><Atom/></Metadata>} every complex HMC element carries. */
    public Element createComplex(Element like, String name, String schemaVersion) {
        Element e = create(like, name);
        if (schemaVersion != null) {
            e.setAttribute("schemaVersion", schemaVersion);
        }
        Element md = like.getOwnerDocument().createElementNS(like.getNamespaceURI(), "Metadata");
        md.appendChild(like.getOwnerDocument().createElementNS(like.getNamespaceURI(), "Atom"));
        e.appendChild(md);
        return e;
    }

    /** Gives a complex element its {@code <Metadata><Atom/></Metadata>} when it has none. */
    public void ensureMetadata(Element e) {
        if (Xml.child(e, "Metadata").isEmpty()) {
            Element md = e.getOwnerDocument().createElementNS(e.getNamespaceURI(), "Metadata");
            md.appendChild(e.getOwnerDocument().createElementNS(e.getNamespaceURI(), "Atom"));
            e.insertBefore(md, e.getFirstChild());
        }
    }

    /** Inserts a child at its ordered place and returns it. */
    public Element insert(Element parent, Element child) {
        if (child.getOwnerDocument() != parent.getOwnerDocument()) {
            child = (Element) parent.getOwnerDocument().importNode(child, true);
        }
        order.insert(parent, child);
        return child;
    }

    /** The child with that name, created at its ordered place when missing. */
    public Element ensure(Element parent, String name) {
        Optional<Element> existing = Xml.child(parent, name);
        return existing.orElseGet(() -> insert(parent, create(parent, name)));
    }

    /** Sets the text at a path of local names, creating the missing elements in order. */
    public Element set(Element parent, String path, String value) {
        Element at = parent;
        for (String step : path.split("/")) {
            at = ensure(at, step);
        }
        at.setTextContent(value);
        return at;
    }

    /** Sets or removes (value null) the text at a path. */
    public void setOrRemove(Element parent, String path, String value) {
        if (value != null) {
            set(parent, path, value);
        } else {
            Xml.path(parent, path).ifPresent(e -> e.getParentNode().removeChild(e));
        }
    }

    /** Sets a link-style child ({@code <X href="..." rel="related"/>}). */
    public Element link(Element parent, String name, String href) {
        Element e = ensure(parent, name);
        Xml.removeChildren(e);
        e.setAttribute("href", href);
        e.setAttribute("rel", "related");
        return e;
    }
}
