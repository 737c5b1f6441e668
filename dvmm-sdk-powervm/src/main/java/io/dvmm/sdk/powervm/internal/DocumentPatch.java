package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The document the HMC served, changed in place and posted back: an update carries the whole
 * object as read, so whatever the provider's records do not model (mappings of other partitions,
 * elements of a newer schema) goes back unchanged. Posting a partial model would delete what it
 * leaves out (a VIOS posted without a mapping loses that mapping). Namespace-aware: new elements
 * take their parent's namespace, and a missing container goes before the siblings that follow it
 * in the schema.
 *
 * @param id the entry's id
 * @param self its SELF link
 * @param etag its ETag, for {@code If-Match}
 * @param content the object's element (the bare object the HMC takes back)
 */
record DocumentPatch(String id, String self, String etag, Element content) {

    /**
     * @param xml an Atom feed or entry
     * @param etagHeader the {@code ETag} header, for a single entry
     * @param what the request, for errors
     * @param ctx provider and operation, for errors
     * @return one patchable document per entry
     */
    static List<DocumentPatch> entries(byte[] xml, String etagHeader, String what, ErrorContext ctx) {
        List<DocumentPatch> out = new ArrayList<>();
        if (xml.length == 0) {
            return out;
        }
        Element root = HmcXml.dom(xml, what, ctx).getDocumentElement();
        List<Element> entries = name(root).equals("entry") ? List.of(root) : children(root, "entry");
        for (Element entry : entries) {
            String id = child(entry, "id").map(e -> e.getTextContent().trim()).orElse(null);
            String self = children(entry, "link").stream().filter(l -> "SELF".equals(l.getAttribute("rel"))).findFirst()
                    .map(l -> l.getAttribute("href")).orElse(null);
            String etag = child(entry, "etag").map(e -> e.getTextContent().trim()).orElse(etagHeader);
            Element content = child(entry, "content").flatMap(c -> children(c, null).stream().findFirst())
                    .orElseThrow(() -> new ProtocolException(what + ": an entry without content", ctx, true, null));
            out.add(new DocumentPatch(id, self, etag, content));
        }
        return out;
    }

    /**
     * @param self the object's SELF link
     * @param etag its ETag
     * @param object the bare object, as {@link #body()} wrote it
     * @param what the request it came from, for errors
     * @param ctx provider and operation, for errors
     * @return a patchable document of it
     */
    static DocumentPatch ofObject(String self, String etag, byte[] object, String what, ErrorContext ctx) {
        Element root = HmcXml.dom(object, what, ctx).getDocumentElement();
        return new DocumentPatch(null, self, etag, root);
    }

    /** @return the object as the body of a POST */
    byte[] body() {
        return HmcXml.write(content);
    }

    // ---- reading the tree --------------------------------------------------------------------------

    static String name(Node n) {
        return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
    }

    /**
     * @param parent an element
     * @param name a local name, or {@code null} for every element child
     * @return the element children of that name, in order
     */
    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || name(e).equals(name))) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * @param parent an element
     * @param path local names separated by {@code /}
     * @return the first element at that path
     */
    static Optional<Element> child(Element parent, String path) {
        Element at = parent;
        for (String step : path.split("/")) {
            List<Element> c = children(at, step);
            if (c.isEmpty()) {
                return Optional.empty();
            }
            at = c.get(0);
        }
        return Optional.of(at);
    }

    /**
     * @param parent an element
     * @param path a path of local names
     * @return the trimmed text at that path, or {@code null}
     */
    static String text(Element parent, String path) {
        return child(parent, path).map(e -> e.getTextContent().trim()).orElse(null);
    }

    // ---- changing it ------------------------------------------------------------------------------

    /**
     * @param parent where it goes
     * @param name a local name
     * @return a new element appended to {@code parent}, in its namespace
     */
    static Element append(Element parent, String name) {
        Element e = create(parent, name);
        parent.appendChild(e);
        return e;
    }

    /**
     * @param parent where it goes
     * @param name a local name
     * @param text its text
     * @return a new text element appended to {@code parent}
     */
    static Element append(Element parent, String name, String text) {
        Element e = append(parent, name);
        e.setTextContent(text);
        return e;
    }

    /**
     * @param parent where it goes
     * @param name a local name
     * @return a new complex element ({@code schemaVersion}, {@code <Metadata><Atom/></Metadata>}) appended to {@code parent}
     */
    static Element appendComplex(Element parent, String name) {
        Element e = append(parent, name);
        e.setAttribute("schemaVersion", XmlBody.SCHEMA_VERSION);
        append(append(e, "Metadata"), "Atom");
        return e;
    }

    /**
     * @param parent where it goes
     * @param name a local name
     * @param href what it references
     * @return a reference element appended to {@code parent}
     */
    static Element appendLink(Element parent, String name, String href) {
        Element e = append(parent, name);
        e.setAttribute("href", href);
        e.setAttribute("rel", "related");
        return e;
    }

    /**
     * The container child of that name, created when missing: before the first of
     * {@code followers} present (the siblings that come after it in the schema), else last.
     *
     * @param parent the element
     * @param name the container's local name
     * @param followers the names that follow it in the schema's sequence
     * @return the container
     */
    static Element ensure(Element parent, String name, List<String> followers) {
        Optional<Element> existing = child(parent, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        Element e = create(parent, name);
        e.setAttribute("schemaVersion", XmlBody.SCHEMA_VERSION);
        append(append(e, "Metadata"), "Atom");
        Element before = null;
        for (Element c : children(parent, null)) {
            if (followers.contains(name(c))) {
                before = c;
                break;
            }
        }
        parent.insertBefore(e, before);
        return e;
    }

    /**
     * @param parent the element
     * @param name the local name of the children
     * @param which which of them go
     * @return how many were removed
     */
    static int removeChildren(Element parent, String name, Predicate<Element> which) {
        int n = 0;
        for (Element c : children(parent, name)) {
            if (which.test(c)) {
                parent.removeChild(c);
                n++;
            }
        }
        return n;
    }

    private static Element create(Element like, String name) {
        Document doc = like.getOwnerDocument();
        return doc.createElementNS(like.getNamespaceURI(), name);
    }
}
