package io.dvmm.sdk.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to one request: status line, headers, body, and how it is delivered on the wire.
 *
 * <p>Immutable; every {@code with…} method returns a copy. The reason phrase is sent exactly as
 * given (its first line, CR and LF never reach the wire), because servers such as pveproxy put
 * their error message there. {@code Content-Length} is set by the server.
 *
 * <p>{@link #delivery()} is how the answer reaches (or fails to reach) the client; a {@link Fault}
 * sets it, and a simulator may set it directly.
 */
public final class SimResponse {

    /** How the answer travels. */
    public enum Delivery {
        /** Status line, headers and the whole body. */
        COMPLETE,
        /** The connection is closed before any byte of the answer. */
        DISCONNECT,
        /** Nothing is sent and the connection is held open until the client gives up or the server stops. */
        NO_ANSWER,
        /** Status line, headers with the full {@code Content-Length}, half the body, then the connection closes. */
        TRUNCATED_BODY,
        /** Status line and headers, then the body never comes (until the client gives up or the server stops). */
        STALLED_BODY
    }

    private final int status;
    private final String reason;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Duration delay;
    private final Delivery delivery;

    private SimResponse(int status, String reason, Map<String, String> headers, byte[] body, Duration delay,
                        Delivery delivery) {
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
        this.delay = delay;
        this.delivery = delivery;
    }

    /**
     * A complete answer with an empty body and no headers.
     *
     * @param status the status code, three digits
     * @param reason the reason phrase, sent as given (its first line only, CR replaced by a space)
     * @return the answer
     * @throws IllegalArgumentException if {@code status} is not between 100 and 999
     * @throws NullPointerException if {@code reason} is null
     */
    public static SimResponse of(int status, String reason) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must have three digits: " + status);
        }
        return new SimResponse(status, firstLine(Objects.requireNonNull(reason, "reason")), Map.of(), new byte[0],
                Duration.ZERO, Delivery.COMPLETE);
    }

    /**
     * 200 OK with a body of the given content type.
     *
     * @param contentType the {@code Content-Type} header's value
     * @param body the body, copied
     * @return the answer
     */
    public static SimResponse ok(String contentType, byte[] body) {
        return of(200, "OK").withHeader("Content-Type", contentType).withBody(body);
    }

    /**
     * The connection is closed before anything is sent: the request arrived, its answer is lost.
     *
     * @return an answer delivered as {@link Delivery#DISCONNECT}
     */
    public static SimResponse disconnect() {
        return of(500, "never sent").withDelivery(Delivery.DISCONNECT);
    }

    /**
     * Nothing is ever sent on this connection.
     *
     * @return an answer delivered as {@link Delivery#NO_ANSWER}
     */
    public static SimResponse noAnswer() {
        return of(500, "never sent").withDelivery(Delivery.NO_ANSWER);
    }

    /**
     * A copy with another status line; headers, body, delay and delivery stay.
     *
     * @param newStatus the status code, three digits
     * @param newReason the reason phrase, sent as given (its first line only)
     * @return the copy
     * @throws IllegalArgumentException if {@code newStatus} is not between 100 and 999
     * @throws NullPointerException if {@code newReason} is null
     */
    public SimResponse withStatus(int newStatus, String newReason) {
        SimResponse s = of(newStatus, newReason);
        return new SimResponse(s.status, s.reason, headers, body, delay, delivery);
    }

    /**
     * A copy with a header added, or replaced if one of the same name (in any case) is set.
     *
     * @param name the header's name
     * @param value its value; only its first line is sent
     * @return the copy
     */
    public SimResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        h.put(name, firstLine(value));
        return new SimResponse(status, reason, java.util.Collections.unmodifiableMap(h), body, delay, delivery);
    }

    /**
     * A copy with another body; the headers stay as they are ({@code Content-Length} is the server's).
     *
     * @param newBody the body, copied
     * @return the copy
     */
    public SimResponse withBody(byte[] newBody) {
        return new SimResponse(status, reason, headers, newBody.clone(), delay, delivery);
    }

    /**
     * A copy with a text body, sent as UTF-8, and its {@code Content-Type}.
     *
     * @param contentType the {@code Content-Type} header's value, e.g. {@code application/json;charset=UTF-8}
     * @param text the body
     * @return the copy
     */
    public SimResponse withBody(String contentType, String text) {
        return withHeader("Content-Type", contentType).withBody(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A copy that waits this long before its first byte (the request is read at once).
     *
     * @param newDelay the delay, replacing the current one; zero or more
     * @return the copy
     * @throws IllegalArgumentException if {@code newDelay} is negative
     */
    public SimResponse withDelay(Duration newDelay) {
        if (newDelay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return new SimResponse(status, reason, headers, body, newDelay, delivery);
    }

    /**
     * A copy delivered another way (cut short, never sent, ...).
     *
     * @param newDelivery how the answer travels
     * @return the copy
     * @throws NullPointerException if {@code newDelivery} is null
     */
    public SimResponse withDelivery(Delivery newDelivery) {
        return new SimResponse(status, reason, headers, body, delay, Objects.requireNonNull(newDelivery));
    }

    /**
     * The status code of the status line.
     *
     * @return the status code, three digits
     */
    public int status() {
        return status;
    }

    /**
     * The reason phrase of the status line, as it is sent.
     *
     * @return the reason phrase, one line
     */
    public String reason() {
        return reason;
    }

    /**
     * Headers as set, without {@code Content-Length}.
     *
     * @return the headers in the order they were set, unmodifiable
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * One header's value.
     *
     * @param name the header's name, in any case
     * @return its value, or null if it is not set
     */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /**
     * The body (whole, even when it is delivered truncated).
     *
     * @return a copy of the body; empty, never null
     */
    public byte[] body() {
        return body.clone();
    }

    /**
     * How long the answer waits before its first byte.
     *
     * @return the delay, zero for none
     */
    public Duration delay() {
        return delay;
    }

    /**
     * How the answer travels.
     *
     * @return the delivery, {@link Delivery#COMPLETE} unless a fault or the simulator changed it
     */
    public Delivery delivery() {
        return delivery;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl >= 0 ? s.substring(0, nl) : s;
        return line.replace('\r', ' ');
    }

    @Override
    public String toString() {
        return status + " " + reason + (delivery == Delivery.COMPLETE ? "" : " (" + delivery + ")")
                + (delay.isZero() ? "" : " after " + delay.toMillis() + " ms");
    }
}
