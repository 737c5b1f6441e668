package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.RequestEvent;
import io.dvmm.sdk.RequestListener;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests a connection reports to its {@link RequestListener}, per vim25 method: the
 * tests' round-trip meter. Requests that provably never reached the server (refused before they
 * were written) are counted apart. Thread-safe.
 */
public final class RequestCounter implements RequestListener {

    private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
    private final LongAdder notSent = new LongAdder();
    private final java.util.Set<String> ignored;

    /** Counts every request. */
    public RequestCounter() {
        this(java.util.Set.of());
    }

    private RequestCounter(java.util.Set<String> ignoredOperations) {
        this.ignored = ignoredOperations;
    }

    /**
     * @return a counter of the requests that calls cause, leaving out a connection's own
     *         housekeeping: its update dispatcher's long polls and filter removals, and keepalives
     */
    public static RequestCounter ofCalls() {
        return new RequestCounter(java.util.Set.of("waitForUpdates", "keepalive"));
    }

    @Override
    public void onRequest(RequestEvent event) {
        if (ignored.contains(event.operation())) {
            return;
        }
        if (event.failure().filter(f -> f.startsWith("not sent")).isPresent()) {
            notSent.increment();
            return;
        }
        sent.computeIfAbsent(event.method(), m -> new LongAdder()).increment();
    }

    /** @return requests that reached the server so far, by method (a snapshot, sorted) */
    public Map<String, Long> counts() {
        Map<String, Long> snapshot = new TreeMap<>();
        sent.forEach((k, v) -> snapshot.put(k, v.sum()));
        return snapshot;
    }

    /** @return requests that reached the server so far */
    public long total() {
        return sent.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** @return requests refused before they were written (TLS, connection refused) */
    public long notSent() {
        return notSent.sum();
    }

    /**
     * @param before counts taken earlier
     * @return the requests made since, by method, zero counts left out
     */
    public Map<String, Long> since(Map<String, Long> before) {
        Map<String, Long> d = new HashMap<>();
        counts().forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n != 0) {
                d.put(k, n);
            }
        });
        return d;
    }
}
