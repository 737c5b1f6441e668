package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ws.Argument;
import com.vmware.vim25.ws.Client;
import com.vmware.vim25.ws.XmlGen;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.xml.stream.XMLStreamException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URL;
import java.net.MalformedURLException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The SDK's transport under yavijava's {@code VimStub}: SOAP over {@link HttpClient} with this
 * connection's own {@link SSLContext}, connect and read timeouts, a session cookie held per
 * connection (never a JVM-wide {@code CookieHandler}), the tolerant and DTD-refusing
 * {@link VimXmlReader}, and a count of calls per method. Requests are serialized by yavijava's
 * {@code XmlGen} (which escapes text); payloads and passwords are never logged.
 */
final class VimSoapClient implements Client {

    private static final Logger LOG = LoggerFactory.getLogger(VimSoapClient.class);
    private static final String SOAP_ACTION = "urn:vim25/6.0";
    private static final String COOKIE_NAME = "vmware_soap_session";
    /** XmlGen splices this between the method name and the arguments. */
    private static final String VIM_NAMESPACE = " xmlns=\"urn:vim25\">";

    private final HttpClient http;
    private final URI endpoint;
    private final Duration readTimeout;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private volatile String cookie;
    /** Extra read time for the current thread's next calls: a long poll (WaitForUpdatesEx) outlasts the normal timeout. */
    private final ThreadLocal<Duration> extraReadTimeout = ThreadLocal.withInitial(() -> Duration.ZERO);
    private final String endpointKey;

    VimSoapClient(URI endpoint, SSLContext ssl, boolean verifyHostname, Duration connectTimeout,
                  Duration readTimeout, Executor executor) {
        this.endpoint = endpoint;
        this.readTimeout = readTimeout;
        this.endpointKey = VimMetrics.key(endpoint);
        SSLParameters params = ssl.getDefaultSSLParameters();
        params.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(ssl)
                .sslParameters(params);
        if (executor != null) {
            builder.executor(executor);
        }
        this.http = builder.build();
    }

    /**
     * Calls that change nothing on the server, or only create session-scoped helpers whose
     * duplicate is harmless, so a request lost with its connection (a server closing a kept-alive
     * socket) may be sent once more. Tasks are never re-sent.
     */
    private static final java.util.Set<String> SAFE_TO_RESEND = java.util.Set.of("RetrieveServiceContent",
            "RetrievePropertiesEx", "ContinueRetrievePropertiesEx", "RetrieveProperties", "FindChild", "FindByUuid",
            "FindByInventoryPath", "CurrentTime", "WaitForUpdatesEx", "DestroyView", "DestroyPropertyFilter",
            "DestroyPropertyCollector", "CreatePropertyCollector", "CreateFilter", "CreateContainerView");

    @Override
    public Object invoke(String methodName, Argument[] paras, String returnType) throws RemoteException {
        try {
            return invokeOnce(methodName, paras, returnType);
        } catch (VimCallException e) {
            if (e.kind() == VimCallException.Kind.TRANSPORT && !"TLS".equals(e.faultType())
                    && SAFE_TO_RESEND.contains(methodName)) {
                LOG.debug("{}: connection lost ({}); sending once more", methodName, e.getMessage());
                return invokeOnce(methodName, paras, returnType);
            }
            throw e;
        }
    }

    private Object invokeOnce(String methodName, Argument[] paras, String returnType) throws RemoteException {
        String body = XmlGen.toXML(methodName, paras, VIM_NAMESPACE);
        calls.computeIfAbsent(methodName, m -> new LongAdder()).increment();
        total.incrementAndGet();
        VimMetrics.count(endpointKey);
        Duration timeout = readTimeout.plus(extraReadTimeout.get());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", SOAP_ACTION)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        String current = cookie;
        if (current != null) {
            request.header("Cookie", current);
        }
        long started = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new VimCallException(VimCallException.Kind.TIMEOUT, methodName,
                    methodName + ": connect timed out to " + endpoint.getHost(), null, null, 0, true, e);
        } catch (HttpTimeoutException e) {
            throw new VimCallException(VimCallException.Kind.TIMEOUT, methodName,
                    methodName + ": no response within " + timeout, null, null, 0, false, e);
        } catch (SSLHandshakeException e) {
            throw new VimCallException(VimCallException.Kind.TRANSPORT, methodName,
                    methodName + ": TLS handshake with " + endpoint.getHost() + " failed: " + e.getMessage(),
                    "TLS", null, 0, true, e);
        } catch (ConnectException e) {
            throw new VimCallException(VimCallException.Kind.TRANSPORT, methodName,
                    methodName + ": cannot connect to " + endpoint.getHost() + ":" + endpoint.getPort(), null, null, 0, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VimCallException(VimCallException.Kind.TRANSPORT, methodName, methodName + ": interrupted",
                    null, null, 0, false, new InterruptedIOException());
        } catch (IOException e) {
            throw new VimCallException(VimCallException.Kind.TRANSPORT, methodName,
                    methodName + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    null, null, 0, false, e);
        }
        captureCookie(response);
        int status = response.statusCode();
        try (InputStream in = response.body()) {
            if (status != 200 && status != 500) {
                throw new VimCallException(VimCallException.Kind.HTTP, methodName,
                        methodName + ": HTTP " + status, null, null, status, false, null);
            }
            VimXmlReader.Response parsed = VimXmlReader.readResponse(in, returnType);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} -> HTTP {} in {} ms", methodName, status, (System.nanoTime() - started) / 1_000_000);
            }
            if (parsed.fault() != null) {
                VimXmlReader.SoapFault f = parsed.fault();
                String type = f.typeName() != null ? f.typeName() : "SoapFault";
                throw new VimCallException(VimCallException.Kind.FAULT, methodName,
                        methodName + " failed: " + type + (f.message() == null ? "" : ": " + f.message()),
                        type, f.detail(), status, false, null);
            }
            return parsed.value();
        } catch (VimCallException e) {
            throw e;
        } catch (XMLStreamException e) {
            throw new VimCallException(VimCallException.Kind.PROTOCOL, methodName,
                    methodName + ": malformed or refused response: " + e.getMessage(), null, null, status, false, e);
        } catch (IOException e) {
            throw new VimCallException(VimCallException.Kind.TRANSPORT, methodName,
                    methodName + ": reading the response failed: " + e.getClass().getSimpleName(), null, null, status, false, e);
        }
    }

    private void captureCookie(HttpResponse<?> response) {
        for (Map.Entry<String, java.util.List<String>> h : response.headers().map().entrySet()) {
            if (!"set-cookie".equalsIgnoreCase(h.getKey())) {
                continue;
            }
            for (String value : h.getValue()) {
                String pair = value.split(";", 2)[0].trim();
                if (pair.regionMatches(true, 0, COOKIE_NAME + "=", 0, COOKIE_NAME.length() + 1)) {
                    cookie = pair;
                }
            }
        }
    }

    /** Lets this thread's calls run {@code extra} past the normal read timeout until reset with {@link Duration#ZERO}. */
    void extraReadTimeout(Duration extra) {
        if (extra.isZero()) {
            extraReadTimeout.remove();
        } else {
            extraReadTimeout.set(extra);
        }
    }

    /** Calls per vim25 method since this client was created (a snapshot, sorted by name). */
    Map<String, Long> callCounts() {
        Map<String, Long> snapshot = new TreeMap<>();
        calls.forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }

    long totalCalls() {
        return total.get();
    }

    void clearSession() {
        cookie = null;
    }

    @Override
    public StringBuffer invokeAsString(String methodName, Argument[] paras) {
        throw new UnsupportedOperationException("raw string responses are not exposed");
    }

    @Override
    public URL getBaseUrl() {
        try {
            return endpoint.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void setBaseUrl(URL url) {
        throw new UnsupportedOperationException("the endpoint is fixed per connection");
    }

    @Override
    public String getCookie() {
        return cookie;
    }

    @Override
    public void setCookie(String value) {
        this.cookie = value;
    }

    @Override
    public String getVimNameSpace() {
        return "urn:vim25";
    }

    @Override
    public void setVimNameSpace(String ns) {
        // fixed: urn:vim25
    }

    @Override
    public int getConnectTimeout() {
        return (int) http.connectTimeout().orElse(Duration.ZERO).toMillis();
    }

    @Override
    public void setConnectTimeout(int ms) {
        throw new UnsupportedOperationException("set at construction");
    }

    @Override
    public int getReadTimeout() {
        return (int) readTimeout.toMillis();
    }

    @Override
    public void setReadTimeout(int ms) {
        throw new UnsupportedOperationException("set at construction");
    }

    @Override
    public TrustManager getTrustManager() {
        return null;
    }

    @Override
    public void setSoapActionOnApiVersion(String apiVersion) {
        // always urn:vim25/6.0: the model yavijava 6.0.05 knows
    }

    @Override
    public String marshall(String methodName, Argument[] paras) {
        return XmlGen.toXML(methodName, paras, VIM_NAMESPACE);
    }

    @Override
    public Object unMarshall(String returnType, InputStream is) throws Exception {
        VimXmlReader.Response r = VimXmlReader.readResponse(is, returnType);
        if (r.fault() != null) {
            throw new VimCallException(VimCallException.Kind.FAULT, "unMarshall", r.fault().message(),
                    r.fault().typeName(), r.fault().detail(), 500, false, null);
        }
        return r.value();
    }

    @Override
    public StringBuffer readStream(InputStream is) throws IOException {
        return new StringBuffer(new String(is.readAllBytes(), StandardCharsets.UTF_8));
    }
}
