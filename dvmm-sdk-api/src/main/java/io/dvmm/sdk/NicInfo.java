package io.dvmm.sdk;

import java.util.List;
import java.util.Objects;

/**
 * A VM network interface as the hypervisor reports it.
 *
 * @param name the provider's name of the interface ({@code net0}, {@code Network adapter 1})
 * @param network the network or bridge it is attached to
 * @param macAddress its MAC address, lower case with colons, or an empty string if unknown
 * @param ipAddresses the guest's addresses on it, as reported by the guest agent or tools
 */
public record NicInfo(String name, String network, String macAddress, List<String> ipAddresses) {
    /**
     * Copies the address list.
     *
     * @param name see the record component
     * @param network see the record component
     * @param macAddress see the record component
     * @param ipAddresses see the record component
     */
    public NicInfo {
        Objects.requireNonNull(name, "name");
        network = network == null ? "" : network;
        macAddress = macAddress == null ? "" : macAddress;
        ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
    }
}
