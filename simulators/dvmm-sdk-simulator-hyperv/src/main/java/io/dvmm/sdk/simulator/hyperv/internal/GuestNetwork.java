package io.dvmm.sdk.simulator.hyperv.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The addresses a guest reports through its KVP integration service. Nothing until half the configured IP delay
 * after boot; then link-local ones only (169.254/16 and fe80::/10, what a guest has before DHCP); from the full delay
 * on, an IPv4, the fe80 address and a global IPv6 on External and Internal switches, and still only link-local ones
 * on a Private switch. Stable per adapter, so polls see the same list.
 */
final class GuestNetwork {

    private GuestNetwork() {
    }

    static List<String> addresses(HyperVHost host, Vm vm, Vm.Nic nic, Instant now) {
        List<String> out = new ArrayList<>();
        if (!"Running".equals(vm.state(now)) || !vm.integrationServices || nic.switchName == null) {
            return out;
        }
        Duration up = vm.uptime(now);
        Duration full = host.timings.guestIp();
        if (up.compareTo(full.dividedBy(2)) < 0) {
            return out;
        }
        if (nic.guestAddresses != null && up.compareTo(full) >= 0) {
            return new ArrayList<>(nic.guestAddresses);
        }
        HyperVHost.VSwitch sw = host.vswitch(nic.switchName);
        String type = sw == null ? "Private" : sw.type();
        int o = nic.ordinal;
        String linkLocal4 = "169.254." + (o / 250 + 1) + "." + (o % 250 + 2);
        String linkLocal6 = linkLocal6(nic.mac());
        if (up.compareTo(full) < 0 || type.equals("Private")) {
            out.add(linkLocal4);
            out.add(linkLocal6);
            return out;
        }
        String net = type.equals("External") ? "10.20." : "172.20.";
        out.add(net + (o / 250) + "." + (o % 250 + 2));
        out.add(linkLocal6);
        out.add((type.equals("External") ? "2001:db8:20::" : "fd00:20::") + Integer.toHexString(o + 0x100));
        return out;
    }

    /** The EUI-64 link-local address of a MAC ({@code 00155D01020A} → {@code fe80::215:5dff:fe01:20a}). */
    static String linkLocal6(String mac) {
        String m = mac.toLowerCase(Locale.ROOT);
        int b0 = Integer.parseInt(m.substring(0, 2), 16) ^ 0x02;
        int[] g = {
            b0 << 8 | Integer.parseInt(m.substring(2, 4), 16),
            Integer.parseInt(m.substring(4, 6), 16) << 8 | 0xff,
            0xfe00 | Integer.parseInt(m.substring(6, 8), 16),
            Integer.parseInt(m.substring(8, 12), 16)
        };
        StringBuilder b = new StringBuilder("fe80::");
        for (int i = 0; i < g.length; i++) {
            b.append(i == 0 ? "" : ":").append(Integer.toHexString(g[i]));
        }
        return b.toString();
    }
}
