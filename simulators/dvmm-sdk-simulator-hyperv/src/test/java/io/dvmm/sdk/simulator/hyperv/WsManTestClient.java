package io.dvmm.sdk.simulator.hyperv;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A small WinRM client for the tests, on the JDK's HttpClient with Basic authentication: envelopes as winrm4j sends
 * them (a test's envelope text may be built from strings; the simulator's may not).
 */
final class WsManTestClient {

    static final String SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell";
    static final String TRANSFER = "http://schemas.xmlsoap.org/ws/2004/09/transfer";

    /** One HTTP exchange. */
    record Exchange(int status, String body, Document xml, Map<String, List<String>> headers) {
        String wsmanFaultCode() {
            NodeList n = xml == null ? null : xml.getElementsByTagNameNS("http://schemas.microsoft.com/wbem/wsman/1/wsmanfault", "WSManFault");
            return n == null || n.getLength() == 0 ? null : ((Element) n.item(0)).getAttribute("Code");
        }

        String text(String ns, String local) {
            NodeList n = xml.getElementsByTagNameNS(ns, local);
            return n.getLength() == 0 ? null : n.item(0).getTextContent();
        }
    }

    /** What a command printed. */
    record Output(String stdout, String stderr, int exitCode, int receives) {
    }

    private final HttpClient http;
    private final URI url;
    private final String authorization;
    String operationTimeout = "PT20S";

    WsManTestClient(HyperVSimulator sim) {
        this(sim, sim.username(), sim.password());
    }

    WsManTestClient(HyperVSimulator sim, String user, String password) {
        this.url = sim.url();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (sim.tls()) {
            b.sslContext(sslContext(sim.trustStore()));
        }
        this.http = b.build();
    }

    static SSLContext sslContext(KeyStore trust) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    String envelope(String action, String shellId, String options, String body) {
        return envelope(action, shellId, options, body, "uuid:" + UUID.randomUUID());
    }

    String envelope(String action, String shellId, String options, String body, String messageId) {
        return "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\""
                + " xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\""
                + " xmlns:w=\"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd\" xmlns:rsp=\"" + SHELL + "\">"
                + "<s:Header><a:To>" + esc(url.toString()) + "</a:To>"
                + "<a:ReplyTo><a:Address s:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>"
                + "<a:Action s:mustUnderstand=\"true\">" + action + "</a:Action>"
                + "<w:MaxEnvelopeSize s:mustUnderstand=\"true\">153600</w:MaxEnvelopeSize>"
                + "<a:MessageID>" + messageId + "</a:MessageID>"
                + "<w:Locale xml:lang=\"en-US\" s:mustUnderstand=\"false\"/>"
                + "<w:OperationTimeout>" + operationTimeout + "</w:OperationTimeout>"
                + "<w:ResourceURI s:mustUnderstand=\"true\">http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd</w:ResourceURI>"
                + (shellId == null ? "" : "<w:SelectorSet><w:Selector Name=\"ShellId\">" + shellId + "</w:Selector></w:SelectorSet>")
                + (options == null ? "" : "<w:OptionSet>" + options + "</w:OptionSet>")
                + "</s:Header><s:Body>" + body + "</s:Body></s:Envelope>";
    }

    Exchange post(String xml) {
        return post(xml, "application/soap+xml;charset=UTF-8", authorization);
    }

    Exchange post(String xml, String contentType, String auth) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(90))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8));
            if (auth != null) {
                r.header("Authorization", auth);
            }
            HttpResponse<byte[]> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(resp.body(), StandardCharsets.UTF_8);
            Document doc = null;
            if (body.startsWith("<s:Envelope")) {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(true);
                try {
                    doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(resp.body()));
                } catch (org.xml.sax.SAXException malformed) {
                    doc = null;
                }
            }
            return new Exchange(resp.statusCode(), body, doc, resp.headers().map());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String createShell(Map<String, String> env) {
        StringBuilder vars = new StringBuilder();
        env.forEach((k, v) -> vars.append("<rsp:Variable Name=\"").append(esc(k)).append("\">").append(esc(v)).append("</rsp:Variable>"));
        Exchange e = post(envelope(TRANSFER + "/Create", null,
                "<w:Option Name=\"WINRS_NOPROFILE\">FALSE</w:Option><w:Option Name=\"WINRS_CODEPAGE\">437</w:Option>",
                "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams>"
                        + (env.isEmpty() ? "" : "<rsp:Environment>" + vars + "</rsp:Environment>") + "</rsp:Shell>"));
        if (e.status() != 200) {
            throw new AssertionError("Create: " + e.status() + " " + e.body());
        }
        NodeList sel = e.xml().getElementsByTagNameNS("http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd", "Selector");
        return sel.item(0).getTextContent();
    }

    Exchange commandExchange(String shellId, String commandLine) {
        return post(envelope(SHELL + "/Command", shellId,
                "<w:Option Name=\"WINRS_CONSOLEMODE_STDIN\">TRUE</w:Option><w:Option Name=\"WINRS_SKIP_CMD_SHELL\">FALSE</w:Option>",
                "<rsp:CommandLine><rsp:Command>" + esc(commandLine) + "</rsp:Command></rsp:CommandLine>"));
    }

    String command(String shellId, String commandLine) {
        Exchange e = commandExchange(shellId, commandLine);
        if (e.status() != 200) {
            throw new AssertionError("Command: " + e.status() + " " + e.body());
        }
        return e.text(SHELL, "CommandId");
    }

    Exchange receiveExchange(String shellId, String commandId) {
        return post(envelope(SHELL + "/Receive", shellId, null,
                "<rsp:Receive><rsp:DesiredStream rsp:CommandId=\"" + commandId + "\">stdout stderr</rsp:DesiredStream></rsp:Receive>"));
    }

    /** Receives until Done, re-issuing after an OperationTimeout fault as clients do. */
    Output receiveAll(String shellId, String commandId) {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        for (int i = 1; i < 1000; i++) {
            Exchange e = receiveExchange(shellId, commandId);
            if (e.status() == 500 && "2150858793".equals(e.wsmanFaultCode())) {
                continue;
            }
            if (e.status() != 200) {
                throw new AssertionError("Receive: " + e.status() + " " + e.body());
            }
            NodeList streams = e.xml().getElementsByTagNameNS(SHELL, "Stream");
            for (int s = 0; s < streams.getLength(); s++) {
                Element st = (Element) streams.item(s);
                String data = new String(Base64.getDecoder().decode(st.getTextContent()), StandardCharsets.ISO_8859_1);
                (st.getAttribute("Name").equals("stdout") ? out : err).append(data);
            }
            Element state = (Element) e.xml().getElementsByTagNameNS(SHELL, "CommandState").item(0);
            if (state.getAttribute("State").endsWith("/Done")) {
                return new Output(out.toString(), err.toString(),
                        Integer.parseInt(e.text(SHELL, "ExitCode")), i);
            }
        }
        throw new AssertionError("no Done");
    }

    Exchange signal(String shellId, String commandId) {
        return post(envelope(SHELL + "/Signal", shellId, null, "<rsp:Signal CommandId=\"" + commandId
                + "\"><rsp:Code>http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate</rsp:Code></rsp:Signal>"));
    }

    Exchange delete(String shellId) {
        return post(envelope(TRANSFER + "/Delete", shellId, null, ""));
    }

    /** Create, Command, Receive..., Signal, Delete. */
    Output run(String commandLine) {
        return run(commandLine, Map.of());
    }

    Output run(String commandLine, Map<String, String> env) {
        String shell = createShell(env);
        String cmd = command(shell, commandLine);
        Output o = receiveAll(shell, cmd);
        signal(shell, cmd);
        delete(shell);
        return o;
    }

    static Map<String, String> env(String k, String v) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k, v);
        return m;
    }

    static List<String> lines(String s) {
        return new ArrayList<>(List.of(s.split("\r\n")));
    }
}
