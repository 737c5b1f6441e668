package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.w3c.dom.Element;

/**
 * The HTTP answers of the HMC: Atom entries with their ETag header, feeds (204 when empty),
 * 304 for a matching {@code If-None-Match}, and errors as {@code HttpErrorResponse} entries
 * shaped like the captured {@code fake_httperror.xml} (the session header masked).
 */
public final class Responses {

    private static final AtomicLong TRANSACTIONS = new AtomicLong(10_000_000);

    private final Hmc hmc;
    private volatile boolean novaLink;

    public Responses(Hmc hmc) {
        this.hmc = hmc;
    }

    /** Emulate NovaLink: every answer carries {@code X-MC-Type: PVM}. */
    public void novaLink(boolean on) {
        this.novaLink = on;
    }

    public static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 415 -> "Unsupported Media Type";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }

    /** Headers every answer carries. */
    public SimResponse common(SimResponse r) {
        SimResponse out = r.withHeader("X-Transaction-ID", "XT" + TRANSACTIONS.incrementAndGet())
                .withHeader("Cache-Control", "no-transform, must-revalidate, proxy-revalidate, no-cache=set-cookie")
                .withHeader("Expires", "Thu, 01 Jan 1970 00:00:00 GMT");
        return novaLink ? out.withHeader("X-MC-Type", "PVM") : out;
    }

    public SimResponse status(int status) {
        return common(SimResponse.of(status, reason(status)));
    }

    /** One object; 304 when the client's {@code If-None-Match} is its ETag. */
    public SimResponse entry(HmcRequest req, UomObject o) {
        if (o.etag().equals(req.header("If-None-Match"))) {
            return status(304).withHeader("ETag", o.etag());
        }
        String xml = hmc.atom.entry(o, req.pathWithGroup(), Groups.of(req.query("group")));
        return atom(200, xml).withHeader("ETag", o.etag());
    }

    /** A feed under the request's path; 204 with no body when empty. */
    public SimResponse feed(HmcRequest req, List<UomObject> objects) {
        if (objects.isEmpty()) {
            return status(204);
        }
        int tag = 17;
        for (UomObject o : objects) {
            tag = 31 * tag + o.etag().hashCode();
        }
        String etag = Integer.toString(tag);
        if (etag.equals(req.header("If-None-Match"))) {
            return status(304).withHeader("ETag", etag);
        }
        String xml = hmc.atom.feed(req.path(), req.query("group"), objects, Groups.of(req.query("group")));
        return atom(200, xml).withHeader("ETag", etag);
    }

    public SimResponse atom(int status, String xml) {
        return common(SimResponse.of(status, reason(status)).withBody(Ns.ATOM_XML, xml));
    }

    public SimResponse json(String json) {
        return common(SimResponse.of(200, "OK").withBody("application/json", json));
    }

    /** The {@code HttpErrorResponse} entry for an error. */
    public SimResponse error(HmcRequest req, HmcError e) {
        ContentFactory f = hmc.factory;
        Element root = f.root("HttpErrorResponse", Ns.WEB, "V1_2_0");
        Element md = root.getOwnerDocument().createElementNS(Ns.WEB, "Metadata");
        md.appendChild(root.getOwnerDocument().createElementNS(Ns.WEB, "Atom"));
        root.appendChild(md);
        add(root, "HTTPStatus", Integer.toString(e.status()), "ROR");
        add(root, "RequestURI", req == null ? "" : req.path(), "ROR");
        add(root, "ReasonCode", e.reason(), "ROR");
        add(root, "Message", e.getMessage(), "ROO");
        add(root, "RequestBody", null, "ROO");
        add(root, "RequestHeaders", req == null ? "" : headers(req.headers()), "ROO");
        String xml = hmc.atom.entry(UUID.randomUUID().toString(), root, null);
        return common(SimResponse.of(e.status(), reason(e.status())).withBody(Ns.ATOM_XML, xml));
    }

    private static void add(Element root, String name, String text, String kb) {
        Element e = root.getOwnerDocument().createElementNS(Ns.WEB, name);
        e.setAttribute("kb", kb);
        e.setAttribute("kxe", "false");
        if (text != null) {
            e.setTextContent(text);
        }
        root.appendChild(e);
    }

    private static String headers(Map<String, String> headers) {
        StringBuilder b = new StringBuilder("{");
        headers.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(", ");
            }
            boolean secret = k.equalsIgnoreCase("X-API-Session") || k.equalsIgnoreCase("Cookie")
                    || k.equalsIgnoreCase("Authorization");
            b.append(k).append('=').append(secret ? "*******" : v);
        });
        return b.append('}').toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
