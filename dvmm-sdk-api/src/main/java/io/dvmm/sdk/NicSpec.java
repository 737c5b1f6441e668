package io.dvmm.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * A NIC to give a new VM.
 *
 * @param network the network, port group or bridge to attach to
 * @param ip how the guest gets its address
 * @param macAddress a fixed MAC address, or {@code null} for the hypervisor's choice
 */
public record NicSpec(String network, IpConfig ip, String macAddress) {

    /**

     * Defaults to DHCP.

     *

     * @param network see the record component

     * @param ip see the record component

     * @param macAddress see the record component

     */
    public NicSpec {
        ip = ip == null ? IpConfig.dhcp() : ip;
    }

    /**
     * @param network the network to attach to
     * @return a DHCP NIC on it
     */
    public static NicSpec dhcp(String network) {
        return new NicSpec(network, IpConfig.dhcp(), null);
    }

    /**
     * @param network the network to attach to
     * @param address the static IP literal
     * @param prefixLength the prefix length
     * @param gateway the gateway literal, or {@code null}
     * @return a NIC with a static address
     */
    public static NicSpec staticIp(String network, String address, int prefixLength, String gateway) {
        return new NicSpec(network, IpConfig.staticIp(address, prefixLength, gateway), null);
    }

    /** @return the fixed MAC address, if any */
    public Optional<String> mac() {
        return Optional.ofNullable(macAddress);
    }

    void validate(String field) {
        if (network == null || network.isBlank()) {
            throw new InvalidSpecException(field + ".network", "must not be empty");
        }
        Text.noControlCharacters(network, field + ".network");
        Objects.requireNonNull(ip);
        ip.validate(field + ".ip");
        if (macAddress != null && !macAddress.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new InvalidSpecException(field + ".macAddress", "must be six hex pairs separated by colons");
        }
    }
}
