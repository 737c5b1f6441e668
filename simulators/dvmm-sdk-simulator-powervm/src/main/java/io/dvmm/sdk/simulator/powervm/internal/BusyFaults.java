package io.dvmm.sdk.simulator.powervm.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * VIOS-busy answers injected per operation key, in the four shapes a client must retry:
 * {@code HSCL3205}, {@code VIOS0014}, the "is busy processing some other request" text of the
 * captured {@code fake_httperror}, and a bare 503. The request does not take effect.
 */
public final class BusyFaults {

    /** The shapes of a VIOS-busy answer. */
    public enum Style {
        HSCL3205(500, "HSCL3205 The Virtual I/O Server is busy and cannot process the request at this time. "
                + "Retry the operation later."),
        VIOS0014(500, "VIOS0014 The Virtual I/O Server is busy. Retry the operation later."),
        BUSY_MESSAGE(500, "Unexpected error occurred while fetching information : Unable to send command to VIOS at "
                + "this moment. VIOS 1*9999-99Z*2125D4A is busy processing some other request. Please retry the "
                + "operation after sometime."),
        HTTP_503(503, "The service is temporarily unavailable. Retry the operation later.");

        private final int status;
        private final String message;

        Style(int status, String message) {
            this.status = status;
            this.message = message;
        }

        public int status() {
            return status;
        }

        public String message() {
            return message;
        }
    }

    private record Rule(String operation, Style style, int[] remaining) {
    }

    private final List<Rule> rules = new ArrayList<>();

    /** The next {@code times} requests with this operation key ({@code "*"} for any) get a busy answer. */
    public synchronized void add(String operation, int times, Style style) {
        rules.add(new Rule(operation, style, new int[] {times}));
    }

    /** The busy answer for a request, or null. */
    public synchronized Style take(String operation) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (r.operation.equals("*") || r.operation.equals(operation)) {
                if (--r.remaining[0] <= 0) {
                    it.remove();
                }
                return r.style;
            }
        }
        return null;
    }

    public synchronized void clear() {
        rules.clear();
    }
}
