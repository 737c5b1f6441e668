package io.dvmm.sdk.simulator.powervm;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A small HMC REST client for the simulator's tests, written from the HMC's documentation and
 * the captures, not from the simulator: the JDK HttpClient over TLS with the simulator's trust
 * store, an API session, and namespace-agnostic DOM reading.
 */
final class HmcClient {

    static final String UOM = "application/vnd.ibm.powervm.uom+xml; type=";
    static final String WEB = "application/vnd.ibm.powervm.web+xml; type=";
    static final String UOM_NS = "http://www.ibm.com/xmlns/systems/power/firmware/uom/mc/2012_10/";
    static final String WEB_NS = "http://www.ibm.com/xmlns/systems/power/firmware/web/mc/2012_10/";

    /** One answer. */
    record Answer(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        Element xml() {
            return parse(body);
        }

        /** The content element of an entry answer. */
        Element content() {
            return HmcClient.content(xml());
        }
    }

    private final PowerVmSimulator sim;
    private final HttpClient http;
    private String session;

    HmcClient(PowerVmSimulator sim) {
        this.sim = sim;
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(sim.trustStore());
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            this.http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String logonBody(String user, String password) {
        return "<LogonRequest xmlns=\"" + WEB_NS + "\" schemaVersion=\"V1_0\"><UserID>" + user + "</UserID><Password>"
                + password + "</Password></LogonRequest>";
    }

    HmcClient logon() {
        Answer a = send("PUT", "/rest/api/web/Logon", logonBody(sim.username(), sim.password()), WEB + "LogonRequest",
                Map.of("Accept", WEB + "LogonResponse"));
        if (a.status() != 200) {
            throw new AssertionError("logon failed: " + a.status() + " " + a.body());
        }
        session = text(a.xml(), "X-API-Session");
        return this;
    }

    String session() {
        return session;
    }

    void session(String token) {
        this.session = token;
    }

    Answer get(String path) {
        return send("GET", path, null, null, Map.of("Accept", "application/atom+xml"));
    }

    Answer get(String path, String accept) {
        return send("GET", path, null, null, accept == null ? Map.of() : Map.of("Accept", accept));
    }

    Answer put(String path, String contentType, String body) {
        return send("PUT", path, body, contentType, Map.of());
    }

    Answer post(String path, String contentType, String body, String ifMatch) {
        return send("POST", path, body, contentType, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch));
    }

    Answer delete(String path) {
        return send("DELETE", path, null, null, Map.of());
    }

    Answer send(String method, String path, String body, String contentType, Map<String, String> headers) {
        return sendBytes(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), contentType, headers);
    }

    Answer sendBytes(String method, String path, byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.url() + path)).timeout(Duration.ofSeconds(30));
        if (session != null) {
            b.header("X-API-Session", session);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().map(), r.body());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    /** Runs a job to its end: template, submit, poll; returns the final JobResponse content. */
    Element runJob(String doPath, String operation, String group, Map<String, String> params) {
        Answer template = get(doPath);
        if (template.status() != 200) {
            throw new AssertionError("template " + doPath + ": " + template.status() + " " + template.body());
        }
        StringBuilder p = new StringBuilder();
        params.forEach((k, v) -> p.append("<JobParameter schemaVersion=\"V1_0\"><Metadata><Atom/></Metadata><ParameterName>")
                .append(k).append("</ParameterName><ParameterValue>").append(v).append("</ParameterValue></JobParameter>"));
        String body = "<JobRequest:JobRequest xmlns:JobRequest=\"" + WEB_NS + "\" xmlns=\"" + WEB_NS
                + "\" schemaVersion=\"V1_0\"><Metadata><Atom/></Metadata><RequestedOperation schemaVersion=\"V1_0\">"
                + "<Metadata><Atom/></Metadata><OperationName>" + operation + "</OperationName><GroupName>" + group
                + "</GroupName></RequestedOperation><JobParameters schemaVersion=\"V1_0\"><Metadata><Atom/></Metadata>"
                + p + "</JobParameters></JobRequest:JobRequest>";
        Answer started = put(doPath, WEB + "JobRequest", body);
        if (started.status() != 200) {
            throw new AssertionError("job " + doPath + ": " + started.status() + " " + started.body());
        }
        String id = text(started.content(), "JobID");
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            Element job = get("/rest/api/uom/jobs/" + id).content();
            String status = text(job, "Status");
            if (!status.equals("NOT_STARTED") && !status.equals("RUNNING")) {
                return job;
            }
            sleep(20);
        }
        throw new AssertionError("job " + id + " did not finish");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- XML, namespace-agnostic ------------------------------------------------------------------

    static Element parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            return d.getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("not XML: " + e.getMessage() + "\n" + xml, e);
        }
    }

    static String name(Node n) {
        return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
    }

    static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && (name == null || name(c).equals(name))) {
                out.add(c);
            }
        }
        return out;
    }

    static Optional<Element> child(Element e, String path) {
        Element at = e;
        for (String step : path.split("/")) {
            List<Element> c = children(at, step);
            if (c.isEmpty()) {
                return Optional.empty();
            }
            at = c.get(0);
        }
        return Optional.of(at);
    }

    static String text(Element e, String path) {
        return child(e, path).map(x -> x.getTextContent().trim()).orElse(null);
    }

    static List<Element> entries(Element feed) {
        return children(feed, "entry");
    }

    static Element content(Element entry) {
        return children(child(entry, "content").orElseThrow(), null).get(0);
    }

    static String selfLink(Element entry) {
        return children(entry, "link").stream().filter(l -> l.getAttribute("rel").equals("SELF")).findFirst()
                .map(l -> l.getAttribute("href")).orElse(null);
    }

    static String etagElement(Element entry) {
        return children(entry, "etag").stream().findFirst().map(e -> e.getTextContent().trim()).orElse(null);
    }
}
