package io.dvmm.sdk.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as a simulator receives it: method, raw target, headers, body, and which
 * connection carried it. The path and query stay as sent (not decoded), so a simulator can check
 * the client's encoding like the real server would.
 *
 * <p>Immutable. {@link #connection()} and {@link #exchange()} let a simulator keep state per TCP
 * connection, as NTLM authentication needs: a connection's number never repeats within a server.
 */
public final class SimRequest {

    /** User name and password of an {@code Authorization: Basic} header. */
    public record BasicCredentials(String username, String password) {
        @Override
        public String toString() {
            return "BasicCredentials[username=" + username + ", password=***]";
        }
    }

    private final String method;
    private final String target;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final int connection;
    private final int exchange;
    private final boolean tls;

    private SimRequest(String method, String target, Map<String, List<String>> headers, byte[] body, int connection,
                       int exchange, boolean tls) {
        this.method = method.toUpperCase(Locale.ROOT);
        this.target = target;
        this.headers = headers;
        this.body = body;
        this.connection = connection;
        this.exchange = exchange;
        this.tls = tls;
    }

    /**
     * A request; the server builds these, tests of a simulator's routing may too.
     *
     * @param method the HTTP method, in any case (kept upper case)
     * @param target the request target as sent: path and query, still percent-encoded
     * @param headers names in any case; each name's values in the order received
     * @param body the body, copied; null for none
     * @param connection the number of the TCP connection that carried it, unique within one server
     * @param exchange its position on that connection, 0 for the first
     * @param tls whether it came over TLS
     * @return the request
     * @throws NullPointerException if {@code method} or {@code target} is null
     */
    public static SimRequest of(String method, String target, Map<String, List<String>> headers, byte[] body,
                                int connection, int exchange, boolean tls) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new java.util.ArrayList<>()).addAll(v));
        h.replaceAll((k, v) -> List.copyOf(v));
        return new SimRequest(Objects.requireNonNull(method, "method"), Objects.requireNonNull(target, "target"),
                Collections.unmodifiableMap(h), body == null ? new byte[0] : body.clone(), connection, exchange, tls);
    }

    /**
     * The same request with another body, e.g. with a password blanked before it is logged.
     *
     * @param newBody the body, copied
     * @return the copy
     */
    public SimRequest withBody(byte[] newBody) {
        return new SimRequest(method, target, headers, newBody.clone(), connection, exchange, tls);
    }

    /**
     * The HTTP method.
     *
     * @return the method, upper case, e.g. {@code POST}
     */
    public String method() {
        return method;
    }

    /**
     * The request target as sent.
     *
     * @return path and query, e.g. {@code /api2/json/nodes/pve1/qemu?full=1}
     */
    public String target() {
        return target;
    }

    /**
     * The path of the target.
     *
     * @return the target before {@code ?}, still percent-encoded
     */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /**
     * The query of the target.
     *
     * @return the target after {@code ?}, still percent-encoded; empty when there is none
     */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    /**
     * Every header.
     *
     * @return header names (lower case) to their values in the order received; unmodifiable
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * The first value of a header.
     *
     * @param name the header's name, in any case
     * @return its first value, or null if the request has none
     */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * The body as received.
     *
     * @return a copy of the body; empty, never null
     */
    public byte[] body() {
        return body.clone();
    }

    /**
     * The body decoded as UTF-8 (SOAP, JSON); ISO-8859-1 form bodies decode the same when they are ASCII.
     *
     * @return the body as text; empty for no body
     */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body's length, without copying it.
     *
     * @return the number of bytes in the body
     */
    public int bodySize() {
        return body.length;
    }

    /**
     * The TCP connection that carried this request.
     *
     * @return its number, unique within one server
     */
    public int connection() {
        return connection;
    }

    /**
     * The position of this request on its connection.
     *
     * @return 0 for the connection's first request, 1 for the next, ...
     */
    public int exchange() {
        return exchange;
    }

    /**
     * Whether the request came over TLS.
     *
     * @return true for HTTPS, false for plain HTTP
     */
    public boolean tls() {
        return tls;
    }

    /**
     * The credentials of an {@code Authorization: Basic} header.
     *
     * @return user name and password, or empty when there is no such header or it is malformed
     */
    public Optional<BasicCredentials> basicCredentials() {
        String auth = header("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Method and path only: headers and body may hold secrets. */
    @Override
    public String toString() {
        return method + " " + path();
    }
}
