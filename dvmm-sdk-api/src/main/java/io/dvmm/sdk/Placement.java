package io.dvmm.sdk;

import java.util.Optional;

/**
 * Where a new VM goes. Every field is optional; the provider picks what is not given (usually
 * the template's host and datastore).
 *
 * @param datacenter the datacenter's name
 * @param cluster the cluster's name (a Proxmox cluster has one; use {@code host} for the node)
 * @param host the host or Proxmox node
 * @param datastore the datastore or storage for the VM's disks
 * @param resourcePool the resource pool or Proxmox pool
 * @param folder the vSphere VM folder
 */
public record Placement(String datacenter, String cluster, String host, String datastore, String resourcePool,
                        String folder) {

    private static final Placement ANY = new Placement(null, null, null, null, null, null);

    /** @return no constraint: the provider decides */
    public static Placement any() {
        return ANY;
    }

    /** @return the datacenter, if given */
    public Optional<String> datacenterName() {
        return Optional.ofNullable(datacenter);
    }

    /** @return the cluster, if given */
    public Optional<String> clusterName() {
        return Optional.ofNullable(cluster);
    }

    /** @return the host or node, if given */
    public Optional<String> hostName() {
        return Optional.ofNullable(host);
    }

    /** @return the datastore, if given */
    public Optional<String> datastoreName() {
        return Optional.ofNullable(datastore);
    }

    /** @return the resource pool, if given */
    public Optional<String> resourcePoolName() {
        return Optional.ofNullable(resourcePool);
    }

    /** @return the folder, if given */
    public Optional<String> folderName() {
        return Optional.ofNullable(folder);
    }

    /**
     * @param value a host or node
     * @return a copy placed on it
     */
    public Placement withHost(String value) {
        return new Placement(datacenter, cluster, value, datastore, resourcePool, folder);
    }

    /**
     * @param value a datastore
     * @return a copy placed on it
     */
    public Placement withDatastore(String value) {
        return new Placement(datacenter, cluster, host, value, resourcePool, folder);
    }

    /**
     * @param value a resource pool
     * @return a copy placed in it
     */
    public Placement withResourcePool(String value) {
        return new Placement(datacenter, cluster, host, datastore, value, folder);
    }

    void validate() {
        blank(datacenter, "placement.datacenter");
        blank(cluster, "placement.cluster");
        blank(host, "placement.host");
        blank(datastore, "placement.datastore");
        blank(resourcePool, "placement.resourcePool");
        blank(folder, "placement.folder");
    }

    private static void blank(String value, String field) {
        if (value != null && value.isBlank()) {
            throw new InvalidSpecException(field, "must not be blank when set");
        }
        Text.noControlCharacters(value, field);
    }
}
