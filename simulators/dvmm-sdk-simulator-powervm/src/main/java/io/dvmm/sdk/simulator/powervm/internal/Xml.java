package io.dvmm.sdk.simulator.powervm.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * DOM parsing and writing with the JDK's parser, hardened: a DOCTYPE is refused outright, so
 * no DTD, external entity or entity expansion ever reaches the model (request bodies come from
 * the code under test and must not be able to read files or loop the parser).
 */
public final class Xml {

    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private static final DocumentBuilderFactory FACTORY = factory();

    private Xml() {
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            // Parsed documents are read by several threads (the shared capture set): no lazy expansion.
            f.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser cannot be hardened", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilder b = FACTORY.newDocumentBuilder();
            b.setErrorHandler(SILENT);
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are refused: " + systemId);
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses bytes; throws {@link MalformedXmlException} for anything not well-formed or carrying a DOCTYPE. */
    public static Document parse(byte[] bytes) {
        try {
            return builder().parse(new ByteArrayInputStream(bytes));
        } catch (SAXException | IOException e) {
            throw new MalformedXmlException(e.getMessage(), e);
        }
    }

    public static Document parse(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new MalformedXmlException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static Document newDocument() {
        return builder().newDocument();
    }

    /** Serializes a node without an XML declaration, keeping the whitespace it has. */
    public static String write(Node node) {
        return write(node, false);
    }

    public static String write(Node node, boolean declaration) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, declaration ? "no" : "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            if (declaration) {
                t.setOutputProperty(OutputKeys.STANDALONE, "yes");
            }
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(node), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialize XML", e);
        }
    }

    /** The local name, also for nodes created without namespace awareness. */
    public static String name(Node node) {
        String local = node.getLocalName();
        if (local != null) {
            return local;
        }
        String n = node.getNodeName();
        int colon = n.indexOf(':');
        return colon < 0 ? n : n.substring(colon + 1);
    }

    public static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    public static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name(e).equals(localName)) {
                out.add(e);
            }
        }
        return out;
    }

    public static Optional<Element> child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name(e).equals(localName)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Follows a path of local names, e.g. {@code "PartitionMemoryConfiguration/DesiredMemory"}. */
    public static Optional<Element> path(Element from, String path) {
        Element at = from;
        for (String step : path.split("/")) {
            Optional<Element> next = child(at, step);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            at = next.get();
        }
        return Optional.of(at);
    }

    /** The trimmed text at a path, or {@code null} when the element is absent. */
    public static String text(Element from, String path) {
        return path(from, path).map(e -> e.getTextContent().trim()).orElse(null);
    }

    /** All descendants (not the element itself) with a local name, in document order. */
    public static List<Element> descendants(Element from, String localName) {
        List<Element> out = new ArrayList<>();
        collect(from, localName, out);
        return out;
    }

    private static void collect(Element at, String localName, List<Element> out) {
        for (Element c : children(at)) {
            if (name(c).equals(localName)) {
                out.add(c);
            }
            collect(c, localName, out);
        }
    }

    public static void removeChildren(Element parent) {
        while (parent.getFirstChild() != null) {
            parent.removeChild(parent.getFirstChild());
        }
    }
}
