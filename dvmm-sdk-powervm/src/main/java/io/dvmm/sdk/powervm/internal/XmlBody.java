package io.dvmm.sdk.powervm.internal;

import java.io.ByteArrayOutputStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A request body written element by element with StAX (so every value is escaped and nothing is
 * spliced into XML text), in the HMC's form: the bare object in its namespace with
 * {@code schemaVersion}, and {@code <Metadata><Atom/></Metadata>} first in every complex
 * element. The caller writes elements in schema order; {@link RequestBodies} holds those orders.
 */
final class XmlBody {
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();
    static final String SCHEMA_VERSION = "V1_0";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final XMLStreamWriter w;
    private final String ns;
    private int open;

    private XmlBody(String ns, String type) {
        this.ns = ns;
        try {
            this.w = OUTPUT.createXMLStreamWriter(out, "UTF-8");
            w.setDefaultNamespace(ns);
            w.writeStartElement(ns, type);
            w.writeDefaultNamespace(ns);
            w.writeAttribute("schemaVersion", SCHEMA_VERSION);
            open = 1;
            metadata();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param ns the object's namespace ({@link HmcXml#UOM_NS} or {@link HmcXml#WEB_NS})
     * @param type the object's type, such as {@code LogicalPartition}
     * @return a body whose root and metadata are written
     */
    static XmlBody of(String ns, String type) {
        return new XmlBody(ns, type);
    }

    private void metadata() throws XMLStreamException {
        w.writeStartElement(ns, "Metadata");
        w.writeEmptyElement(ns, "Atom");
        w.writeEndElement();
    }

    /**
     * Opens a complex element with {@code schemaVersion} and its metadata.
     *
     * @param name the element
     * @return this body
     */
    XmlBody open(String name) {
        try {
            w.writeStartElement(ns, name);
            w.writeAttribute("schemaVersion", SCHEMA_VERSION);
            metadata();
            open++;
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens an element without attributes or metadata (a wrapper such as {@code Storage}).
     *
     * @param name the element
     * @return this body
     */
    XmlBody openPlain(String name) {
        try {
            w.writeStartElement(ns, name);
            open++;
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param name the element
     * @param value its text; {@code null} writes nothing
     * @return this body
     */
    XmlBody text(String name, Object value) {
        if (value == null) {
            return this;
        }
        try {
            w.writeStartElement(ns, name);
            w.writeCharacters(value.toString());
            w.writeEndElement();
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A reference written the way the captures of this element show it: {@code <name><link href="…" rel="related"/></name>}.
     *
     * @param name the element
     * @param href the target
     * @return this body
     */
    XmlBody linkChild(String name, String href) {
        try {
            w.writeStartElement(ns, name);
            w.writeEmptyElement(ns, "link");
            w.writeAttribute("href", href);
            w.writeAttribute("rel", "related");
            w.writeEndElement();
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return this body, the innermost open element closed
     */
    XmlBody close() {
        try {
            w.writeEndElement();
            open--;
            return this;
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the document, every open element closed */
    byte[] bytes() {
        try {
            while (open > 0) {
                close();
            }
            w.writeEndDocument();
            w.close();
            return out.toByteArray();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }
}
