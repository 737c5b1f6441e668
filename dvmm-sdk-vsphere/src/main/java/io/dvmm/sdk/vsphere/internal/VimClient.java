package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ManagedObjectReference;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.RequestEvent;
import io.dvmm.sdk.RequestListener;
import io.dvmm.sdk.spi.support.TlsSupport;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import io.dvmm.sdk.spi.support.SharedExecutorService;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.xml.stream.XMLStreamException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The wire: one vim25 request, one response, over OkHttp with this connection's own TLS material
 * ({@link TlsSupport}: no JVM-wide trust state), its own session cookie and its own dispatcher
 * running on the SDK's executor. Asynchronous: a request is a {@link CompletableFuture}; the
 * response is parsed by {@link VimXmlReader} on the executor thread the response arrives on.
 *
 * <p>One resend rule: this class never sends a request twice (OkHttp's own retry on connection
 * failure is off); resending is {@link io.dvmm.sdk.spi.support.CallPolicy}'s job, which knows
 * which methods are idempotent. Each attempt's budget is OkHttp's call timeout, so it covers
 * connecting, writing, waiting and every byte of the body. A body is read only up to
 * {@link HypervisorConfig#maxResponseBytes()} ({@link HypervisorConfig#maxListingBytes()} for
 * listings) and refused beyond with {@code ProtocolException}, never buffered whole. Every request
 * is reported to the connection's {@link RequestListener}.
 */
final class VimClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VimClient.class);
    private static final MediaType XML = MediaType.get("text/xml; charset=utf-8");
    private static final String SOAP_ACTION = "urn:vim25/6.0";
    private static final String COOKIE_NAME = "vmware_soap_session";

    /**
     * One vim25 request.
     *
     * @param method the vim25 method
     * @param target the managed object it addresses ({@code _this})
     * @param args the arguments after {@code _this}
     * @param returnType the model type of the answer, such as {@code RetrieveResult} or {@code ObjectContent[]}; {@code void} for none
     * @param idempotent whether sending it again after a lost answer is harmless
     * @param listing whether its answer may be as large as a listing
     */
    record Call(String method, ManagedObjectReference target, List<VimXmlWriter.Arg> args, String returnType,
                boolean idempotent, boolean listing) {
    }

    private final URI endpoint;
    private final String host;
    private final OkHttpClient http;
    private final RequestListener listener;
    private final long maxResponseBytes;
    private final long maxListingBytes;
    private volatile String cookie;

    VimClient(URI endpoint, TlsSupport.Material tls, HypervisorConfig config, Executor executor) {
        this.endpoint = endpoint;
        this.host = endpoint.getHost() + ":" + endpoint.getPort();
        this.listener = config.requestListener();
        this.maxResponseBytes = config.maxResponseBytes();
        this.maxListingBytes = config.maxListingBytes();
        Dispatcher dispatcher = new Dispatcher(new SharedExecutorService(executor));
        // CallPolicy bounds the requests in flight; OkHttp must never queue one behind its own, smaller limits.
        dispatcher.setMaxRequests(config.maxConcurrentRequests() + 4);
        dispatcher.setMaxRequestsPerHost(config.maxConcurrentRequests() + 4);
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(Math.max(5, config.maxConcurrentRequests()), 5, TimeUnit.MINUTES))
                .protocols(List.of(Protocol.HTTP_1_1))
                .proxy(Proxy.NO_PROXY)
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .sslSocketFactory(tls.sslContext().getSocketFactory(), tls.trustManager())
                .eventListenerFactory(c -> {
                    Exchange exchange = c.request().tag(Exchange.class);
                    return exchange == null ? EventListener.NONE : exchange.events;
                });
        if (!tls.verifyHostname()) {
            // A pin identifies the certificate exactly (or the insecure opt-in was logged): the name need not match.
            b.hostnameVerifier((name, session) -> true);
        }
        this.http = b.build();
    }

    URI endpoint() {
        return endpoint;
    }

    /** Forgets the session cookie, before a new login. */
    void clearSession() {
        cookie = null;
    }

    /**
     * Sends one request and parses its answer.
     *
     * @param call the request
     * @param timeout the attempt's budget, covering the whole exchange
     * @param operation the SDK operation it serves, for errors and the request listener
     * @return the answer's value ({@code null} for void methods); fails with the mapped error
     */
    CompletableFuture<Object> send(Call call, Duration timeout, String operation) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        byte[] body;
        try {
            List<VimXmlWriter.Arg> args = new java.util.ArrayList<>(call.args().size() + 1);
            args.add(new VimXmlWriter.Arg("_this", ManagedObjectReference.class, call.target()));
            args.addAll(call.args());
            body = VimXmlWriter.request(call.method(), args);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(VimErrors.map(e, operation));
        }
        Exchange exchange = new Exchange(call, operation, timeout, body.length);
        Request.Builder rb = new Request.Builder().url(endpoint.toString())
                .tag(Exchange.class, exchange)
                .header("SOAPAction", SOAP_ACTION)
                .post(RequestBody.create(body, XML));
        String c = cookie;
        if (c != null) {
            rb.header("Cookie", c);
        }
        okhttp3.Call wire = http.newCall(rb.build());
        wire.timeout().timeout(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        // A caller that gives up (CallPolicy's slack, a cancelled run) ends the exchange on the wire too.
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                wire.cancel();
            }
        });
        wire.enqueue(new Callback() {
            @Override
            public void onFailure(okhttp3.Call callObj, IOException e) {
                exchange.fail(result, VimErrors.transport(e, exchange.sent.get(), timeout, call.method(), operation, host), 0, e);
            }

            @Override
            public void onResponse(okhttp3.Call callObj, Response response) {
                exchange.read(result, response);
            }
        });
        return result;
    }

    /** One exchange: what was sent, the reading of the answer, the event for the listener. */
    private final class Exchange {
        final Call call;
        final String operation;
        final Duration timeout;
        final long bytesSent;
        final long started = System.nanoTime();
        final AtomicBoolean sent = new AtomicBoolean();
        final EventListener events = new EventListener() {
            @Override
            public void requestHeadersStart(okhttp3.Call c) {
                sent.set(true);
            }
        };
        long received;

        Exchange(Call call, String operation, Duration timeout, long bytesSent) {
            this.call = call;
            this.operation = operation;
            this.timeout = timeout;
            this.bytesSent = bytesSent;
        }

        void read(CompletableFuture<Object> result, Response response) {
            int status = response.code();
            captureCookie(response);
            long limit = call.listing() ? maxListingBytes : maxResponseBytes;
            try (Response r = response; ResponseBody body = r.body()) {
                if (status != 200 && status != 500) {
                    drain(body, Math.min(limit, 64 * 1024));
                    fail(result, VimErrors.http(status, retryAfter(r.header("Retry-After")), call.method(), operation), status, null);
                    return;
                }
                if (body.contentLength() > limit) {
                    fail(result, tooLarge(limit), status, null);
                    return;
                }
                Bounded in = new Bounded(body.byteStream(), limit);
                VimXmlReader.Response parsed;
                try {
                    parsed = VimXmlReader.readResponse(in, call.returnType());
                } finally {
                    received = in.count;
                }
                if (parsed.fault() != null) {
                    fail(result, VimErrors.fault(parsed.fault(), call.method(), operation), status, null);
                    return;
                }
                if (status == 500) {
                    fail(result, VimErrors.protocol("HTTP 500 without a SOAP fault", call.method(), operation, null), status, null);
                    return;
                }
                report(status, null);
                result.complete(parsed.value());
            } catch (TooLarge e) {
                fail(result, tooLarge(limit), status, null);
            } catch (XMLStreamException e) {
                IOException io = ioCause(e);
                HypervisorException mapped = io == null
                        ? VimErrors.garbled("malformed or refused response: " + e.getMessage(), call.method(), operation, e)
                        : io instanceof TooLarge ? tooLarge(limit)
                        : VimErrors.transport(io, true, timeout, call.method(), operation, host);
                fail(result, mapped, status, e);
            } catch (IOException | RuntimeException e) {
                fail(result, e instanceof IOException io ? VimErrors.transport(io, true, timeout, call.method(), operation, host)
                        : VimErrors.protocol("unreadable response: " + e, call.method(), operation, e), status, e);
            }
        }

        private HypervisorException tooLarge(long limit) {
            return VimErrors.protocol("the response is larger than " + limit + " bytes (maxResponseBytes"
                    + (call.listing() ? "/maxListingBytes" : "") + "); refused", call.method(), operation, null);
        }

        void fail(CompletableFuture<Object> result, HypervisorException error, int status, Throwable cause) {
            report(status, status == 0 ? (sent.get() ? "" : "not sent: ") + describe(cause) : null);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} {} for {} failed: {}", call.method(), call.target() == null ? "" : call.target().getVal(),
                        operation, error.getMessage());
            }
            result.completeExceptionally(error);
        }

        private void report(int status, String failure) {
            RequestEvent event = RequestEvent.builder().provider(VimErrors.PROVIDER).operation(operation)
                    .method(call.method())
                    .target(call.target() == null ? "" : call.target().getType() + ":" + call.target().getVal())
                    .status(status).latency(Duration.ofNanos(System.nanoTime() - started))
                    .bytesSent(bytesSent).bytesReceived(status == 0 ? -1 : received).failure(failure).build();
            try {
                listener.onRequest(event);
            } catch (RuntimeException e) {
                LOG.warn("the request listener failed on {}: {}", event, e.toString());
            }
        }
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "failed";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        if (e instanceof XMLStreamException x && x.getNestedException() instanceof IOException io) {
            return io;
        }
        return null;
    }

    private static void drain(ResponseBody body, long max) throws IOException {
        InputStream in = body.byteStream();
        byte[] buf = new byte[8192];
        long left = max;
        int n;
        while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
            left -= n;
        }
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 3600));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: ignored, the back-off applies
        }
    }

    private void captureCookie(Response response) {
        for (String value : response.headers("Set-Cookie")) {
            String pair = value.split(";", 2)[0].trim();
            if (pair.regionMatches(true, 0, COOKIE_NAME + "=", 0, COOKIE_NAME.length() + 1)) {
                cookie = pair;
            }
        }
    }

    /** Ends every exchange in flight (their futures fail), so that nothing holds a request slot. */
    void cancelAll() {
        http.dispatcher().cancelAll();
    }

    /** Ends every exchange in flight and closes every socket at once. */
    @Override
    public void close() {
        http.dispatcher().cancelAll();
        http.connectionPool().evictAll();
    }

    /** A body larger than the limit. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("response too large");
        }
    }

    /** Counts what is read and refuses to read beyond the limit. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        long count;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(long n) throws TooLarge {
            count += n;
            if (count > limit) {
                throw new TooLarge();
            }
        }
    }
}
