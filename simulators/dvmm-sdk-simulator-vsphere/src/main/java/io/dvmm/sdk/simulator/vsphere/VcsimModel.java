package io.dvmm.sdk.simulator.vsphere;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The inventory and behaviour of a {@link Vcsim}: a vCenter (datacenters, clusters, hosts,
 * resource pools with VMs, a template with a snapshot) or a standalone ESXi host, plus what the
 * launcher adds to vcsim: simulated DHCP, a vCenter-like page cap on {@code RetrievePropertiesEx},
 * a grown template disk and a delay on every SOAP call.
 *
 * <pre>{@code
 * VcsimModel.vcenter().clusters(1).hostsPerCluster(2).vmsPerPool(120).build()
 * VcsimModel.esx().vms(2).build()
 * }</pre>
 *
 * <p>Immutable.
 */
public final class VcsimModel {

    /** The template the vCenter model holds: the first VM, powered off, with a snapshot {@code base}. */
    public static final String DEFAULT_TEMPLATE = "tmpl-linux";

    /** The restricted user's name ({@link Builder#restrictedUser}). */
    public static final String RESTRICTED_USER = "auditor@vsphere.local";
    /** The restricted user's password. */
    public static final String RESTRICTED_PASSWORD = "auditor-pass";
    /** VMs whose name starts with this are invisible to the restricted user. */
    public static final String HIDDEN_PREFIX = "hidden-";

    private final List<String> args;
    private final String template;

    private VcsimModel(List<String> args, String template) {
        this.args = List.copyOf(args);
        this.template = template;
    }

    /**
     * A vCenter: by default 1 datacenter, 1 cluster of 2 hosts, 1 standalone host, 2 VMs per pool, template
     * {@value #DEFAULT_TEMPLATE}.
     *
     * @return a builder with those defaults
     */
    public static Builder vcenter() {
        return new Builder(false);
    }

    /**
     * A standalone ESXi host (no clusters, no templates, no clone).
     *
     * @return a builder for an ESXi model
     */
    public static Builder esx() {
        return new Builder(true);
    }

    /**
     * The launcher's command-line flags for this model.
     *
     * @return the flags, in order; unmodifiable
     */
    public List<String> launcherArgs() {
        return args;
    }

    /**
     * The template the model holds.
     *
     * @return the template's name; empty for ESXi or a vCenter without one
     */
    public String template() {
        return template;
    }

    @Override
    public String toString() {
        return "VcsimModel" + args;
    }

    /** Settings of a model; unset ones keep vcsim's (or the launcher's) defaults. */
    public static final class Builder {
        private final boolean esx;
        private int datacenters = 1;
        private int clusters = 1;
        private int hostsPerCluster = 2;
        private int standaloneHosts = 1;
        private int vms = 2;
        private int datastores = 1;
        private int portgroups = 1;
        private String template = DEFAULT_TEMPLATE;
        private int templateDiskGiB;
        private Duration dhcp = Duration.ofMillis(300);
        private int pageCap = 100;
        private Duration delay = Duration.ZERO;
        private final java.util.Map<String, Duration> methodDelays = new java.util.LinkedHashMap<>();
        private int vapps;
        private int storagePods;
        private boolean templateEverywhere;
        private String folder;
        private boolean restricted;

        private Builder(boolean esx) {
            this.esx = esx;
            if (esx) {
                template = "";
            }
        }

        /**
         * Datacenters in the vCenter, each with the clusters, hosts and datastores set here.
         *
         * @param n the number of datacenters, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder datacenters(int n) {
            this.datacenters = positive(n, "datacenters");
            return this;
        }

        /**
         * Clusters in each datacenter.
         *
         * @param n the number of clusters, zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder clusters(int n) {
            this.clusters = atLeastZero(n, "clusters");
            return this;
        }

        /**
         * Hosts in each cluster.
         *
         * @param n the number of hosts, zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder hostsPerCluster(int n) {
            this.hostsPerCluster = atLeastZero(n, "hostsPerCluster");
            return this;
        }

        /**
         * Hosts outside any cluster, in each datacenter.
         *
         * @param n the number of standalone hosts, zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder standaloneHosts(int n) {
            this.standaloneHosts = atLeastZero(n, "standaloneHosts");
            return this;
        }

        /**
         * VMs per resource pool (vCenter) or on the host (ESXi).
         *
         * @param n the number of VMs, zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder vmsPerPool(int n) {
            this.vms = atLeastZero(n, "vmsPerPool");
            return this;
        }

        /**
         * VMs on the ESXi host; the same setting as {@link #vmsPerPool}.
         *
         * @param n the number of VMs, zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder vms(int n) {
            return vmsPerPool(n);
        }

        /**
         * Datastores, shared by the hosts.
         *
         * @param n the number of datastores, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder datastores(int n) {
            this.datastores = positive(n, "datastores");
            return this;
        }

        /**
         * Distributed port groups (networks VMs can be attached to) in each datacenter.
         *
         * @param n the number of port groups, zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder portgroups(int n) {
            this.portgroups = atLeastZero(n, "portgroups");
            return this;
        }

        /**
         * Turns the first VM into a powered-off template of this name with a snapshot {@code base}.
         *
         * @param name the template's name; empty for no template
         * @return this builder
         */
        public Builder template(String name) {
            this.template = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Grows the template's boot disk before its snapshot.
         *
         * @param gib the disk's size in GiB; 0 keeps vcsim's 1 MiB
         * @return this builder
         * @throws IllegalArgumentException if {@code gib} is negative
         */
        public Builder templateDiskGiB(int gib) {
            this.templateDiskGiB = atLeastZero(gib, "templateDiskGiB");
            return this;
        }

        /**
         * Powered-on VMs without an address get one after about this long, as from DHCP.
         *
         * @param after the delay; {@code Duration.ZERO} for never
         * @return this builder
         */
        public Builder dhcp(Duration after) {
            this.dhcp = Objects.requireNonNull(after, "after");
            return this;
        }

        /**
         * The most objects one {@code RetrievePropertiesEx} page holds, like vCenter's ~100.
         *
         * @param objects objects per page; 0 for no paging
         * @return this builder
         * @throws IllegalArgumentException if {@code objects} is negative
         */
        public Builder pageCap(int objects) {
            this.pageCap = atLeastZero(objects, "pageCap");
            return this;
        }

        /**
         * A delay on every SOAP call.
         *
         * @param perCall the delay, sent to the launcher in whole milliseconds
         * @return this builder
         */
        public Builder delay(Duration perCall) {
            this.delay = Objects.requireNonNull(perCall, "perCall");
            return this;
        }

        /**
         * vApps per cluster (VirtualApp resource pools).
         *
         * @param n the number of vApps, zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder vapps(int n) {
            this.vapps = atLeastZero(n, "vapps");
            return this;
        }

        /**
         * Datastore clusters (StoragePods) per datacenter; the datacenter's datastores move into the first one.
         *
         * @param n the number of datastore clusters, zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is negative
         */
        public Builder storagePods(int n) {
            this.storagePods = atLeastZero(n, "storagePods");
            return this;
        }

        /**
         * The template in every datacenter, under one name: a name that repeats across datacenters.
         *
         * @return this builder
         */
        public Builder templateInEveryDatacenter() {
            this.templateEverywhere = true;
            return this;
        }

        /**
         * A VM folder and a network folder of this name in every datacenter.
         *
         * @param name the folders' name
         * @return this builder
         */
        public Builder folderInEveryDatacenter(String name) {
            this.folder = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * A second user, {@value VcsimModel#RESTRICTED_USER} (password
         * {@value VcsimModel#RESTRICTED_PASSWORD}), with vCenter's restricted view: VMs named
         * {@value VcsimModel#HIDDEN_PREFIX}... are absent from its listings and any call naming
         * one fails with {@code NoPermission}.
         *
         * @return this builder
         */
        public Builder restrictedUser() {
            this.restricted = true;
            return this;
        }

        /**
         * A delay on one SOAP method, so a test can act while it is on the wire; on top of {@link #delay}.
         *
         * @param method the vim25 method, such as {@code CloneVM_Task}
         * @param d the delay, sent in whole milliseconds; a second call for the same method replaces it
         * @return this builder
         */
        public Builder methodDelay(String method, Duration d) {
            methodDelays.put(Objects.requireNonNull(method, "method"), Objects.requireNonNull(d, "d"));
            return this;
        }

        /**
         * The model with these settings.
         *
         * @return the model, to pass to {@link Vcsim#start}
         */
        public VcsimModel build() {
            List<String> a = new ArrayList<>();
            if (esx) {
                a.add("-esx");
            } else {
                a.addAll(List.of("-dc", Integer.toString(datacenters), "-cluster", Integer.toString(clusters),
                        "-host", Integer.toString(hostsPerCluster), "-standalone-host", Integer.toString(standaloneHosts),
                        "-pg", Integer.toString(portgroups)));
                if (!template.isEmpty()) {
                    a.addAll(List.of("-template", template));
                }
                if (templateDiskGiB > 0) {
                    a.addAll(List.of("-template-disk-gib", Integer.toString(templateDiskGiB)));
                }
                if (templateEverywhere && !template.isEmpty()) {
                    a.add("-template-every-dc");
                }
                if (vapps > 0) {
                    a.addAll(List.of("-app", Integer.toString(vapps)));
                }
                if (storagePods > 0) {
                    a.addAll(List.of("-pod", Integer.toString(storagePods)));
                }
                if (folder != null) {
                    a.addAll(List.of("-folder", folder));
                }
            }
            a.addAll(List.of("-vm", Integer.toString(vms), "-ds", Integer.toString(datastores),
                    "-dhcp", dhcp.toMillis() + "ms", "-page-cap", Integer.toString(pageCap),
                    "-delay", Long.toString(delay.toMillis())));
            if (restricted) {
                a.addAll(List.of("-restricted-user", RESTRICTED_USER, "-restricted-password", RESTRICTED_PASSWORD,
                        "-hidden-prefix", HIDDEN_PREFIX));
            }
            if (!methodDelays.isEmpty()) {
                a.addAll(List.of("-method-delay", String.join(",", methodDelays.entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue().toMillis()).toList())));
            }
            return new VcsimModel(a, esx ? "" : template);
        }

        private static int positive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be at least 1");
            }
            return n;
        }

        private static int atLeastZero(int n, String what) {
            if (n < 0) {
                throw new IllegalArgumentException(what + " must not be negative");
            }
            return n;
        }
    }
}
