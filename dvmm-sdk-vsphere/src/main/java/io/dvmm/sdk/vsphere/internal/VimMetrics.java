package io.dvmm.sdk.vsphere.internal;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests sent per endpoint ({@code host:port}) by every vSphere connection in this JVM. The
 * count is taken where a request leaves the transport, so it equals what the endpoint receives;
 * tests and benchmarks read it to prove round-trip budgets.
 */
public final class VimMetrics {

    private static final Map<String, LongAdder> SENT = new ConcurrentHashMap<>();

    private VimMetrics() {
    }

    static String key(URI endpoint) {
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : 443;
        return endpoint.getHost() + ":" + port;
    }

    static void count(String key) {
        SENT.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /**
     * @param endpoint an endpoint, as {@code https://host:port/...} or {@code vsphere://host:port/...}
     * @return the requests sent to it so far
     */
    public static long requestsTo(URI endpoint) {
        LongAdder a = SENT.get(key(endpoint));
        return a == null ? 0 : a.sum();
    }
}
