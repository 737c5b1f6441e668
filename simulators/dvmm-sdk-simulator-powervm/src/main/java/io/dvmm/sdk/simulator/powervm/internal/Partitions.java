package io.dvmm.sdk.simulator.powervm.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * The LPAR life cycle: create (validated, stored with what the HMC adds: ID, UUID, state,
 * profile, system link), update, delete, and the memory and processor units a running
 * partition holds ({@link PowerActions} starts and stops partitions).
 */
public final class Partitions {

    /** Elements a client may change with POST; the rest of the partition is the HMC's. */
    private static final List<String> UPDATABLE = List.of("AllowPerformanceDataCollection", "AvailabilityPriority",
            "PartitionName", "PendingProcessorCompatibilityMode", "PartitionIOConfiguration/MaximumVirtualIOSlots");

    private final Hmc hmc;
    /** Memory (MB) and processor units each running partition holds. */
    private final Map<String, double[]> held = new HashMap<>();

    Partitions(Hmc hmc) {
        this.hmc = hmc;
    }

    public Partition view(UomObject o) {
        return new Partition(o, hmc.editor);
    }

    public SystemView system(String uuid) {
        return new SystemView(hmc.model.get("ManagedSystem", uuid).orElseThrow(() -> HmcError.notFound(
                "ManagedSystem " + uuid)), hmc.editor);
    }

    /** Seeding: a partition captured as running already holds its resources. */
    public void seedHeld(UomObject o) {
        Partition p = view(o);
        if (p.activated()) {
            held.put(o.uuid(), new double[] {p.desiredMemory(), p.desiredProcessorUnits()});
        }
    }

    /** Creates an LPAR from a validated-for-order body on a managed system. */
    public UomObject create(UomObject system, Element body) {
        return create(system, body, true);
    }

    /** Creates an LPAR; {@code relink} false leaves the system's link list to the caller (bulk seeding). */
    UomObject create(UomObject system, Element body, boolean relink) {
        SystemView sys = new SystemView(system, hmc.editor);
        PartitionRules.validate(body, sys, hmc.model, true, 0, 0);
        String name = Xml.text(body, "PartitionName");
        for (UomObject other : hmc.model.children("LogicalPartition", system.uuid())) {
            if (name.equals(view(other).name())) {
                throw HmcError.badRequest("A partition named '" + name + "' already exists on the managed system "
                        + sys.name() + ".");
            }
        }
        String uuid = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        Element content = hmc.factory.fromBody(body, uuid);
        UomObject lpar = new UomObject("LogicalPartition", uuid, content, system.uuid());
        String profile = UUID.randomUUID().toString();
        ContentEditor ed = hmc.editor;
        ed.link(content, "AssociatedPartitionProfile", HmcModel.UOM + "LogicalPartition/" + uuid
                + "/LogicalPartitionProfile/" + profile);
        ed.set(content, "PartitionID", Integer.toString(nextPartitionId(system.uuid())));
        ed.set(content, "PartitionState", Partition.NOT_ACTIVATED);
        ed.set(content, "PartitionUUID", uuid);
        ed.set(content, "ResourceMonitoringControlState", "inactive");
        ed.set(content, "IsOperationInProgress", "false");
        ed.link(content, "AssociatedManagedSystem", HmcModel.UOM + "ManagedSystem/" + system.uuid());
        if (Xml.child(content, "PartitionType").isEmpty()) {
            ed.set(content, "PartitionType", "AIX/Linux");
        }
        hmc.model.add(lpar);
        hmc.model.add(profile(lpar, profile));
        if (relink) {
            refreshSystemLinks(system.uuid());
        }
        hmc.added(lpar);
        hmc.modified(system, "AssociatedLogicalPartitions");
        return lpar;
    }

    private UomObject profile(UomObject lpar, String uuid) {
        Element root = hmc.factory.root("LogicalPartitionProfile", Ns.UOM, "V1_0");
        hmc.factory.atomId(root, uuid);
        Element name = hmc.editor.create(root, "ProfileName", "default_profile");
        root.appendChild(name);
        Element type = hmc.editor.create(root, "ProfileType", "REG");
        root.appendChild(type);
        Element link = hmc.editor.create(root, "AssociatedLogicalPartition");
        link.setAttribute("href", hmc.model.href(lpar));
        link.setAttribute("rel", "related");
        root.appendChild(link);
        return new UomObject("LogicalPartitionProfile", uuid, root, lpar.uuid());
    }

    /** A profile for a seeded LPAR whose captured profile link points nowhere yet. */
    public void seedProfile(UomObject lpar) {
        String uuid = view(lpar).profileUuid();
        if (uuid != null && hmc.model.get("LogicalPartitionProfile", uuid).isEmpty()) {
            hmc.model.add(profile(lpar, uuid));
        }
    }

    int nextPartitionId(String systemUuid) {
        Set<Integer> used = new HashSet<>();
        for (String type : new String[] {"LogicalPartition", "VirtualIOServer"}) {
            for (UomObject o : hmc.model.children(type, systemUuid)) {
                used.add(view(o).id());
            }
        }
        int id = 1;
        while (used.contains(id)) {
            id++;
        }
        return id;
    }

    /** Applies a POSTed LPAR: its name, memory, processors and a few settings; the rest stays the HMC's. */
    public void update(UomObject lpar, Element body) {
        Partition p = view(lpar);
        SystemView sys = system(p.systemUuid());
        double[] h = held.getOrDefault(lpar.uuid(), new double[] {0, 0});
        PartitionRules.validate(body, sys, hmc.model, p.activated(), (long) h[0], h[1]);
        String name = Xml.text(body, "PartitionName");
        for (UomObject other : hmc.model.children("LogicalPartition", p.systemUuid())) {
            if (other != lpar && name.equals(view(other).name())) {
                throw HmcError.badRequest("A partition named '" + name + "' already exists on the managed system.");
            }
        }
        Element mem = Xml.child(body, "PartitionMemoryConfiguration").orElseThrow();
        Element proc = Xml.child(body, "PartitionProcessorConfiguration").orElseThrow();
        if (p.activated()) {
            dlpar(p, body);
        }
        for (String path : UPDATABLE) {
            String v = Xml.text(body, path);
            if (v != null) {
                hmc.editor.set(lpar.content(), path, v);
            }
        }
        for (String m : new String[] {"DesiredMemory", "MinimumMemory", "MaximumMemory"}) {
            hmc.editor.set(lpar.content(), "PartitionMemoryConfiguration/" + m, Xml.text(mem, m));
        }
        replaceProcessorConfiguration(lpar.content(), proc);
        if (p.activated()) {
            held.put(lpar.uuid(), new double[] {p.desiredMemory(), p.desiredProcessorUnits()});
            sys.availableMemory(sys.availableMemory() + (long) h[0] - p.desiredMemory());
            sys.availableProcessorUnits(sys.availableProcessorUnits() + h[1] - p.desiredProcessorUnits());
            hmc.modified(sys.object(), "Other");
        }
        hmc.modified(lpar, "Other");
    }

    private void dlpar(Partition p, Element body) {
        long min = Long.parseLong(Xml.text(body, "PartitionMemoryConfiguration/MinimumMemory"));
        long max = Long.parseLong(Xml.text(body, "PartitionMemoryConfiguration/MaximumMemory"));
        boolean limitsChanged = min != p.minimumMemory() || max != p.maximumMemory()
                || !String.valueOf(p.dedicated()).equals(Xml.text(body,
                "PartitionProcessorConfiguration/HasDedicatedProcessors"));
        if (limitsChanged) {
            throw HmcError.badRequest("The minimum and maximum memory and the processor mode of partition " + p.name()
                    + " can only be changed while it is not activated.");
        }
        long desired = Long.parseLong(Xml.text(body, "PartitionMemoryConfiguration/DesiredMemory"));
        boolean changes = desired != p.desiredMemory();
        if (changes && !"active".equals(p.rmcState())) {
            throw HmcError.badRequest("Dynamic reconfiguration of partition " + p.name() + " needs an active RMC "
                    + "connection; its RMC state is " + p.rmcState() + ".");
        }
    }

    private void replaceProcessorConfiguration(Element content, Element posted) {
        Element current = Xml.child(content, "PartitionProcessorConfiguration").orElseThrow();
        for (String n : new String[] {"DedicatedProcessorConfiguration", "SharedProcessorConfiguration"}) {
            Xml.child(current, n).ifPresent(current::removeChild);
        }
        for (String n : new String[] {"HasDedicatedProcessors", "SharingMode"}) {
            String v = Xml.text(posted, n);
            if (v != null) {
                hmc.editor.set(current, n, v);
            }
        }
        for (String n : new String[] {"DedicatedProcessorConfiguration", "SharedProcessorConfiguration"}) {
            Xml.child(posted, n).ifPresent(e -> hmc.editor.insert(current,
                    hmc.factory.rebuildElement(e, current.getOwnerDocument())));
        }
    }

    /** Deletes a partition that is not activated, with its profile and its client network adapters. */
    public void delete(UomObject lpar) {
        Partition p = view(lpar);
        if (p.activated()) {
            throw HmcError.conflict("HSCL05DF The partition " + p.name() + " is in state " + p.state()
                    + "; it must be powered off before it can be deleted.");
        }
        for (UomObject cna : hmc.model.children("ClientNetworkAdapter", lpar.uuid())) {
            hmc.model.remove(cna.uuid());
        }
        for (UomObject profile : hmc.model.children("LogicalPartitionProfile", lpar.uuid())) {
            hmc.model.remove(profile.uuid());
        }
        hmc.model.remove(lpar.uuid());
        refreshSystemLinks(p.systemUuid());
        hmc.deleted(lpar);
        hmc.model.get("ManagedSystem", p.systemUuid()).ifPresent(s -> hmc.modified(s, "AssociatedLogicalPartitions"));
    }

    /** Rebuilds a managed system's LPAR and VIOS link lists from the model. */
    public void refreshSystemLinks(String systemUuid) {
        SystemView sys = system(systemUuid);
        List<String> lpars = new ArrayList<>();
        hmc.model.children("LogicalPartition", systemUuid).forEach(o -> lpars.add(hmc.model.href(o)));
        List<String> vioses = new ArrayList<>();
        hmc.model.children("VirtualIOServer", systemUuid).forEach(o -> vioses.add(hmc.model.href(o)));
        sys.links("AssociatedLogicalPartitions", lpars);
        sys.links("AssociatedVirtualIOServers", vioses);
    }

    /** Activation takes the partition's memory and processor units from its system. */
    void hold(Partition p, SystemView sys) {
        held.put(p.uuid(), new double[] {p.desiredMemory(), p.desiredProcessorUnits()});
        sys.availableMemory(sys.availableMemory() - p.desiredMemory());
        sys.availableProcessorUnits(sys.availableProcessorUnits() - p.desiredProcessorUnits());
        hmc.modified(sys.object(), "Other");
    }

    /** Shutdown gives them back. */
    void release(Partition p) {
        double[] h = held.remove(p.uuid());
        if (h == null) {
            return;
        }
        SystemView sys = system(p.systemUuid());
        sys.availableMemory(sys.availableMemory() + (long) h[0]);
        sys.availableProcessorUnits(sys.availableProcessorUnits() + h[1]);
        hmc.modified(sys.object(), "Other");
    }
}
