package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.spi.support.TlsSupport;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

import javax.net.ssl.SSLServerSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small fault-injecting HTTPS proxy in front of a {@link Vcsim}, for the provider's fault tests:
 * it forwards each SOAP request, then answers it as told for the vim25 method named (lost,
 * late, truncated, corrupted, a huge fault), and keeps every request body for inspection. Its
 * own certificate comes from okhttp-tls; connections pin it. Blocking sockets, a thread per
 * connection: it serves one test at a time. (The lead's shared WireMock fault proxy will replace it.)
 */
final class FaultProxy implements AutoCloseable {

    /** What the proxy does with a request it was told to break. */
    enum Fault {
        /** Forwarded; the connection is reset before any byte of the answer. */
        RESET_BEFORE_ANSWER,
        /** Forwarded; the connection is closed cleanly before any byte of the answer. */
        CLOSE_BEFORE_ANSWER,
        /** Forwarded; only the status line arrives, then the connection closes. */
        STATUS_LINE_ONLY,
        /** Forwarded; the headers arrive (with the full length), then the connection closes. */
        HEADERS_THEN_CLOSE,
        /** Forwarded; half the body arrives, then the connection closes. */
        HALF_BODY_THEN_CLOSE,
        /** Forwarded; a well-formed HTTP answer carrying only the first half of the XML. */
        TRUNCATED_XML,
        /** Forwarded; a well-formed HTTP answer carrying random bytes. */
        GARBAGE_BODY,
        /** Forwarded; 200 with an empty body. */
        EMPTY_BODY,
        /** Forwarded; 200 with well-formed XML that is no SOAP envelope. */
        NOT_SOAP,
        /** Forwarded; the proxy answers 502 itself, as a gateway that lost the upstream answer. */
        BAD_GATEWAY_AFTER_FORWARD,
        /** Forwarded; the proxy answers 500 with an HTML page. */
        HTML_ERROR_PAGE,
        /** Forwarded; the real answer, but only after {@link #lateBy}. */
        LATE,
        /** Forwarded; the connection stays open and nothing ever comes back. */
        NEVER_ANSWER,
        /** Forwarded; headers and half the body arrive, then the body stalls (the connection stays open). */
        STALL_MID_BODY,
        /** Forwarded; the headers arrive, then the body stalls (the connection stays open). */
        HEADERS_THEN_STALL,
        /** Not forwarded: a 500 SOAP fault whose faultstring is 48 MiB, streamed. */
        HUGE_FAULT
    }

    private static final Pattern METHOD = Pattern.compile("<(?:soapenv:)?Body><([A-Za-z_]+)");
    private static final long HUGE = 48L << 20;

    private final URI upstream;
    private final OkHttpClient client;
    private final ServerSocket server;
    private final String sha256;
    private final Map<String, ConcurrentLinkedQueue<Fault>> plan = new ConcurrentHashMap<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile Duration lateBy = Duration.ofSeconds(4);
    private volatile boolean closed;

    FaultProxy(Vcsim sim) {
        this.upstream = sim.sdkUrl();
        TlsSupport.Material tls = TlsSupport.create(TlsOptions.pinSha256(sim.sha256()), "vsphere", upstream);
        this.client = new OkHttpClient.Builder().sslSocketFactory(tls.sslContext().getSocketFactory(), tls.trustManager())
                .hostnameVerifier((h, s) -> true).retryOnConnectionFailure(false).followRedirects(false)
                .readTimeout(Duration.ofSeconds(120)).build();
        try {
            HeldCertificate cert = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
            HandshakeCertificates certs = new HandshakeCertificates.Builder().heldCertificate(cert).build();
            this.sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.certificate().getEncoded()));
            SSLServerSocket ss = (SSLServerSocket) certs.sslContext().getServerSocketFactory()
                    .createServerSocket(0, 64, InetAddress.getLoopbackAddress());
            this.server = ss;
        } catch (IOException | NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        this.acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return {@code vsphere://127.0.0.1:port/sdk} */
    URI vsphereUri() {
        return URI.create("vsphere://127.0.0.1:" + server.getLocalPort() + "/sdk");
    }

    /** @return the proxy certificate's SHA-256 fingerprint, for {@link TlsOptions#pinSha256} */
    String sha256() {
        return sha256;
    }

    /** Breaks the next request of {@code method} with {@code fault}. */
    FaultProxy inject(String method, Fault fault) {
        plan.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>()).add(fault);
        return this;
    }

    FaultProxy lateBy(Duration delay) {
        this.lateBy = delay;
        return this;
    }

    /** @return whether every injected fault was used */
    boolean allUsed() {
        return plan.values().stream().allMatch(ConcurrentLinkedQueue::isEmpty);
    }

    /** @return the bodies of every request received so far */
    List<String> bodies() {
        return List.copyOf(bodies);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (!closed) {
                Map<String, String> headers = new java.util.HashMap<>();
                String requestLine = readLine(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                for (String line; (line = readLine(in)) != null && !line.isEmpty(); ) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                    }
                }
                byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
                String text = new String(body, StandardCharsets.UTF_8);
                bodies.add(text);
                Matcher m = METHOD.matcher(text);
                String method = m.find() ? m.group(1) : "";
                ConcurrentLinkedQueue<Fault> q = plan.get(method);
                Fault fault = q == null ? null : q.poll();
                if (!answer(fault, headers, body, out, s)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // a broken connection is what some faults are for
        }
    }

    /** @return whether the connection may carry another request */
    private boolean answer(Fault fault, Map<String, String> headers, byte[] body, OutputStream out, Socket s) throws IOException {
        if (fault == Fault.HUGE_FAULT) {
            hugeFault(out);
            return true;
        }
        Request.Builder rb = new Request.Builder().url(upstream.toString())
                .post(RequestBody.create(body, MediaType.get(headers.getOrDefault("content-type", "text/xml; charset=utf-8"))));
        for (String h : List.of("soapaction", "cookie")) {
            if (headers.containsKey(h)) {
                rb.header(h, headers.get(h));
            }
        }
        int status;
        byte[] answer;
        List<String> cookies;
        String type;
        try (Response r = client.newCall(rb.build()).execute()) {
            status = r.code();
            answer = r.body().bytes();
            cookies = r.headers("Set-Cookie");
            type = r.header("Content-Type", "text/xml; charset=utf-8");
        }
        if (fault == null) {
            write(out, status, type, cookies, answer, answer.length);
            return true;
        }
        switch (fault) {
            case RESET_BEFORE_ANSWER -> {
                s.setSoLinger(true, 0);
                return false;
            }
            case CLOSE_BEFORE_ANSWER -> {
                return false;
            }
            case STATUS_LINE_ONLY -> {
                out.write(("HTTP/1.1 " + status + " OK\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return false;
            }
            case HEADERS_THEN_CLOSE -> {
                head(out, status, type, cookies, answer.length);
                return false;
            }
            case HALF_BODY_THEN_CLOSE -> {
                head(out, status, type, cookies, answer.length);
                out.write(answer, 0, answer.length / 2);
                out.flush();
                return false;
            }
            case TRUNCATED_XML -> write(out, status, type, cookies, java.util.Arrays.copyOf(answer, answer.length / 2), answer.length / 2);
            case GARBAGE_BODY -> {
                byte[] junk = new byte[answer.length];
                new java.util.Random(42).nextBytes(junk);
                write(out, status, type, cookies, junk, junk.length);
            }
            case EMPTY_BODY -> write(out, 200, type, cookies, new byte[0], 0);
            case NOT_SOAP -> {
                byte[] x = "<?xml version=\"1.0\"?><html><body>maintenance</body></html>".getBytes(StandardCharsets.UTF_8);
                write(out, 200, type, cookies, x, x.length);
            }
            case BAD_GATEWAY_AFTER_FORWARD -> {
                byte[] x = "upstream answer lost".getBytes(StandardCharsets.UTF_8);
                write(out, 502, "text/plain", List.of(), x, x.length);
            }
            case HTML_ERROR_PAGE -> {
                byte[] x = "<html><h1>500 Internal Server Error</h1></html>".getBytes(StandardCharsets.UTF_8);
                write(out, 500, "text/html", List.of(), x, x.length);
            }
            case LATE -> {
                sleep(lateBy);
                write(out, status, type, cookies, answer, answer.length);
            }
            case NEVER_ANSWER -> {
                sleep(Duration.ofMinutes(10));
                return false;
            }
            case STALL_MID_BODY -> {
                head(out, status, type, cookies, answer.length);
                out.write(answer, 0, answer.length / 2);
                out.flush();
                sleep(Duration.ofMinutes(10));
                return false;
            }
            case HEADERS_THEN_STALL -> {
                head(out, status, type, cookies, answer.length);
                sleep(Duration.ofMinutes(10));
                return false;
            }
            default -> throw new IllegalStateException(fault.toString());
        }
        return true;
    }

    private void hugeFault(OutputStream out) throws IOException {
        byte[] prefix = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>").getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>".getBytes(StandardCharsets.UTF_8);
        head(out, 500, "text/xml; charset=utf-8", List.of(), prefix.length + HUGE + suffix.length);
        out.write(prefix);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (long left = HUGE; left > 0; left -= chunk.length) {
            out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
        out.write(suffix);
        out.flush();
    }

    private static void head(OutputStream out, int status, String type, List<String> cookies, long length) throws IOException {
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(status == 200 ? " OK" : " Error").append("\r\n");
        h.append("Content-Type: ").append(type).append("\r\n");
        cookies.forEach(c -> h.append("Set-Cookie: ").append(c).append("\r\n"));
        h.append("Content-Length: ").append(length).append("\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void write(OutputStream out, int status, String type, List<String> cookies, byte[] body, long length)
            throws IOException {
        head(out, status, type, cookies, length);
        out.write(body);
        out.flush();
    }

    private void sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (!closed && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        List<Socket> all = new ArrayList<>(sockets);
        for (Socket s : all) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
        client.dispatcher().executorService().shutdownNow();
        client.connectionPool().evictAll();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
