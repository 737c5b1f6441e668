package io.dvmm.sdk.simulator.internal;

import io.dvmm.sdk.simulator.SimRequest;
import io.dvmm.sdk.simulator.SimResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import okio.Buffer;
import okio.ByteString;

/**
 * Turns mockwebserver3's requests into {@link SimRequest}s and {@link SimResponse}s into its
 * responses, delivery faults included.
 */
public final class MockWebServerBridge extends Dispatcher {

    /** How long a stalled body waits; the server's close ends the wait at once. */
    private static final long STALL_HOURS = 1;

    private final MockWebServer server;
    private final boolean tls;
    private final Function<SimRequest, SimResponse> dispatcher;

    public MockWebServerBridge(MockWebServer server, boolean tls, Function<SimRequest, SimResponse> dispatcher) {
        this.server = server;
        this.tls = tls;
        this.dispatcher = dispatcher;
    }

    @Override
    public MockResponse dispatch(RecordedRequest recorded) throws InterruptedException {
        // mockwebserver3 queues every request for takeRequest(); simulators keep their own RequestLog,
        // so the queue is drained here rather than holding every request of a soak.
        while (server.takeRequest(0, TimeUnit.NANOSECONDS) != null) {
            // dropped
        }
        SimResponse response;
        try {
            response = dispatcher.apply(toSimRequest(recorded));
        } catch (RuntimeException e) {
            response = SimResponse.of(500, "internal simulator error: " + e);
        }
        return toMockResponse(response);
    }

    private SimRequest toSimRequest(RecordedRequest r) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Headers h = r.getHeaders();
        for (int i = 0; i < h.size(); i++) {
            headers.computeIfAbsent(h.name(i), k -> new ArrayList<>()).add(h.value(i));
        }
        ByteString body = r.getBody();
        return SimRequest.of(r.getMethod(), r.getTarget(), headers, body == null ? new byte[0] : body.toByteArray(),
                r.getConnectionIndex(), r.getExchangeIndex(), tls);
    }

    static MockResponse toMockResponse(SimResponse r) {
        MockResponse.Builder b = new MockResponse.Builder()
                .status("HTTP/1.1 " + r.status() + " " + latin1(r.reason()))
                .clearHeaders();
        r.headers().forEach(b::addHeaderLenient);
        b.body(new Buffer().write(r.body()));
        if (!r.delay().isZero()) {
            b.headersDelay(r.delay().toNanos(), TimeUnit.NANOSECONDS);
        }
        switch (r.delivery()) {
            case COMPLETE -> { }
            case DISCONNECT -> b.onResponseStart(new SocketEffect.CloseSocket());
            case NO_ANSWER -> b.onResponseStart(SocketEffect.Stall.INSTANCE);
            case TRUNCATED_BODY -> b.onResponseBody(new SocketEffect.CloseSocket());
            case STALLED_BODY -> b.bodyDelay(STALL_HOURS, TimeUnit.HOURS);
        }
        return b.build();
    }

    /** Clients read the status line as ISO-8859-1 and mockwebserver3 writes UTF-8: only printable ASCII goes out, the rest as ?. */
    private static String latin1(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
