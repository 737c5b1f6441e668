package io.dvmm.sdk;

/** A VM's normalized power state. {@link VmInfo#rawState()} keeps the hypervisor's own word. */
public enum PowerState {
    /** Running. */
    POWERED_ON,
    /** Stopped. */
    POWERED_OFF,
    /** Suspended or paused, memory kept. */
    SUSPENDED,
    /** A state this SDK does not map; see {@link VmInfo#rawState()}. */
    UNKNOWN
}
