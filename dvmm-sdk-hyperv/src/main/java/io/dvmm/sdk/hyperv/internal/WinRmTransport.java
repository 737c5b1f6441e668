package io.dvmm.sdk.hyperv.internal;

import io.cloudsoft.winrm4j.client.PayloadEncryptionMode;
import io.cloudsoft.winrm4j.client.ShellCommand;
import io.cloudsoft.winrm4j.client.WinRmClient;
import io.cloudsoft.winrm4j.client.WinRmClientBuilder;
import io.cloudsoft.winrm4j.client.WinRmClientContext;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.hyperv.HyperVProvider;
import io.dvmm.sdk.spi.support.TlsSupport;
import java.net.URI;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.bus.CXFBusFactory;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transport.http.HTTPConduitConfigurer;
import org.apache.cxf.transport.http.asyncclient.AsyncHTTPConduit;
import org.apache.cxf.transport.http.asyncclient.AsyncHTTPConduitFactory;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.apache.http.client.config.AuthSchemes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's winrm4j client: its own CXF {@link Bus} (never the JVM's default bus), the per-connection TLS of
 * {@link TlsSupport}, the timeouts, and the authentication scheme. Opens and closes WinRM shells; the commands run
 * in them ({@link HyperVClient}).
 *
 * <p>winrm4j 0.12.3 applies TLS, timeouts and {@code AllowChunking=false} only on its NTLM/Kerberos path; its Basic
 * path uses the conduit as CXF made it, with CXF's 60 s receive timeout, no TLS settings and chunked envelopes above
 * 4 KB (reference/hyperv.md §8.5, pitfall 1). So the bus carries an {@link HTTPConduitConfigurer} that sets all of it
 * on every conduit the bus makes, whatever the path; the values handed to winrm4j's builder are the same, so its NTLM
 * path sets nothing different. Certificate checks are never turned off through winrm4j
 * ({@code disableCertificateChecks}): the insecure opt-in is {@link io.dvmm.sdk.TlsOptions#insecure()}, applied here.
 *
 * <p>A winrm4j client holds its password (Basic sends it with every request, NTLM with every new socket), so a
 * "login" is building the client: the password is read from the {@link Credentials} then, and again when the host
 * refuses it. If it changed since (a rotation), a new client with the new password replaces the old one and the
 * refused request is sent once more on a shell of the new client ({@link #renewAfter}); only a digest of the password
 * in use is kept to tell. A 401 means the host did not run the request, so sending it again is safe.
 */
final class WinRmTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WinRmTransport.class);
    static final int HTTPS_PORT = 5986;
    static final int HTTP_PORT = 5985;

    private final Bus bus;
    private final WinRmClientContext context;
    private final Credentials credentials;
    private final String user;
    private final String domain;
    private final String authScheme;
    private final long operationTimeoutMillis;
    private final long connectMs;
    private final long receiveMs;
    private final Object loginLock = new Object();
    private volatile WinRmClient client;
    /** Increments with every client built after a refusal; each shell remembers the one it was opened with. */
    private volatile int generation;
    private final Map<ShellCommand, Integer> shellGenerations = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    /** SHA-256 of the password the current client was built with: enough to tell a rotation, never the password. */
    private volatile byte[] secretDigest;
    private final URI url;
    private final boolean https;
    private final String scheme;

    /** The shell environment: per thread, so that a command whose argument travels in it opens its own shell. */
    private static final class ThreadEnvironment extends AbstractMap<String, String> {
        private final ThreadLocal<Map<String, String>> current = ThreadLocal.withInitial(Map::of);

        @Override
        public Set<Entry<String, String>> entrySet() {
            return current.get().entrySet();
        }
    }

    private final ThreadEnvironment environment = new ThreadEnvironment();

    WinRmTransport(HypervisorConfig config, String auth, String transport, boolean allowUnencryptedHttp, Duration operationTimeout) {
        ErrorContext ctx = ErrorContext.of(HyperVProvider.TYPE, "connect");
        URI endpoint = config.endpoint();
        String host = endpoint.getHost();
        if (host == null || host.isBlank()) {
            throw new InvalidSpecException("endpoint", "needs a host, such as hyperv://hv1.example.com:5986", ctx);
        }
        if (endpoint.getPath() != null && !endpoint.getPath().isEmpty() && !endpoint.getPath().equals("/")) {
            throw new InvalidSpecException("endpoint", "takes no path: the SDK talks to /wsman (hyperv://host:5986)", ctx);
        }
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : HTTPS_PORT;
        this.https = transport != null ? transport.equals("https") : port != HTTP_PORT;
        this.scheme = auth.toLowerCase(Locale.ROOT);
        Credentials creds = config.credentials();
        if (creds.kind() == Credentials.Kind.PROVIDER_SPECIFIC && "kerberos".equalsIgnoreCase(creds.providerKind().orElse(""))) {
            throw new InvalidSpecException("credentials", "Kerberos is not supported: winrm4j 0.12.3 takes its Kerberos "
                    + "settings from JVM-wide JAAS and krb5 configuration, which one connection must not change; use NTLM "
                    + "(Credentials.password(\"DOMAIN\\\\user\", ...)) over HTTPS", ctx);
        }
        if (creds.kind() != Credentials.Kind.PASSWORD) {
            throw new InvalidSpecException("credentials", "Hyper-V needs Credentials.password(user, password): user, "
                    + "DOMAIN\\user or user@domain", ctx);
        }
        if (!https && !allowUnencryptedHttp) {
            throw new InvalidSpecException("endpoint", "plain HTTP sends every command (and, with Basic, the password) in "
                    + "the clear: use HTTPS (port 5986) or set " + HyperVProvider.ALLOW_UNENCRYPTED_HTTP + "=true. NTLM "
                    + "message encryption is not available: winrm4j 0.12.3's encrypting conduit does not link against CXF 3.6", ctx);
        }
        if (!https) {
            LOG.warn("Hyper-V connection to {} uses plain HTTP by explicit opt-in ({}): every command{} travels unencrypted "
                    + "(the host needs AllowUnencrypted=true).", host, HyperVProvider.ALLOW_UNENCRYPTED_HTTP,
                    scheme.equals("basic") ? " and the password" : "");
        }
        this.url = URI.create((https ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/wsman");

        TLSClientParameters tls = null;
        if (https) {
            TlsSupport.Material m = TlsSupport.create(config.tls(), HyperVProvider.TYPE, endpoint);
            tls = new TLSClientParameters();
            tls.setSslContext(m.sslContext());
            tls.setDisableCNCheck(!m.verifyHostname());
        }
        this.connectMs = Math.max(1, config.connectTimeout().toMillis());
        this.receiveMs = Math.max(1, config.readTimeout().toMillis());
        this.operationTimeoutMillis = operationTimeout.toMillis();
        this.credentials = creds;
        TLSClientParameters tlsParams = tls;
        HTTPConduitConfigurer configurer = (name, address, conduit) -> configure(conduit, tlsParams, connectMs, receiveMs);

        Thread thread = Thread.currentThread();
        Bus previousThreadBus = BusFactory.getThreadDefaultBus(false);
        Bus previousDefault = BusFactory.getDefaultBus(false);
        this.bus = new CXFBusFactory().createBus();
        // CXFBusFactory makes the first bus of the JVM its default and sets the thread's: undo both.
        if (previousDefault == null && BusFactory.getDefaultBus(false) == bus) {
            BusFactory.setDefaultBus(null);
        }
        BusFactory.setThreadDefaultBus(previousThreadBus);
        bus.getProperties().put(AsyncHTTPConduit.USE_ASYNC, Boolean.TRUE);
        bus.getProperties().put(AsyncHTTPConduitFactory.USE_POLICY, AsyncHTTPConduitFactory.UseAsyncPolicy.ALWAYS);
        bus.setExtension(configurer, HTTPConduitConfigurer.class);
        this.context = WinRmClientContext.newInstance(bus);

        String principal = creds.principal().orElseThrow();
        String dom = null;
        int slash = principal.indexOf('\\');
        if (slash > 0 && scheme.equals("ntlm")) {
            dom = principal.substring(0, slash);
            principal = principal.substring(slash + 1);
        }
        this.user = principal;
        this.domain = dom;
        this.authScheme = scheme.equals("basic") ? AuthSchemes.BASIC : AuthSchemes.NTLM;
        try {
            String secret = creds.secret().orElseThrow();
            this.client = buildClient(secret);
            this.secretDigest = digest(secret);
        } catch (RuntimeException e) {
            shutdownBus();
            throw e;
        } finally {
            if (Thread.currentThread() == thread) {
                BusFactory.setThreadDefaultBus(previousThreadBus);
            }
        }
    }

    /** A winrm4j client on this connection's bus with the given password. */
    private WinRmClient buildClient(String secret) {
        Bus previousThreadBus = BusFactory.getThreadDefaultBus(false);
        try {
            WinRmClientBuilder b = WinRmClient.builder(url.toString())
                    .authenticationScheme(authScheme)
                    .credentials(domain, user, secret)
                    .context(context)
                    .locale(Locale.US)
                    .operationTimeout(operationTimeoutMillis)
                    .connectionTimeout(connectMs)
                    .connectionRequestTimeout(connectMs)
                    .receiveTimeout(receiveMs)
                    // the SDK's CallPolicy is the one retry path; winrm4j's would sleep 5 s and resend Create/Receive
                    .failureRetryPolicy(WinRmClientBuilder.simpleCounterRetryPolicy(0))
                    .environment(environment);
            // winrm4j's NTLM sealing lives in a conduit subclass built against CXF 3.3 (CXFHttpRequest.setOutputStream took
            // an AsyncWrappedOutputStream; CXF 3.6 takes its base class): it fails with NoSuchMethodError on the first
            // request, so payload encryption stays off and TLS protects the messages.
            b.payloadEncryptionMode(PayloadEncryptionMode.OFF);
            return b.build();
        } finally {
            BusFactory.setThreadDefaultBus(previousThreadBus);
        }
    }

    private static byte[] digest(String secret) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * After the host refused the password of generation {@code refused}: reads the password again and, if it changed,
     * builds a client with it. Concurrent refusals share one re-read.
     *
     * @return whether a client with another password than the refused one is now current
     */
    private boolean relogin(int refused) {
        synchronized (loginLock) {
            if (generation != refused) {
                return true;
            }
            String secret;
            try {
                secret = credentials.secret().orElseThrow();
            } catch (RuntimeException e) {
                LOG.debug("reading the password again failed: {}", e.getMessage());
                return false;
            }
            byte[] d = digest(secret);
            if (java.security.MessageDigest.isEqual(d, secretDigest)) {
                return false;
            }
            LOG.info("WinRM login to {} as {} refused; the password changed since it was read, logging in once more",
                    url.getHost(), credentials.principal().orElse(""));
            WinRmClient old = client;
            client = buildClient(secret);
            secretDigest = d;
            generation++;
            try {
                old.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the refused WinRM client failed: {}", e.toString());
            }
            return true;
        }
    }

    /**
     * Whether a request on {@code shell} that failed with {@code failure} may be sent once more on a new shell: the host
     * refused the password, the credentials rotate, and a client with a changed password is now current.
     *
     * @param failure what the request failed with
     * @param shell the shell it was sent on
     * @return whether to open a new shell and send it once more
     */
    boolean renewAfter(Throwable failure, ShellCommand shell) {
        if (!credentials.rotates() || !refusedLogin(failure)) {
            return false;
        }
        Integer g = shellGenerations.get(shell);
        return relogin(g == null ? generation : g);
    }

    private static boolean refusedLogin(Throwable failure) {
        return HyperVErrors.fromTransport(failure, ErrorContext.of(HyperVProvider.TYPE, "login")) instanceof io.dvmm.sdk.AuthenticationException;
    }

    /** What every conduit of this connection's bus gets, on the Basic and the NTLM path alike. */
    private static void configure(HTTPConduit conduit, TLSClientParameters tls, long connectMs, long receiveMs) {
        if (tls != null) {
            conduit.setTlsClientParameters(tls);
        }
        HTTPClientPolicy p = new HTTPClientPolicy();
        p.setAllowChunking(false);
        p.setConnectionTimeout(connectMs);
        p.setConnectionRequestTimeout(connectMs);
        p.setReceiveTimeout(receiveMs);
        p.setAutoRedirect(false);
        conduit.setClient(p);
    }

    /** @return the WinRM URL, such as {@code https://hv1:5986/wsman} */
    URI url() {
        return url;
    }

    /** @return whether the connection uses HTTPS */
    boolean https() {
        return https;
    }

    /**
     * Opens a shell (one WS-Man Create); blocks.
     *
     * @param env variables of the shell's environment, possibly empty
     * @return the shell
     */
    ShellCommand openShell(Map<String, String> env) {
        int g = generation;
        try {
            return openShell(client, g, env);
        } catch (RuntimeException e) {
            if (!credentials.rotates() || !refusedLogin(e) || !relogin(g)) {
                throw e;
            }
            return openShell(client, generation, env);
        }
    }

    private ShellCommand openShell(WinRmClient c, int g, Map<String, String> env) {
        environment.current.set(env);
        try {
            ShellCommand shell = c.createShell();
            shellGenerations.put(shell, g);
            return shell;
        } finally {
            environment.current.remove();
        }
    }

    /** Deletes a shell (one WS-Man Delete; "shell not found" counts as deleted); blocks; never throws. */
    void closeShell(ShellCommand shell) {
        shellGenerations.remove(shell);
        try {
            shell.close();
        } catch (RuntimeException e) {
            LOG.debug("closing a WinRM shell failed: {}", HyperVErrors.brief(e));
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            shutdownBus();
        }
    }

    private void shutdownBus() {
        try {
            context.shutdown();
            bus.shutdown(false);
        } catch (RuntimeException e) {
            LOG.debug("CXF bus shutdown failed: {}", e.toString());
        }
    }
}
