package io.dvmm.sdk;

import java.util.Objects;

/**
 * A VM disk as the hypervisor reports it.
 *
 * @param name the provider's name of the disk ({@code scsi0}, {@code Hard disk 1})
 * @param sizeGiB its size in GiB
 * @param datastore the datastore or storage it lives on
 */
public record DiskInfo(String name, long sizeGiB, String datastore) {
    /**
     * Validates the values.
     *
     * @param name see the record component
     * @param sizeGiB see the record component
     * @param datastore see the record component
     */
    public DiskInfo {
        Objects.requireNonNull(name, "name");
        datastore = datastore == null ? "" : datastore;
    }
}
