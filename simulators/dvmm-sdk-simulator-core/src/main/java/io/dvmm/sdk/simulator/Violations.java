package io.dvmm.sdk.simulator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Protocol rules a client broke, as a simulator detected them: a parameter the real API's schema
 * does not allow, a missing WS-Management header, HMC elements out of order. The simulator still
 * answers as the real server would; tests assert at the end that the list is empty.
 *
 * <p>Thread-safe.
 */
public final class Violations {

    private final String rules;
    private final List<String> found = new CopyOnWriteArrayList<>();

    /**
     * An empty list of breaches of these rules.
     *
     * @param rules what the rules are, for the failure message, e.g. {@code "the PVE API schema"}
     */
    public Violations(String rules) {
        this.rules = rules;
    }

    /**
     * Records one breach.
     *
     * @param violation what was broken and where, e.g. {@code "POST /nodes/{node}/qemu/{vmid}/config: {net0=...}"}
     */
    public void add(String violation) {
        found.add(violation);
    }

    /**
     * The breaches recorded so far.
     *
     * @return the breaches in the order they were found; a snapshot
     */
    public List<String> list() {
        return List.copyOf(found);
    }

    /**
     * Whether no rule was broken.
     *
     * @return true if no breach was recorded since creation or the last {@link #clear()}
     */
    public boolean isEmpty() {
        return found.isEmpty();
    }

    /** Forgets every breach recorded, e.g. after a test that broke a rule on purpose. */
    public void clear() {
        found.clear();
    }

    /**
     * Fails the test if a rule was broken.
     *
     * @throws AssertionError listing every breach, if there is one
     */
    public void assertNone() {
        List<String> v = list();
        if (!v.isEmpty()) {
            throw new AssertionError(v.size() + " request(s) violated " + rules + ": " + v);
        }
    }
}
