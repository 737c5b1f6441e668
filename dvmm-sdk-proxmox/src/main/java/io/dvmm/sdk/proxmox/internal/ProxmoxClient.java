package io.dvmm.sdk.proxmox.internal;

import io.dvmm.sdk.proxmox.ProxmoxProvider;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.RequestEvent;
import io.dvmm.sdk.RequestListener;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.CallPolicy;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.SharedExecutorService;
import io.dvmm.sdk.spi.support.TlsSupport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire: one OkHttp client per connection, {@code /api2/json} requests with form bodies,
 * authentication by API token or by ticket (cookie + CSRF token, renewed before its 2 h
 * lifetime, one fresh login on a 401), and the {@code {"data":...}} envelope. Secrets are read
 * from the {@link Credentials} at each login (a password) or when first needed and again after a
 * 401 (a token), never held longer: a login refused after a rotation reads the secret once more
 * and, if it changed, tries once more with the new one. When the caller supplied the executor
 * (a {@code HypervisorRegistry} does), OkHttp's calls run on it instead of a dispatcher pool of
 * this connection's own, so that the threads stay bounded however many connections there are. Every request goes
 * through the connection's {@link CallPolicy}; only GETs are retried on transient errors.
 * Never logs headers, bodies or secrets.
 */
final class ProxmoxClient {
    private static final Logger LOG = LoggerFactory.getLogger(ProxmoxClient.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static final int DEFAULT_PORT = 8006;

    /** A ticket session: the cookie value, its CSRF token and when it was issued. */
    private record Session(String ticket, String csrf, long issuedNanos) {
        @Override
        public String toString() {
            return "Session[****]";
        }
    }

    private final HttpUrl base;
    private final OkHttpClient http;
    private final CallPolicy calls;
    private final Executor executor;
    private final Credentials credentials;
    /** The {@code Authorization} header of token credentials, read when first needed and again after a 401. */
    private volatile String tokenHeader;
    private final boolean tokenAuth;
    private final long renewAfterNanos;
    private final long maxResponseBytes;
    private final long maxListingBytes;
    private final RequestListener listener;
    private final Object sessionLock = new Object();
    private Session session;
    private CompletableFuture<Session> login;

    ProxmoxClient(HypervisorConfig config, Executor executor, CallPolicy calls, long ticketRenewMinutes) {
        this.calls = calls;
        this.maxResponseBytes = config.maxResponseBytes();
        this.maxListingBytes = config.maxListingBytes();
        this.listener = config.requestListener();
        this.executor = executor;
        this.credentials = config.credentials();
        URI endpoint = config.endpoint();
        String host = endpoint.getHost();
        if (host == null || host.isBlank()) {
            throw new InvalidSpecException("endpoint", "needs a host, such as proxmox://pve1:8006",
                    ErrorContext.of(ProxmoxProvider.TYPE, "connect"));
        }
        this.base = new HttpUrl.Builder().scheme("https").host(host)
                .port(endpoint.getPort() > 0 ? endpoint.getPort() : DEFAULT_PORT)
                .addPathSegment("api2").addPathSegment("json").build();
        switch (credentials.kind()) {
            case API_TOKEN -> this.tokenAuth = true;
            case PASSWORD -> this.tokenAuth = false;
            default -> throw new InvalidSpecException("credentials",
                    "Proxmox needs Credentials.apiToken(id, secret) or Credentials.password(user@realm, password)",
                    ErrorContext.of(ProxmoxProvider.TYPE, "connect"));
        }
        this.renewAfterNanos = Duration.ofMinutes(ticketRenewMinutes).toNanos();
        TlsSupport.Material tls = TlsSupport.create(config.tls(), ProxmoxProvider.TYPE, endpoint);
        // A caller's executor runs OkHttp's calls too (its shutdown stays the caller's business); else the dispatcher's own pool.
        Dispatcher dispatcher = config.executor().isPresent() ? new Dispatcher(new SharedExecutorService(executor)) : new Dispatcher();
        dispatcher.setMaxRequests(config.maxConcurrentRequests());
        dispatcher.setMaxRequestsPerHost(config.maxConcurrentRequests());
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                // pveproxy speaks HTTP/1.1; an HTTP/2 proxy in between must not change how requests fail.
                .protocols(List.of(okhttp3.Protocol.HTTP_1_1))
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(Math.max(5, config.maxConcurrentRequests()), 30, TimeUnit.SECONDS))
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                // OkHttp would silently repeat a POST on a stale connection; a repeated clone is a second VM.
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .sslSocketFactory(tls.sslContext().getSocketFactory(), tls.trustManager());
        if (!tls.verifyHostname()) {
            // A pin identifies the certificate exactly (or the caller opted into insecure mode).
            b.hostnameVerifier((hostname, sslSession) -> true);
        }
        this.http = b.build();
    }

    /** Builds a path below {@code /api2/json} from raw segments; each is escaped when sent. */
    static List<String> path(Object... segments) {
        return java.util.Arrays.stream(segments).map(String::valueOf).toList();
    }

    /**
     * Refuses a path segment that the URL builder would drop or resolve ({@code .}, {@code ..},
     * empty) or that holds control characters: a hostile name never addresses another resource.
     * Providers validate their own fields first (naming them); this is the last line.
     */
    static void checkSegments(List<String> path) {
        for (String s : path) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidSpecException("path", "segment '" + s.replaceAll("\\p{Cntrl}", "?")
                        + "' of /" + String.join("/", path) + " is not a name", ErrorContext.of(ProxmoxProvider.TYPE, "request"));
            }
        }
    }

    CompletableFuture<JsonNode> get(String operation, List<String> path, Map<String, String> query) {
        return get(operation, path, query, null);
    }

    CompletableFuture<JsonNode> get(String operation, List<String> path, Map<String, String> query, Deadline deadline) {
        return request(operation, true, "GET", path, query, null, deadline);
    }

    CompletableFuture<JsonNode> post(String operation, List<String> path, Map<String, String> form) {
        return post(operation, path, form, null);
    }

    CompletableFuture<JsonNode> post(String operation, List<String> path, Map<String, String> form, Deadline deadline) {
        return request(operation, false, "POST", path, Map.of(), form, deadline);
    }

    /**
     * A POST whose repetition is harmless (a config with the same values, a power action whose
     * second copy fails as "already running"), so the retry path may send it again after a lost
     * answer.
     */
    CompletableFuture<JsonNode> postRepeatable(String operation, List<String> path, Map<String, String> form, Deadline deadline) {
        return request(operation, true, "POST", path, Map.of(), form, deadline);
    }

    CompletableFuture<JsonNode> put(String operation, List<String> path, Map<String, String> form, Deadline deadline) {
        return request(operation, false, "PUT", path, Map.of(), form, deadline);
    }

    /** DELETE takes its parameters in the query string; a body gets 501 "Unexpected content". */
    CompletableFuture<JsonNode> delete(String operation, List<String> path, Map<String, String> query, Deadline deadline) {
        return request(operation, false, "DELETE", path, query, null, deadline);
    }

    private CompletableFuture<JsonNode> request(String operation, boolean idempotent, String method, List<String> path,
                                                Map<String, String> query, Map<String, String> form, Deadline deadline) {
        try {
            checkSegments(path);
        } catch (InvalidSpecException e) {
            return Futures.failed(e);
        }
        return calls.call(operation, idempotent, deadline, timeout -> send(operation, method, path, query, form, timeout, true));
    }

    private CompletableFuture<JsonNode> send(String operation, String method, List<String> path, Map<String, String> query,
                                             Map<String, String> form, Duration timeout, boolean mayRelogin) {
        ErrorContext ctx = ErrorContext.of(ProxmoxProvider.TYPE, operation);
        if (tokenAuth) {
            String header;
            try {
                header = tokenHeader();
            } catch (HypervisorException e) {
                return Futures.failed(e);
            }
            return execute(ctx, method, path, query, form, null, header, timeout).exceptionallyCompose(e -> {
                Throwable cause = Futures.unwrap(e);
                if (mayRelogin && credentials.rotates() && cause instanceof AuthenticationException ae
                        && "401".equals(ae.serverCode().orElse("")) && rereadToken(header)) {
                    LOG.info("token {} refused on {} {}; its secret changed since it was read, sending once more",
                            credentials.principal().orElse(""), method, describe(path));
                    return send(operation, method, path, query, form, timeout, false);
                }
                return CompletableFuture.failedFuture(cause);
            });
        }
        return session(ctx, timeout).thenCompose(s -> execute(ctx, method, path, query, form, s, null, timeout)
                .exceptionallyCompose(e -> {
                    Throwable cause = io.dvmm.sdk.spi.support.Futures.unwrap(e);
                    if (mayRelogin && cause instanceof AuthenticationException ae && "401".equals(ae.serverCode().orElse(""))) {
                        LOG.debug("ticket refused on {} {}; logging in again once", method, describe(path));
                        invalidate(s);
                        return send(operation, method, path, query, form, timeout, false);
                    }
                    return CompletableFuture.failedFuture(cause);
                }));
    }

    /** The token header, reading the secret when no header is held. */
    private String tokenHeader() {
        String h = tokenHeader;
        if (h == null) {
            h = "PVEAPIToken=" + credentials.principal().orElseThrow() + "=" + credentials.secret().orElseThrow();
            tokenHeader = h;
        }
        return h;
    }

    /** After a 401: reads the secret again; whether it changed (and the new header is held). */
    private boolean rereadToken(String refused) {
        try {
            String fresh = "PVEAPIToken=" + credentials.principal().orElseThrow() + "=" + credentials.secret().orElseThrow();
            if (fresh.equals(refused)) {
                return false;
            }
            tokenHeader = fresh;
            return true;
        } catch (HypervisorException e) {
            LOG.debug("reading the token secret again failed: {}", e.getMessage());
            return false;
        }
    }

    private void invalidate(Session s) {
        synchronized (sessionLock) {
            if (session == s) {
                session = null;
            }
        }
    }

    /** The current ticket; logs in (or renews) once for all concurrent callers. */
    private CompletableFuture<Session> session(ErrorContext ctx, Duration timeout) {
        synchronized (sessionLock) {
            Session s = session;
            if (s != null && System.nanoTime() - s.issuedNanos() < renewAfterNanos) {
                return CompletableFuture.completedFuture(s);
            }
            if (login != null && !login.isDone()) {
                return login;
            }
            CompletableFuture<Session> f = s != null
                    ? requestTicket(ctx, s.ticket(), timeout).exceptionallyCompose(e -> passwordLogin(ctx, timeout))
                    : passwordLogin(ctx, timeout);
            login = f;
            f.whenComplete((fresh, e) -> {
                synchronized (sessionLock) {
                    if (fresh != null) {
                        session = fresh;
                    }
                }
            });
            return f;
        }
    }

    /**
     * A login with the password as the credentials answer it now; refused, and the password
     * rotating, it is read once more and, if it changed since, sent once more.
     */
    private CompletableFuture<Session> passwordLogin(ErrorContext ctx, Duration timeout) {
        String first;
        try {
            first = credentials.secret().orElseThrow();
        } catch (HypervisorException e) {
            return Futures.failed(e);
        }
        return requestTicket(ctx, first, timeout).exceptionallyCompose(e -> {
            Throwable cause = Futures.unwrap(e);
            if (!(cause instanceof AuthenticationException) || !credentials.rotates()) {
                return Futures.failed(cause);
            }
            String again;
            try {
                again = credentials.secret().orElseThrow();
            } catch (HypervisorException reread) {
                return Futures.failed(cause);
            }
            if (again.equals(first)) {
                return Futures.failed(cause);
            }
            LOG.info("login to {} as {} refused; the password changed since it was read, logging in once more", base.host(),
                    credentials.principal().orElse(""));
            return requestTicket(ctx, again, timeout);
        });
    }

    private CompletableFuture<Session> requestTicket(ErrorContext ctx, String password, Duration timeout) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("username", credentials.principal().orElseThrow());
        form.put("password", password);
        return execute(ctx.withOperation("login"), "POST", path("access", "ticket"), Map.of(), form, null, null, timeout).thenApply(data -> {
            if (data.has("NeedTFA") && data.path("NeedTFA").asInt() == 1) {
                throw new AuthenticationException("the user needs two-factor authentication; use an API token", ctx);
            }
            String ticket = data.path("ticket").asText(null);
            String csrf = data.path("CSRFPreventionToken").asText(null);
            if (ticket == null || csrf == null) {
                throw new ProtocolException("login answered without ticket or CSRFPreventionToken", ctx);
            }
            LOG.debug("logged in to {} as {}", base.host(), credentials.principal().orElse(""));
            return new Session(ticket, csrf, System.nanoTime());
        });
    }

    private CompletableFuture<JsonNode> execute(ErrorContext ctx, String method, List<String> path, Map<String, String> query,
                                                Map<String, String> form, Session s, String authorization, Duration timeout) {
        HttpUrl.Builder url = base.newBuilder();
        for (String segment : path) {
            url.addPathSegment(segment);
        }
        query.forEach(url::addQueryParameter);
        Request.Builder rb = new Request.Builder().url(url.build()).header("Accept", "application/json");
        RequestBody body = null;
        if (form != null) {
            FormBody.Builder fb = new FormBody.Builder();
            form.forEach(fb::add);
            body = fb.build();
        }
        rb.method(method, body);
        if (authorization != null) {
            rb.header("Authorization", authorization);
        } else if (s != null) {
            rb.header("Cookie", "PVEAuthCookie=" + s.ticket());
            if (!"GET".equals(method)) {
                rb.header("CSRFPreventionToken", s.csrf());
            }
        }
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        long start = System.nanoTime();
        String what = method + " " + describe(path);
        long limit = path.size() >= 2 && path.get(0).equals("cluster") && path.get(1).equals("resources")
                ? maxListingBytes : maxResponseBytes;
        long sent = body == null ? 0 : contentLength(body);
        Call call = http.newCall(rb.build());
        // The whole exchange, body included, within this attempt's share of the deadline.
        call.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        Futures.onCancel(result, call::cancel);
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                LOG.debug("{} failed after {} ms: {}", what, elapsedMillis(start), e.toString());
                report(ctx, method, path, 0, start, sent, -1, e.getClass().getSimpleName());
                complete(result, null, ProxmoxErrors.fromIo(what, e, ctx));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response; ResponseBody rbody = response.body()) {
                    byte[] bytes = read(c, rbody, limit, ctx, what);
                    LOG.debug("{} -> {} in {} ms", what, response.code(), elapsedMillis(start));
                    report(ctx, method, path, response.code(), start, sent, bytes.length, null);
                    executor.execute(() -> {
                        try {
                            if (response.isSuccessful()) {
                                result.complete(parseData(what, bytes, ctx));
                            } else {
                                result.completeExceptionally(error(response, bytes, ctx));
                            }
                        } catch (HypervisorException e) {
                            result.completeExceptionally(e);
                        }
                    });
                } catch (IOException e) {
                    report(ctx, method, path, response.code(), start, sent, -1, e.getClass().getSimpleName());
                    complete(result, null, ProxmoxErrors.fromIo(what, e, ctx));
                } catch (HypervisorException e) {
                    report(ctx, method, path, response.code(), start, sent, -1, "too large");
                    complete(result, null, e);
                } catch (RejectedExecutionException e) {
                    result.completeExceptionally(new io.dvmm.sdk.UnavailableException("connection closed", ctx, e));
                }
            }
        });
        return result;
    }

    private void complete(CompletableFuture<JsonNode> f, JsonNode value, Throwable error) {
        Runnable r = () -> {
            if (error != null) {
                f.completeExceptionally(error);
            } else {
                f.complete(value);
            }
        };
        try {
            executor.execute(r);
        } catch (RejectedExecutionException e) {
            r.run();
        }
    }

    /** Reads a body up to {@code limit} bytes; a larger one is refused without being held in memory or drained. */
    private static byte[] read(Call call, ResponseBody body, long limit, ErrorContext ctx, String what) throws IOException {
        if (body == null) {
            return new byte[0];
        }
        // Refused at once when the length says so; otherwise read up to the limit and no further. The call is cancelled
        // either way, so that closing the body drops the connection instead of draining the rest to reuse it.
        if (body.contentLength() > limit) {
            call.cancel();
            throw new ProtocolException(what + ": the response is larger than " + limit + " bytes (Content-Length " + body.contentLength() + "); refused", ctx);
        }
        okio.BufferedSource source = body.source();
        if (source.request(limit + 1)) {
            call.cancel();
            throw new ProtocolException(what + ": the response is larger than " + limit + " bytes; refused", ctx);
        }
        return source.getBuffer().readByteArray();
    }

    private static long contentLength(RequestBody body) {
        try {
            return body.contentLength();
        } catch (IOException e) {
            return -1;
        }
    }

    private void report(ErrorContext ctx, String method, List<String> path, int status, long startNanos, long sent, long received,
                        String failure) {
        try {
            listener.onRequest(RequestEvent.builder().provider(ProxmoxProvider.TYPE).operation(ctx.operation()).method(method)
                    .target(describe(path)).status(status).latency(Duration.ofNanos(System.nanoTime() - startNanos))
                    .bytesSent(sent).bytesReceived(received).failure(failure).build());
        } catch (RuntimeException e) {
            LOG.debug("request listener threw: {}", e.toString());
        }
    }

    /** The {@code data} of a successful answer; a body that is no JSON is a {@link ProtocolException}. */
    static JsonNode parseData(String what, byte[] text, ErrorContext ctx) {
        if (text.length == 0) {
            return NullNode.getInstance();
        }
        try {
            JsonNode root = JSON.readTree(text);
            JsonNode data = root == null ? null : root.get("data");
            return data == null ? NullNode.getInstance() : data;
        } catch (IOException e) {
            throw new ProtocolException(what + ": malformed JSON from the server: " + e.getMessage(), ctx, true, e);
        }
    }

    private static HypervisorException error(Response response, byte[] text, ErrorContext ctx) {
        String message = response.message();
        Map<String, String> fieldErrors = new LinkedHashMap<>();
        try {
            JsonNode root = text.length == 0 ? null : JSON.readTree(text);
            if (root != null) {
                root.path("errors").properties().forEach(e -> fieldErrors.put(e.getKey(), e.getValue().asText()));
                if ((message == null || message.isBlank()) && root.hasNonNull("message")) {
                    message = root.get("message").asText();
                }
            }
        } catch (IOException e) {
            // The reason phrase is what counts; a non-JSON body (proxy error page) is ignored.
        }
        return ProxmoxErrors.fromResponse(response.code(), message, fieldErrors,
                ctx.toBuilder().retryAfter(retryAfter(response.header("Retry-After"))).build());
    }

    /** {@code Retry-After} in seconds (the HTTP-date form is not used by pveproxy), or {@code null}. */
    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 3600));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static String describe(List<String> path) {
        return "/" + String.join("/", path);
    }

    /** Releases sockets and the dispatcher's threads. */
    void close() {
        http.dispatcher().cancelAll();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
