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

    /** @param rules what the rules are, for the failure message, e.g. {@code "the PVE API schema"} */
    public Violations(String rules) {
        this.rules = rules;
    }

    /** Records one breach, e.g. {@code "POST /nodes/{node}/qemu/{vmid}/config: {net0=...}"}. */
    public void add(String violation) {
        found.add(violation);
    }

    public List<String> list() {
        return List.copyOf(found);
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public void clear() {
        found.clear();
    }

    /** @throws AssertionError listing every breach, if there is one */
    public void assertNone() {
        List<String> v = list();
        if (!v.isEmpty()) {
            throw new AssertionError(v.size() + " request(s) violated " + rules + ": " + v);
        }
    }
}
