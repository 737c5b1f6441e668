package io.dvmm.sdk.simulator.powervm.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request as the HMC handlers see it, independent of the server that received it:
 * method, decoded path, query parameters, headers (case-insensitive) and the body.
 */
public final class HmcRequest {

    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final Map<String, String> headers;
    private final byte[] body;
    private volatile String sessionToken;

    public HmcRequest(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {
        this.method = method.toUpperCase(Locale.ROOT);
        this.path = path;
        this.query = new LinkedHashMap<>(query);
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        this.headers = h;
        this.body = body == null ? new byte[0] : body;
    }

    /** Splits a raw target such as {@code /rest/api/uom/LogicalPartition?group=None}. */
    public static HmcRequest of(String method, String target, Map<String, String> headers, byte[] body) {
        String path = target;
        Map<String, String> query = new LinkedHashMap<>();
        int q = target.indexOf('?');
        if (q >= 0) {
            path = target.substring(0, q);
            for (String pair : target.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                query.putIfAbsent(decode(k), decode(v));
            }
        }
        return new HmcRequest(method, decode(path), query, headers, body);
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String query(String name) {
        return query.get(name);
    }

    public Map<String, String> query() {
        return query;
    }

    /** A header value or null. */
    public String header(String name) {
        return headers.get(name);
    }

    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The path with the query as received ({@code group} kept), for SELF links. */
    public String pathWithGroup() {
        String g = query.get("group");
        return g == null ? path : path + "?group=" + g;
    }

    /** The API session this request was authorised with (set by the router). */
    public String sessionToken() {
        return sessionToken;
    }

    void sessionToken(String token) {
        this.sessionToken = token;
    }
}
