package io.dvmm.sdk;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of what an endpoint offers for placement. Providers map their own terms: a
 * Proxmox cluster is one {@link Cluster} whose nodes are {@link Host}s; a standalone host has
 * one datacenter and no cluster.
 *
 * @param datacenters the datacenters
 * @param clusters the clusters
 * @param hosts the hosts or nodes
 * @param datastores the datastores or storages
 * @param networks the networks, port groups or bridges
 * @param resourcePools the resource pools or Proxmox pools
 * @param templates the templates a VM can be cloned from
 */
public record Inventory(List<Datacenter> datacenters, List<Cluster> clusters, List<Host> hosts,
                        List<Datastore> datastores, List<Network> networks, List<ResourcePool> resourcePools,
                        List<Template> templates) {

    /**

     * Copies every list.

     *

     * @param datacenters see the record component

     * @param clusters see the record component

     * @param hosts see the record component

     * @param datastores see the record component

     * @param networks see the record component

     * @param resourcePools see the record component

     * @param templates see the record component

     */
    public Inventory {
        datacenters = List.copyOf(datacenters);
        clusters = List.copyOf(clusters);
        hosts = List.copyOf(hosts);
        datastores = List.copyOf(datastores);
        networks = List.copyOf(networks);
        resourcePools = List.copyOf(resourcePools);
        templates = List.copyOf(templates);
    }

    /**
     * @param name a template's name
     * @return the template with that name, if any
     */
    public Optional<Template> template(String name) {
        return templates.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * A datacenter.
     *
     * @param id the provider's id
     * @param name its name
     */
    public record Datacenter(String id, String name) {
        /**
         * Validates the values.
         *
         * @param id see the record component
         * @param name see the record component
         */
        public Datacenter {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A cluster of hosts.
     *
     * @param id the provider's id
     * @param name its name
     * @param datacenter the datacenter's name, or an empty string
     */
    public record Cluster(String id, String name, String datacenter) {
        /**
         * Validates the values.
         *
         * @param id see the record component
         * @param name see the record component
         * @param datacenter see the record component
         */
        public Cluster {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            datacenter = datacenter == null ? "" : datacenter;
        }
    }

    /**
     * A host (vSphere ESXi host, Proxmox node, Hyper-V host, PowerVM managed system).
     *
     * @param id the provider's id
     * @param name its name
     * @param cluster the cluster's name, or an empty string
     * @param online whether it is connected and usable
     * @param cpuCount logical CPUs, or 0 if unknown
     * @param memoryMiB memory in MiB, or 0 if unknown
     */
    public record Host(String id, String name, String cluster, boolean online, int cpuCount, long memoryMiB) {
        /**
         * Validates the values.
         *
         * @param id see the record component
         * @param name see the record component
         * @param cluster see the record component
         * @param online see the record component
         * @param cpuCount see the record component
         * @param memoryMiB see the record component
         */
        public Host {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            cluster = cluster == null ? "" : cluster;
        }
    }

    /**
     * A datastore or storage.
     *
     * @param id the provider's id
     * @param name its name
     * @param type its type ({@code lvmthin}, {@code VMFS}, {@code nfs}), or an empty string
     * @param capacityBytes total bytes, or 0 if unknown
     * @param freeBytes free bytes, or 0 if unknown
     * @param shared whether every host of its cluster sees it
     */
    public record Datastore(String id, String name, String type, long capacityBytes, long freeBytes, boolean shared) {
        /**
         * Validates the values.
         *
         * @param id see the record component
         * @param name see the record component
         * @param type see the record component
         * @param capacityBytes see the record component
         * @param freeBytes see the record component
         * @param shared see the record component
         */
        public Datastore {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            type = type == null ? "" : type;
        }
    }

    /**
     * A network a NIC can attach to.
     *
     * @param id the provider's id
     * @param name its name
     * @param type its type ({@code bridge}, {@code DistributedVirtualPortgroup}), or an empty string
     */
    public record Network(String id, String name, String type) {
        /**
         * Validates the values.
         *
         * @param id see the record component
         * @param name see the record component
         * @param type see the record component
         */
        public Network {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            type = type == null ? "" : type;
        }
    }

    /**
     * A resource pool (vSphere) or pool (Proxmox).
     *
     * @param id the provider's id
     * @param name its name
     */
    public record ResourcePool(String id, String name) {
        /**
         * Validates the values.
         *
         * @param id see the record component
         * @param name see the record component
         */
        public ResourcePool {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A template a VM can be cloned from.
     *
     * @param id the provider's id
     * @param name its name
     * @param host the host it lives on, or an empty string
     * @param cpuCount its virtual CPUs
     * @param memoryMiB its memory in MiB
     * @param diskGiB the size of its first disk in GiB, or 0 if unknown
     */
    public record Template(String id, String name, String host, int cpuCount, long memoryMiB, long diskGiB) {
        /**
         * Validates the values.
         *
         * @param id see the record component
         * @param name see the record component
         * @param host see the record component
         * @param cpuCount see the record component
         * @param memoryMiB see the record component
         * @param diskGiB see the record component
         */
        public Template {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            host = host == null ? "" : host;
        }
    }
}
