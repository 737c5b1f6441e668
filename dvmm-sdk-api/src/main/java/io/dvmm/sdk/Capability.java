package io.dvmm.sdk;

/**
 * What a connection can do. A {@link Hypervisor} reports its set per connection (a standalone
 * ESXi host cannot clone, a vCenter can); calling an operation whose capability is missing
 * completes with {@link UnsupportedCapabilityException} before any request is sent.
 */
public enum Capability {
    /** {@link Hypervisor#inventory()}. */
    INVENTORY,
    /** {@link Hypervisor#listVms(VmQuery)} and {@link Hypervisor#getVm(VmId)}. */
    LIST_VMS,
    /** {@link Hypervisor#createVm(VmProvisionSpec)} with {@link CloneMode#FULL}. */
    CLONE_FULL,
    /** {@link Hypervisor#createVm(VmProvisionSpec)} with {@link CloneMode#LINKED}. */
    CLONE_LINKED,
    /** Guest customization on create: hostname, domain, DNS servers and search domains, static IP addresses. */
    GUEST_CUSTOMIZATION,
    /** A guest hostname other than the VM name's first label. */
    CUSTOM_HOSTNAME,
    /** A login user and SSH keys on create (cloud-init or the hypervisor's equivalent). */
    CLOUD_INIT,
    /** Cloud-init user data of the caller's own ({@link GuestCustomization#userData()}). */
    USER_DATA,
    /** Extra disks and disk resize on create. */
    DISKS,
    /** Start, stop and restart. */
    POWER,
    /** Suspend and resume. */
    SUSPEND,
    /** CPU and memory changes through {@link Hypervisor#reconfigureVm(VmId, VmReconfigureSpec)}. */
    RECONFIGURE,
    /** Snapshots: create, list, revert, delete. */
    SNAPSHOTS,
    /** Guest IP addresses reported by a guest agent or tools. */
    GUEST_IP,
    /** Metadata (tags, key/value) stored on the VM. */
    METADATA,
    /** {@link Hypervisor#deleteVm(VmId)}. */
    DELETE,
    /** The hypervisor can cancel a running task when the caller cancels. */
    CANCEL_TASK
}
