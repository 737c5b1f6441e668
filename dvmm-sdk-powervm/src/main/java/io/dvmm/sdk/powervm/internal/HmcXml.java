package io.dvmm.sdk.powervm.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.dataformat.xml.deser.FromXmlParser;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.ls.DOMImplementationLS;
import org.w3c.dom.ls.LSOutput;
import org.w3c.dom.ls.LSSerializer;
import org.xml.sax.SAXException;

/**
 * Reading what the HMC sends: Atom feeds and entries whose {@code content} is bound to the typed
 * records of {@link HmcObjects} by jackson-dataformat-xml, over a StAX reader that refuses DTDs
 * and external entities and shows Jackson only the {@code href} attribute (the HMC decorates
 * nearly every element with {@code kb}/{@code kxe}/{@code ksv}, which would turn text elements
 * into objects). Unknown elements are ignored, so newer schema versions parse. Also the
 * hardened DOM parser and serializer of {@link DocumentPatch}.
 */
final class HmcXml {
    static final String UOM_NS = "http://www.ibm.com/xmlns/systems/power/firmware/uom/mc/2012_10/";
    static final String WEB_NS = "http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/";
    static final String ATOM_NS = "http://www.w3.org/2005/Atom";
    static final String UOM_TYPE = "application/vnd.ibm.powervm.uom+xml; type=";
    static final String WEB_TYPE = "application/vnd.ibm.powervm.web+xml; type=";
    static final String ATOM = "application/atom+xml";

    private static final XMLInputFactory INPUT = secureInput();
    private static final XmlMapper MAPPER = XmlMapper.builder()
            .defaultUseWrapper(false)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.ACCEPT_EMPTY_STRING_AS_NULL_OBJECT, true)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
            .configure(FromXmlParser.Feature.EMPTY_ELEMENT_AS_NULL, true)
            .build();
    private static final DocumentBuilderFactory DOM = secureDom();

    private HmcXml() {
    }

    /**
     * One Atom entry.
     *
     * @param id the entry's {@code id} (the object's UUID)
     * @param self its SELF link
     * @param etag its {@code etag:etag} in a feed, else the {@code ETag} header of the answer
     * @param schemaVersion the {@code schemaVersion} of its content
     * @param content the content, typed
     * @param <T> the content's type
     */
    record Entry<T>(String id, String self, String etag, String schemaVersion, T content) {
    }

    private static XMLInputFactory secureInput() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    private static DocumentBuilderFactory secureDom() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's DOM parser cannot be hardened", e);
        }
    }

    /**
     * @param xml an Atom feed, a single entry, or nothing (an empty feed is 204 without a body)
     * @param type the content's record type, named after the HMC type it binds ({@code LogicalPartition})
     * @param etagHeader the answer's {@code ETag} header, for a single entry
     * @param what the request, for errors
     * @param ctx provider and operation, for errors
     * @param <T> the content's type
     * @return the entries whose content is a {@code type}, in order
     */
    static <T> List<Entry<T>> entries(byte[] xml, Class<T> type, String etagHeader, String what, ErrorContext ctx) {
        List<Entry<T>> out = new ArrayList<>();
        if (xml.length == 0) {
            return out;
        }
        try {
            XMLStreamReader r = reader(xml);
            String id = null;
            String self = null;
            String etag = null;
            boolean single = false;
            int depth = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.DTD) {
                    throw refused(what, ctx);
                }
                if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                    continue;
                }
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                depth++;
                String name = r.getLocalName();
                if (depth == 1) {
                    single = name.equals("entry");
                    if (!single && !name.equals("feed")) {
                        throw new ProtocolException(what + ": expected an Atom feed or entry, got <" + name + ">", ctx, true, null);
                    }
                    continue;
                }
                boolean entryLevel = single ? depth == 2 : depth == 3;
                if (!single && depth == 2 && name.equals("entry")) {
                    id = null;
                    self = null;
                    etag = null;
                    continue;
                }
                if (!entryLevel) {
                    skip(r);
                    depth--;
                    continue;
                }
                switch (name) {
                    case "id" -> {
                        id = r.getElementText().trim();
                        depth--;
                    }
                    case "link" -> {
                        if ("SELF".equals(r.getAttributeValue(null, "rel")) && self == null) {
                            self = r.getAttributeValue(null, "href");
                        }
                        skip(r);
                        depth--;
                    }
                    case "etag" -> {
                        etag = r.getElementText().trim();
                        depth--;
                    }
                    case "content" -> {
                        if (r.nextTag() == XMLStreamConstants.START_ELEMENT) {
                            String schema = r.getAttributeValue(null, "schemaVersion");
                            String contentType = r.getLocalName();
                            if (contentType.equals(type.getSimpleName())) {
                                T value = MAPPER.readValue(r, type);
                                out.add(new Entry<>(id, self, single && etag == null ? etagHeader : etag, schema, value));
                            } else {
                                skip(r);
                            }
                            r.nextTag();
                        }
                        depth--;
                    }
                    default -> {
                        skip(r);
                        depth--;
                    }
                }
            }
            return out;
        } catch (XMLStreamException | IOException | RuntimeException e) {
            if (e instanceof ProtocolException p) {
                throw p;
            }
            throw new ProtocolException(what + ": the answer is not the XML the HMC sends: " + e.getMessage(), ctx, true, e);
        }
    }

    /**
     * @param xml a single entry
     * @param type the content's record type
     * @param etagHeader the answer's {@code ETag} header
     * @param what the request, for errors
     * @param ctx provider and operation, for errors
     * @param <T> the content's type
     * @return the entry
     */
    static <T> Entry<T> entry(byte[] xml, Class<T> type, String etagHeader, String what, ErrorContext ctx) {
        List<Entry<T>> list = entries(xml, type, etagHeader, what, ctx);
        if (list.isEmpty()) {
            throw new ProtocolException(what + ": the answer holds no " + type.getSimpleName(), ctx, true, null);
        }
        return list.get(0);
    }

    /**
     * @param xml a bare object, such as a {@code LogonResponse}
     * @param type its record type
     * @param what the request, for errors
     * @param ctx provider and operation, for errors
     * @param <T> the type
     * @return the object
     */
    static <T> T object(byte[] xml, Class<T> type, String what, ErrorContext ctx) {
        try {
            XMLStreamReader r = reader(xml);
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.DTD) {
                    throw refused(what, ctx);
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    return MAPPER.readValue(r, type);
                }
            }
            throw new ProtocolException(what + ": the answer is empty", ctx, true, null);
        } catch (XMLStreamException | IOException | RuntimeException e) {
            if (e instanceof ProtocolException p) {
                throw p;
            }
            throw new ProtocolException(what + ": the answer is not the XML the HMC sends: " + e.getMessage(), ctx, true, e);
        }
    }

    private static ProtocolException refused(String what, ErrorContext ctx) {
        return new ProtocolException(what + ": the answer declares a DTD; DTDs and entities are refused", ctx, false, null);
    }

    private static void skip(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0 && r.hasNext()) {
            int e = r.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    /**
     * Reads an answer through once, without binding it, so that a garbled one fails while its
     * request may still be sent again (the typed reading comes later, past the retry path).
     *
     * @param xml an answer's body, not empty
     * @param what the request, for errors
     * @param ctx provider and operation, for errors
     * @throws ProtocolException (retryable) when it is not well-formed XML, or declares a DTD
     */
    static void requireWellFormed(byte[] xml, String what, ErrorContext ctx) {
        try {
            XMLStreamReader r = INPUT.createXMLStreamReader(new ByteArrayInputStream(xml));
            try {
                while (r.hasNext()) {
                    if (r.next() == XMLStreamConstants.DTD) {
                        throw refused(what, ctx);
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof ProtocolException p) {
                throw p;
            }
            throw new ProtocolException(what + ": the answer is not well-formed XML: " + e.getMessage(), ctx, true, e);
        }
    }

    private static XMLStreamReader reader(byte[] xml) throws XMLStreamException {
        return new HrefOnly(INPUT.createXMLStreamReader(new ByteArrayInputStream(xml)));
    }

    /**
     * Shows the binder only the {@code href} attribute of an element: the HMC's access hints
     * ({@code kb}, {@code kxe}, {@code ksv}, {@code group}) would otherwise make every text
     * element an object. Name-based lookups still see every attribute.
     */
    private static final class HrefOnly extends StreamReaderDelegate {
        HrefOnly(XMLStreamReader reader) {
            super(reader);
        }

        private boolean hasHref() {
            return getEventType() == XMLStreamConstants.START_ELEMENT && super.getAttributeValue(null, "href") != null;
        }

        @Override
        public int getAttributeCount() {
            return hasHref() ? 1 : 0;
        }

        @Override
        public String getAttributeLocalName(int index) {
            return "href";
        }

        @Override
        public QName getAttributeName(int index) {
            return new QName("href");
        }

        @Override
        public String getAttributeNamespace(int index) {
            return null;
        }

        @Override
        public String getAttributePrefix(int index) {
            return "";
        }

        @Override
        public String getAttributeType(int index) {
            return "CDATA";
        }

        @Override
        public String getAttributeValue(int index) {
            return super.getAttributeValue(null, "href");
        }

        @Override
        public boolean isAttributeSpecified(int index) {
            return true;
        }
    }

    // ---- DOM, for patching what the HMC served ------------------------------------------------------

    /**
     * @param xml a document
     * @param what the request, for errors
     * @param ctx provider and operation, for errors
     * @return its DOM, namespace-aware; a DTD is refused
     */
    static Document dom(byte[] xml, String what, ErrorContext ctx) {
        try {
            DocumentBuilder b = DOM.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            boolean dtd = e.getMessage() != null && e.getMessage().contains("DOCTYPE");
            throw new ProtocolException(what + (dtd ? ": the answer declares a DTD; DTDs and entities are refused"
                    : ": the answer is not well-formed XML: " + e.getMessage()), ctx, !dtd, e);
        } catch (IOException | ParserConfigurationException e) {
            throw new ProtocolException(what + ": cannot read the answer: " + e.getMessage(), ctx, true, e);
        }
    }

    /** @return an empty namespace-aware document */
    static Document newDocument() {
        try {
            return DOM.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param element an element
     * @return it serialized as UTF-8, with the namespace declarations it needs and no XML declaration
     */
    static byte[] write(Element element) {
        DOMImplementationLS ls = (DOMImplementationLS) element.getOwnerDocument().getImplementation();
        LSSerializer s = ls.createLSSerializer();
        s.getDomConfig().setParameter("xml-declaration", false);
        LSOutput out = ls.createLSOutput();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.setEncoding("UTF-8");
        out.setByteStream(bytes);
        s.write(element, out);
        return bytes.toByteArray();
    }
}
