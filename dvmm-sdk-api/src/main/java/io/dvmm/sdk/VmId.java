package io.dvmm.sdk;

/**
 * A VM's identity on its hypervisor: a Proxmox VMID, a vSphere managed object id, a Hyper-V VM
 * GUID, a PowerVM partition UUID. Opaque to callers; stable for the VM's life.
 *
 * @param value the provider's id, never blank
 */
public record VmId(String value) {

    /**

     * Validates the id.

     *

     * @param value see the record component

     */
    public VmId {
        if (value == null || value.isBlank()) {
            throw new InvalidSpecException("vmId", "must not be empty");
        }
        Text.noControlCharacters(value, "vmId");
    }

    /**
     * @param value the provider's id
     * @return the id
     */
    public static VmId of(String value) {
        return new VmId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
