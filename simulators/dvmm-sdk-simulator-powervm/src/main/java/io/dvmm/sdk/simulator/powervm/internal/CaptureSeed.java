package io.dvmm.sdk.simulator.powervm.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Seeds the model from the captures. The captures come from several HMCs and NovaLinks, so
 * their cross-references do not all meet; seeding keeps every object's content as captured and
 * re-homes the references onto one consistent model:
 *
 * <ul>
 *   <li>managed systems from {@code managedsystem} (the one with most LPARs first);
 *   <li>their LPARs from {@code lpar} (by {@code AssociatedManagedSystem});
 *   <li>VIOS 1 {@code fake_vios} with the volume groups of {@code fake_volume_group2}, VIOS 2
 *       {@code vio_multi_vscsi_mapping} with {@code get_volume_group} (its media repository),
 *       both on the first system, with free partition IDs;
 *   <li>the virtual switch {@code fake_virtual_switch} with the VLANs of {@code nbbr_virtual_network},
 *       the bridge {@code nbbr_network_bridge}, the pools of {@code shrprocpool}, the VIOS trunk
 *       adapters of {@code cna_feed}, the LPAR adapter {@code fake_cna};
 *   <li>the shared storage pool {@code ssp} with the LUs of {@code lufeed} added, its cluster
 *       {@code cluster} (nodes: the seeded VIOSes) and tier {@code tier};
 *   <li>the files of {@code file_feed}.
 * </ul>
 */
final class CaptureSeed {

    private final Hmc hmc;
    private final CaptureSet captures;

    private CaptureSeed(Hmc hmc, CaptureSet captures) {
        this.hmc = hmc;
        this.captures = captures;
    }

    /** Seeds {@code systems} managed systems (1 to 3) and {@code vioses} VIOSes (1 or 2) on the first. */
    static UomObject seed(Hmc hmc, CaptureSet captures, int systems, int vioses) {
        synchronized (captures) {
            return new CaptureSeed(hmc, captures).run(systems, vioses);
        }
    }

    private List<Element> entries(String capture) {
        return captures.body(capture).map(Imports::entries).orElse(List.of());
    }

    private UomObject add(String type, Element entry, String parent) {
        UomObject o = new UomObject(type, Imports.id(entry), Imports.content(entry), parent);
        hmc.model.add(o);
        return o;
    }

    private UomObject run(int systemCount, int viosCount) {
        Element console = entries("managementconsole").get(0);
        UomObject mc = add("ManagementConsole", console, null);
        hmc.model.consoleUuid(mc.uuid());

        List<Element> systems = new ArrayList<>(entries("managedsystem"));
        systems.sort(Comparator.comparingInt((Element e) -> -Xml.descendants(e, "AssociatedLogicalPartitions").stream()
                .mapToInt(l -> Xml.children(l, "link").size()).sum()));
        List<UomObject> seeded = new ArrayList<>();
        for (Element e : systems.subList(0, Math.min(systemCount, systems.size()))) {
            seeded.add(add("ManagedSystem", e, null));
        }
        UomObject primary = seeded.get(0);
        Set<String> systemIds = new HashSet<>();
        seeded.forEach(s -> systemIds.add(s.uuid().toLowerCase(java.util.Locale.ROOT)));

        for (Element e : entries("lpar")) {
            String ms = Xml.descendants(Xml.child(e, "content").orElseThrow(), "AssociatedManagedSystem").stream()
                    .findFirst().map(l -> HmcModel.uuidOf(l.getAttribute("href"))).orElse("");
            if (systemIds.contains(ms.toLowerCase(java.util.Locale.ROOT))) {
                UomObject lpar = add("LogicalPartition", e, ms);
                hmc.partitions.seedHeld(lpar);
                hmc.partitions.seedProfile(lpar);
            }
        }

        List<UomObject> vioses = new ArrayList<>();
        String[][] viosCaptures = {{"fake_vios", "fake_volume_group2"}, {"vio_multi_vscsi_mapping", "get_volume_group"}};
        for (int i = 0; i < Math.min(viosCount, viosCaptures.length); i++) {
            UomObject vios = add("VirtualIOServer", entries(viosCaptures[i][0]).get(0), primary.uuid());
            hmc.editor.link(vios.content(), "AssociatedManagedSystem", hmc.model.href(primary));
            freePartitionId(vios);
            hmc.partitions.seedHeld(vios);
            vioses.add(vios);
            for (Element vg : entries(viosCaptures[i][1])) {
                UomObject group = add("VolumeGroup", vg, vios.uuid());
                for (Element link : Xml.descendants(group.content(), "VolumeGroup")) {
                    link.setAttribute("href", hmc.model.href(group));
                }
            }
        }
        UomObject vswitch = add("VirtualSwitch", entries("fake_virtual_switch").get(0), primary.uuid());
        for (Element e : entries("cna_feed")) {
            UomObject trunk = add("ClientNetworkAdapter", e, vioses.get(0).uuid());
            Xml.child(trunk.content(), "AssociatedVirtualSwitch").ifPresent(a -> relink(a, List.of(hmc.model.href(vswitch))));
        }
        List<String> networks = new ArrayList<>();
        for (Element e : entries("nbbr_virtual_network")) {
            UomObject n = add("VirtualNetwork", e, primary.uuid());
            Xml.child(n.content(), "AssociatedSwitch").ifPresent(l -> l.setAttribute("href", hmc.model.href(vswitch)));
            networks.add(hmc.model.href(n));
        }
        relink(Xml.child(vswitch.content(), "VirtualNetworks").orElseThrow(), networks);
        for (Element e : entries("nbbr_network_bridge")) {
            add("NetworkBridge", e, primary.uuid());
        }
        for (Element e : entries("shrprocpool")) {
            add("SharedProcessorPool", e, primary.uuid());
        }
        seedLparAdapter(primary, vswitch);
        seedStorage(vioses);
        for (Element e : entries("file_feed")) {
            add("File", e, null);
        }
        for (UomObject s : seeded) {
            hmc.partitions.refreshSystemLinks(s.uuid());
        }
        List<String> systemLinks = new ArrayList<>();
        seeded.forEach(s -> systemLinks.add(HmcModel.UOM + "ManagementConsole/" + mc.uuid() + "/ManagedSystem/"
                + s.uuid()));
        Xml.child(mc.content(), "ManagedSystems").ifPresent(l -> relink(l, systemLinks));
        return primary;
    }

    private void freePartitionId(UomObject vios) {
        Partition p = hmc.partitions.view(vios);
        for (String type : new String[] {"LogicalPartition", "VirtualIOServer"}) {
            for (UomObject other : hmc.model.children(type, vios.parentUuid())) {
                if (other != vios && hmc.partitions.view(other).id() == p.id()) {
                    hmc.editor.set(vios.content(), "PartitionID", Integer.toString(
                            hmc.partitions.nextPartitionId(vios.parentUuid())));
                    return;
                }
            }
        }
    }

    private void seedLparAdapter(UomObject primary, UomObject vswitch) {
        Optional<UomObject> running = hmc.model.children("LogicalPartition", primary.uuid()).stream()
                .filter(o -> hmc.partitions.view(o).activated()).findFirst();
        List<Element> cnas = entries("fake_cna");
        if (running.isEmpty() || cnas.isEmpty()) {
            return;
        }
        UomObject cna = add("ClientNetworkAdapter", cnas.get(0), running.get().uuid());
        Xml.child(cna.content(), "AssociatedVirtualSwitch").ifPresent(a -> relink(a, List.of(hmc.model.href(vswitch))));
        hmc.editor.set(cna.content(), "LocalPartitionID", Integer.toString(hmc.partitions.view(running.get()).id()));
        Xml.child(cna.content(), "VirtualNetworks").ifPresent(l -> relink(l, List.of()));
    }

    private void seedStorage(List<UomObject> vioses) {
        UomObject ssp = add("SharedStoragePool", entries("ssp").get(0), null);
        Element list = Xml.child(ssp.content(), "LogicalUnits").orElseThrow();
        for (Element lu : hmc.storagePools.units(ssp)) {
            hmc.storagePools.luUuid(Xml.text(lu, "UniqueDeviceID"));
        }
        for (Element e : entries("lufeed")) {
            Element source = Xml.children(Xml.child(e, "content").orElseThrow()).get(0);
            Element lu = list.getOwnerDocument().createElementNS(Ns.UOM, "LogicalUnit");
            lu.setAttribute("schemaVersion", source.getAttribute("schemaVersion"));
            hmc.editor.ensureMetadata(lu);
            for (Element c : Xml.children(source)) {
                if (!Xml.name(c).equals("Metadata")) {
                    lu.appendChild(list.getOwnerDocument().importNode(c, true));
                }
            }
            hmc.editor.insert(list, lu);
            hmc.storagePools.seedUuid(Xml.text(lu, "UniqueDeviceID"), Imports.id(e));
        }
        UomObject cluster = add("Cluster", entries("cluster").get(0), null);
        Xml.child(cluster.content(), "ClusterSharedStoragePool").ifPresent(l -> l.setAttribute("href",
                hmc.model.href(ssp)));
        Element nodes = Xml.child(cluster.content(), "Node").orElseThrow();
        List<Element> members = Xml.children(nodes, "Node");
        for (int i = 0; i < members.size(); i++) {
            if (i >= vioses.size()) {
                nodes.removeChild(members.get(i));
                continue;
            }
            UomObject vios = vioses.get(i);
            Partition v = hmc.partitions.view(vios);
            Element node = members.get(i);
            Xml.child(node, "VirtualIOServer").ifPresent(l -> l.setAttribute("href", hmc.model.href(vios)));
            hmc.editor.set(node, "PartitionID", Integer.toString(v.id()));
            hmc.editor.set(node, "HostName", v.name().replace(' ', '-').toLowerCase(java.util.Locale.ROOT)
                    + ".example.com");
            Xml.child(node, "State").ifPresent(s -> s.setTextContent("Up"));
        }
        UomObject tier = add("Tier", entries("tier").get(0), null);
        Xml.child(tier.content(), "AssociatedSharedStoragePool").ifPresent(l -> l.setAttribute("href",
                hmc.model.href(ssp)));
    }

    /** Replaces the {@code link} children of a list element. */
    private static void relink(Element list, List<String> hrefs) {
        for (Element l : Xml.children(list, "link")) {
            list.removeChild(l);
        }
        Xml.removeChildren(list);
        for (String h : hrefs) {
            list.appendChild(list.getOwnerDocument().createTextNode("\n        "));
            Element l = list.getOwnerDocument().createElementNS(list.getNamespaceURI(), "link");
            l.setAttribute("href", h);
            l.setAttribute("rel", "related");
            list.appendChild(l);
        }
        if (!hrefs.isEmpty()) {
            list.appendChild(list.getOwnerDocument().createTextNode("\n    "));
        }
    }
}
