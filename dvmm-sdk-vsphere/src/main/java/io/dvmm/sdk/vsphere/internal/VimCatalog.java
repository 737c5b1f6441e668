package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ArrayOfManagedObjectReference;
import com.vmware.vim25.ArrayOfString;
import com.vmware.vim25.DynamicProperty;
import com.vmware.vim25.HostSystemConnectionState;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDisk;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.InvalidSpecException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A snapshot of the placement inventory (datacenters, compute resources, hosts, datastores and
 * datastore clusters, networks, resource pools and vApps, folders, templates) read in one paged
 * container-view retrieval, cached per connection and reloaded when a name is not found.
 * Immutable once built.
 *
 * <p>Every entry knows its datacenter and its inventory path ({@code /DC1/vm/Staging}), computed
 * from the {@code parent} chain. Names repeat across datacenters (every datacenter has its
 * {@code vm} folder, its {@code Resources} pool, often a {@code VM Network}), so lookups by name
 * are scoped to one datacenter, and a name that still matches several entries, or none, is
 * refused with {@link InvalidSpecException} naming the field and the candidates.
 */
final class VimCatalog {

    static final int PAGE_SIZE = 1000;
    /** Candidates named in an ambiguity error, at most. */
    private static final int MAX_CANDIDATES = 10;

    record Entry(ManagedObjectReference ref, Map<String, Object> props) {
        String name() {
            Object n = props.get("name");
            return n == null ? ref.getVal() : n.toString();
        }

        String id() {
            return ref.getVal();
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

    /** Lookup groups: a subtype is found under its own type and under the group it belongs to. */
    private static final Map<String, List<String>> GROUPS = Map.of(
            "ClusterComputeResource", List.of("ComputeResource", "ClusterComputeResource"),
            "DistributedVirtualPortgroup", List.of("Network", "DistributedVirtualPortgroup"),
            "OpaqueNetwork", List.of("Network", "OpaqueNetwork"),
            "VirtualApp", List.of("ResourcePool", "VirtualApp"));

    private final Map<String, List<Entry>> byType;
    private final Map<ManagedObjectReference, Entry> byRef = new HashMap<>();
    private final Map<ManagedObjectReference, String> paths = new HashMap<>();
    private final Map<ManagedObjectReference, Entry> datacenters = new HashMap<>();

    private VimCatalog(Map<String, List<Entry>> byType) {
        this.byType = byType;
        byType.values().forEach(list -> list.forEach(e -> byRef.put(e.ref(), e)));
        byRef.values().forEach(e -> {
            paths.put(e.ref(), computePath(e, 0));
            Entry dc = computeDatacenter(e, 0);
            if (dc != null) {
                datacenters.put(e.ref(), dc);
            }
        });
    }

    /** Reads the whole placement inventory: CreateContainerView, RetrievePropertiesEx (+ pages), DestroyView. */
    static CompletableFuture<VimCatalog> load(VimPort port, VimSession.Scope scope) {
        return port.retrieveByType(scope, PAGE_SIZE, List.of(
                VimPort.props("Datacenter", "name", "parent", "vmFolder", "hostFolder", "datastoreFolder", "networkFolder"),
                VimPort.props("ComputeResource", "name", "parent", "resourcePool", "host"),
                VimPort.props("HostSystem", "name", "parent", "runtime.connectionState", "runtime.inMaintenanceMode",
                        "summary.hardware.numCpuCores", "summary.hardware.memorySize"),
                VimPort.props("Datastore", "name", "parent", "summary.type", "summary.capacity", "summary.freeSpace",
                        "summary.multipleHostAccess"),
                VimPort.props("Network", "name", "parent"),
                VimPort.props("ResourcePool", "name", "parent", "owner"),
                // StoragePod (a datastore cluster) is a Folder: it comes with this spec.
                VimPort.props("Folder", "name", "parent", "childType"),
                VimPort.props("VirtualMachine", "name", "parent", "config.template", "runtime.host",
                        "config.hardware.numCPU", "config.hardware.memoryMB"))).thenApply(VimCatalog::of);
    }

    static VimCatalog of(List<ObjectContent> objects) {
        Map<String, List<Entry>> byType = new HashMap<>();
        for (ObjectContent oc : objects) {
            Map<String, Object> props = properties(oc);
            String type = oc.getObj().getType();
            if ("VirtualMachine".equals(type) && !Boolean.TRUE.equals(props.get("config.template"))) {
                continue; // only templates are placement inventory
            }
            Entry e = new Entry(oc.getObj(), props);
            for (String group : GROUPS.getOrDefault(type, List.of(type))) {
                byType.computeIfAbsent(group, k -> new ArrayList<>()).add(e);
            }
        }
        byType.values().forEach(l -> l.sort(Comparator.comparing(Entry::name).thenComparing(Entry::id)));
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

    Optional<Entry> get(ManagedObjectReference ref) {
        return Optional.ofNullable(ref == null ? null : byRef.get(ref));
    }

    String nameOf(ManagedObjectReference ref) {
        return get(ref).map(Entry::name).orElse(ref == null ? "" : ref.getVal());
    }

    boolean isCluster(Entry computeResource) {
        return "ClusterComputeResource".equals(computeResource.ref().getType());
    }

    /** @return the entry's inventory path: {@code /DC1/host/Cluster/esx-1}; names are already escaped by the server */
    String path(Entry e) {
        return paths.getOrDefault(e.ref(), "/" + e.name());
    }

    /** @return the datacenter the entry is in, or {@code null} (a datacenter is its own) */
    Entry datacenterOf(Entry e) {
        return datacenters.get(e.ref());
    }

    private String computePath(Entry e, int depth) {
        Entry parent = get(e.ref("parent")).orElse(null);
        // The root folder is not in the view: a missing parent is the top. Depth guards a malformed answer.
        return (parent == null || depth > 64 ? "" : computePath(parent, depth + 1)) + "/" + e.name();
    }

    private Entry computeDatacenter(Entry e, int depth) {
        if ("Datacenter".equals(e.ref().getType())) {
            return e;
        }
        Entry parent = get(e.ref("parent")).orElse(null);
        return parent == null || depth > 64 ? null : computeDatacenter(parent, depth + 1);
    }

    private static String inDatacenter(Entry dc) {
        return dc == null ? "" : " in datacenter '" + dc.name() + "'";
    }

    private String candidates(List<Entry> matches) {
        String listed = matches.stream().limit(MAX_CANDIDATES).map(m -> path(m) + " (" + m.id() + ")")
                .collect(Collectors.joining(", "));
        return matches.size() > MAX_CANDIDATES ? listed + " and " + (matches.size() - MAX_CANDIDATES) + " more" : listed;
    }

    /**
     * The one entry of a type with the name, within a datacenter.
     *
     * @param dc    the datacenter to look in; {@code null} for the whole endpoint
     * @param field the spec field named by an error
     * @param what  what the entry is, in the error ("host", "datastore")
     * @throws InvalidSpecException when none or several match; the message lists the candidates
     */
    Entry one(String type, String name, Entry dc, String field, String what) {
        return one(all(type), name, dc, field, what);
    }

    /** As {@link #one(String, String, Entry, String, String)}, among the given entries. */
    Entry one(List<Entry> among, String name, Entry dc, String field, String what) {
        List<Entry> matches = among.stream().filter(e -> e.name().equals(name))
                .filter(e -> dc == null || dc.equals(datacenterOf(e))).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            List<Entry> elsewhere = dc == null ? List.of() : among.stream().filter(e -> e.name().equals(name)).toList();
            List<String> known = among.stream().filter(e -> dc == null || dc.equals(datacenterOf(e))).map(Entry::name)
                    .distinct().sorted().toList();
            String hint = !elsewhere.isEmpty() ? "; found elsewhere: " + candidates(elsewhere)
                    : known.isEmpty() ? "" : known.size() <= MAX_CANDIDATES ? "; known: " + String.join(", ", known)
                    : "; " + known.size() + " others exist";
            throw new InvalidSpecException(field, "no " + what + " named '" + name + "'" + inDatacenter(dc) + hint,
                    VimErrors.ctx("createVm"));
        }
        throw new InvalidSpecException(field, "'" + name + "' is ambiguous: " + matches.size() + " " + what + "s" + inDatacenter(dc)
                + " have this name; candidates: " + candidates(matches) + (dc == null ? "; name placement.datacenter" : "")
                + " or give the id",
                VimErrors.ctx("createVm"));
    }

    /**
     * The entry of a type with the id (the MoRef value), in the datacenter when one is given.
     *
     * @throws InvalidSpecException when there is none, or it is in another datacenter
     */
    Entry byId(String type, String id, Entry dc, String field, String what) {
        Entry e = all(type).stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(() ->
                new InvalidSpecException(field, "no " + what + " with id '" + id + "'", VimErrors.ctx("createVm")));
        if (dc != null && !dc.equals(datacenterOf(e))) {
            throw new InvalidSpecException(field, what + " " + path(e) + " (" + id + ") is not" + inDatacenter(dc),
                    VimErrors.ctx("createVm"));
        }
        return e;
    }

    /**
     * A VM folder by its inventory path: absolute ({@code /DC1/vm/Staging}) or relative to the
     * datacenter's VM folder ({@code Staging/Web}). Only folders that hold VMs qualify (a network
     * folder of the same path is not a VM folder).
     *
     * @param dc the datacenter for a relative path; {@code null} to look below every datacenter's VM folder
     */
    Entry vmFolder(String path, Entry dc, String field) {
        String wanted = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        List<Entry> matches;
        if (wanted.startsWith("/")) {
            matches = all("Folder").stream().filter(f -> path(f).equals(wanted)).toList();
        } else {
            List<Entry> roots = dc != null ? List.of(dc) : all("Datacenter");
            List<String> full = roots.stream().map(d -> get(d.ref("vmFolder")).map(this::path).orElse(null))
                    .filter(p -> p != null).map(p -> p + "/" + wanted).toList();
            matches = all("Folder").stream().filter(f -> full.contains(path(f))).toList();
        }
        if (matches.isEmpty()) {
            throw new InvalidSpecException(field, "no folder at '" + path + "'" + inDatacenter(dc), VimErrors.ctx("createVm"));
        }
        if (matches.size() > 1) {
            throw new InvalidSpecException(field, "'" + path + "' is ambiguous: " + matches.size() + " folders; candidates: "
                    + candidates(matches)
                    + "; name placement.datacenter or give an absolute path", VimErrors.ctx("createVm"));
        }
        Entry folder = matches.get(0);
        if (!holdsVms(folder)) {
            throw new InvalidSpecException(field, path(folder) + " is not a VM folder (it holds " + childTypes(folder) + ")",
                    VimErrors.ctx("createVm"));
        }
        if (dc != null && !dc.equals(datacenterOf(folder))) {
            throw new InvalidSpecException(field, path(folder) + " is not" + inDatacenter(dc), VimErrors.ctx("createVm"));
        }
        return folder;
    }

    /**
     * The catalog seen from one datacenter: what a create names (networks, datastores) is looked up there.
     *
     * @param datacenter the chosen datacenter
     */
    record Within(VimCatalog catalog, Entry datacenter) {
        Entry one(String type, String name, String field, String what) {
            return catalog.one(type, name, datacenter, field, what);
        }
    }

    private static List<String> childTypes(Entry folder) {
        return folder.get("childType") instanceof ArrayOfString a && a.getString() != null ? List.of(a.getString()) : List.of();
    }

    private static boolean holdsVms(Entry folder) {
        return "Folder".equals(folder.ref().getType()) && childTypes(folder).contains("VirtualMachine");
    }

    Inventory toInventory(Map<ManagedObjectReference, Long> templateDiskGiB) {
        List<Inventory.Datacenter> dcs = all("Datacenter").stream()
                .map(e -> Inventory.Datacenter.builder(e.id(), e.name()).path(path(e)).build()).toList();
        List<Inventory.Cluster> clusters = all("ComputeResource").stream().filter(this::isCluster)
                .map(e -> Inventory.Cluster.builder(e.id(), e.name()).datacenter(dcName(e)).path(path(e)).build()).toList();
        List<Inventory.Host> hosts = all("HostSystem").stream().map(e -> {
            Entry parent = get(e.ref("parent")).orElse(null);
            boolean online = e.get("runtime.connectionState") == HostSystemConnectionState.connected
                    && !Boolean.TRUE.equals(e.get("runtime.inMaintenanceMode"));
            Inventory.Host.HostBuilder b = Inventory.Host.builder(e.id(), e.name()).datacenter(dcName(e)).path(path(e)).online(online)
                    .cpuCount(e.get("summary.hardware.numCpuCores") instanceof Number n ? n.intValue() : 0)
                    .memoryMiB(e.get("summary.hardware.memorySize") instanceof Number n ? n.longValue() / (1024 * 1024) : 0);
            if (parent != null && isCluster(parent)) {
                b.cluster(parent.name());
            }
            return b.build();
        }).toList();
        List<Inventory.Datastore> datastores = all("Datastore").stream().map(e -> {
            Inventory.Datastore.DatastoreBuilder b = Inventory.Datastore.builder(e.id(), e.name()).datacenter(dcName(e)).path(path(e))
                    .type(String.valueOf(e.props().getOrDefault("summary.type", "")))
                    .capacityBytes(e.get("summary.capacity") instanceof Number n ? n.longValue() : 0)
                    .freeBytes(e.get("summary.freeSpace") instanceof Number n ? n.longValue() : 0)
                    .shared(Boolean.TRUE.equals(e.get("summary.multipleHostAccess")));
            get(e.ref("parent")).filter(p -> "StoragePod".equals(p.ref().getType())).ifPresent(pod -> b.datastoreCluster(pod.name()));
            return b.build();
        }).toList();
        Map<String, Inventory.Network> networks = new LinkedHashMap<>();
        all("Network").forEach(e -> networks.putIfAbsent(e.id(), Inventory.Network.builder(e.id(), e.name())
                .datacenter(dcName(e)).path(path(e)).type(e.ref().getType()).build()));
        List<Inventory.ResourcePool> pools = all("ResourcePool").stream()
                .map(e -> Inventory.ResourcePool.builder(e.id(), e.name()).datacenter(dcName(e)).path(path(e))
                        .type(e.ref().getType()).build()).toList();
        List<Inventory.Template> templates = all("VirtualMachine").stream().map(e -> {
            Inventory.Template.TemplateBuilder b = Inventory.Template.builder(e.id(), e.name()).datacenter(dcName(e)).path(path(e))
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

    private String dcName(Entry e) {
        Entry dc = datacenterOf(e);
        return dc == null ? null : dc.name();
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
