package io.dvmm.sdk.simulator.hyperv.internal;

import java.util.Locale;

/**
 * The one local account the simulated host accepts. A user name matches bare, as {@code HOST&#92;user},
 * {@code .&#92;user} or {@code user@HOST} (case-insensitive, as Windows compares account names); the password exactly.
 */
public record Account(String user, String password, String host) {

    /** The bare account name if {@code presented} names this account, else null. */
    String match(String presented, String domain) {
        String name = presented;
        String dom = domain == null ? "" : domain;
        int slash = name.indexOf('\\');
        int at = name.indexOf('@');
        if (slash >= 0) {
            dom = name.substring(0, slash);
            name = name.substring(slash + 1);
        } else if (at >= 0) {
            dom = name.substring(at + 1);
            name = name.substring(0, at);
        }
        boolean domainOk = dom.isEmpty() || dom.equals(".") || dom.equalsIgnoreCase(host)
                || dom.toUpperCase(Locale.ROOT).startsWith(host.toUpperCase(Locale.ROOT) + ".");
        return domainOk && name.equalsIgnoreCase(user) ? user : null;
    }

    @Override
    public String toString() {
        return "Account[" + host + "\\" + user + ", password=***]";
    }
}
