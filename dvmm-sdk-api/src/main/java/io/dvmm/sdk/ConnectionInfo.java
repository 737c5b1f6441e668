package io.dvmm.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Hypervisor#testConnection()} learned about the endpoint.
 *
 * @param provider the provider type
 * @param product the product name, such as {@code Proxmox VE} or {@code VMware vCenter Server}
 * @param version the product version
 * @param apiVersion the API version the connection speaks
 * @param latency the round-trip time of the probe
 */
public record ConnectionInfo(String provider, String product, String version, String apiVersion, Duration latency) {
    /**
     * Validates the values.
     *
     * @param provider see the record component
     * @param product see the record component
     * @param version see the record component
     * @param apiVersion see the record component
     * @param latency see the record component
     */
    public ConnectionInfo {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(latency, "latency");
    }
}
