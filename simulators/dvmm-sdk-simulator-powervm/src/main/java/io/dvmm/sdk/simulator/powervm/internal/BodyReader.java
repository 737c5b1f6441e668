package io.dvmm.sdk.simulator.powervm.internal;

import java.util.List;
import java.util.Locale;
import org.w3c.dom.Element;

/**
 * Reads the body of a write the way the HMC binds it to its schema, recording what a client
 * got wrong in the violation log: the {@code Content-Type} must name the type
 * ({@code application/vnd.ibm.powervm.uom+xml; type=LogicalPartition}), the body must be the
 * bare object (not an Atom entry) in the right namespace, and every element must be known and
 * in the order the captures show. Anything else is answered as the HMC does:
 * {@code 400 Failed to unmarshal input payload}.
 */
public final class BodyReader {

    private final Hmc hmc;

    public BodyReader(Hmc hmc) {
        this.hmc = hmc;
    }

    /** The root element of a write's body, checked against {@code namespace} and {@code type}. */
    public Element read(HmcRequest req, String namespace, String type) {
        String op = req.method() + " " + req.path();
        String expected = (Ns.WEB.equals(namespace) ? Ns.WEB_XML : Ns.UOM_XML) + "; type=" + type;
        String sent = req.header("Content-Type");
        if (sent == null || !normalize(sent).equals(normalize(expected))) {
            hmc.violations.add("media type: " + op + " sent Content-Type '" + sent + "' where the HMC expects '"
                    + expected + "'");
            throw new HmcError(415, "Unsupported Media Type", "The media type " + sent + " is not supported for this "
                    + "request; use " + expected + ".");
        }
        if (hmc.settings.refuseSchemaVersionOnWrites && req.header("X-HMC-Schema-Version") != null) {
            hmc.violations.add("header: " + op + " sent X-HMC-Schema-Version on a write (some firmware answers 406)");
            throw new HmcError(406, "Not Acceptable", "The X-HMC-Schema-Version header is not accepted on this request.");
        }
        Element root;
        try {
            root = Xml.parse(req.body()).getDocumentElement();
        } catch (MalformedXmlException e) {
            hmc.violations.add("malformed body: " + op + ": " + e.getMessage());
            throw HmcError.unmarshal(e.getMessage());
        }
        if (Ns.ATOM.equals(root.getNamespaceURI())) {
            hmc.violations.add("body: " + op + " sent an Atom " + Xml.name(root) + "; the HMC takes the bare " + type);
            throw HmcError.unmarshal("unexpected element " + Xml.name(root) + " (the body must be a " + type + ")");
        }
        if (!type.equals(Xml.name(root)) || !namespace.equals(root.getNamespaceURI())) {
            hmc.violations.add("body: " + op + " sent {" + root.getNamespaceURI() + "}" + Xml.name(root)
                    + " where the HMC expects {" + namespace + "}" + type);
            throw HmcError.unmarshal("unexpected element {" + root.getNamespaceURI() + "}" + Xml.name(root));
        }
        List<String> problems = hmc.editor.order().check(root);
        if (!problems.isEmpty()) {
            for (String p : problems) {
                hmc.violations.add("element order: " + op + ": " + p);
            }
            throw HmcError.unmarshal(problems.get(0));
        }
        return root;
    }

    /** The {@code If-Match} of an update; a missing one is recorded (the HMC needs it to detect lost updates). */
    public void ifMatch(HmcRequest req, UomObject target) {
        String sent = req.header("If-Match");
        if (sent == null) {
            hmc.violations.add("header: " + req.method() + " " + req.path() + " without If-Match");
            return;
        }
        if (!sent.equals(target.etag())) {
            throw new HmcError(412, "Precondition Failed", "The ETag " + sent + " does not match the current ETag of "
                    + target.type() + " " + target.uuid() + "; read it again and reapply the change.");
        }
    }

    private static String normalize(String mediaType) {
        return mediaType.toLowerCase(Locale.ROOT).replace(" ", "").replace("\"", "");
    }
}
