package io.dvmm.sdk.testkit.proxmox.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A small HTTP/1.1 server on a plain or TLS server socket.
 *
 * <p>It exists because {@code com.sun.net.httpserver} cannot send a custom reason phrase, and
 * Proxmox VE puts its error messages exactly there. Keep-alive with {@code Content-Length}
 * bodies only; one thread per connection from a bounded pool.
 */
public final class MiniHttpServer implements Closeable {

    /** One parsed request. Header names are lower-case. */
    public record Request(String method, String target, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One response; {@code reset} closes the connection abruptly instead of answering. */
    public record Response(int status, String reason, Map<String, String> headers, byte[] body, boolean reset) {
        public static Response connectionReset() {
            return new Response(0, "", Map.of(), new byte[0], true);
        }
    }

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    private static final int IDLE_TIMEOUT_MILLIS = 30_000;

    private final ServerSocket serverSocket;
    private final ThreadPoolExecutor workers;
    private final Function<Request, Response> handler;
    private final Thread acceptor;
    private volatile boolean closed;

    public MiniHttpServer(SSLContext tls, int maxThreads, Function<Request, Response> handler) throws IOException {
        this.handler = handler;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket socket = tls == null
                ? new ServerSocket()
                : tls.getServerSocketFactory().createServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(loopback, 0), 512);
        this.serverSocket = socket;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, maxThreads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "pve-sim-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "pve-sim-accept");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            try {
                workers.execute(() -> serve(s));
            } catch (RuntimeException rejected) {
                closeQuietly(s);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                Request request = readRequest(in);
                if (request == null) {
                    return;
                }
                Response response;
                try {
                    response = handler.apply(request);
                } catch (RuntimeException e) {
                    response = new Response(500, "internal simulator error: " + e, Map.of(), new byte[0], false);
                }
                if (response.reset()) {
                    socket.setSoLinger(true, 0);
                    return;
                }
                writeResponse(out, response);
                if ("close".equalsIgnoreCase(request.header("connection"))) {
                    return;
                }
            }
        } catch (SocketTimeoutException | SocketException e) {
            // idle keep-alive connection or peer went away
        } catch (IOException e) {
            // malformed request or TLS failure: drop the connection
        }
    }

    private static Request readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = readLine(in);
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length < 3) {
            throw new IOException("bad request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            total += line.length();
            if (total > MAX_HEADER_BYTES) {
                throw new IOException("headers too large");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + "; " + b);
            }
        }
        byte[] body = new byte[0];
        String te = headers.get("transfer-encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = readChunked(in);
        } else {
            String cl = headers.get("content-length");
            if (cl != null) {
                int len = Integer.parseInt(cl.trim());
                if (len < 0 || len > MAX_BODY_BYTES) {
                    throw new IOException("bad content length");
                }
                body = in.readNBytes(len);
                if (body.length != len) {
                    throw new IOException("truncated body");
                }
            }
        }
        return new Request(parts[0], parts[1], headers, body);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("truncated chunk");
            }
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            if (size == 0) {
                for (String l = readLine(in); l != null && !l.isEmpty(); l = readLine(in)) {
                    // trailers ignored
                }
                return buf.toByteArray();
            }
            if (buf.size() + size > MAX_BODY_BYTES) {
                throw new IOException("body too large");
            }
            buf.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
            if (line.size() > MAX_HEADER_BYTES) {
                throw new IOException("line too long");
            }
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void writeResponse(OutputStream out, Response r) throws IOException {
        StringBuilder head = new StringBuilder(256);
        String reason = r.reason() == null ? "" : r.reason().replace('\r', ' ').replace('\n', ' ');
        head.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason).append("\r\n");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("Content-Length: ").append(r.body().length).append("\r\n");
        head.append("Connection: Keep-Alive\r\n\r\n");
        // Reason phrases are ISO-8859-1 on the wire; non-Latin characters become '?'.
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(r.body());
        out.flush();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        workers.shutdownNow();
    }
}
