package io.dvmm.sdk.simulator.powervm.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Reconciles the VSCSI mappings of a POSTed VIOS with the stored ones, as the HMC does: the
 * posted list is the new truth. A posted mapping that matches a stored one (same server slot,
 * client partition and storage) is kept as stored; one without a known server slot is created
 * (the HMC picks the slots, names the vhost and the target device); a stored mapping the post
 * lacks is removed. That last rule is why a client must patch the XML it read rather than post
 * a partial model.
 */
public final class ScsiMappings {

    private final Hmc hmc;

    ScsiMappings(Hmc hmc) {
        this.hmc = hmc;
    }

    /** One stored mapping, flattened for inspection. */
    public record Mapping(String viosUuid, String lparUuid, String storageType, String storageName, String storageUdid,
                          int serverSlot, int clientSlot, String serverAdapter, String targetName) {
    }

    /** Maps a device of the model to a client partition through a VIOS (seeding), as a POST adding the mapping would. */
    public void add(UomObject vios, UomObject lpar, Element device) {
        Element list = hmc.editor.ensure(vios.content(), "VirtualSCSIMappings");
        org.w3c.dom.Document doc = Xml.newDocument();
        Element w = doc.createElementNS(Ns.UOM, "VirtualSCSIMapping");
        doc.appendChild(w);
        Element link = doc.createElementNS(Ns.UOM, "AssociatedLogicalPartition");
        link.setAttribute("href", hmc.model.href(lpar));
        w.appendChild(link);
        Element storage = doc.createElementNS(Ns.UOM, "Storage");
        storage.appendChild(doc.importNode(device, true));
        w.appendChild(storage);
        List<Element> kept = Xml.children(list, "VirtualSCSIMapping");
        hmc.editor.insert(list, build(vios, w, kept, new ArrayList<>()));
    }

    /** Applies the in-scope groups of a POSTed VIOS; returns true when something changed. */
    public boolean update(UomObject vios, Element posted, Groups groups) {
        boolean changed = false;
        if (groups.includes("ViosSCSIMapping")) {
            changed |= reconcileScsi(vios, posted);
        }
        if (groups.includes("ViosFCMapping")) {
            changed |= replaceList(vios, posted, "VirtualFibreChannelMappings");
        }
        return changed;
    }

    private boolean reconcileScsi(UomObject vios, Element posted) {
        Element list = hmc.editor.ensure(vios.content(), "VirtualSCSIMappings");
        List<Element> current = Xml.children(list, "VirtualSCSIMapping");
        List<Element> wanted = Xml.child(posted, "VirtualSCSIMappings")
                .map(l -> Xml.children(l, "VirtualSCSIMapping")).orElse(List.of());
        List<Element> keep = new ArrayList<>();
        List<Element> create = new ArrayList<>();
        Set<Element> matched = new HashSet<>();
        for (Element w : wanted) {
            Element same = null;
            for (Element c : current) {
                if (!matched.contains(c) && key(c).equals(key(w)) && slot(w, "ServerAdapter") > 0) {
                    same = c;
                    break;
                }
            }
            if (same != null) {
                matched.add(same);
                keep.add(same);
            } else {
                create.add(w);
            }
        }
        boolean removed = matched.size() != current.size();
        if (!removed && create.isEmpty()) {
            return false;
        }
        for (Element c : current) {
            if (!matched.contains(c)) {
                list.removeChild(c);
                released(c);
            }
        }
        List<Element> built = new ArrayList<>();
        for (Element w : create) {
            Element b = build(vios, w, keep, built);
            hmc.editor.insert(list, b);
            built.add(b);
        }
        return true;
    }

    private boolean replaceList(UomObject vios, Element posted, String name) {
        Element stored = hmc.editor.ensure(vios.content(), name);
        Element wanted = Xml.child(posted, name).orElse(null);
        String before = Xml.write(stored);
        List<Element> old = Xml.children(stored);
        for (Element o : old) {
            if (!Xml.name(o).equals("Metadata")) {
                stored.removeChild(o);
            }
        }
        if (wanted != null) {
            for (Element w : Xml.children(wanted)) {
                if (!Xml.name(w).equals("Metadata")) {
                    stored.appendChild(hmc.factory.rebuildElement(w, stored.getOwnerDocument()));
                }
            }
        }
        return !before.equals(Xml.write(stored));
    }

    /** Identity of a mapping: server slot, client partition, storage. */
    private static String key(Element m) {
        String lpar = Xml.child(m, "AssociatedLogicalPartition").map(e -> HmcModel.uuidOf(e.getAttribute("href")))
                .orElse("").toUpperCase(java.util.Locale.ROOT);
        return slot(m, "ServerAdapter") + "|" + lpar + "|" + storageKey(m);
    }

    private static String storageKey(Element m) {
        Optional<Element> storage = Xml.child(m, "Storage").flatMap(s -> Xml.children(s).stream().findFirst());
        if (storage.isEmpty()) {
            return "";
        }
        Element s = storage.get();
        String udid = firstNonNull(Xml.text(s, "UniqueDeviceID"), Xml.text(s, "MediaUDID"));
        String name = firstNonNull(Xml.text(s, "DiskName"), Xml.text(s, "VolumeName"), Xml.text(s, "UnitName"),
                Xml.text(s, "MediaName"));
        return Xml.name(s) + ":" + (name != null ? name : udid);
    }

    private static int slot(Element m, String adapter) {
        return Partition.intOf(Xml.text(m, adapter + "/VirtualSlotNumber"), -1);
    }

    private Element build(UomObject vios, Element w, List<Element> kept, List<Element> built) {
        String lparHref = Xml.child(w, "AssociatedLogicalPartition").map(e -> e.getAttribute("href")).orElse(null);
        if (lparHref == null || lparHref.isEmpty()) {
            throw HmcError.badRequest("A VirtualSCSIMapping needs AssociatedLogicalPartition.");
        }
        UomObject lpar = hmc.model.get("LogicalPartition", HmcModel.uuidOf(lparHref)).orElseThrow(() ->
                HmcError.badRequest("The client partition " + HmcModel.uuidOf(lparHref) + " of the mapping does not "
                        + "exist."));
        if (!lpar.parentUuid().equalsIgnoreCase(vios.parentUuid())) {
            throw HmcError.badRequest("The client partition " + lpar.uuid() + " is not on the managed system of the "
                    + "Virtual I/O Server.");
        }
        Element storage = Xml.child(w, "Storage").flatMap(s -> Xml.children(s).stream().findFirst()).orElse(null);
        Element stored = storage == null ? null : hmc.volumeGroups.resolveStorage(vios, storage);
        if (stored != null) {
            refuseDoubleUse(vios, lpar, stored, kept, built);
        }
        Element doc = vios.content();
        Element m = hmc.editor.createComplex(doc, "VirtualSCSIMapping", "V1_2_0");
        m.removeAttribute("kb");
        m.removeAttribute("kxe");
        Element link = hmc.editor.create(doc, "AssociatedLogicalPartition");
        link.setAttribute("href", hmc.model.href(lpar));
        link.setAttribute("rel", "related");
        m.appendChild(link);
        Element reuse = adapterPairFor(vios, lpar, w, kept, built);
        Partition client = hmc.partitions.view(lpar);
        Partition server = hmc.partitions.view(vios);
        int serverSlot;
        int clientSlot;
        if (reuse != null) {
            serverSlot = slot(reuse, "ServerAdapter");
            clientSlot = slot(reuse, "ClientAdapter");
        } else {
            serverSlot = Slots.nextServerSlot(hmc, vios);
            clientSlot = Slots.nextClientSlot(hmc, lpar);
        }
        String loc = Slots.locationPrefix(hmc, vios.parentUuid());
        String clientLoc = loc + "-V" + client.id() + "-C" + clientSlot;
        String serverLoc = loc + "-V" + server.id() + "-C" + serverSlot;
        String vhost = reuse != null ? Xml.text(reuse, "ServerAdapter/AdapterName") : Slots.nextName(hmc, vios, "vhost");
        Element ca = hmc.editor.createComplex(doc, "ClientAdapter", "V1_2_0");
        text(ca, "AdapterType", "Client");
        text(ca, "DynamicReconfigurationConnectorName", clientLoc);
        text(ca, "LocationCode", clientLoc);
        text(ca, "LocalPartitionID", Integer.toString(client.id()));
        text(ca, "RequiredAdapter", "false");
        text(ca, "VariedOn", "true");
        text(ca, "VirtualSlotNumber", Integer.toString(clientSlot));
        text(ca, "RemoteLogicalPartitionID", Integer.toString(server.id()));
        text(ca, "RemoteSlotNumber", Integer.toString(serverSlot));
        text(ca, "ServerLocationCode", serverLoc);
        m.appendChild(ca);
        Element sa = hmc.editor.createComplex(doc, "ServerAdapter", "V1_2_0");
        text(sa, "AdapterType", "Server");
        text(sa, "DynamicReconfigurationConnectorName", serverLoc);
        text(sa, "LocationCode", serverLoc);
        text(sa, "LocalPartitionID", Integer.toString(server.id()));
        text(sa, "RequiredAdapter", "false");
        text(sa, "VariedOn", "true");
        text(sa, "VirtualSlotNumber", Integer.toString(serverSlot));
        text(sa, "AdapterName", vhost);
        if (stored != null) {
            text(sa, "BackingDeviceName", VolumeGroups.deviceName(stored));
        }
        text(sa, "RemoteLogicalPartitionID", Integer.toString(client.id()));
        text(sa, "RemoteSlotNumber", Integer.toString(clientSlot));
        text(sa, "ServerLocationCode", clientLoc);
        text(sa, "UniqueDeviceID", "1e" + serverLoc);
        m.appendChild(sa);
        if (stored != null) {
            Element st = hmc.editor.create(doc, "Storage");
            st.appendChild(doc.getOwnerDocument().importNode(stored, true));
            m.appendChild(st);
            Element td = hmc.editor.create(doc, "TargetDevice");
            String tdType = switch (Xml.name(stored)) {
                case "PhysicalVolume" -> "PhysicalVolumeVirtualTargetDevice";
                case "VirtualOpticalMedia" -> "VirtualOpticalTargetDevice";
                default -> "LogicalVolumeVirtualTargetDevice";
            };
            Element dev = hmc.editor.createComplex(doc, tdType, "V1_2_0");
            dev.removeAttribute("kb");
            dev.removeAttribute("kxe");
            text(dev, "LogicalUnitAddress", "0x8" + (1 + kept.size() + built.size()) + "00000000000000");
            String prefix = Xml.name(stored).equals("VirtualOpticalMedia") ? "vtopt" : "vtscsi";
            text(dev, "TargetName", Slots.nextName(hmc, vios, prefix));
            text(dev, "UniqueDeviceID", Slots.randomHex(18));
            td.appendChild(dev);
            m.appendChild(td);
            hmc.volumeGroups.inUse(stored, true);
        }
        return m;
    }

    private void refuseDoubleUse(UomObject vios, UomObject lpar, Element stored, List<Element> kept, List<Element> built) {
        String type = Xml.name(stored);
        if (!type.equals("VirtualDisk") && !type.equals("PhysicalVolume")) {
            return;
        }
        String name = VolumeGroups.deviceName(stored);
        List<Element> all = new ArrayList<>(kept);
        all.addAll(built);
        for (Element m : all) {
            Optional<Element> s = Xml.child(m, "Storage").flatMap(x -> Xml.children(x).stream().findFirst());
            if (s.isPresent() && Xml.name(s.get()).equals(type) && name.equals(VolumeGroups.deviceName(s.get()))) {
                String other = HmcModel.uuidOf(Xml.child(m, "AssociatedLogicalPartition").map(e -> e.getAttribute("href"))
                        .orElse(""));
                if (!other.equalsIgnoreCase(lpar.uuid())) {
                    throw HmcError.badRequest("The device " + name + " is already mapped to another partition ("
                            + other + ") on this Virtual I/O Server.");
                }
            }
        }
    }

    /** A stored mapping of this client on this VIOS whose adapter pair a posted mapping names, or any when it asks for the next slot. */
    private Element adapterPairFor(UomObject vios, UomObject lpar, Element w, List<Element> kept, List<Element> built) {
        int wantedSlot = slot(w, "ServerAdapter");
        if (wantedSlot <= 0) {
            return null;
        }
        List<Element> all = new ArrayList<>(kept);
        all.addAll(built);
        for (Element m : all) {
            String client = HmcModel.uuidOf(Xml.child(m, "AssociatedLogicalPartition").map(e -> e.getAttribute("href"))
                    .orElse(""));
            if (slot(m, "ServerAdapter") == wantedSlot && client.equalsIgnoreCase(lpar.uuid())) {
                return m;
            }
        }
        throw HmcError.badRequest("The server adapter in slot " + wantedSlot + " of the Virtual I/O Server does not "
                + "serve partition " + lpar.uuid() + "; ask for UseNextAvailableSlotID instead.");
    }

    private void released(Element mapping) {
        Xml.child(mapping, "Storage").flatMap(s -> Xml.children(s).stream().findFirst())
                .ifPresent(s -> hmc.volumeGroups.inUse(s, false));
    }

    private void text(Element parent, String name, String value) {
        parent.appendChild(hmc.editor.create(parent, name, value));
    }

    /** Every stored mapping of a VIOS. */
    public List<Mapping> list(UomObject vios) {
        List<Mapping> out = new ArrayList<>();
        Optional<Element> list = Xml.child(vios.content(), "VirtualSCSIMappings");
        if (list.isEmpty()) {
            return out;
        }
        for (Element m : Xml.children(list.get(), "VirtualSCSIMapping")) {
            String lpar = Xml.child(m, "AssociatedLogicalPartition").map(e -> HmcModel.uuidOf(e.getAttribute("href")))
                    .orElse(null);
            Optional<Element> s = Xml.child(m, "Storage").flatMap(x -> Xml.children(x).stream().findFirst());
            out.add(new Mapping(vios.uuid(), lpar, s.map(Xml::name).orElse(null),
                    s.map(VolumeGroups::deviceName).orElse(null),
                    s.map(e -> firstNonNull(Xml.text(e, "UniqueDeviceID"), Xml.text(e, "MediaUDID"))).orElse(null),
                    slot(m, "ServerAdapter"), slot(m, "ClientAdapter"), Xml.text(m, "ServerAdapter/AdapterName"),
                    Xml.descendants(m, "TargetName").stream().findFirst().map(e -> e.getTextContent().trim())
                            .orElse(null)));
        }
        return out;
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
