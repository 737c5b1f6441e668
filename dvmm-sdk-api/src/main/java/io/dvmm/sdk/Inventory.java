package io.dvmm.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an endpoint offers to place VMs on: datacenters, clusters, hosts, datastores, networks,
 * resource pools and templates. Every entry has a stable {@link Entry#id() id} (what the
 * hypervisor itself uses), a {@link Entry#name() name}, the {@link Entry#datacenter() datacenter}
 * it belongs to and, where the hypervisor has one, its inventory {@link Entry#path() path}, so
 * entries that share a name in two datacenters stay apart. Immutable; build with
 * {@link #builder()}.
 */
public final class Inventory {

    private final List<Datacenter> datacenters;
    private final List<Cluster> clusters;
    private final List<Host> hosts;
    private final List<Datastore> datastores;
    private final List<Network> networks;
    private final List<ResourcePool> resourcePools;
    private final List<Template> templates;

    private Inventory(Builder b) {
        this.datacenters = List.copyOf(b.datacenters);
        this.clusters = List.copyOf(b.clusters);
        this.hosts = List.copyOf(b.hosts);
        this.datastores = List.copyOf(b.datastores);
        this.networks = List.copyOf(b.networks);
        this.resourcePools = List.copyOf(b.resourcePools);
        this.templates = List.copyOf(b.templates);
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this inventory */
    public Builder toBuilder() {
        return new Builder().datacenters(datacenters).clusters(clusters).hosts(hosts).datastores(datastores).networks(networks)
                .resourcePools(resourcePools).templates(templates);
    }

    /** @return the datacenters (one, named after the endpoint, where the hypervisor has none) */
    public List<Datacenter> datacenters() {
        return datacenters;
    }

    /** @return the clusters */
    public List<Cluster> clusters() {
        return clusters;
    }

    /** @return the hosts (Proxmox nodes, Hyper-V hosts, managed systems) */
    public List<Host> hosts() {
        return hosts;
    }

    /** @return the datastores (storages, volume groups, storage paths) */
    public List<Datastore> datastores() {
        return datastores;
    }

    /** @return the networks (port groups, bridges, virtual switches, VLANs) */
    public List<Network> networks() {
        return networks;
    }

    /** @return the resource pools (vSphere pools and vApps, Proxmox pools, shared processor pools) */
    public List<ResourcePool> resourcePools() {
        return resourcePools;
    }

    /** @return the templates a VM can be created from */
    public List<Template> templates() {
        return templates;
    }

    /**
     * @param name a template's name
     * @return the first template with that name, if any
     */
    public Optional<Template> template(String name) {
        return templates.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return "Inventory[" + datacenters.size() + " datacenters, " + clusters.size() + " clusters, " + hosts.size() + " hosts, "
                + datastores.size() + " datastores, " + networks.size() + " networks, " + resourcePools.size() + " pools, "
                + templates.size() + " templates]";
    }

    /** Builds an {@link Inventory}. Not thread-safe. */
    public static final class Builder {
        private final List<Datacenter> datacenters = new ArrayList<>();
        private final List<Cluster> clusters = new ArrayList<>();
        private final List<Host> hosts = new ArrayList<>();
        private final List<Datastore> datastores = new ArrayList<>();
        private final List<Network> networks = new ArrayList<>();
        private final List<ResourcePool> resourcePools = new ArrayList<>();
        private final List<Template> templates = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param values datacenters to add
         * @return this builder
         */
        public Builder datacenters(List<Datacenter> values) {
            datacenters.addAll(values);
            return this;
        }

        /**
         * @param values clusters to add
         * @return this builder
         */
        public Builder clusters(List<Cluster> values) {
            clusters.addAll(values);
            return this;
        }

        /**
         * @param values hosts to add
         * @return this builder
         */
        public Builder hosts(List<Host> values) {
            hosts.addAll(values);
            return this;
        }

        /**
         * @param values datastores to add
         * @return this builder
         */
        public Builder datastores(List<Datastore> values) {
            datastores.addAll(values);
            return this;
        }

        /**
         * @param values networks to add
         * @return this builder
         */
        public Builder networks(List<Network> values) {
            networks.addAll(values);
            return this;
        }

        /**
         * @param values resource pools to add
         * @return this builder
         */
        public Builder resourcePools(List<ResourcePool> values) {
            resourcePools.addAll(values);
            return this;
        }

        /**
         * @param values templates to add
         * @return this builder
         */
        public Builder templates(List<Template> values) {
            templates.addAll(values);
            return this;
        }

        /** @return the inventory */
        public Inventory build() {
            return new Inventory(this);
        }
    }

    /** What every inventory entry has: id, name, datacenter and path. */
    public abstract static class Entry {
        private final String id;
        private final String name;
        private final String datacenter;
        private final String path;

        Entry(EntryBuilder<?, ?> b) {
            this.id = Objects.requireNonNull(b.id, "id");
            this.name = Objects.requireNonNull(b.name, "name");
            this.datacenter = b.datacenter == null ? "" : b.datacenter;
            this.path = b.path == null ? "" : b.path;
        }

        /** @return the hypervisor's own id: a MoRef value, a storage id, a UUID, a VMID */
        public String id() {
            return id;
        }

        /** @return the display name; unique only within its datacenter, if at all */
        public String name() {
            return name;
        }

        /** @return the name of the datacenter this entry belongs to, or empty where the hypervisor has none */
        public String datacenter() {
            return datacenter;
        }

        /** @return the inventory path (such as {@code /DC1/vm/Staging}), or empty where the hypervisor has none */
        public String path() {
            return path;
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "[id=" + id + ", name=" + name + (datacenter.isEmpty() ? "" : ", datacenter=" + datacenter)
                    + (path.isEmpty() ? "" : ", path=" + path) + "]";
        }
    }

    /**
     * The builder shared by every entry.
     *
     * @param <E> the entry built
     * @param <B> the builder itself
     */
    public abstract static class EntryBuilder<E extends Entry, B extends EntryBuilder<E, B>> {
        private String id;
        private String name;
        private String datacenter;
        private String path;

        EntryBuilder(String id, String name) {
            this.id = id;
            this.name = name;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /**
         * @param value the hypervisor's own id
         * @return this builder
         */
        public B id(String value) {
            this.id = value;
            return self();
        }

        /**
         * @param value the display name
         * @return this builder
         */
        public B name(String value) {
            this.name = value;
            return self();
        }

        /**
         * @param value the datacenter's name
         * @return this builder
         */
        public B datacenter(String value) {
            this.datacenter = value;
            return self();
        }

        /**
         * @param value the inventory path
         * @return this builder
         */
        public B path(String value) {
            this.path = value;
            return self();
        }

        /** @return the entry */
        public abstract E build();
    }

    /** A datacenter. */
    public static final class Datacenter extends Entry {
        private Datacenter(DatacenterBuilder b) {
            super(b);
        }

        /**
         * @param id the datacenter's id
         * @param name its name
         * @return a builder
         */
        public static DatacenterBuilder builder(String id, String name) {
            return new DatacenterBuilder(id, name);
        }

        /** Builds a {@link Datacenter}. */
        public static final class DatacenterBuilder extends EntryBuilder<Datacenter, DatacenterBuilder> {
            private DatacenterBuilder(String id, String name) {
                super(id, name);
            }

            @Override
            public Datacenter build() {
                return new Datacenter(this);
            }
        }
    }

    /** A cluster of hosts. */
    public static final class Cluster extends Entry {
        private Cluster(ClusterBuilder b) {
            super(b);
        }

        /**
         * @param id the cluster's id
         * @param name its name
         * @return a builder
         */
        public static ClusterBuilder builder(String id, String name) {
            return new ClusterBuilder(id, name);
        }

        /** Builds a {@link Cluster}. */
        public static final class ClusterBuilder extends EntryBuilder<Cluster, ClusterBuilder> {
            private ClusterBuilder(String id, String name) {
                super(id, name);
            }

            @Override
            public Cluster build() {
                return new Cluster(this);
            }
        }
    }

    /** A host: an ESXi host, a Proxmox node, a Hyper-V host, a PowerVM managed system. */
    public static final class Host extends Entry {
        private final String cluster;
        private final boolean online;
        private final int cpuCount;
        private final long memoryMiB;

        private Host(HostBuilder b) {
            super(b);
            this.cluster = b.cluster == null ? "" : b.cluster;
            this.online = b.online;
            this.cpuCount = b.cpuCount;
            this.memoryMiB = b.memoryMiB;
        }

        /**
         * @param id the host's id
         * @param name its name
         * @return a builder
         */
        public static HostBuilder builder(String id, String name) {
            return new HostBuilder(id, name);
        }

        /** @return the cluster's name, or empty */
        public String cluster() {
            return cluster;
        }

        /** @return whether the host is up and accepts VMs */
        public boolean online() {
            return online;
        }

        /** @return its logical CPUs (or processor units, rounded down) */
        public int cpuCount() {
            return cpuCount;
        }

        /** @return its memory */
        public long memoryMiB() {
            return memoryMiB;
        }

        /** Builds a {@link Host}. */
        public static final class HostBuilder extends EntryBuilder<Host, HostBuilder> {
            private String cluster;
            private boolean online = true;
            private int cpuCount;
            private long memoryMiB;

            private HostBuilder(String id, String name) {
                super(id, name);
            }

            /**
             * @param value the cluster's name
             * @return this builder
             */
            public HostBuilder cluster(String value) {
                this.cluster = value;
                return this;
            }

            /**
             * @param value whether the host is up
             * @return this builder
             */
            public HostBuilder online(boolean value) {
                this.online = value;
                return this;
            }

            /**
             * @param value its logical CPUs
             * @return this builder
             */
            public HostBuilder cpuCount(int value) {
                this.cpuCount = value;
                return this;
            }

            /**
             * @param value its memory
             * @return this builder
             */
            public HostBuilder memoryMiB(long value) {
                this.memoryMiB = value;
                return this;
            }

            @Override
            public Host build() {
                return new Host(this);
            }
        }
    }

    /** A datastore: a vSphere datastore, a Proxmox storage, a Hyper-V storage path, a volume group. */
    public static final class Datastore extends Entry {
        private final String type;
        private final long capacityBytes;
        private final long freeBytes;
        private final boolean shared;
        private final String datastoreCluster;

        private Datastore(DatastoreBuilder b) {
            super(b);
            this.type = b.type == null ? "" : b.type;
            this.capacityBytes = b.capacityBytes;
            this.freeBytes = b.freeBytes;
            this.shared = b.shared;
            this.datastoreCluster = b.datastoreCluster == null ? "" : b.datastoreCluster;
        }

        /**
         * @param id the datastore's id
         * @param name its name
         * @return a builder
         */
        public static DatastoreBuilder builder(String id, String name) {
            return new DatastoreBuilder(id, name);
        }

        /** @return the hypervisor's type name, such as {@code VMFS}, {@code lvmthin}, {@code NTFS} */
        public String type() {
            return type;
        }

        /** @return its capacity */
        public long capacityBytes() {
            return capacityBytes;
        }

        /** @return its free space */
        public long freeBytes() {
            return freeBytes;
        }

        /** @return whether several hosts reach it */
        public boolean shared() {
            return shared;
        }

        /** @return the datastore cluster (storage pod) it belongs to, or empty */
        public String datastoreCluster() {
            return datastoreCluster;
        }

        /** Builds a {@link Datastore}. */
        public static final class DatastoreBuilder extends EntryBuilder<Datastore, DatastoreBuilder> {
            private String type;
            private long capacityBytes;
            private long freeBytes;
            private boolean shared;
            private String datastoreCluster;

            private DatastoreBuilder(String id, String name) {
                super(id, name);
            }

            /**
             * @param value the hypervisor's type name
             * @return this builder
             */
            public DatastoreBuilder type(String value) {
                this.type = value;
                return this;
            }

            /**
             * @param value its capacity
             * @return this builder
             */
            public DatastoreBuilder capacityBytes(long value) {
                this.capacityBytes = value;
                return this;
            }

            /**
             * @param value its free space
             * @return this builder
             */
            public DatastoreBuilder freeBytes(long value) {
                this.freeBytes = value;
                return this;
            }

            /**
             * @param value whether several hosts reach it
             * @return this builder
             */
            public DatastoreBuilder shared(boolean value) {
                this.shared = value;
                return this;
            }

            /**
             * @param value the datastore cluster's name
             * @return this builder
             */
            public DatastoreBuilder datastoreCluster(String value) {
                this.datastoreCluster = value;
                return this;
            }

            @Override
            public Datastore build() {
                return new Datastore(this);
            }
        }
    }

    /** A network a NIC can attach to. */
    public static final class Network extends Entry {
        private final String type;

        private Network(NetworkBuilder b) {
            super(b);
            this.type = b.type == null ? "" : b.type;
        }

        /**
         * @param id the network's id
         * @param name its name
         * @return a builder
         */
        public static NetworkBuilder builder(String id, String name) {
            return new NetworkBuilder(id, name);
        }

        /** @return the hypervisor's type name, such as {@code Network}, {@code bridge}, {@code External} */
        public String type() {
            return type;
        }

        /** Builds a {@link Network}. */
        public static final class NetworkBuilder extends EntryBuilder<Network, NetworkBuilder> {
            private String type;

            private NetworkBuilder(String id, String name) {
                super(id, name);
            }

            /**
             * @param value the hypervisor's type name
             * @return this builder
             */
            public NetworkBuilder type(String value) {
                this.type = value;
                return this;
            }

            @Override
            public Network build() {
                return new Network(this);
            }
        }
    }

    /** A resource pool: a vSphere pool or vApp, a Proxmox pool, a shared processor pool. */
    public static final class ResourcePool extends Entry {
        private final String type;

        private ResourcePool(ResourcePoolBuilder b) {
            super(b);
            this.type = b.type == null ? "" : b.type;
        }

        /**
         * @param id the pool's id
         * @param name its name
         * @return a builder
         */
        public static ResourcePoolBuilder builder(String id, String name) {
            return new ResourcePoolBuilder(id, name);
        }

        /** @return the hypervisor's type name, such as {@code ResourcePool} or {@code VirtualApp}; may be empty */
        public String type() {
            return type;
        }

        /** Builds a {@link ResourcePool}. */
        public static final class ResourcePoolBuilder extends EntryBuilder<ResourcePool, ResourcePoolBuilder> {
            private String type;

            private ResourcePoolBuilder(String id, String name) {
                super(id, name);
            }

            /**
             * @param value the hypervisor's type name
             * @return this builder
             */
            public ResourcePoolBuilder type(String value) {
                this.type = value;
                return this;
            }

            @Override
            public ResourcePool build() {
                return new ResourcePool(this);
            }
        }
    }

    /** A template a VM can be created from. */
    public static final class Template extends Entry {
        private final String host;
        private final int cpuCount;
        private final long memoryMiB;
        private final long diskGiB;

        private Template(TemplateBuilder b) {
            super(b);
            this.host = b.host == null ? "" : b.host;
            this.cpuCount = b.cpuCount;
            this.memoryMiB = b.memoryMiB;
            this.diskGiB = b.diskGiB;
        }

        /**
         * @param id the template's id
         * @param name its name
         * @return a builder
         */
        public static TemplateBuilder builder(String id, String name) {
            return new TemplateBuilder(id, name);
        }

        /** @return the host or node it lives on, or empty */
        public String host() {
            return host;
        }

        /** @return its CPUs */
        public int cpuCount() {
            return cpuCount;
        }

        /** @return its memory */
        public long memoryMiB() {
            return memoryMiB;
        }

        /** @return the size of its boot disk, rounded up */
        public long diskGiB() {
            return diskGiB;
        }

        /** Builds a {@link Template}. */
        public static final class TemplateBuilder extends EntryBuilder<Template, TemplateBuilder> {
            private String host;
            private int cpuCount;
            private long memoryMiB;
            private long diskGiB;

            private TemplateBuilder(String id, String name) {
                super(id, name);
            }

            /**
             * @param value the host or node it lives on
             * @return this builder
             */
            public TemplateBuilder host(String value) {
                this.host = value;
                return this;
            }

            /**
             * @param value its CPUs
             * @return this builder
             */
            public TemplateBuilder cpuCount(int value) {
                this.cpuCount = value;
                return this;
            }

            /**
             * @param value its memory
             * @return this builder
             */
            public TemplateBuilder memoryMiB(long value) {
                this.memoryMiB = value;
                return this;
            }

            /**
             * @param value the size of its boot disk
             * @return this builder
             */
            public TemplateBuilder diskGiB(long value) {
                this.diskGiB = value;
                return this;
            }

            @Override
            public Template build() {
                return new Template(this);
            }
        }
    }
}
