package io.dvmm.sdk.simulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every request a simulator received, and exact counts by the simulator's operation key, so tests
 * can assert round trips ("listVms is one request").
 *
 * <p>Headers that carry credentials ({@code Authorization}, {@code Cookie}, CSRF tokens, session
 * headers; see {@link #DEFAULT_REDACTED}) are stored as {@value #REDACTED}. Bodies are kept as
 * given: a simulator whose protocol sends a password in a body passes a blanked copy
 * ({@link SimRequest#withBody}). Counts are exact; the entries themselves are kept up to a bound
 * (the newest win), so a soak does not grow without end.
 *
 * <p>Thread-safe.
 */
public final class RequestLog {

    /** What a redacted header value reads. */
    public static final String REDACTED = "<redacted>";

    /** Header names (lower case) redacted by default. */
    public static final Set<String> DEFAULT_REDACTED = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie", "csrfpreventiontoken", "x-csrf-token", "x-api-session", "vmware-api-session-id");

    /** One received request. {@code operation} is null when the simulator gave it no key. */
    public record Entry(Instant at, String method, String path, String query, Map<String, List<String>> headers,
                        byte[] body, String operation) {
        /**
         * The body decoded as UTF-8.
         *
         * @return the body as text; empty for no body
         */
        public String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return method + " " + path + (query.isEmpty() ? "" : "?" + query) + (operation == null ? "" : " [" + operation + "]");
        }
    }

    private final Set<String> redacted;
    private final int maxEntries;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    /** Keeps the newest 10,000 entries and redacts {@link #DEFAULT_REDACTED}. */
    public RequestLog() {
        this(10_000, Set.of());
    }

    /**
     * A log that keeps the newest {@code maxEntries} entries.
     *
     * @param maxEntries how many entries to keep, 0 for none (counts are always exact)
     * @param moreRedactedHeaders header names, in any case, to redact besides the defaults
     * @throws IllegalArgumentException if {@code maxEntries} is negative
     */
    public RequestLog(int maxEntries, Set<String> moreRedactedHeaders) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        this.maxEntries = maxEntries;
        java.util.HashSet<String> names = new java.util.HashSet<>(DEFAULT_REDACTED);
        moreRedactedHeaders.forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        this.redacted = Set.copyOf(names);
    }

    /**
     * Records a request.
     *
     * @param request the request as received; its credential headers are redacted in the entry
     * @param operation the simulator's key for it (counted by {@link #count(String)}), or null to count it only in {@link #total()}
     */
    public void record(SimRequest request, String operation) {
        total.increment();
        if (operation != null) {
            counts.computeIfAbsent(operation, k -> new LongAdder()).increment();
        }
        if (maxEntries == 0) {
            return;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((k, v) -> headers.put(k, redacted.contains(k) ? List.of(REDACTED) : v));
        Entry e = new Entry(Instant.now(), request.method(), request.path(), request.query(), Map.copyOf(headers),
                request.body(), operation);
        synchronized (entries) {
            entries.addLast(e);
            if (entries.size() > maxEntries) {
                entries.removeFirst();
            }
        }
    }

    /**
     * How many requests were recorded under this key.
     *
     * @param operation the simulator's operation key
     * @return the exact count since creation or the last {@link #reset()}; 0 for a key never seen
     */
    public long count(String operation) {
        LongAdder a = counts.get(operation);
        return a == null ? 0 : a.sum();
    }

    /**
     * Every key with its count.
     *
     * @return keys to exact counts, sorted by key; a snapshot
     */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * How many requests were recorded, with or without a key.
     *
     * @return the exact count since creation or the last {@link #reset()}
     */
    public long total() {
        return total.sum();
    }

    /**
     * The kept entries (the newest, up to the bound).
     *
     * @return the entries, oldest first; a snapshot
     */
    public List<Entry> snapshot() {
        synchronized (entries) {
            return List.copyOf(entries);
        }
    }

    /** Forgets every entry and count. */
    public void reset() {
        synchronized (entries) {
            entries.clear();
            counts.clear();
            total.reset();
        }
    }
}
