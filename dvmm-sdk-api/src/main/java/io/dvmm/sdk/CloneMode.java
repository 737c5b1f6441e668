package io.dvmm.sdk;

/** How a VM's disks are made from its template's. */
public enum CloneMode {
    /** Independent copies of the template's disks. Slower, no link to the template. */
    FULL,
    /** Copy-on-write disks backed by the template's. Fast and small; the template must stay. */
    LINKED
}
