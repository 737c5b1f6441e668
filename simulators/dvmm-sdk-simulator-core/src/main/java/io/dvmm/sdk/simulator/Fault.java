package io.dvmm.sdk.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What goes wrong with one answer, and whether the request took effect before it went wrong.
 *
 * <p>A fault decides only the answer ({@link #answer(SimResponse)}). Whether the request changes
 * the simulator's state is the simulator's to carry out, as the fault says through
 * {@link #requestApplied()}: {@code true} means "the request arrived and was carried out, the
 * answer went wrong" (a clone that happened although its reply was lost), {@code false} means
 * "the request never took effect". Each kind has a default, changed with {@link #applied()} and
 * {@link #notApplied()}: a {@linkplain #status status} is not applied, every other kind is.
 *
 * <p>Immutable.
 */
public final class Fault {

    /** The kinds of misbehaviour. */
    public enum Kind {
        /** No fault: the simulator's answer as it is. */
        NONE,
        /** The answer comes late. */
        DELAY,
        /** The connection closes before the answer. */
        RESET,
        /** The connection stays open and silent until the client gives up or the server stops. */
        NO_ANSWER,
        /** Headers promise the whole body; half of it comes, then the connection closes. */
        TRUNCATED_BODY,
        /** A complete answer whose body is not valid in any syntax (JSON, XML). */
        MALFORMED_BODY,
        /** Another status and reason phrase, optionally with {@code Retry-After}. */
        STATUS,
        /** Status line and headers arrive, then the body stalls. */
        STALLED_BODY
    }

    private static final byte[] GARBAGE = "\u0000<<malformed by the fault plan>>".getBytes(StandardCharsets.UTF_8);
    private static final Fault NONE = new Fault(Kind.NONE, true, Duration.ZERO, 0, null, null);

    private final Kind kind;
    private final boolean applied;
    private final Duration delay;
    private final int status;
    private final String reason;
    private final Duration retryAfter;

    private Fault(Kind kind, boolean applied, Duration delay, int status, String reason, Duration retryAfter) {
        this.kind = kind;
        this.applied = applied;
        this.delay = delay;
        this.status = status;
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    /**
     * No fault: what {@link FaultPlan#match} returns when no rule fires.
     *
     * @return the one {@link Kind#NONE} fault
     */
    public static Fault none() {
        return NONE;
    }

    /**
     * The answer is sent after {@code delay}; the request always takes effect.
     *
     * @param delay how long the answer waits, on top of any delay the simulator gave it; zero or more
     * @return a {@link Kind#DELAY} fault
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Fault delay(Duration delay) {
        if (Objects.requireNonNull(delay, "delay").isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return new Fault(Kind.DELAY, true, delay, 0, null, null);
    }

    /**
     * The connection closes before the answer; by default the request took effect ("the answer was lost").
     *
     * @return a {@link Kind#RESET} fault
     */
    public static Fault reset() {
        return new Fault(Kind.RESET, true, Duration.ZERO, 0, null, null);
    }

    /**
     * The request is read and never answered; by default it took effect.
     *
     * @return a {@link Kind#NO_ANSWER} fault
     */
    public static Fault noAnswer() {
        return new Fault(Kind.NO_ANSWER, true, Duration.ZERO, 0, null, null);
    }

    /**
     * Half the body, then the connection closes (the body needs at least two bytes); by default the
     * request took effect.
     *
     * @return a {@link Kind#TRUNCATED_BODY} fault
     */
    public static Fault truncatedBody() {
        return new Fault(Kind.TRUNCATED_BODY, true, Duration.ZERO, 0, null, null);
    }

    /**
     * The body's first half followed by bytes no JSON or XML parser accepts; by default the request
     * took effect.
     *
     * @return a {@link Kind#MALFORMED_BODY} fault
     */
    public static Fault malformedBody() {
        return new Fault(Kind.MALFORMED_BODY, true, Duration.ZERO, 0, null, null);
    }

    /**
     * Headers, then a body that never comes; by default the request took effect.
     *
     * @return a {@link Kind#STALLED_BODY} fault
     */
    public static Fault stalledBody() {
        return new Fault(Kind.STALLED_BODY, true, Duration.ZERO, 0, null, null);
    }

    /**
     * Another status line, e.g. 503 "Service Unavailable" or PVE's 596 "Connection timed out"; by
     * default the request did not take effect.
     *
     * @param status the status code to send, three digits
     * @param reason the reason phrase, sent as given (its first line only)
     * @return a {@link Kind#STATUS} fault
     * @throws IllegalArgumentException if {@code status} does not have three digits
     * @throws NullPointerException if {@code reason} is null
     */
    public static Fault status(int status, String reason) {
        SimResponse.of(status, reason); // validates
        return new Fault(Kind.STATUS, false, Duration.ZERO, status, reason, null);
    }

    /**
     * A copy of this status fault that also sends {@code Retry-After} in whole seconds.
     *
     * @param after what {@code Retry-After} says, rounded down to whole seconds (a negative one is sent as 0)
     * @return the copy
     * @throws IllegalStateException if this is not a {@link Kind#STATUS} fault
     */
    public Fault retryAfter(Duration after) {
        if (kind != Kind.STATUS) {
            throw new IllegalStateException("Retry-After goes with a status fault, not " + kind);
        }
        return new Fault(kind, applied, delay, status, reason, Objects.requireNonNull(after, "after"));
    }

    /**
     * A copy whose request takes effect before the answer goes wrong.
     *
     * @return the copy, {@link #requestApplied()} true
     */
    public Fault applied() {
        return new Fault(kind, true, delay, status, reason, retryAfter);
    }

    /**
     * A copy whose request never takes effect.
     *
     * @return the copy, {@link #requestApplied()} false
     * @throws IllegalStateException for {@link Kind#NONE} and {@link Kind#DELAY}, whose answers are real ones
     */
    public Fault notApplied() {
        if (kind == Kind.NONE || kind == Kind.DELAY) {
            throw new IllegalStateException("a " + kind + " answer is a real answer; its request always takes effect");
        }
        return new Fault(kind, false, delay, status, reason, retryAfter);
    }

    /**
     * What goes wrong.
     *
     * @return this fault's kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether this is no fault at all.
     *
     * @return true for {@link Kind#NONE}
     */
    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /**
     * Whether the simulator must carry the request out before answering.
     *
     * @return true if the request takes effect, false if the simulator must leave its state as it is
     */
    public boolean requestApplied() {
        return applied;
    }

    /**
     * The status code a {@link Kind#STATUS} fault sends.
     *
     * @return the status code, or 0 for every other kind
     */
    public int status() {
        return status;
    }

    /**
     * The reason phrase a {@link Kind#STATUS} fault sends.
     *
     * @return the reason phrase, or null for every other kind
     */
    public String reason() {
        return reason;
    }

    /**
     * What a status fault sends as {@code Retry-After}, if it was given one with {@link #retryAfter(Duration)}.
     *
     * @return the delay, or empty if no {@code Retry-After} is sent
     */
    public Optional<Duration> retryAfterDelay() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * How long a {@link Kind#DELAY} fault holds the answer back.
     *
     * @return the delay, or zero for every other kind
     */
    public Duration delay() {
        return delay;
    }

    /**
     * The answer to send instead of {@code response}. For a {@link Kind#STATUS} fault, pass the
     * simulator's own error answer (its protocol's error body): this sets the status line and
     * {@code Retry-After} on it.
     *
     * @param response what the simulator would answer without the fault
     * @return the answer to send: {@code response} itself for {@link Kind#NONE}, otherwise a copy changed as
     *         this fault says
     */
    public SimResponse answer(SimResponse response) {
        return switch (kind) {
            case NONE -> response;
            case DELAY -> response.withDelay(response.delay().plus(delay));
            case RESET -> response.withDelivery(SimResponse.Delivery.DISCONNECT);
            case NO_ANSWER -> response.withDelivery(SimResponse.Delivery.NO_ANSWER);
            case TRUNCATED_BODY -> response.withDelivery(SimResponse.Delivery.TRUNCATED_BODY);
            case STALLED_BODY -> response.withDelivery(SimResponse.Delivery.STALLED_BODY);
            case MALFORMED_BODY -> {
                byte[] body = response.body();
                byte[] garbled = Arrays.copyOf(body, body.length / 2 + GARBAGE.length);
                System.arraycopy(GARBAGE, 0, garbled, body.length / 2, GARBAGE.length);
                yield response.withBody(garbled);
            }
            case STATUS -> {
                SimResponse r = response.withStatus(status, reason);
                yield retryAfter == null ? r : r.withHeader("Retry-After", Long.toString(Math.max(0, retryAfter.toSeconds())));
            }
        };
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case DELAY -> "delay " + delay.toMillis() + " ms";
            case STATUS -> "status " + status + " " + reason + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + " s");
            default -> kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
        return kind == Kind.NONE ? "no fault" : what + (applied ? " (request applied)" : " (request not applied)");
    }
}
