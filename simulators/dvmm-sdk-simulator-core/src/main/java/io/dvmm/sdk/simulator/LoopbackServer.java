package io.dvmm.sdk.simulator;

import io.dvmm.sdk.simulator.internal.MockWebServerBridge;
import io.dvmm.sdk.simulator.internal.NoDelayServerSockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import mockwebserver3.MockWebServer;
import okhttp3.Protocol;

/**
 * An HTTP/1.1 server on {@code 127.0.0.1} (plain or TLS) that hands every request to one
 * function, the simulator's dispatcher, and sends the {@link SimResponse} it returns exactly as
 * described: any status line and reason phrase, any headers, any body, and the delivery faults
 * of {@link SimResponse.Delivery}.
 *
 * <pre>{@code
 * try (LoopbackServer server = LoopbackServer.https(SimulatorCertificate.shared(), request -> SimResponse.of(200, "OK"))) {
 *     URI url = server.url();     // https://127.0.0.1:40123
 * }
 * }</pre>
 *
 * <p>Each connection is served by its own thread, which runs the dispatcher; a dispatcher may
 * block (to model a slow server) and must be thread-safe. A dispatcher that throws is answered
 * {@code 500 internal simulator error}. Only HTTP/1.1 is spoken, as by every hypervisor API here.
 */
public final class LoopbackServer implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final SimulatorCertificate certificate;

    private LoopbackServer(SimulatorCertificate certificate, Function<SimRequest, SimResponse> dispatcher) {
        this.certificate = certificate;
        server.setServerSocketFactory(new NoDelayServerSockets());
        server.setProtocolNegotiationEnabled(false);
        server.setProtocols(List.of(Protocol.HTTP_1_1));
        if (certificate != null) {
            server.useHttps(certificate.serverSocketFactory());
        }
        server.setDispatcher(new MockWebServerBridge(server, certificate != null, Objects.requireNonNull(dispatcher, "dispatcher")));
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a loopback server", e);
        }
    }

    /**
     * Starts a plain HTTP server on an ephemeral port.
     *
     * @param dispatcher answers each request; called on the connection's thread, so it must be thread-safe
     * @return the running server; close it to stop it
     * @throws UncheckedIOException if the server cannot listen on loopback
     */
    public static LoopbackServer http(Function<SimRequest, SimResponse> dispatcher) {
        return new LoopbackServer(null, dispatcher);
    }

    /**
     * Starts an HTTPS server presenting {@code certificate} on an ephemeral port.
     *
     * @param certificate the server certificate and key (for {@code 127.0.0.1} and {@code localhost})
     * @param dispatcher answers each request; called on the connection's thread, so it must be thread-safe
     * @return the running server; close it to stop it
     * @throws UncheckedIOException if the server cannot listen on loopback
     */
    public static LoopbackServer https(SimulatorCertificate certificate, Function<SimRequest, SimResponse> dispatcher) {
        return new LoopbackServer(Objects.requireNonNull(certificate, "certificate"), dispatcher);
    }

    /**
     * Where the server listens.
     *
     * @return {@code http://127.0.0.1:port} or {@code https://127.0.0.1:port}, without a trailing slash
     */
    public URI url() {
        return URI.create((tls() ? "https" : "http") + "://" + host() + ":" + port());
    }

    /**
     * The address the server listens on.
     *
     * @return {@code 127.0.0.1}
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * The ephemeral port the server was given.
     *
     * @return the port
     */
    public int port() {
        return server.getPort();
    }

    /**
     * Whether the server speaks HTTPS.
     *
     * @return true if it was started with {@link #https}
     */
    public boolean tls() {
        return certificate != null;
    }

    /**
     * The certificate presented over TLS.
     *
     * @return the certificate, or empty for plain HTTP
     */
    public Optional<SimulatorCertificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    /** Stops accepting, closes every connection (held ones included) and ends the server's threads. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "LoopbackServer[" + url() + "]";
    }
}
