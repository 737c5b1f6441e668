package io.dvmm.sdk.simulator.powervm.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * Shared storage pools and their logical units: LUs created and deleted by POSTing the pool
 * (as pypowervm's {@code crt_lu} does), the cluster's {@code LULinkedClone} job that links a new
 * LU to a source LU ({@code ClonedFrom}), and which VIOSes may map an LU (the cluster's nodes).
 */
public final class StoragePools {

    private final Hmc hmc;
    /** LU UUIDs (the Atom ids of the tier's LU feed), by UDID. */
    private final Map<String, String> luUuids = new HashMap<>();

    StoragePools(Hmc hmc) {
        this.hmc = hmc;
    }

    /** The LU elements of a pool. */
    public List<Element> units(UomObject ssp) {
        return Xml.child(ssp.content(), "LogicalUnits").map(l -> Xml.children(l, "LogicalUnit")).orElse(List.of());
    }

    /** The UUID of an LU by its UDID (assigned on first use). */
    public String luUuid(String udid) {
        return luUuids.computeIfAbsent(udid, u -> UUID.nameUUIDFromBytes(u.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString());
    }

    /** Seeding: an LU keeps the Atom id the captures give it. */
    public void seedUuid(String udid, String uuid) {
        luUuids.put(udid, uuid);
    }

    /** The LU a VSCSI mapping of this VIOS names; the VIOS must be a node of the pool's cluster. */
    public Element resolve(UomObject vios, String name, String udid) {
        for (UomObject ssp : hmc.model.all("SharedStoragePool")) {
            for (Element lu : units(ssp)) {
                if ((udid != null && udid.equals(Xml.text(lu, "UniqueDeviceID")))
                        || (udid == null && name != null && name.equals(Xml.text(lu, "UnitName")))) {
                    if (!nodeOf(vios, ssp)) {
                        throw HmcError.badRequest("The Virtual I/O Server " + vios.uuid() + " is not a node of the "
                                + "cluster of shared storage pool " + ssp.text("StoragePoolName") + ".");
                    }
                    return lu;
                }
            }
        }
        throw HmcError.badRequest("The logical unit " + (udid != null ? udid : name) + " does not exist.");
    }

    private boolean nodeOf(UomObject vios, UomObject ssp) {
        for (UomObject cluster : hmc.model.all("Cluster")) {
            String pool = Xml.child(cluster.content(), "ClusterSharedStoragePool")
                    .map(e -> HmcModel.uuidOf(e.getAttribute("href"))).orElse("");
            if (!pool.equalsIgnoreCase(ssp.uuid())) {
                continue;
            }
            for (Element node : Xml.descendants(cluster.content(), "VirtualIOServer")) {
                if (vios.uuid().equalsIgnoreCase(HmcModel.uuidOf(node.getAttribute("href")))) {
                    return true;
                }
            }
        }
        return false;
    }

    public Optional<UomObject> clusterPool(UomObject cluster) {
        String pool = Xml.child(cluster.content(), "ClusterSharedStoragePool")
                .map(e -> HmcModel.uuidOf(e.getAttribute("href"))).orElse(null);
        return pool == null ? Optional.empty() : hmc.model.get("SharedStoragePool", pool);
    }

    /** Sets an LU's {@code InUse}: true when mapped, false once no VIOS maps it any more. */
    public void markInUse(String udid, boolean used) {
        if (udid == null) {
            return;
        }
        boolean stillUsed = used;
        if (!used) {
            for (UomObject vios : hmc.model.all("VirtualIOServer")) {
                for (ScsiMappings.Mapping m : hmc.mappings.list(vios)) {
                    if (udid.equals(m.storageUdid())) {
                        stillUsed = true;
                    }
                }
            }
        }
        for (UomObject ssp : hmc.model.all("SharedStoragePool")) {
            for (Element lu : units(ssp)) {
                String flag = Boolean.toString(stillUsed);
                if (udid.equals(Xml.text(lu, "UniqueDeviceID")) && !flag.equals(Xml.text(lu, "InUse"))) {
                    hmc.editor.set(lu, "InUse", flag);
                    hmc.modified(ssp, "LogicalUnit");
                }
            }
        }
    }

    /** Applies a POSTed pool: LUs it adds are created, LUs it lacks are deleted (unless mapped). */
    public boolean update(UomObject ssp, Element posted) {
        Element list = hmc.editor.ensure(ssp.content(), "LogicalUnits");
        List<Element> wanted = Xml.child(posted, "LogicalUnits").map(l -> Xml.children(l, "LogicalUnit")).orElse(List.of());
        List<String> names = new ArrayList<>();
        boolean changed = false;
        for (Element w : wanted) {
            String name = Xml.text(w, "UnitName");
            if (name == null || name.isEmpty()) {
                throw HmcError.badRequest("A LogicalUnit needs UnitName.");
            }
            if (names.contains(name)) {
                throw HmcError.badRequest("The logical unit name " + name + " is used twice.");
            }
            names.add(name);
            if (unit(ssp, name).isEmpty()) {
                hmc.editor.insert(list, createUnit(ssp, list, w));
                changed = true;
            }
        }
        for (Element lu : units(ssp)) {
            String name = Xml.text(lu, "UnitName");
            if (!names.contains(name)) {
                if ("true".equals(Xml.text(lu, "InUse"))) {
                    throw HmcError.badRequest("The logical unit " + name + " is in use by a mapping; remove the "
                            + "mapping first.");
                }
                adjust(ssp, lu, -1);
                list.removeChild(lu);
                changed = true;
            }
        }
        return changed;
    }

    /** Creates an LU directly (seeding), as a POST adding it would. */
    public Element addUnit(UomObject ssp, String name, double gb, boolean thin, String type) {
        Element list = hmc.editor.ensure(ssp.content(), "LogicalUnits");
        Element w = list.getOwnerDocument().createElementNS(Ns.UOM, "LogicalUnit");
        w.appendChild(hmc.editor.create(list, "ThinDevice", Boolean.toString(thin)));
        w.appendChild(hmc.editor.create(list, "UnitCapacity", VolumeGroups.number(gb)));
        w.appendChild(hmc.editor.create(list, "LogicalUnitType", type));
        w.appendChild(hmc.editor.create(list, "UnitName", name));
        Element lu = createUnit(ssp, list, w);
        hmc.editor.insert(list, lu);
        return lu;
    }

    private Element createUnit(UomObject ssp, Element list, Element w) {
        String name = Xml.text(w, "UnitName");
        double gb = Partition.doubleOf(Xml.text(w, "UnitCapacity"));
        if (gb <= 0) {
            throw HmcError.badRequest("The logical unit " + name + " needs a positive UnitCapacity (GB).");
        }
        String thin = Xml.text(w, "ThinDevice");
        String type = Xml.text(w, "LogicalUnitType");
        if (type != null && !type.equals("VirtualIO_Disk") && !type.equals("VirtualIO_Image")) {
            throw HmcError.badRequest("The logical unit type " + type + " is not valid.");
        }
        Element lu = hmc.editor.createComplex(list, "LogicalUnit", ssp.content().getAttribute("schemaVersion"));
        lu.removeAttribute("kb");
        lu.removeAttribute("kxe");
        lu.appendChild(hmc.editor.create(list, "ThinDevice", thin == null ? "true" : thin));
        String udid = ("VirtualIO_Image".equals(type) ? "29" : "27") + Slots.randomHex(64);
        lu.appendChild(hmc.editor.create(list, "UniqueDeviceID", udid));
        lu.appendChild(hmc.editor.create(list, "UnitCapacity", VolumeGroups.number(gb)));
        lu.appendChild(hmc.editor.create(list, "LogicalUnitType", type == null ? "VirtualIO_Disk" : type));
        lu.appendChild(hmc.editor.create(list, "InUse", "false"));
        lu.appendChild(hmc.editor.create(list, "UnitName", name));
        adjust(ssp, lu, 1);
        luUuid(udid);
        return lu;
    }

    /** Thick LUs take their capacity from the pool's free space; every LU counts in the total LU size. */
    private void adjust(UomObject ssp, Element lu, int sign) {
        double gb = Partition.doubleOf(Xml.text(lu, "UnitCapacity"));
        double free = Partition.doubleOf(ssp.text("FreeSpace"));
        if (!"true".equals(Xml.text(lu, "ThinDevice"))) {
            if (sign > 0 && gb > free + 1e-9) {
                throw HmcError.badRequest("The shared storage pool " + ssp.text("StoragePoolName") + " has "
                        + VolumeGroups.number(free) + " GB free; " + VolumeGroups.number(gb) + " GB were requested.");
            }
            hmc.editor.set(ssp.content(), "FreeSpace", VolumeGroups.number(free - sign * gb));
        }
        double total = Partition.doubleOf(ssp.text("TotalLogicalUnitSize"));
        hmc.editor.set(ssp.content(), "TotalLogicalUnitSize", VolumeGroups.number(Math.max(0, total + sign * gb)));
    }

    private Optional<Element> unit(UomObject ssp, String name) {
        return units(ssp).stream().filter(lu -> name.equals(Xml.text(lu, "UnitName"))).findFirst();
    }

    private Optional<Element> unitByUdid(UomObject ssp, String udid) {
        return units(ssp).stream().filter(lu -> udid != null && udid.equals(Xml.text(lu, "UniqueDeviceID"))).findFirst();
    }

    /** The {@code LULinkedClone} job: {@code SourceUDID} and {@code DestinationUDID} in the cluster's pool. */
    public JobAction linkedClone(UomObject cluster) {
        return new JobAction() {
            @Override
            public JobOutcome start(Job job) {
                String src = job.parameter("SourceUDID", null);
                String dst = job.parameter("DestinationUDID", null);
                if (src == null || dst == null) {
                    return JobOutcome.failedBefore("The job parameters SourceUDID and DestinationUDID are required.");
                }
                Optional<UomObject> ssp = clusterPool(cluster);
                if (ssp.isEmpty()) {
                    return JobOutcome.failedBefore("The cluster has no shared storage pool.");
                }
                Optional<Element> source = unitByUdid(ssp.get(), src);
                Optional<Element> dest = unitByUdid(ssp.get(), dst);
                if (source.isEmpty() || dest.isEmpty()) {
                    return JobOutcome.error("The logical unit " + (source.isEmpty() ? src : dst) + " does not exist in "
                            + "shared storage pool " + ssp.get().text("StoragePoolName") + ".");
                }
                if (src.equals(dst)) {
                    return JobOutcome.error("A logical unit cannot be a linked clone of itself.");
                }
                double s = Partition.doubleOf(Xml.text(source.get(), "UnitCapacity"));
                double d = Partition.doubleOf(Xml.text(dest.get(), "UnitCapacity"));
                if (d + 1e-9 < s) {
                    return JobOutcome.error("The destination logical unit (" + VolumeGroups.number(d) + " GB) is smaller "
                            + "than the source (" + VolumeGroups.number(s) + " GB).");
                }
                return null;
            }

            @Override
            public JobOutcome finish(Job job) {
                UomObject ssp = clusterPool(cluster).orElseThrow();
                unitByUdid(ssp, job.parameter("DestinationUDID", null)).ifPresent(lu ->
                        hmc.editor.set(lu, "ClonedFrom", job.parameter("SourceUDID", null)));
                hmc.modified(ssp, "LogicalUnit");
                return JobOutcome.success();
            }
        };
    }
}
