package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ArrayOfManagedObjectReference;
import com.vmware.vim25.DynamicProperty;
import com.vmware.vim25.HostSystemConnectionState;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDisk;
import io.dvmm.sdk.Inventory;

import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of the placement inventory (datacenters, compute resources, hosts, datastores,
 * networks, pools, folders, templates) read in one paged container-view retrieval, cached per
 * connection and reloaded when a name is not found. Immutable once built.
 */
final class VimCatalog {

    static final int PAGE_SIZE = 1000;

    record Entry(ManagedObjectReference ref, Map<String, Object> props) {
        String name() {
            Object n = props.get("name");
            return n == null ? ref.getVal() : n.toString();
        }

        Object get(String path) {
            return props.get(path);
        }

        ManagedObjectReference ref(String path) {
            return props.get(path) instanceof ManagedObjectReference r ? r : null;
        }

        List<ManagedObjectReference> refs(String path) {
            return props.get(path) instanceof ArrayOfManagedObjectReference a && a.getManagedObjectReference() != null
                    ? List.of(a.getManagedObjectReference()) : List.of();
        }
    }

    private final Map<String, List<Entry>> byType;
    private final Map<ManagedObjectReference, Entry> byRef = new HashMap<>();

    private VimCatalog(Map<String, List<Entry>> byType) {
        this.byType = byType;
        byType.values().forEach(list -> list.forEach(e -> byRef.put(e.ref(), e)));
    }

    /** Reads the whole placement inventory: CreateContainerView, RetrievePropertiesEx (+ pages), DestroyView. */
    static CompletableFuture<VimCatalog> load(VimPort port, VimSession.Scope scope) {
        return port.retrieveByType(scope, PAGE_SIZE, List.of(
                VimPort.props("Datacenter", "name", "vmFolder"),
                VimPort.props("ComputeResource", "name", "resourcePool", "host"),
                VimPort.props("HostSystem", "name", "parent", "runtime.connectionState", "runtime.inMaintenanceMode",
                        "summary.hardware.numCpuCores", "summary.hardware.memorySize"),
                VimPort.props("Datastore", "name", "summary.type", "summary.capacity", "summary.freeSpace",
                        "summary.multipleHostAccess"),
                VimPort.props("Network", "name"),
                VimPort.props("ResourcePool", "name", "owner"),
                VimPort.props("Folder", "name", "childType"),
                VimPort.props("VirtualMachine", "name", "config.template", "runtime.host",
                        "config.hardware.numCPU", "config.hardware.memoryMB"))).thenApply(VimCatalog::of);
    }

    private static VimCatalog of(List<ObjectContent> objects) {
        Map<String, List<Entry>> byType = new HashMap<>();
        for (ObjectContent oc : objects) {
            Map<String, Object> props = properties(oc);
            String type = oc.getObj().getType();
            if ("VirtualMachine".equals(type) && !Boolean.TRUE.equals(props.get("config.template"))) {
                continue; // only templates are placement inventory
            }
            if ("ClusterComputeResource".equals(type)) {
                byType.computeIfAbsent("ComputeResource", k -> new ArrayList<>()).add(new Entry(oc.getObj(), props));
            }
            if ("DistributedVirtualPortgroup".equals(type) || "OpaqueNetwork".equals(type)) {
                byType.computeIfAbsent("Network", k -> new ArrayList<>()).add(new Entry(oc.getObj(), props));
            }
            byType.computeIfAbsent(type, k -> new ArrayList<>()).add(new Entry(oc.getObj(), props));
        }
        byType.values().forEach(l -> l.sort(Comparator.comparing(Entry::name)));
        return new VimCatalog(byType);
    }

    static Map<String, Object> properties(ObjectContent oc) {
        Map<String, Object> props = new HashMap<>();
        if (oc.getPropSet() != null) {
            for (DynamicProperty p : oc.getPropSet()) {
                if (p.getVal() != null) {
                    props.put(p.getName(), p.getVal());
                }
            }
        }
        return props;
    }

    List<Entry> all(String type) {
        return byType.getOrDefault(type, List.of());
    }

    Optional<Entry> named(String type, String name) {
        return all(type).stream().filter(e -> e.name().equals(name)).findFirst();
    }

    Optional<Entry> get(ManagedObjectReference ref) {
        return Optional.ofNullable(ref == null ? null : byRef.get(ref));
    }

    String nameOf(ManagedObjectReference ref) {
        return get(ref).map(Entry::name).orElse(ref == null ? "" : ref.getVal());
    }

    boolean isCluster(Entry computeResource) {
        return "ClusterComputeResource".equals(computeResource.ref().getType());
    }

    Inventory toInventory(Map<ManagedObjectReference, Long> templateDiskGiB) {
        String dc = all("Datacenter").isEmpty() ? null : all("Datacenter").get(0).name();
        List<Inventory.Datacenter> dcs = all("Datacenter").stream()
                .map(e -> Inventory.Datacenter.builder(e.ref().getVal(), e.name()).path("/" + e.name()).build()).toList();
        List<Inventory.Cluster> clusters = all("ComputeResource").stream().filter(this::isCluster)
                .map(e -> Inventory.Cluster.builder(e.ref().getVal(), e.name()).datacenter(dc).build()).toList();
        List<Inventory.Host> hosts = all("HostSystem").stream().map(e -> {
            Entry parent = get(e.ref("parent")).orElse(null);
            boolean online = e.get("runtime.connectionState") == HostSystemConnectionState.connected
                    && !Boolean.TRUE.equals(e.get("runtime.inMaintenanceMode"));
            Inventory.Host.HostBuilder b = Inventory.Host.builder(e.ref().getVal(), e.name()).datacenter(dc).online(online)
                    .cpuCount(e.get("summary.hardware.numCpuCores") instanceof Number n ? n.intValue() : 0)
                    .memoryMiB(e.get("summary.hardware.memorySize") instanceof Number n ? n.longValue() / (1024 * 1024) : 0);
            if (parent != null && isCluster(parent)) {
                b.cluster(parent.name());
            }
            return b.build();
        }).toList();
        List<Inventory.Datastore> datastores = all("Datastore").stream().map(e -> Inventory.Datastore.builder(e.ref().getVal(), e.name())
                .datacenter(dc).type(String.valueOf(e.props().getOrDefault("summary.type", "")))
                .capacityBytes(e.get("summary.capacity") instanceof Number n ? n.longValue() : 0)
                .freeBytes(e.get("summary.freeSpace") instanceof Number n ? n.longValue() : 0)
                .shared(Boolean.TRUE.equals(e.get("summary.multipleHostAccess"))).build()).toList();
        Map<String, Inventory.Network> networks = new java.util.LinkedHashMap<>();
        all("Network").forEach(e -> networks.putIfAbsent(e.ref().getVal(), Inventory.Network.builder(e.ref().getVal(), e.name())
                .datacenter(dc).type(e.ref().getType()).build()));
        List<Inventory.ResourcePool> pools = all("ResourcePool").stream()
                .map(e -> Inventory.ResourcePool.builder(e.ref().getVal(), e.name()).datacenter(dc).build()).toList();
        List<Inventory.Template> templates = all("VirtualMachine").stream().map(e -> {
            Inventory.Template.TemplateBuilder b = Inventory.Template.builder(e.ref().getVal(), e.name()).datacenter(dc)
                    .cpuCount(e.get("config.hardware.numCPU") instanceof Number n ? n.intValue() : 0)
                    .memoryMiB(e.get("config.hardware.memoryMB") instanceof Number n ? n.longValue() : 0)
                    .diskGiB(templateDiskGiB.getOrDefault(e.ref(), 0L));
            if (e.ref("runtime.host") != null) {
                b.host(nameOf(e.ref("runtime.host")));
            }
            return b.build();
        }).toList();
        return Inventory.builder().datacenters(dcs).clusters(clusters).hosts(hosts).datastores(datastores)
                .networks(List.copyOf(networks.values())).resourcePools(pools).templates(templates).build();
    }

    static long diskGiB(VirtualDevice[] devices) {
        long kb = 0;
        if (devices != null) {
            for (VirtualDevice d : devices) {
                if (d instanceof VirtualDisk disk) {
                    kb += disk.getCapacityInKB();
                }
            }
        }
        return kb / (1024 * 1024);
    }
}
