package io.dvmm.sdk;

import java.util.Objects;

/**
 * The connected endpoint cannot do what was asked. Raised before any request is sent; the
 * connection's {@link Hypervisor#capabilities()} does not contain {@link #capability()}.
 */
public class UnsupportedCapabilityException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /** The capability the endpoint lacks. */
    private final Capability capability;

    /**
     * @param capability the missing capability
     * @param context provider and operation
     */
    public UnsupportedCapabilityException(Capability capability, ErrorContext context) {
        this(capability, "the endpoint does not support " + capability, context);
    }

    /**
     * @param capability the missing capability
     * @param message why it is missing
     * @param context provider and operation
     */
    public UnsupportedCapabilityException(Capability capability, String message, ErrorContext context) {
        super(message, context, false, null);
        this.capability = Objects.requireNonNull(capability, "capability");
    }

    /** @return the capability the endpoint lacks */
    public Capability capability() {
        return capability;
    }
}
