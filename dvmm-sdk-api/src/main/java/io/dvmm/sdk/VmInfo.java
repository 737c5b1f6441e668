package io.dvmm.sdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a hypervisor reports about one VM. Immutable; providers build it with {@link #builder()}.
 */
public final class VmInfo {
    private final VmId id;
    private final String name;
    private final PowerState powerState;
    private final String rawState;
    private final int cpuCount;
    private final long memoryMiB;
    private final String host;
    private final List<NicInfo> nics;
    private final List<DiskInfo> disks;
    private final List<String> ipAddresses;
    private final Map<String, String> metadata;

    private VmInfo(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.name = Objects.requireNonNull(b.name, "name");
        this.powerState = Objects.requireNonNull(b.powerState, "powerState");
        this.rawState = b.rawState == null ? powerState.name() : b.rawState;
        this.cpuCount = b.cpuCount;
        this.memoryMiB = b.memoryMiB;
        this.host = b.host == null ? "" : b.host;
        this.nics = List.copyOf(b.nics);
        this.disks = List.copyOf(b.disks);
        List<String> ips = new ArrayList<>(b.ipAddresses);
        for (NicInfo nic : nics) {
            for (String ip : nic.ipAddresses()) {
                if (!ips.contains(ip)) {
                    ips.add(ip);
                }
            }
        }
        this.ipAddresses = List.copyOf(ips);
        this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this VM's values */
    public Builder toBuilder() {
        Builder b = new Builder().id(id).name(name).powerState(powerState).rawState(rawState).cpuCount(cpuCount)
                .memoryMiB(memoryMiB).host(host).nics(nics).disks(disks).metadata(metadata);
        b.ipAddresses.addAll(ipAddresses);
        return b;
    }

    /** @return the VM's id */
    public VmId id() {
        return id;
    }

    /** @return the VM's name */
    public String name() {
        return name;
    }

    /** @return the normalized power state */
    public PowerState powerState() {
        return powerState;
    }

    /** @return the hypervisor's own word for the state, such as {@code running} or {@code poweredOn} */
    public String rawState() {
        return rawState;
    }

    /** @return virtual CPUs */
    public int cpuCount() {
        return cpuCount;
    }

    /** @return memory in MiB */
    public long memoryMiB() {
        return memoryMiB;
    }

    /** @return the host or node it runs on, or an empty string */
    public String host() {
        return host;
    }

    /** @return its network interfaces */
    public List<NicInfo> nics() {
        return nics;
    }

    /** @return its disks */
    public List<DiskInfo> disks() {
        return disks;
    }

    /** @return every guest IP address known, first the primary one */
    public List<String> ipAddresses() {
        return ipAddresses;
    }

    /** @return the first usable guest IP address, if the guest reported one */
    public Optional<String> primaryIpAddress() {
        return ipAddresses.isEmpty() ? Optional.empty() : Optional.of(ipAddresses.get(0));
    }

    /** @return key/value metadata (tags have an empty value) */
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VmInfo v && id.equals(v.id) && name.equals(v.name) && powerState == v.powerState
                && rawState.equals(v.rawState) && cpuCount == v.cpuCount && memoryMiB == v.memoryMiB
                && host.equals(v.host) && nics.equals(v.nics) && disks.equals(v.disks)
                && ipAddresses.equals(v.ipAddresses) && metadata.equals(v.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, name, powerState, cpuCount, memoryMiB);
    }

    @Override
    public String toString() {
        return "VmInfo[id=" + id + ", name=" + name + ", state=" + powerState + " (" + rawState + "), cpu=" + cpuCount
                + ", memoryMiB=" + memoryMiB + ", host=" + host + ", ips=" + ipAddresses + ", nics=" + nics
                + ", disks=" + disks + ", metadata=" + metadata + "]";
    }

    /** Builds a {@link VmInfo}. Not thread-safe. */
    public static final class Builder {
        private VmId id;
        private String name;
        private PowerState powerState = PowerState.UNKNOWN;
        private String rawState;
        private int cpuCount;
        private long memoryMiB;
        private String host;
        private final List<NicInfo> nics = new ArrayList<>();
        private final List<DiskInfo> disks = new ArrayList<>();
        private final List<String> ipAddresses = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {
        }

        /**

         * @param id the VM's id

         * @return this builder

         */
        public Builder id(VmId id) {
            this.id = id;
            return this;
        }

        /**

         * @param name the VM's name

         * @return this builder

         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**

         * @param state the normalized power state

         * @return this builder

         */
        public Builder powerState(PowerState state) {
            this.powerState = state;
            return this;
        }

        /**

         * @param raw the hypervisor's own word for the state

         * @return this builder

         */
        public Builder rawState(String raw) {
            this.rawState = raw;
            return this;
        }

        /**

         * @param cpus virtual CPUs

         * @return this builder

         */
        public Builder cpuCount(int cpus) {
            this.cpuCount = cpus;
            return this;
        }

        /**

         * @param mib memory in MiB

         * @return this builder

         */
        public Builder memoryMiB(long mib) {
            this.memoryMiB = mib;
            return this;
        }

        /**

         * @param host the host or node

         * @return this builder

         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**

         * @param list the network interfaces, replacing any set before

         * @return this builder

         */
        public Builder nics(List<NicInfo> list) {
            nics.clear();
            nics.addAll(list);
            return this;
        }

        /**

         * @param list the disks, replacing any set before

         * @return this builder

         */
        public Builder disks(List<DiskInfo> list) {
            disks.clear();
            disks.addAll(list);
            return this;
        }

        /**

         * @param ip a guest IP address not tied to a known NIC

         * @return this builder

         */
        public Builder addIpAddress(String ip) {
            if (!ipAddresses.contains(ip)) {
                ipAddresses.add(ip);
            }
            return this;
        }

        /**

         * @param map metadata, replacing any set before

         * @return this builder

         */
        public Builder metadata(Map<String, String> map) {
            metadata.clear();
            metadata.putAll(map);
            return this;
        }

        /** @return the VM info */
        public VmInfo build() {
            return new VmInfo(this);
        }
    }
}
