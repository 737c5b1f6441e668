package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.IpConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Which guest addresses can reach a VM. IP literals are parsed, never resolved. */
public final class Addresses {
    private Addresses() {
    }

    /**
     * @param ip an address a guest reported
     * @return whether it can reach the VM: an IP literal that is not loopback, link-local, wildcard or multicast
     */
    public static boolean isUsable(String ip) {
        if (ip == null || !(IpConfig.isIpv4(ip) || IpConfig.isIpv6(ip))) {
            return false;
        }
        try {
            // A literal (checked above) never reaches the resolver.
            InetAddress a = InetAddress.getByName(ip);
            return !(a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress());
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * @param ips addresses a guest reported
     * @return the usable ones, in order
     */
    public static List<String> usable(List<String> ips) {
        return ips.stream().filter(Addresses::isUsable).toList();
    }
}
