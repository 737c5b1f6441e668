package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * {@code PUT /rest/api/web/Logon} with a {@code LogonRequest} answers a {@code LogonResponse}
 * holding the {@code X-API-Session} token (shaped like the captured {@code logon.xml}); wrong
 * credentials get 401. {@code DELETE} logs the session off (204).
 */
final class LogonRoutes {

    static final String LOGON = "/rest/api/web/Logon";

    private final Hmc hmc;
    private final Responses responses;
    private final BodyReader bodies;

    LogonRoutes(Hmc hmc, Responses responses, BodyReader bodies) {
        this.hmc = hmc;
        this.responses = responses;
        this.bodies = bodies;
    }

    void register(Router r) {
        r.add("PUT", LOGON, this::logon, false, true);
        r.add("DELETE", LOGON, this::logoff, true, true);
    }

    private SimResponse logon(HmcRequest req, Map<String, String> p) {
        Element body = bodies.read(req, Ns.WEB, "LogonRequest");
        String user = Xml.text(body, "UserID");
        String password = Xml.text(body, "Password");
        String accept = req.header("Accept");
        if (accept != null && accept.contains("type=") && !accept.contains("type=LogonResponse")) {
            hmc.violations.add("media type: PUT " + LOGON + " sent Accept '" + accept + "' where the HMC answers "
                    + Ns.webType("LogonResponse"));
        }
        String token = hmc.sessions.logon(user, password).orElseThrow(() -> new HmcError(401, "Unauthorized",
                "The user ID or password is not valid."));
        org.w3c.dom.Document doc = Xml.newDocument();
        Element root = doc.createElementNS(Ns.WEB, "LogonResponse");
        root.setAttributeNS(Ns.XMLNS, "xmlns", Ns.WEB);
        root.setAttribute("schemaVersion", "V1_1_0");
        doc.appendChild(root);
        Element md = root.getOwnerDocument().createElementNS(Ns.WEB, "Metadata");
        md.appendChild(root.getOwnerDocument().createElementNS(Ns.WEB, "Atom"));
        root.appendChild(md);
        Element t = root.getOwnerDocument().createElementNS(Ns.WEB, "X-API-Session");
        t.setAttribute("kb", "ROR");
        t.setAttribute("kxe", "false");
        t.setTextContent(token);
        root.appendChild(t);
        String xml = Xml.write(root.getOwnerDocument(), true);
        return responses.common(SimResponse.of(200, "OK").withBody(Ns.webType("LogonResponse"), xml))
                .withHeader("Set-Cookie", "JSESSIONID=0000" + Slots.randomHex(20) + "; Path=/; Secure; HttpOnly");
    }

    private SimResponse logoff(HmcRequest req, Map<String, String> p) {
        hmc.sessions.logoff(req.sessionToken());
        hmc.events.forget(req.sessionToken());
        return responses.status(204);
    }
}
