package io.dvmm.sdk;

import java.util.Optional;

/**
 * A disk for a new VM. Disk 0 resizes the template's boot disk (it can only grow); further
 * disks are added.
 *
 * @param sizeGiB the size in GiB, at least 1
 * @param datastore the datastore or storage for it, or {@code null} for the VM's placement
 */
public record DiskSpec(long sizeGiB, String datastore) {

    /**
     * @param sizeGiB the size in GiB
     * @return a disk on the VM's datastore
     */
    public static DiskSpec ofGiB(long sizeGiB) {
        return new DiskSpec(sizeGiB, null);
    }

    /** @return the datastore, if one is named */
    public Optional<String> datastoreName() {
        return Optional.ofNullable(datastore);
    }

    void validate(String field) {
        if (sizeGiB < 1) {
            throw new InvalidSpecException(field + ".sizeGiB", "must be at least 1, was " + sizeGiB);
        }
        if (datastore != null && datastore.isBlank()) {
            throw new InvalidSpecException(field + ".datastore", "must not be blank when set");
        }
        Text.noControlCharacters(datastore, field + ".datastore");
    }
}
