package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.RequestEvent;
import io.dvmm.sdk.RequestListener;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.powervm.PowerVmProvider;
import io.dvmm.sdk.spi.support.CallPolicy;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.TlsSupport;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire: one OkHttp client per connection (HTTP/1.1 only, no silent resends), the HMC's API
 * session ({@code PUT /rest/api/web/Logon}, the {@code X-API-Session} header on every request,
 * {@code DELETE} on close) and bounded answers. Every request goes through the connection's
 * {@link CallPolicy}, the one retry path, which may send it again only when repeating it is
 * harmless or the HMC refused it as busy (a busy VIOS did not carry it out): busy refusals wait
 * linearly longer each time ({@code Retry-After}). The client's own resend rule is the HMC's:
 * a request refused with 401 (the API session expired) is sent once more after one fresh logon;
 * a second 401 stops, since repeated logons can lock the account. Never logs headers, bodies,
 * the password or the session token.
 */
final class HmcClient {
    private static final Logger LOG = LoggerFactory.getLogger(HmcClient.class);
    static final int DEFAULT_PORT = 12443;
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");
    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

    /** Whether a request may be sent again after a failure that leaves its outcome open. */
    enum Resend {
        /** Repeating it is harmless (reads, deletes, updates guarded by {@code If-Match}, power jobs). */
        IDEMPOTENT,
        /** Sent again only when the HMC refused it as busy (creates, jobs that make something). */
        REFUSED_ONLY
    }

    /**
     * An answer.
     *
     * @param status the HTTP status
     * @param etag the {@code ETag} header, or null
     * @param date the {@code Date} header, or null
     * @param mcType the {@code X-MC-Type} header ({@code PVM} for NovaLink), or null
     * @param body the body, possibly empty
     * @param what the request, for errors
     */
    record Answer(int status, String etag, String date, String mcType, byte[] body, String what) {
    }

    private final HttpUrl base;
    private final OkHttpClient http;
    private final CallPolicy calls;
    private final Executor executor;
    private final Credentials credentials;
    private final long maxResponseBytes;
    private final long maxListingBytes;
    private final RequestListener listener;
    private final Duration busyStep;
    private final Object sessionLock = new Object();
    private String session;
    private CompletableFuture<String> logon;
    private volatile String mcType;

    HmcClient(HypervisorConfig config, Executor executor, CallPolicy calls, Duration busyStep) {
        this.calls = calls;
        this.executor = executor;
        this.busyStep = busyStep;
        this.maxResponseBytes = config.maxResponseBytes();
        this.maxListingBytes = config.maxListingBytes();
        this.listener = config.requestListener();
        this.credentials = config.credentials();
        ErrorContext ctx = ErrorContext.of(PowerVmProvider.TYPE, "connect");
        if (credentials.kind() != Credentials.Kind.PASSWORD) {
            throw new InvalidSpecException("credentials", "the HMC takes Credentials.password(user, password)", ctx);
        }
        URI endpoint = config.endpoint();
        String host = endpoint.getHost();
        if (host == null || host.isBlank()) {
            throw new InvalidSpecException("endpoint", "needs a host, such as powervm://hmc1:12443/<managed system>", ctx);
        }
        this.base = new HttpUrl.Builder().scheme("https").host(host)
                .port(endpoint.getPort() > 0 ? endpoint.getPort() : DEFAULT_PORT).build();
        TlsSupport.Material tls = TlsSupport.create(config.tls(), PowerVmProvider.TYPE, endpoint);
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(config.maxConcurrentRequests());
        dispatcher.setMaxRequestsPerHost(config.maxConcurrentRequests());
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                // The HMC speaks HTTP/1.1; an HTTP/2 proxy in between must not change how requests fail.
                .protocols(List.of(Protocol.HTTP_1_1))
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(Math.max(5, config.maxConcurrentRequests()), 30, TimeUnit.SECONDS))
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                // OkHttp would silently repeat a request on a stale connection; a repeated create is a second LPAR.
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .sslSocketFactory(tls.sslContext().getSocketFactory(), tls.trustManager());
        if (!tls.verifyHostname()) {
            // A pin identifies the certificate exactly (or the caller opted into insecure mode).
            b.hostnameVerifier((hostname, sslSession) -> true);
        }
        this.http = b.build();
    }

    /** @return {@code PVM} when the endpoint is NovaLink, else null (an HMC), once an answer arrived */
    String managementConsoleType() {
        return mcType;
    }

    // ---- the calls ------------------------------------------------------------------------------------

    CompletableFuture<Answer> get(String operation, HmcPath path, Deadline deadline) {
        return request(operation, "GET", path, HmcXml.ATOM, null, null, null, Resend.IDEMPOTENT, maxResponseBytes, deadline);
    }

    /** A listing: a feed whose size is bounded by {@code maxListingBytes}. */
    CompletableFuture<Answer> list(String operation, HmcPath path, Deadline deadline) {
        return request(operation, "GET", path, HmcXml.ATOM, null, null, null, Resend.IDEMPOTENT, maxListingBytes, deadline);
    }

    /** {@code quick} URIs answer JSON and refuse a typed {@code Accept} with 406. */
    CompletableFuture<Answer> quick(String operation, HmcPath path, Deadline deadline) {
        return request(operation, "GET", path, "*/*", null, null, null, Resend.IDEMPOTENT, maxListingBytes, deadline);
    }

    CompletableFuture<Answer> put(String operation, HmcPath path, String contentType, byte[] body, Resend resend,
                                  Deadline deadline) {
        return request(operation, "PUT", path, HmcXml.ATOM, contentType, body, null, resend, maxResponseBytes, deadline);
    }

    /** An update: the whole object with {@code If-Match}; a copy that landed twice meets a 412, so it may be resent. */
    CompletableFuture<Answer> post(String operation, HmcPath path, String contentType, String ifMatch, byte[] body,
                                   Deadline deadline) {
        return request(operation, "POST", path, HmcXml.ATOM, contentType, body, ifMatch, Resend.IDEMPOTENT, maxResponseBytes,
                deadline);
    }

    /** A POST without a body ({@code jobs/{id}/cancel}). */
    CompletableFuture<Answer> postEmpty(String operation, HmcPath path, Deadline deadline) {
        return request(operation, "POST", path, HmcXml.ATOM, null, new byte[0], null, Resend.IDEMPOTENT, maxResponseBytes,
                deadline);
    }

    CompletableFuture<Answer> delete(String operation, HmcPath path, Deadline deadline) {
        return request(operation, "DELETE", path, HmcXml.ATOM, null, null, null, Resend.IDEMPOTENT, maxResponseBytes, deadline);
    }

    /** File API content: raw bytes, {@code application/octet-stream}; a second copy is refused by the HMC. */
    CompletableFuture<Answer> upload(String operation, HmcPath path, byte[] content, Deadline deadline) {
        return request(operation, "PUT", path, null, OCTETS.toString(), content, null, Resend.REFUSED_ONLY, maxResponseBytes,
                deadline);
    }

    private CompletableFuture<Answer> request(String operation, String method, HmcPath path, String accept,
                                              String contentType, byte[] body, String ifMatch, Resend resend, long limit,
                                              Deadline deadline) {
        AtomicInteger busy = new AtomicInteger();
        CompletableFuture<Answer> out = new CompletableFuture<>();
        calls.call(operation, true, deadline, timeout -> {
            CompletableFuture<Answer> attempt = withSession(operation, method, path, accept, contentType, body, ifMatch, limit,
                    timeout, busy);
            if (resend == Resend.IDEMPOTENT) {
                return attempt;
            }
            // The retry path repeats what the HMC refused as busy; any other failure of a create stays the caller's.
            return attempt.exceptionallyCompose(e -> {
                Throwable cause = Futures.unwrap(e);
                return Futures.failed(cause instanceof BusyException || CallPolicy.neverSent(cause) ? cause
                        : new NotResent(cause));
            });
        }).whenComplete((v, e) -> {
            if (e == null) {
                out.complete(v);
            } else {
                Throwable cause = Futures.unwrap(e);
                out.completeExceptionally(cause instanceof NotResent n ? n.getCause() : cause);
            }
        });
        return out;
    }

    /** Carries a failure of a non-idempotent request past the retry path, which must not repeat it. */
    private static final class NotResent extends HypervisorException {
        private static final long serialVersionUID = 1L;

        NotResent(Throwable cause) {
            super("not resent: " + cause.getMessage(), ErrorContext.EMPTY, false, cause);
        }
    }

    private CompletableFuture<Answer> withSession(String operation, String method, HmcPath path, String accept,
                                                  String contentType, byte[] body, String ifMatch, long limit,
                                                  Duration timeout, AtomicInteger busy) {
        ErrorContext ctx = ErrorContext.of(PowerVmProvider.TYPE, operation);
        return session(ctx, timeout).thenCompose(token -> execute(ctx, method, path, accept, contentType, body, ifMatch, token,
                        limit, timeout, busy)
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    if (cause instanceof AuthenticationException ae && "401".equals(ae.serverCode().orElse(""))) {
                        LOG.debug("API session refused on {} {}; logging on again once", method, path);
                        invalidate(token);
                        return session(ctx, timeout).thenCompose(fresh -> execute(ctx, method, path, accept, contentType, body,
                                ifMatch, fresh, limit, timeout, busy));
                    }
                    return Futures.failed(cause);
                }));
    }

    private void invalidate(String token) {
        synchronized (sessionLock) {
            if (token != null && token.equals(session)) {
                session = null;
            }
        }
    }

    /** The API session token; one logon for all concurrent callers. */
    private CompletableFuture<String> session(ErrorContext ctx, Duration timeout) {
        synchronized (sessionLock) {
            if (session != null) {
                return CompletableFuture.completedFuture(session);
            }
            if (logon != null && !logon.isDone()) {
                return logon;
            }
            CompletableFuture<String> f = logon(ctx, timeout);
            logon = f;
            f.whenComplete((token, e) -> {
                synchronized (sessionLock) {
                    if (token != null) {
                        session = token;
                    }
                }
            });
            return f;
        }
    }

    private CompletableFuture<String> logon(ErrorContext ctx, Duration timeout) {
        byte[] body = RequestBodies.logon(credentials.principal().orElse(""), credentials.secret().orElse(""));
        ErrorContext c = ctx.withOperation("logon");
        return execute(c, "PUT", HmcPath.web("Logon"), HmcXml.WEB_TYPE + "LogonResponse", HmcXml.WEB_TYPE + "LogonRequest",
                body, null, null, maxResponseBytes, timeout, new AtomicInteger()).thenApply(a -> {
            HmcObjects.LogonResponse r = HmcXml.object(a.body(), HmcObjects.LogonResponse.class, a.what(), c);
            if (r.session() == null || r.session().isBlank()) {
                throw new ProtocolException("the logon answer holds no X-API-Session", c);
            }
            LOG.debug("logged on to {} as {}", base.host(), credentials.principal().orElse(""));
            return r.session();
        }).exceptionallyCompose(e -> {
            Throwable cause = Futures.unwrap(e);
            if (cause instanceof AuthenticationException ae && "401".equals(ae.serverCode().orElse(""))) {
                return Futures.failed(new AuthenticationException("authentication failed: the HMC refused the user ID or password of "
                        + credentials.principal().orElse("") + " (logon not repeated, so that the account does not lock)",
                        ctx.withServer("401", ae.serverMessage().orElse(null)), cause));
            }
            return Futures.failed(cause);
        });
    }

    private CompletableFuture<Answer> execute(ErrorContext ctx, String method, HmcPath path, String accept, String contentType,
                                              byte[] body, String ifMatch, String token, long limit, Duration timeout,
                                              AtomicInteger busy) {
        HttpUrl.Builder url = base.newBuilder();
        for (String segment : path.segments()) {
            url.addPathSegment(segment);
        }
        if (path.group() != null) {
            url.addQueryParameter("group", path.group());
        }
        Request.Builder rb = new Request.Builder().url(url.build());
        if (accept != null) {
            rb.header("Accept", accept);
        }
        if (token != null) {
            rb.header("X-API-Session", token);
        }
        if (ifMatch != null) {
            rb.header("If-Match", ifMatch);
        }
        RequestBody rbody = body == null ? null
                : RequestBody.create(body, contentType == null ? null : MediaType.parse(contentType));
        rb.method(method, rbody);
        String what = method + " " + path;
        CompletableFuture<Answer> result = new CompletableFuture<>();
        long start = System.nanoTime();
        long sent = body == null ? 0 : body.length;
        Call call = http.newCall(rb.build());
        // The whole exchange, body included, within this attempt's share of the deadline.
        call.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        Futures.onCancel(result, call::cancel);
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                LOG.debug("{} failed after {} ms: {}", what, elapsed(start), e.toString());
                report(ctx, method, path, 0, start, sent, -1, e.getClass().getSimpleName());
                complete(result, null, HmcErrors.fromIo(what, e, ctx));
            }

            @Override
            public void onResponse(Call c, Response response) {
                try (response; ResponseBody rbody = response.body()) {
                    byte[] bytes = read(rbody, limit, ctx, what);
                    LOG.debug("{} -> {} in {} ms", what, response.code(), elapsed(start));
                    report(ctx, method, path, response.code(), start, sent, bytes.length, null);
                    String type = response.header("X-MC-Type");
                    if (type != null) {
                        mcType = type;
                    }
                    if (response.isSuccessful()) {
                        // A garbled answer fails here, inside the attempt, where a request that may be repeated is.
                        requireWellFormed(bytes, response.header("Content-Type"), what, ctx);
                        complete(result, new Answer(response.code(), response.header("ETag"), response.header("Date"), type,
                                bytes, what), null);
                    } else {
                        complete(result, null, error(response, bytes, body, what, ctx, busy));
                    }
                } catch (IOException e) {
                    report(ctx, method, path, response.code(), start, sent, -1, e.getClass().getSimpleName());
                    complete(result, null, HmcErrors.fromIo(what, e, ctx));
                } catch (HypervisorException e) {
                    report(ctx, method, path, response.code(), start, sent, -1, e instanceof ProtocolException
                            && e.getMessage().contains("larger than") ? "too large" : "malformed");
                    complete(result, null, e);
                }
            }
        });
        return result;
    }

    private HypervisorException error(Response response, byte[] bytes, byte[] sent, String what, ErrorContext ctx,
                                      AtomicInteger busy) {
        HmcObjects.HttpErrorResponse body = null;
        if (bytes.length > 0) {
            try {
                body = HmcXml.entry(bytes, HmcObjects.HttpErrorResponse.class, null, what, ctx).content();
            } catch (ProtocolException e) {
                // A proxy's error page: the status and reason phrase are what counts.
            }
        }
        String message = body == null ? null : body.message();
        Duration retryAfter = retryAfter(response.header("Retry-After"));
        if (HmcErrors.viosBusy(response.code(), message)) {
            // Linear back-off: the n-th busy answer to this request waits n steps.
            Duration linear = busyStep.multipliedBy(busy.incrementAndGet());
            retryAfter = retryAfter == null || retryAfter.compareTo(linear) < 0 ? linear : retryAfter;
        }
        HypervisorException e = HmcErrors.fromResponse(response.code(), body, response.message(), retryAfter, what, ctx);
        if (message != null && message.contains(HmcErrors.UNMARSHAL)) {
            LOG.warn("{}: the HMC could not bind the body sent ({}); its element order was {}", what, message,
                    RequestBodies.outline(sent));
        }
        return e;
    }

    /**
     * Reads an XML or JSON answer through once: one that is not well-formed fails as a retryable
     * {@link ProtocolException} while the request may still be sent again, rather than later, in the
     * step that binds it.
     */
    static void requireWellFormed(byte[] body, String contentType, String what, ErrorContext ctx) {
        if (body.length == 0 || contentType == null) {
            return;
        }
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        if (type.contains("xml")) {
            HmcXml.requireWellFormed(body, what, ctx);
        } else if (type.contains("json")) {
            try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(body)) {
                while (p.nextToken() != null) {
                    // through to the end
                }
            } catch (IOException e) {
                throw new ProtocolException(what + ": the answer is not well-formed JSON: " + e.getMessage(), ctx, true, e);
            }
        }
    }

    private void complete(CompletableFuture<Answer> f, Answer value, Throwable error) {
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
            if (error == null) {
                f.completeExceptionally(new UnavailableException("connection closed", ErrorContext.of(PowerVmProvider.TYPE,
                        "request"), e));
            } else {
                r.run();
            }
        }
    }

    /** Reads a body up to {@code limit} bytes; a larger one is refused without being held in memory. */
    private static byte[] read(ResponseBody body, long limit, ErrorContext ctx, String what) throws IOException {
        if (body == null) {
            return new byte[0];
        }
        okio.BufferedSource source = body.source();
        if (source.request(limit + 1)) {
            throw new ProtocolException(what + ": the answer is larger than " + limit + " bytes; refused", ctx);
        }
        return source.getBuffer().readByteArray();
    }

    private void report(ErrorContext ctx, String method, HmcPath path, int status, long startNanos, long sent, long received,
                        String failure) {
        try {
            listener.onRequest(RequestEvent.builder().provider(PowerVmProvider.TYPE).operation(ctx.operation()).method(method)
                    .target(path.toString()).status(status).latency(Duration.ofNanos(System.nanoTime() - startNanos))
                    .bytesSent(sent).bytesReceived(received).failure(failure).build());
        } catch (RuntimeException e) {
            LOG.debug("request listener threw: {}", e.toString());
        }
    }

    /** {@code Retry-After} in seconds, or {@code null}. */
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

    private static long elapsed(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * Logs off (best effort, within {@code timeout}) and releases sockets and threads.
     *
     * @param timeout how long the logoff may take
     */
    void close(Duration timeout) {
        String token;
        synchronized (sessionLock) {
            token = session;
            session = null;
        }
        if (token != null) {
            Request r = new Request.Builder().url(base.newBuilder().addPathSegments("rest/api/web/Logon").build())
                    .header("X-API-Session", token).delete().build();
            Call call = http.newCall(r);
            call.timeout().timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            try (Response response = call.execute()) {
                report(ErrorContext.of(PowerVmProvider.TYPE, "close"), "DELETE", HmcPath.web("Logon"), response.code(), start, 0,
                        -1, null);
                LOG.debug("logged off from {}: {}", base.host(), response.code());
            } catch (IOException e) {
                LOG.debug("logoff from {} failed: {}", base.host(), e.toString());
            }
        }
        http.dispatcher().cancelAll();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
