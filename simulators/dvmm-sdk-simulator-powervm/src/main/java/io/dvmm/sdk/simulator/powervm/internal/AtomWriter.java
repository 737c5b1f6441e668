package io.dvmm.sdk.simulator.powervm.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;

/**
 * Wraps model content in Atom entries and feeds shaped like the captures: {@code id},
 * {@code title}, {@code published}, SELF and MANAGEMENT_CONSOLE links, the author, the
 * {@code etag:etag} element in feed entries, and {@code content} with the typed media type.
 * Host-relative links become absolute under the simulator's own address.
 */
public final class AtomWriter {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final Supplier<String> baseUrl;
    private final Supplier<String> consoleUuid;

    public AtomWriter(Supplier<String> baseUrl, Supplier<String> consoleUuid) {
        this.baseUrl = baseUrl;
        this.consoleUuid = consoleUuid;
    }

    public static String stamp(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC).format(STAMP);
    }

    /** The media type of a content element: uom or web namespace, {@code type=} its local name. */
    public static String mediaType(Element content) {
        String type = Xml.name(content);
        return Ns.WEB.equals(content.getNamespaceURI()) ? Ns.webType(type) : Ns.uomType(type);
    }

    /** A single entry, as a GET of an object's URI returns it. */
    public String entry(UomObject o, String selfPath, Groups groups) {
        Document doc = Xml.newDocument();
        doc.appendChild(entryElement(doc, o.uuid(), o.content(), o.published(), selfPath, null, groups));
        return finish(doc);
    }

    /** An entry around content that is not a stored object (jobs, job templates, events, errors). */
    public String entry(String id, Element content, String selfPath) {
        Document doc = Xml.newDocument();
        doc.appendChild(entryElement(doc, id, content, System.currentTimeMillis(), selfPath, null, Groups.ALL));
        return finish(doc);
    }

    /** A feed of objects; each entry's SELF link is {@code selfPath + "/" + uuid}, with the group query kept. */
    public String feed(String selfPath, String groupQuery, List<UomObject> objects, Groups groups) {
        Document doc = Xml.newDocument();
        Element feed = feedElement(doc, selfPath, groupQuery);
        for (UomObject o : objects) {
            String self = selfPath + "/" + o.uuid() + (groupQuery == null ? "" : "?group=" + groupQuery);
            feed.appendChild(entryElement(doc, o.uuid(), o.content(), o.published(), self, o.etag(), groups));
        }
        return finish(doc);
    }

    /** A feed of contents that are not stored objects (events). */
    public String feed(String selfPath, List<Element> contents, List<String> ids, List<String> etags) {
        Document doc = Xml.newDocument();
        Element feed = feedElement(doc, selfPath, null);
        for (int i = 0; i < contents.size(); i++) {
            String id = ids.get(i);
            feed.appendChild(entryElement(doc, id, contents.get(i), System.currentTimeMillis(),
                    selfPath + "/" + id, etags.get(i), Groups.ALL));
        }
        return finish(doc);
    }

    private Element feedElement(Document doc, String selfPath, String groupQuery) {
        Element feed = atomRoot(doc, "feed");
        doc.appendChild(feed);
        text(feed, "id", UUID.nameUUIDFromBytes(selfPath.getBytes(StandardCharsets.UTF_8)).toString());
        text(feed, "updated", stamp(System.currentTimeMillis()));
        link(feed, "SELF", selfPath + (groupQuery == null ? "" : "?group=" + groupQuery));
        consoleLink(feed);
        text(feed, "generator", Ns.GENERATOR);
        return feed;
    }

    private Element entryElement(Document doc, String id, Element content, long published, String selfPath,
            String etag, Groups groups) {
        Element entry = atomRoot(doc, "entry");
        text(entry, "id", id);
        text(entry, "title", Xml.name(content));
        text(entry, "published", stamp(published));
        if (selfPath != null) {
            link(entry, "SELF", selfPath);
        }
        consoleLink(entry);
        Element author = doc.createElementNS(Ns.ATOM, "author");
        text(author, "name", Ns.GENERATOR);
        entry.appendChild(author);
        if (etag != null) {
            Element e = doc.createElementNS(Ns.UOM, "etag:etag");
            e.setAttributeNS(Ns.XMLNS, "xmlns:etag", Ns.UOM);
            e.setAttributeNS(Ns.XMLNS, "xmlns", Ns.UOM);
            e.setTextContent(etag);
            entry.appendChild(e);
        }
        Element c = doc.createElementNS(Ns.ATOM, "content");
        c.setAttribute("type", mediaType(content));
        Element copy = (Element) doc.importNode(content, true);
        groups.filter(copy);
        c.appendChild(copy);
        entry.appendChild(c);
        return entry;
    }

    private void consoleLink(Element parent) {
        String console = consoleUuid.get();
        if (console != null) {
            link(parent, "MANAGEMENT_CONSOLE", HmcModel.UOM + "ManagementConsole/" + console);
        }
    }

    private static Element atomRoot(Document doc, String name) {
        Element e = doc.createElementNS(Ns.ATOM, name);
        if (doc.getDocumentElement() == null) {
            e.setAttributeNS(Ns.XMLNS, "xmlns", Ns.ATOM);
            e.setAttributeNS(Ns.XMLNS, "xmlns:ns2", Ns.OPENSEARCH);
            e.setAttributeNS(Ns.XMLNS, "xmlns:ns3", Ns.XHTML);
        }
        return e;
    }

    private static void text(Element parent, String name, String value) {
        Element e = parent.getOwnerDocument().createElementNS(Ns.ATOM, name);
        e.setTextContent(value);
        parent.appendChild(e);
    }

    private static void link(Element parent, String rel, String href) {
        Element e = parent.getOwnerDocument().createElementNS(Ns.ATOM, "link");
        e.setAttribute("rel", rel);
        e.setAttribute("href", href);
        parent.appendChild(e);
    }

    private String finish(Document doc) {
        absolutize(doc.getDocumentElement(), baseUrl.get());
        return Xml.write(doc);
    }

    /** Host-relative links ({@code /rest/api/...}) become absolute under the simulator's address. */
    public static void absolutize(Element e, String base) {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (a.getName().equals("href") && a.getValue().startsWith("/rest/api/")) {
                a.setValue(base + a.getValue());
            }
        }
        for (Element c : Xml.children(e)) {
            absolutize(c, base);
        }
    }
}
