package io.dvmm.sdk.simulator.hyperv.internal;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The JDK's DOM parser, namespace-aware, with DTDs, external entities and XInclude refused: a WinRM
 * envelope never has a DOCTYPE, and one that does is an attack or a bug.
 */
final class Xml {

    private static final DocumentBuilderFactory FACTORY = factory();

    private Xml() {
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be hardened", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    /** Parses {@code bytes}; the message of the exception says why it is not well-formed XML. */
    static Document parse(byte[] bytes) throws SAXException {
        try {
            DocumentBuilder b = FACTORY.newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler());
            return b.parse(new ByteArrayInputStream(bytes));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new SAXException(e);
        }
    }

    /** The child elements of {@code parent}, in order. */
    static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    /** The first child element with this namespace and local name, or null. */
    static Element child(Element parent, String ns, String local) {
        if (parent == null) {
            return null;
        }
        for (Element e : children(parent)) {
            if (is(e, ns, local)) {
                return e;
            }
        }
        return null;
    }

    static List<Element> childrenNamed(Element parent, String ns, String local) {
        List<Element> out = new ArrayList<>();
        if (parent != null) {
            for (Element e : children(parent)) {
                if (is(e, ns, local)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    static boolean is(Element e, String ns, String local) {
        return e != null && ns.equals(e.getNamespaceURI()) && local.equals(e.getLocalName());
    }

    /** The trimmed text of an element, or null for a missing element. */
    static String text(Element e) {
        return e == null ? null : e.getTextContent().trim();
    }

    /** An attribute by local name, qualified with {@code ns} or unqualified (clients differ); null when absent. */
    static String attribute(Element e, String ns, String local) {
        if (e == null) {
            return null;
        }
        if (e.hasAttributeNS(ns, local)) {
            return e.getAttributeNS(ns, local);
        }
        if (e.hasAttributeNS(null, local)) {
            return e.getAttributeNS(null, local);
        }
        return e.hasAttribute(local) ? e.getAttribute(local) : null;
    }
}
