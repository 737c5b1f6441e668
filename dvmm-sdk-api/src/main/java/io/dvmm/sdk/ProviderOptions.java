package io.dvmm.sdk;

/**
 * Typed, provider-specific settings attached to a spec for what is not portable (a Proxmox
 * storage format, a vSphere folder, a Hyper-V generation). Each provider publishes its own
 * implementation in {@code io.dvmm.sdk.<provider>}. A provider refuses options of another
 * provider with {@link InvalidSpecException} instead of silently dropping them.
 */
public interface ProviderOptions {

    /** @return the provider type these options are for, such as {@code proxmox} */
    String providerType();
}
