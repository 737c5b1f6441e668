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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.bus.CXFBusFactory;
import org.apache.cxf.configuration.jsse.TLSClientParameters;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.endpoint.ClientLifeCycleListener;
import org.apache.cxf.endpoint.ClientLifeCycleManager;
import org.apache.cxf.endpoint.UpfrontConduitSelector;
import org.apache.cxf.transport.Conduit;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transport.http.HTTPConduitConfigurer;
import org.apache.cxf.transport.http.HTTPConduitFactory;
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
 * <p><b>NTLM over plain HTTP is sealed</b> (NTLM message encryption, {@code multipart/encrypted}), as Windows requires
 * while AllowUnencrypted is off. NTLM's sealing keys, sequence numbers and RC4 states belong to one authenticated TCP
 * connection and must see its messages in order, and winrm4j keeps them in the one credentials object of a client. So
 * a sealed connection gives every shell a <em>channel</em> of its own: a winrm4j client (its own credentials) on a
 * conduit factory of its own whose pool holds one TCP connection ({@link NtlmSealingConduit}). A shell runs one
 * command at a time, so a channel's messages go one after the other over its one connection; a channel whose shell
 * closed serves the next shell. Over HTTPS no sealing: TLS protects the messages, and one client serves every shell.
 *
 * <p>winrm4j is given no password: {@link WinRmLogin}, the conduits' authentication supplier and the NTLM credentials
 * of every client, reads it from the {@link Credentials} at each login (each Basic request, each NTLM handshake) and
 * once more after a refused one, so that a rotated password is picked up without a new connection.
 */
final class WinRmTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WinRmTransport.class);
    static final int HTTPS_PORT = 5986;
    static final int HTTP_PORT = 5985;
    /** How much later than the read timeout CXF gives up on an answer. */
    static final long RECEIVE_SLACK_MILLIS = 1000;

    private final Bus bus;
    private final WinRmClientContext context;
    /** The client of every shell; {@code null} when sealed (a client per shell). */
    private final WinRmClient client;
    private final Supplier<WinRmClientBuilder> builders;
    private final WinRmLogin login;
    private final URI url;
    private final boolean https;
    private final boolean sealed;
    private final String scheme;
    private final Map<ShellCommand, Channel> channels = new ConcurrentHashMap<>();
    /** Sealed channels whose shell was closed, kept (with their authenticated connection) for the next shell. */
    private final Deque<Channel> idleChannels = new ArrayDeque<>();
    private final int maxIdleChannels;
    private boolean closed;
    /** The CXF client winrm4j made last on this thread (its client lifecycle event). */
    private final ThreadLocal<Client> madeHere = new ThreadLocal<>();

    /** A sealed shell's own winrm4j client, the CXF client under it and its one-connection conduit factory. */
    private record Channel(WinRmClient winrm, Client cxf, NtlmSealingConduit.Factory sealing) {
    }

    /** The shell environment: per thread, so that a command whose argument travels in it opens its own shell. */
    private static final class ThreadEnvironment extends AbstractMap<String, String> {
        private final ThreadLocal<Map<String, String>> current = ThreadLocal.withInitial(Map::of);

        @Override
        public Set<Entry<String, String>> entrySet() {
            return current.get().entrySet();
        }
    }

    private final ThreadEnvironment environment = new ThreadEnvironment();

    WinRmTransport(HypervisorConfig config, String auth, String transport, boolean allowUnencryptedHttp, Duration operationTimeout,
                   int shells) {
        ErrorContext ctx = ErrorContext.of(HyperVProvider.TYPE, "connect");
        this.maxIdleChannels = shells;
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
        boolean ntlm = scheme.equals("ntlm");
        this.sealed = !https && ntlm;
        if (!https && !ntlm && !allowUnencryptedHttp) {
            throw new InvalidSpecException("endpoint", "plain HTTP with Basic authentication sends every command and the "
                    + "password in the clear: use HTTPS (port 5986), NTLM (" + HyperVProvider.AUTH + "=ntlm, whose message "
                    + "encryption protects plain HTTP), or set " + HyperVProvider.ALLOW_UNENCRYPTED_HTTP + "=true", ctx);
        }
        if (!https && !ntlm) {
            LOG.warn("Hyper-V connection to {} uses plain HTTP without encryption by explicit opt-in ({}): every command "
                    + "and the password travel in the clear (the host needs AllowUnencrypted=true).", host,
                    HyperVProvider.ALLOW_UNENCRYPTED_HTTP);
        }
        if (sealed) {
            NtlmSealingConduit.check();
        }
        this.url = URI.create((https ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/wsman");

        TLSClientParameters tls = null;
        if (https) {
            TlsSupport.Material m = TlsSupport.create(config.tls(), HyperVProvider.TYPE, endpoint);
            tls = new TLSClientParameters();
            tls.setSslContext(m.sslContext());
            tls.setDisableCNCheck(!m.verifyHostname());
        }
        long connectMs = Math.max(1, config.connectTimeout().toMillis());
        // The attempt's own timer (HyperVClient, at the read timeout or the deadline) decides when an answer is late; CXF's
        // receive timeout is only the safety net behind it, a little later, so that a late answer is always the same
        // error (OperationTimeoutException, never repeated) rather than whichever of the two fired first.
        long receiveMs = Math.max(1, config.readTimeout().toMillis()) + RECEIVE_SLACK_MILLIS;
        String principal = creds.principal().orElseThrow();
        String dom = null;
        int slash = principal.indexOf('\\');
        if (slash > 0 && ntlm) {
            dom = principal.substring(0, slash);
            principal = principal.substring(slash + 1);
        }
        String u = principal;
        String d = dom;
        this.login = new WinRmLogin(creds, u, d, !ntlm, sealed, host);
        TLSClientParameters tlsParams = tls;
        WinRmLogin logins = login;
        HTTPConduitConfigurer configurer = (name, address, conduit) -> {
            configure(conduit, tlsParams, connectMs, receiveMs);
            conduit.setAuthSupplier(logins);
        };

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
        bus.getExtension(ClientLifeCycleManager.class).registerListener(new ClientLifeCycleListener() {
            @Override
            public void clientCreated(Client made) {
                madeHere.set(made);
            }

            @Override
            public void clientDestroyed(Client gone) {
                // nothing kept
            }
        });
        this.context = WinRmClientContext.newInstance(bus);

        this.builders = () -> WinRmClient.builder(url.toString())
                .authenticationScheme(ntlm ? AuthSchemes.NTLM : AuthSchemes.BASIC)
                // no password: WinRmLogin shows the host the one the credentials answer at each login
                .credentials(d, u, "")
                .context(context)
                .locale(Locale.US)
                .operationTimeout(operationTimeout.toMillis())
                .connectionTimeout(connectMs)
                .connectionRequestTimeout(connectMs)
                .receiveTimeout(receiveMs)
                // the SDK's CallPolicy is the one retry path; winrm4j's would sleep 5 s and resend Create/Receive
                .failureRetryPolicy(WinRmClientBuilder.simpleCounterRetryPolicy(0))
                .environment(environment)
                // Over HTTPS TLS protects the messages; sealing on top of it would only cost.
                .payloadEncryptionMode(sealed ? PayloadEncryptionMode.REQUIRED : PayloadEncryptionMode.OFF);
        WinRmClient c = null;
        if (!sealed) {
            try {
                c = build().winrm();
            } catch (RuntimeException e) {
                shutdownBus();
                throw e;
            }
        }
        this.client = c;
    }

    /** Builds a winrm4j client on this connection's bus (winrm4j sets the thread's default bus while it does). */
    private Channel build() {
        Bus previous = BusFactory.getThreadDefaultBus(false);
        madeHere.remove();
        try {
            WinRmClient w = builders.get().build();
            Client cxf = madeHere.get();
            if (cxf == null) {
                w.close();
                throw new IllegalStateException("winrm4j made no CXF client on this connection's bus");
            }
            login.install(cxf);
            NtlmSealingConduit.Factory factory = null;
            if (sealed) {
                factory = new NtlmSealingConduit.Factory();
                seal(cxf, factory);
            } else if (cxf.getConduit() instanceof HTTPConduit conduit && conduit.getClient() != null) {
                // winrm4j's NTLM path replaced the policy configure() set; it resends without limit
                conduit.getClient().setMaxRetransmits(1);
            }
            return new Channel(w, cxf, factory);
        } finally {
            madeHere.remove();
            BusFactory.setThreadDefaultBus(previous);
        }
    }

    /** Puts {@link NtlmSealingConduit} under a client winrm4j built for sealing, in place of its own (see there). */
    private static void seal(Client cxf, NtlmSealingConduit.Factory factory) {
        cxf.getEndpoint().getEndpointInfo().setProperty(HTTPConduitFactory.class.getName(), factory);
        Conduit winrm4jConduit = cxf.getConduit();
        UpfrontConduitSelector selector = new UpfrontConduitSelector();
        selector.setEndpoint(cxf.getEndpoint());
        cxf.setConduitSelector(selector);
        winrm4jConduit.close();
    }

    /**
     * What every conduit of this connection's bus gets, on the Basic and the NTLM path alike. One resend at most: the
     * one {@link WinRmLogin} asks for after a refused login (CXF's asynchronous conduit would otherwise resend a 401
     * that names no scheme for ever).
     */
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
        p.setMaxRetransmits(1);
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

    /** @return whether messages are sealed with NTLM (plain HTTP) */
    boolean sealed() {
        return sealed;
    }

    /**
     * Opens a shell (one WS-Man Create); blocks.
     *
     * @param env variables of the shell's environment, possibly empty
     * @return the shell
     */
    ShellCommand openShell(Map<String, String> env) {
        environment.current.set(env);
        try {
            if (!sealed) {
                return client.createShell();
            }
            Channel channel;
            synchronized (idleChannels) {
                channel = idleChannels.poll();
            }
            if (channel == null) {
                channel = build();
            }
            try {
                ShellCommand shell = channel.winrm().createShell();
                channels.put(shell, channel);
                return shell;
            } catch (RuntimeException | Error e) {
                close(channel);
                throw e;
            }
        } finally {
            environment.current.remove();
        }
    }

    /** Deletes a shell (one WS-Man Delete; "shell not found" counts as deleted); blocks; never throws. */
    void closeShell(ShellCommand shell) {
        boolean deleted = false;
        try {
            shell.close();
            deleted = true;
        } catch (RuntimeException e) {
            LOG.debug("closing a WinRM shell failed: {}", HyperVErrors.brief(e));
        } finally {
            Channel channel = channels.remove(shell);
            if (channel != null) {
                keepOrClose(channel, deleted);
            }
        }
    }

    /** Drops a shell the host no longer has ("shell not found"), sending nothing; a sealed channel serves the next shell. */
    void forgetShell(ShellCommand shell) {
        Channel channel = channels.remove(shell);
        if (channel != null) {
            keepOrClose(channel, true);
        }
    }

    /**
     * A sealed channel whose shell is closed serves the next shell (its client built, its connection authenticated:
     * no WSDL model to build and no NTLM handshake), up to as many as there are shells; one whose Delete failed may
     * have a broken connection and is closed.
     */
    private void keepOrClose(Channel channel, boolean healthy) {
        synchronized (idleChannels) {
            if (healthy && !closed && idleChannels.size() < maxIdleChannels) {
                idleChannels.push(channel);
                return;
            }
        }
        close(channel);
    }

    private static void close(Channel channel) {
        try {
            channel.winrm().close();
            channel.cxf().destroy();
            channel.sealing().shutdown();
        } catch (RuntimeException e) {
            LOG.debug("closing a sealed WinRM channel failed: {}", HyperVErrors.brief(e));
        }
    }

    @Override
    public void close() {
        try {
            if (client != null) {
                client.close();
            }
            List<Channel> idle;
            synchronized (idleChannels) {
                closed = true;
                idle = List.copyOf(idleChannels);
                idleChannels.clear();
            }
            idle.forEach(WinRmTransport::close);
            channels.values().forEach(WinRmTransport::close);
            channels.clear();
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
