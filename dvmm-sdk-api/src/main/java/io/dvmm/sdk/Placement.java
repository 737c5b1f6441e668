package io.dvmm.sdk;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a new VM goes. Every target is optional (the provider picks what is not given, usually
 * from the template) and may be named in one of two ways: by <b>name</b>, resolved within the
 * chosen datacenter, or by <b>id</b>, the hypervisor's own identifier as
 * {@link Inventory.Entry#id()} reports it (a vSphere MoRef value, a Proxmox node or storage id).
 * The VM folder is named by its inventory <b>path</b> only ({@code /DC1/vm/Staging}, or
 * {@code Staging} below the datacenter's VM folder), since folder names repeat. A name that
 * matches several entries, or none, fails with {@link InvalidSpecException} naming the field and
 * the candidates, before anything is created. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * Placement.builder().datacenter("DC1").cluster("Prod").folder("/DC1/vm/Staging").datastoreId("datastore-57").build()
 * }</pre>
 */
public final class Placement {

    private static final Placement ANY = builder().build();

    private final String datacenter;
    private final String cluster;
    private final String clusterId;
    private final String host;
    private final String hostId;
    private final String datastore;
    private final String datastoreId;
    private final String resourcePool;
    private final String resourcePoolId;
    private final String folder;

    private Placement(Builder b) {
        this.datacenter = b.datacenter;
        this.cluster = b.cluster;
        this.clusterId = b.clusterId;
        this.host = b.host;
        this.hostId = b.hostId;
        this.datastore = b.datastore;
        this.datastoreId = b.datastoreId;
        this.resourcePool = b.resourcePool;
        this.resourcePoolId = b.resourcePoolId;
        this.folder = b.folder;
    }

    /** @return no constraint: the provider decides */
    public static Placement any() {
        return ANY;
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this placement */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.datacenter = datacenter;
        b.cluster = cluster;
        b.clusterId = clusterId;
        b.host = host;
        b.hostId = hostId;
        b.datastore = datastore;
        b.datastoreId = datastoreId;
        b.resourcePool = resourcePool;
        b.resourcePoolId = resourcePoolId;
        b.folder = folder;
        return b;
    }

    /** @return the datacenter's name, if given */
    public Optional<String> datacenterName() {
        return Optional.ofNullable(datacenter);
    }

    /** @return the cluster's name, if given */
    public Optional<String> clusterName() {
        return Optional.ofNullable(cluster);
    }

    /** @return the cluster's id, if given */
    public Optional<String> clusterId() {
        return Optional.ofNullable(clusterId);
    }

    /** @return the host's or node's name, if given */
    public Optional<String> hostName() {
        return Optional.ofNullable(host);
    }

    /** @return the host's id, if given */
    public Optional<String> hostId() {
        return Optional.ofNullable(hostId);
    }

    /** @return the datastore's name, if given */
    public Optional<String> datastoreName() {
        return Optional.ofNullable(datastore);
    }

    /** @return the datastore's id, if given */
    public Optional<String> datastoreId() {
        return Optional.ofNullable(datastoreId);
    }

    /** @return the resource pool's name, if given */
    public Optional<String> resourcePoolName() {
        return Optional.ofNullable(resourcePool);
    }

    /** @return the resource pool's id, if given */
    public Optional<String> resourcePoolId() {
        return Optional.ofNullable(resourcePoolId);
    }

    /** @return the VM folder's inventory path, if given */
    public Optional<String> folderPath() {
        return Optional.ofNullable(folder);
    }

    /**
     * @param value a host or node name
     * @return a copy placed on it
     */
    public Placement withHost(String value) {
        return toBuilder().host(value).build();
    }

    /**
     * @param value a datastore name
     * @return a copy placed on it
     */
    public Placement withDatastore(String value) {
        return toBuilder().datastore(value).build();
    }

    /**
     * @param value a resource pool name
     * @return a copy placed in it
     */
    public Placement withResourcePool(String value) {
        return toBuilder().resourcePool(value).build();
    }

    /**
     * Fills what this placement leaves out from {@code defaults} (a connection's resource
     * defaults): each target this placement names, by name or id, wins.
     *
     * @param defaults the defaults
     * @return the combined placement
     */
    public Placement orElse(Placement defaults) {
        Builder b = toBuilder();
        if (datacenter == null) {
            b.datacenter = defaults.datacenter;
        }
        if (cluster == null && clusterId == null) {
            b.cluster = defaults.cluster;
            b.clusterId = defaults.clusterId;
        }
        if (host == null && hostId == null) {
            b.host = defaults.host;
            b.hostId = defaults.hostId;
        }
        if (datastore == null && datastoreId == null) {
            b.datastore = defaults.datastore;
            b.datastoreId = defaults.datastoreId;
        }
        if (resourcePool == null && resourcePoolId == null) {
            b.resourcePool = defaults.resourcePool;
            b.resourcePoolId = defaults.resourcePoolId;
        }
        if (folder == null) {
            b.folder = defaults.folder;
        }
        return b.build();
    }

    /** @return whether no target is named */
    public boolean isAny() {
        return equals(ANY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Placement p && Objects.equals(datacenter, p.datacenter) && Objects.equals(cluster, p.cluster)
                && Objects.equals(clusterId, p.clusterId) && Objects.equals(host, p.host) && Objects.equals(hostId, p.hostId)
                && Objects.equals(datastore, p.datastore) && Objects.equals(datastoreId, p.datastoreId)
                && Objects.equals(resourcePool, p.resourcePool) && Objects.equals(resourcePoolId, p.resourcePoolId)
                && Objects.equals(folder, p.folder);
    }

    @Override
    public int hashCode() {
        return Objects.hash(datacenter, cluster, clusterId, host, hostId, datastore, datastoreId, resourcePool, resourcePoolId,
                folder);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Placement[");
        append(b, "datacenter", datacenter);
        append(b, "cluster", cluster);
        append(b, "clusterId", clusterId);
        append(b, "host", host);
        append(b, "hostId", hostId);
        append(b, "datastore", datastore);
        append(b, "datastoreId", datastoreId);
        append(b, "resourcePool", resourcePool);
        append(b, "resourcePoolId", resourcePoolId);
        append(b, "folder", folder);
        return b.append(']').toString();
    }

    private static void append(StringBuilder b, String k, String v) {
        if (v != null) {
            b.append(b.charAt(b.length() - 1) == '[' ? "" : ", ").append(k).append('=').append(v);
        }
    }

    /** Builds a {@link Placement}. Not thread-safe. */
    public static final class Builder {
        private String datacenter;
        private String cluster;
        private String clusterId;
        private String host;
        private String hostId;
        private String datastore;
        private String datastoreId;
        private String resourcePool;
        private String resourcePoolId;
        private String folder;

        private Builder() {
        }

        /**
         * @param name the datacenter's name; every other name is resolved within it
         * @return this builder
         */
        public Builder datacenter(String name) {
            this.datacenter = name;
            return this;
        }

        /**
         * @param name the cluster's name
         * @return this builder
         */
        public Builder cluster(String name) {
            this.cluster = name;
            return this;
        }

        /**
         * @param id the cluster's id
         * @return this builder
         */
        public Builder clusterId(String id) {
            this.clusterId = id;
            return this;
        }

        /**
         * @param name the host's or Proxmox node's name
         * @return this builder
         */
        public Builder host(String name) {
            this.host = name;
            return this;
        }

        /**
         * @param id the host's id
         * @return this builder
         */
        public Builder hostId(String id) {
            this.hostId = id;
            return this;
        }

        /**
         * @param name the datastore's or storage's name
         * @return this builder
         */
        public Builder datastore(String name) {
            this.datastore = name;
            return this;
        }

        /**
         * @param id the datastore's id
         * @return this builder
         */
        public Builder datastoreId(String id) {
            this.datastoreId = id;
            return this;
        }

        /**
         * @param name the resource pool's (or vApp's, Proxmox pool's) name
         * @return this builder
         */
        public Builder resourcePool(String name) {
            this.resourcePool = name;
            return this;
        }

        /**
         * @param id the resource pool's id
         * @return this builder
         */
        public Builder resourcePoolId(String id) {
            this.resourcePoolId = id;
            return this;
        }

        /**
         * @param path the VM folder's inventory path: absolute ({@code /DC1/vm/Staging}) or below
         *             the datacenter's VM folder ({@code Staging/Web})
         * @return this builder
         */
        public Builder folder(String path) {
            this.folder = path;
            return this;
        }

        /**
         * @return the placement
         * @throws InvalidSpecException naming the field when a value is blank, holds control
         *         characters, or a target is named both by name and by id
         */
        public Placement build() {
            check(datacenter, "placement.datacenter");
            check(cluster, "placement.cluster");
            check(clusterId, "placement.clusterId");
            check(host, "placement.host");
            check(hostId, "placement.hostId");
            check(datastore, "placement.datastore");
            check(datastoreId, "placement.datastoreId");
            check(resourcePool, "placement.resourcePool");
            check(resourcePoolId, "placement.resourcePoolId");
            check(folder, "placement.folder");
            both(cluster, clusterId, "placement.clusterId");
            both(host, hostId, "placement.hostId");
            both(datastore, datastoreId, "placement.datastoreId");
            both(resourcePool, resourcePoolId, "placement.resourcePoolId");
            if (folder != null && (folder.contains("//") || folder.equals("/"))) {
                throw new InvalidSpecException("placement.folder", "must be a folder path such as /DC1/vm/Staging, was '" + folder + "'");
            }
            return new Placement(this);
        }

        private static void check(String value, String field) {
            if (value != null && value.isBlank()) {
                throw new InvalidSpecException(field, "must not be blank when set");
            }
            Text.noControlCharacters(value, field);
        }

        private static void both(String name, String id, String field) {
            if (name != null && id != null) {
                throw new InvalidSpecException(field, "name the target by name or by id, not both");
            }
        }
    }
}
