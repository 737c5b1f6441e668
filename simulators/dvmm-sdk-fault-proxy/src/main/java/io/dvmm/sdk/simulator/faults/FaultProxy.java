package io.dvmm.sdk.simulator.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import io.dvmm.sdk.simulator.SimulatorCertificate;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A WireMock server on loopback that forwards every request to one target and injects faults on
 * the requests its {@link Rule rules} pick. Rules are checked in order; the first that matches and
 * fires decides. Thread-safe; close it after the test.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.https(sim.url())
 *         .rule(FaultProxy.Rule.on("POST", ".*clone").probability(0.1).kinds(FaultKind.values()))) {
 *     ... connect the SDK to proxy.url(), pinning proxy.certificateSha256()
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
    private final WireMockServer server;
    private final boolean https;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Injected> injected = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, FaultKind> pending = new ConcurrentHashMap<>();
    private final Random random;
    private volatile Duration clientTimeout = Duration.ofSeconds(5);
    private final SimulatorCertificate certificate = SimulatorCertificate.shared();
    /** Marks a request the proxy replays itself (a late request): forwarded without a fault. */
    private static final String REPLAY = "X-Dvmm-Fault-Replay";
    private final java.util.concurrent.ScheduledExecutorService replays = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dvmm-fault-proxy-replay");
        t.setDaemon(true);
        return t;
    });

    /** One fault the proxy injected. */
    public record Injected(FaultKind kind, String method, String path) {
    }

    /**
     * Which requests get which faults: a method and a path pattern (and optionally a body
     * substring), fired by count or probability, with one of the given kinds picked at random.
     */
    public static final class Rule {
        private final String method;
        private final Pattern path;
        private String bodyContains;
        private double probability = 1.0;
        private int remaining = Integer.MAX_VALUE;
        private List<FaultKind> kinds = List.of(FaultKind.RESET_AFTER);

        private Rule(String method, String pathRegex) {
            this.method = method == null ? "*" : method.toUpperCase(Locale.ROOT);
            this.path = Pattern.compile(pathRegex);
        }

        /**
         * @param method an HTTP method, or {@code *}
         * @param pathRegex a regular expression the whole path must match
         * @return a rule that fires on every matching request, with {@link FaultKind#RESET_AFTER}
         */
        public static Rule on(String method, String pathRegex) {
            return new Rule(method, pathRegex);
        }

        /**
         * @param text a substring the request body must contain (a SOAP method's name)
         * @return this rule
         */
        public Rule bodyContains(String text) {
            this.bodyContains = text;
            return this;
        }

        /**
         * @param p the chance, 0 to 1, that a matching request gets a fault
         * @return this rule
         */
        public Rule probability(double p) {
            this.probability = p;
            return this;
        }

        /**
         * @param n how many faults this rule injects at most
         * @return this rule
         */
        public Rule times(int n) {
            this.remaining = n;
            return this;
        }

        /**
         * @param values the kinds to pick from, at random
         * @return this rule
         */
        public Rule kinds(FaultKind... values) {
            this.kinds = List.of(values);
            return this;
        }

        synchronized FaultKind fire(Request request, Random random) {
            if (remaining <= 0 || !(method.equals("*") || method.equals(request.getMethod().getName()))
                    || !path.matcher(pathOf(request)).matches()
                    || (bodyContains != null && !request.getBodyAsString().contains(bodyContains))) {
                return null;
            }
            if (random.nextDouble() >= probability) {
                return null;
            }
            remaining--;
            return kinds.get(random.nextInt(kinds.size()));
        }
    }

    private static String pathOf(Request request) {
        String url = request.getUrl();
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private FaultProxy(URI target, boolean https, long seed) {
        this.https = https;
        this.random = new Random(seed);
        WireMockConfiguration options = WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .containerThreads(120)
                .jettyAcceptors(2)
                .disableRequestJournal()
                .trustAllProxyTargets(true)
                // WireMock opens a new connection to the target for every request by default: behind HTTPS that is a
                // TLS handshake per request on both ends, most of a soak's CPU. A reverse proxy keeps them open.
                .disableConnectionReuse(false)
                .stubCorsEnabled(false)
                .extensions(new Before(), new After());
        if (https) {
            options.httpDisabled(true).dynamicHttpsPort().keystorePath(keyStore().toString()).keystorePassword(STORE_PASSWORD)
                    .keyManagerPassword(STORE_PASSWORD).keystoreType("PKCS12");
        } else {
            options.dynamicPort();
        }
        this.server = new WireMockServer(options);
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(target.toString())));
    }

    private static final String STORE_PASSWORD = "fault-proxy";

    /** The shared simulator certificate as a key store file, written once per JVM. */
    private Path keyStore() {
        try {
            Path file = Files.createTempFile("dvmm-fault-proxy", ".p12");
            file.toFile().deleteOnExit();
            return certificate.writeKeyStore(file, STORE_PASSWORD);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the proxy's key store", e);
        }
    }

    /**
     * @param target where requests go, such as the simulator's {@code https://127.0.0.1:PORT}
     * @return a started proxy serving HTTPS with its own self-signed certificate
     */
    public static FaultProxy https(URI target) {
        return new FaultProxy(target, true, 42);
    }

    /**
     * @param target where requests go
     * @param seed the seed of the random choices, so a run can be repeated
     * @return a started proxy serving HTTPS
     */
    public static FaultProxy https(URI target, long seed) {
        return new FaultProxy(target, true, seed);
    }

    /**
     * @param target where requests go
     * @return a started proxy serving plain HTTP
     */
    public static FaultProxy http(URI target) {
        return new FaultProxy(target, false, 42);
    }

    /**
     * @param rule a rule, checked after those added before
     * @return this proxy
     */
    public FaultProxy rule(Rule rule) {
        rules.add(Objects.requireNonNull(rule, "rule"));
        return this;
    }

    /** Removes every rule; faults already injected stay recorded. */
    public void clearRules() {
        rules.clear();
    }

    /**
     * @param timeout the client's read timeout: late answers and held requests wait a little longer
     * @return this proxy
     */
    public FaultProxy clientTimeout(Duration timeout) {
        this.clientTimeout = timeout;
        return this;
    }

    /** @return the proxy's base URL */
    public URI url() {
        return URI.create((https ? "https" : "http") + "://127.0.0.1:" + port());
    }

    /** @return the proxy's port */
    public int port() {
        return https ? server.httpsPort() : server.port();
    }

    /** @return the faults injected so far, in order */
    public List<Injected> injected() {
        return List.copyOf(injected);
    }

    /** @return the SHA-256 fingerprint of the proxy's certificate (the shared simulator certificate), for a pin */
    public String certificateSha256() {
        if (!https) {
            throw new IllegalStateException("a plain HTTP proxy has no certificate");
        }
        return certificate.sha256();
    }

    private FaultKind pick(Request request) {
        for (Rule r : rules) {
            FaultKind k = r.fire(request, random);
            if (k != null) {
                injected.add(new Injected(k, request.getMethod().getName(), pathOf(request)));
                return k;
            }
        }
        return null;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Faults decided before forwarding; forwarded ones are handed to {@link After} through a header. */
    private final class Before implements StubRequestFilterV2 {
        @Override
        public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
            if (request.containsHeader(REPLAY)) {
                return RequestFilterAction.continueWith(request);
            }
            FaultKind kind = pick(request);
            if (kind == null) {
                return RequestFilterAction.continueWith(request);
            }
            Duration beyond = clientTimeout.plusSeconds(1);
            switch (kind) {
                case RESET_BEFORE:
                    return RequestFilterAction.stopWith(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER).build());
                case UNAVAILABLE_RETRY_AFTER:
                    return RequestFilterAction.stopWith(aResponse().withStatus(503).withStatusMessage("Service Unavailable")
                            .withHeader("Retry-After", "1").build());
                case STATUS_596:
                    return RequestFilterAction.stopWith(aResponse().withStatus(596).withStatusMessage("Connection timed out")
                            .build());
                case NEVER_ANSWER:
                    return RequestFilterAction.stopWith(aResponse().withFixedDelay((int) beyond.plusSeconds(2).toMillis())
                            .withFault(Fault.EMPTY_RESPONSE).build());
                case LATE_REQUEST:
                    // The client waits in vain; its request is replayed through the proxy once it has given up.
                    replayLater(request, beyond);
                    return RequestFilterAction.stopWith(aResponse().withFixedDelay((int) beyond.plusSeconds(2).toMillis())
                            .withFault(Fault.EMPTY_RESPONSE).build());
                default:
                    pending.put(serveEvent.getId().toString(), kind);
                    return RequestFilterAction.continueWith(request);
            }
        }

        @Override
        public String getName() {
            return "dvmm-fault-before";
        }
    }

    /** Faults on the target's answer: the request was forwarded and acted on. */
    private final class After implements ResponseTransformerV2 {
        @Override
        public Response transform(Response response, ServeEvent serveEvent) {
            FaultKind kind = pending.remove(serveEvent.getId().toString());
            if (kind == null) {
                return response;
            }
            byte[] body = response.getBody() == null ? new byte[0] : response.getBody();
            switch (kind) {
                case RESET_AFTER:
                    return Response.Builder.like(response).but().fault(Fault.CONNECTION_RESET_BY_PEER).build();
                case LATE_ANSWER:
                    sleep(clientTimeout.plusSeconds(1));
                    return response;
                case TRUNCATED_BODY:
                    return Response.Builder.like(response).but().fault(Fault.MALFORMED_RESPONSE_CHUNK).build();
                case MALFORMED_BODY:
                    return Response.Builder.like(response).but().headers(withoutLength(response.getHeaders()))
                            .body("<<garbage \u0000 not what was asked>>".getBytes(StandardCharsets.UTF_8)).build();
                case STALLED_BODY:
                    return Response.Builder.like(response).but().headers(withoutLength(response.getHeaders()))
                            .body(body.length < 2 ? "{}".getBytes(StandardCharsets.UTF_8) : body)
                            .chunkedDribbleDelay(new com.github.tomakehurst.wiremock.http.ChunkedDribbleDelay(Math.max(2,
                                    Math.min(body.length, 4)), (int) clientTimeout.multipliedBy(3).toMillis()))
                            .build();
                default:
                    return response;
            }
        }

        @Override
        public String getName() {
            return "dvmm-fault-after";
        }
    }

    /** Sends a copy of the request through this proxy (so the target gets it, unfaulted) after {@code delay}. */
    private void replayLater(Request request, Duration delay) {
        String method = request.getMethod().getName();
        String path = request.getUrl();
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody();
        List<String[]> headers = new ArrayList<>();
        for (HttpHeader h : request.getHeaders().all()) {
            String k = h.key().toLowerCase(Locale.ROOT);
            if (!k.equals("host") && !k.equals("content-length") && !k.equals("connection") && !k.equals("expect")
                    && !k.equals("upgrade") && !k.equals("transfer-encoding")) {
                for (String v : h.values()) {
                    headers.add(new String[] {h.key(), v});
                }
            }
        }
        replays.schedule(() -> {
            try {
                java.net.http.HttpClient.Builder b = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1);
                if (https) {
                    b.sslContext(certificate.clientContext());
                }
                java.net.http.HttpRequest.Builder r = java.net.http.HttpRequest.newBuilder(url().resolve(path))
                        .method(method, java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).header(REPLAY, "1")
                        .timeout(Duration.ofSeconds(30));
                headers.forEach(h -> r.header(h[0], h[1]));
                b.build().send(r.build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            } catch (IOException | InterruptedException | IllegalArgumentException e) {
                // best effort: a replay that cannot be sent is a request that never arrived
            }
        }, delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static HttpHeaders withoutLength(HttpHeaders headers) {
        List<HttpHeader> kept = new ArrayList<>();
        for (HttpHeader h : headers.all()) {
            if (!h.keyEquals("Content-Length") && !h.keyEquals("Transfer-Encoding")) {
                kept.add(h);
            }
        }
        return new HttpHeaders(kept);
    }

    /**
     * @param kinds faults to count
     * @return how many of them were injected
     */
    public long count(Predicate<FaultKind> kinds) {
        return injected.stream().filter(i -> kinds.test(i.kind())).count();
    }

    @Override
    public void close() {
        replays.shutdownNow();
        server.stop();
    }
}
