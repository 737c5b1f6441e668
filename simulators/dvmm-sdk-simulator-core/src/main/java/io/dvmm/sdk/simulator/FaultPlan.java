package io.dvmm.sdk.simulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * The faults a simulator injects: an ordered list of {@link FaultRule}s that the simulator
 * consults once per request. The first live rule that matches (and wins its probability draw)
 * fires and uses up one of its times.
 *
 * <p>How a simulator uses it, making the request's effect explicit:
 *
 * <pre>{@code
 * Fault fault = faults.match(request, operationKey);
 * SimResponse answer = fault.requestApplied() ? handle(request) : SimResponse.of(500, "not applied");
 * if (fault.kind() == Fault.Kind.STATUS) {
 *     answer = errorInMyProtocol(fault.status(), fault.reason());
 * }
 * return fault.answer(answer);
 * }</pre>
 *
 * <p>Thread-safe. Probabilities come from one {@link Random} seeded at construction, so a
 * sequential run injects the same faults every time; under concurrency the order of requests,
 * and so which of them get a fault, may vary.
 */
public final class FaultPlan {

    /** A fault that fired: on which request, by which rule. */
    public record Injection(String method, String path, String operation, Fault fault) {
    }

    private static final class Live {
        final FaultRule rule;
        int remaining;

        Live(FaultRule rule) {
            this.rule = rule;
            this.remaining = rule.times();
        }
    }

    private final List<Live> rules = new ArrayList<>();
    private final List<Injection> injected = new ArrayList<>();
    private final Random random;

    /**
     * An empty plan whose probabilities are drawn from {@code seed}.
     *
     * @param seed the seed of the plan's one {@link Random}: the same seed, the same draws
     */
    public FaultPlan(long seed) {
        this.random = new Random(seed);
    }

    /** A plan with seed 0. */
    public FaultPlan() {
        this(0);
    }

    /**
     * Appends a rule; earlier rules are consulted first.
     *
     * @param rule the rule, with its own count of times
     * @return this plan
     */
    public synchronized FaultPlan add(FaultRule rule) {
        rules.add(new Live(rule));
        return this;
    }

    /**
     * The fault for this request, using up one time of the rule that fired; {@link Fault#none()}
     * when none does.
     *
     * @param request the request as it arrived
     * @param operation the simulator's key for the request (e.g. {@code "POST /nodes/{node}/qemu/{vmid}/clone"}), or null
     * @return the fault of the first rule that fires, or {@link Fault#none()}
     */
    public synchronized Fault match(SimRequest request, String operation) {
        for (Iterator<Live> it = rules.iterator(); it.hasNext(); ) {
            Live live = it.next();
            if (!live.rule.matches(request, operation)) {
                continue;
            }
            if (live.rule.probability() < 1 && random.nextDouble() >= live.rule.probability()) {
                continue;
            }
            if (live.remaining != FaultRule.UNLIMITED && --live.remaining == 0) {
                it.remove();
            }
            Fault fault = live.rule.fault();
            injected.add(new Injection(request.method(), request.path(), operation, fault));
            return fault;
        }
        return Fault.none();
    }

    /**
     * The rules that can still fire, in order (a rule whose times are used up is gone).
     *
     * @return a snapshot of the rules
     */
    public synchronized List<FaultRule> rules() {
        return rules.stream().map(l -> l.rule).toList();
    }

    /**
     * Every fault injected since creation or the last {@link #clear()}, in order.
     *
     * @return a snapshot of the injections
     */
    public synchronized List<Injection> injected() {
        return List.copyOf(injected);
    }

    /** Removes every rule and forgets what was injected. */
    public synchronized void clear() {
        rules.clear();
        injected.clear();
    }
}
