package io.dvmm.sdk;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a NIC gets its address: DHCP, or a static address with prefix and gateway.
 */
public final class IpConfig {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final IpConfig DHCP = new IpConfig(null, 0, null);

    private final String address;
    private final int prefixLength;
    private final String gateway;

    private IpConfig(String address, int prefixLength, String gateway) {
        this.address = address;
        this.prefixLength = prefixLength;
        this.gateway = gateway;
    }

    /** @return address by DHCP */
    public static IpConfig dhcp() {
        return DHCP;
    }

    /**
     * A static address. Validated when the spec that holds it is built.
     *
     * @param address an IPv4 or IPv6 literal
     * @param prefixLength the network prefix, such as 24
     * @param gateway the default gateway's literal, or {@code null}
     * @return the static configuration
     */
    public static IpConfig staticIp(String address, int prefixLength, String gateway) {
        return new IpConfig(Objects.requireNonNull(address, "address"), prefixLength, gateway);
    }

    /** @return {@code true} for DHCP */
    public boolean isDhcp() {
        return address == null;
    }

    /** @return the static address, if any */
    public Optional<String> address() {
        return Optional.ofNullable(address);
    }

    /** @return the prefix length of a static address; 0 for DHCP */
    public int prefixLength() {
        return prefixLength;
    }

    /** @return the gateway, if any */
    public Optional<String> gateway() {
        return Optional.ofNullable(gateway);
    }

    void validate(String field) {
        if (isDhcp()) {
            return;
        }
        boolean v4 = isIpv4(address);
        if (!v4 && !isIpv6(address)) {
            throw new InvalidSpecException(field + ".address", "must be an IPv4 or IPv6 literal, was '" + address + "'");
        }
        int max = v4 ? 32 : 128;
        if (prefixLength < 1 || prefixLength > max) {
            throw new InvalidSpecException(field + ".prefixLength", "must be between 1 and " + max);
        }
        if (gateway != null && !(isIpv4(gateway) || isIpv6(gateway))) {
            throw new InvalidSpecException(field + ".gateway", "must be an IPv4 or IPv6 literal, was '" + gateway + "'");
        }
    }

    /**
     * @param s a string
     * @return whether it is a dotted-quad IPv4 literal
     */
    public static boolean isIpv4(String s) {
        return s != null && IPV4.matcher(s).matches();
    }

    /**
     * @param s a string
     * @return whether it is an IPv6 literal (checked without any name lookup)
     */
    public static boolean isIpv6(String s) {
        if (s == null || s.length() > 45 || !IPV6_CHARS.matcher(s).matches()) {
            return false;
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        String head = gap >= 0 ? s.substring(0, gap) : s;
        String tail = gap >= 0 ? s.substring(gap + 2) : "";
        int groups = countGroups(head, gap < 0 || tail.isEmpty());
        int tailGroups = gap >= 0 ? countGroups(tail, true) : 0;
        if (groups < 0 || tailGroups < 0) {
            return false;
        }
        int total = groups + tailGroups;
        return gap >= 0 ? total <= 7 : total == 8;
    }

    /** Counts the 16-bit groups of one side of an IPv6 literal; -1 when malformed. */
    private static int countGroups(String part, boolean mayEndWithIpv4) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] groups = part.split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (i == groups.length - 1 && mayEndWithIpv4 && g.contains(".")) {
                if (!isIpv4(g)) {
                    return -1;
                }
                count += 2;
            } else if (g.isEmpty() || g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return -1;
            } else {
                count++;
            }
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpConfig c && Objects.equals(address, c.address) && prefixLength == c.prefixLength
                && Objects.equals(gateway, c.gateway);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, prefixLength, gateway);
    }

    @Override
    public String toString() {
        return isDhcp() ? "dhcp" : address + "/" + prefixLength + (gateway == null ? "" : " via " + gateway);
    }
}
