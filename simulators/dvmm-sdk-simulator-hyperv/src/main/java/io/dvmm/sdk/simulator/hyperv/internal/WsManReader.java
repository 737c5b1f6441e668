package io.dvmm.sdk.simulator.hyperv.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/** Reads a request envelope into a {@link WsManRequest}; what is not a SOAP 1.2 envelope is a fault. */
final class WsManReader {

    private WsManReader() {
    }

    static WsManRequest read(byte[] body) {
        Document doc;
        try {
            doc = Xml.parse(body);
        } catch (SAXException e) {
            throw WsManFault.invalidXml(e.getMessage());
        }
        Element envelope = doc.getDocumentElement();
        if (Xml.is(envelope, Ns.SOAP11, "Envelope")) {
            throw WsManFault.versionMismatch();
        }
        if (!Xml.is(envelope, Ns.SOAP, "Envelope")) {
            throw WsManFault.invalidSoap("the document element is not a SOAP 1.2 Envelope: {"
                    + envelope.getNamespaceURI() + "}" + envelope.getLocalName());
        }
        Element header = Xml.child(envelope, Ns.SOAP, "Header");
        Element bodyElement = Xml.child(envelope, Ns.SOAP, "Body");
        if (header == null || bodyElement == null) {
            throw WsManFault.invalidSoap("the Envelope needs an s:Header and an s:Body");
        }
        Element selectorSet = Xml.child(header, Ns.WSMAN, "SelectorSet");
        Element replyTo = Xml.child(header, Ns.ADDRESSING, "ReplyTo");
        Element locale = Xml.child(header, Ns.WSMAN, "Locale");
        List<Element> bodyChildren = Xml.children(bodyElement);
        return new WsManRequest(
                Xml.text(Xml.child(header, Ns.ADDRESSING, "Action")),
                Xml.text(Xml.child(header, Ns.ADDRESSING, "MessageID")),
                Xml.text(Xml.child(header, Ns.ADDRESSING, "To")),
                Xml.text(Xml.child(replyTo, Ns.ADDRESSING, "Address")),
                Xml.text(Xml.child(header, Ns.WSMAN, "ResourceURI")),
                named(selectorSet, "Selector"),
                selectorSet != null,
                named(Xml.child(header, Ns.WSMAN, "OptionSet"), "Option"),
                Xml.text(Xml.child(header, Ns.WSMAN, "OperationTimeout")),
                Xml.text(Xml.child(header, Ns.WSMAN, "MaxEnvelopeSize")),
                locale == null ? null : locale.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"),
                bodyChildren.isEmpty() ? null : bodyChildren.get(0));
    }

    private static Map<String, String> named(Element set, String local) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element e : Xml.childrenNamed(set, Ns.WSMAN, local)) {
            out.put(e.getAttribute("Name"), e.getTextContent().trim());
        }
        return Collections.unmodifiableMap(out);
    }
}
