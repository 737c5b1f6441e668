package io.dvmm.sdk.simulator;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which requests get a {@link Fault}, and how often: the requests a rule matches (by method and
 * path pattern, or by the operation key the simulator assigns), a limit (a number of times, or
 * always) and optionally a probability drawn from the {@link FaultPlan}'s seeded random source.
 *
 * <pre>{@code
 * FaultRule.onOperation("POST /nodes/{node}/qemu/{vmid}/clone").times(1).then(Fault.reset());
 * FaultRule.onRequest("GET", "/api2/json/cluster/**").always().withProbability(0.1).then(Fault.status(596, "Connection timed out"));
 * FaultRule.onOperation("CloneVM_Task").times(3).then(Fault.noAnswer().notApplied());
 * }</pre>
 *
 * <p>Immutable; the plan keeps each rule's remaining count.
 */
public final class FaultRule {

    /** Unlimited, for {@link Builder#always()}. */
    static final int UNLIMITED = -1;

    private final String method;
    private final Pattern path;
    private final String pathPattern;
    private final String operation;
    private final Pattern operationPattern;
    private final int times;
    private final double probability;
    private final Fault fault;

    private FaultRule(Builder b, Fault fault) {
        this.method = b.method;
        this.pathPattern = b.pathPattern;
        this.path = b.pathPattern == null ? null : glob(b.pathPattern);
        this.operation = b.operation;
        this.operationPattern = b.operation == null || "*".equals(b.operation) ? null : glob(b.operation);
        this.times = b.times;
        this.probability = b.probability;
        this.fault = fault;
    }

    /**
     * Requests by method ({@code "*"} for any) and raw path pattern: {@code *} stands for any
     * characters within one segment, {@code **} for any characters across segments.
     *
     * @param method the HTTP method, in any case, or {@code "*"}
     * @param pathPattern the pattern the whole path (before {@code ?}, still percent-encoded) must match
     * @return a builder that fires once unless told otherwise
     */
    public static Builder onRequest(String method, String pathPattern) {
        Builder b = new Builder();
        b.method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        b.pathPattern = Objects.requireNonNull(pathPattern, "pathPattern");
        return b;
    }

    /**
     * Requests the simulator tags with this operation key, or a pattern of it with {@code *} and
     * {@code **} as in {@link #onRequest} (e.g. {@code "* /nodes/{node}/qemu/**"}); {@code "*"}
     * alone matches every key.
     *
     * @param key the operation key or pattern; a request the simulator gives no key never matches
     * @return a builder that fires once unless told otherwise
     */
    public static Builder onOperation(String key) {
        Builder b = new Builder();
        b.operation = Objects.requireNonNull(key, "key");
        return b;
    }

    /**
     * Every request.
     *
     * @return a builder that fires once unless told otherwise
     */
    public static Builder onAnyRequest() {
        return onRequest("*", "**");
    }

    boolean matches(SimRequest request, String key) {
        if (operation != null) {
            return operationPattern == null ? key != null : key != null && operationPattern.matcher(key).matches();
        }
        return ("*".equals(method) || method.equals(request.method())) && path.matcher(request.path()).matches();
    }

    int times() {
        return times;
    }

    double probability() {
        return probability;
    }

    /**
     * What goes wrong when the rule fires.
     *
     * @return the fault, never {@link Fault#none()}
     */
    public Fault fault() {
        return fault;
    }

    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        String what = operation != null ? "operation " + operation : method + " " + pathPattern;
        String limit = times == UNLIMITED ? "always" : times + " time(s)";
        return what + ", " + limit + (probability < 1 ? " with probability " + probability : "") + ": " + fault;
    }

    /** Limits of a rule; {@link #then(Fault)} completes it. Matches once unless told otherwise. */
    public static final class Builder {
        private String method;
        private String pathPattern;
        private String operation;
        private int times = 1;
        private double probability = 1.0;

        private Builder() {
        }

        /**
         * Fires for at most this many matching requests.
         *
         * @param count how many times, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is less than 1
         */
        public Builder times(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("times must be at least 1");
            }
            this.times = count;
            return this;
        }

        /**
         * Fires for every matching request (with {@link #withProbability}, for a share of them).
         *
         * @return this builder
         */
        public Builder always() {
            this.times = UNLIMITED;
            return this;
        }

        /**
         * Fires for a matching request with this probability, drawn from the plan's seeded source.
         *
         * @param p the probability, above 0 and at most 1
         * @return this builder
         * @throws IllegalArgumentException if {@code p} is not in (0, 1]
         */
        public Builder withProbability(double p) {
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("probability must be in (0, 1]: " + p);
            }
            this.probability = p;
            return this;
        }

        /**
         * Completes the rule with what goes wrong.
         *
         * @param fault the fault to inject
         * @return the rule, to {@link FaultPlan#add(FaultRule) add} to a plan
         * @throws IllegalArgumentException if {@code fault} is {@link Fault#none()}
         */
        public FaultRule then(Fault fault) {
            if (Objects.requireNonNull(fault, "fault").isNone()) {
                throw new IllegalArgumentException("a rule needs a fault");
            }
            return new FaultRule(this, fault);
        }
    }
}
