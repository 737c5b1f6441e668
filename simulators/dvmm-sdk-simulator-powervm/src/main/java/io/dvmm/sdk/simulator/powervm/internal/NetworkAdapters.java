package io.dvmm.sdk.simulator.powervm.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * Client network adapters of an LPAR: created on a VLAN ({@code PortVLANID}) of a virtual
 * switch, in the next free slot or a named one, with a generated MAC unless one is given
 * (upper case, no colons). The VLAN's {@code VirtualNetwork} is created on the switch when it
 * does not exist yet. Adding or removing an adapter of a running partition needs RMC.
 */
public final class NetworkAdapters {

    private static final Pattern MAC = Pattern.compile("[0-9A-F]{12}");

    private final Hmc hmc;

    NetworkAdapters(Hmc hmc) {
        this.hmc = hmc;
    }

    public UomObject create(UomObject lpar, Element body) {
        Partition p = hmc.partitions.view(lpar);
        requireDlpar(p);
        int vlan = Partition.intOf(Xml.text(body, "PortVLANID"), -1);
        if (vlan < 1 || vlan > 4094) {
            throw HmcError.badRequest("PortVLANID must be between 1 and 4094, not " + Xml.text(body, "PortVLANID") + ".");
        }
        UomObject vswitch = vswitch(lpar, body);
        String mac = Xml.text(body, "MACAddress");
        if (mac != null && !MAC.matcher(mac).matches()) {
            throw HmcError.badRequest("The MAC address " + mac + " is not valid: 12 upper-case hexadecimal digits without "
                    + "separators.");
        }
        if (mac == null) {
            mac = newMac();
        } else if (macInUse(mac)) {
            throw HmcError.badRequest("The MAC address " + mac + " is already in use.");
        }
        boolean next = "true".equals(Xml.text(body, "UseNextAvailableSlotID"));
        int slot = Partition.intOf(Xml.text(body, "VirtualSlotNumber"), -1);
        if (!next && slot < 0) {
            throw HmcError.badRequest("A ClientNetworkAdapter needs VirtualSlotNumber or UseNextAvailableSlotID.");
        }
        if (next) {
            slot = Slots.nextClientSlot(hmc, lpar);
        } else if (slotTaken(lpar, slot)) {
            throw HmcError.badRequest("The virtual slot " + slot + " of partition " + p.name() + " is already in use.");
        }
        String uuid = UUID.nameUUIDFromBytes((lpar.uuid() + "/" + slot + "/" + mac).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)).toString();
        Element content = hmc.factory.fromBody(body, uuid);
        for (String requestOnly : new String[] {"UseNextAvailableSlotID", "UseNextAvailableHighSlotID"}) {
            Xml.child(content, requestOnly).ifPresent(content::removeChild);
        }
        ContentEditor ed = hmc.editor;
        String loc = Slots.locationPrefix(hmc, lpar.parentUuid()) + "-V" + p.id() + "-C" + slot;
        ed.set(content, "DynamicReconfigurationConnectorName", loc);
        ed.set(content, "LocationCode", loc);
        ed.set(content, "LocalPartitionID", Integer.toString(p.id()));
        if (Xml.child(content, "RequiredAdapter").isEmpty()) {
            ed.set(content, "RequiredAdapter", "false");
        }
        ed.set(content, "VariedOn", "true");
        ed.set(content, "VirtualSlotNumber", Integer.toString(slot));
        if (Xml.child(content, "AllowedOperatingSystemMACAddresses").isEmpty()) {
            ed.set(content, "AllowedOperatingSystemMACAddresses", "ALL");
        }
        ed.set(content, "MACAddress", mac);
        if (Xml.child(content, "TaggedVLANSupported").isEmpty()) {
            ed.set(content, "TaggedVLANSupported", "false");
        }
        Element assoc = ed.ensure(content, "AssociatedVirtualSwitch");
        assoc.removeAttribute("href");
        assoc.removeAttribute("rel");
        Xml.removeChildren(assoc);
        assoc.appendChild(link(assoc, hmc.model.href(vswitch)));
        ed.set(content, "VirtualSwitchID", vswitch.text("SwitchID"));
        UomObject network = network(vswitch, vlan);
        Element nets = ed.ensure(content, "VirtualNetworks");
        Xml.removeChildren(nets);
        nets.appendChild(link(nets, hmc.model.href(network)));
        UomObject cna = new UomObject("ClientNetworkAdapter", uuid, content, lpar.uuid());
        hmc.model.add(cna);
        hmc.added(cna);
        hmc.modified(lpar, "Other");
        return cna;
    }

    /** A POSTed adapter: its VLAN settings change; slot, MAC and switch stay. */
    public void update(UomObject cna, Element body) {
        int vlan = Partition.intOf(Xml.text(body, "PortVLANID"), -1);
        if (vlan < 1 || vlan > 4094) {
            throw HmcError.badRequest("PortVLANID must be between 1 and 4094.");
        }
        hmc.editor.set(cna.content(), "PortVLANID", Integer.toString(vlan));
        for (String n : new String[] {"TaggedVLANIDs", "TaggedVLANSupported"}) {
            String v = Xml.text(body, n);
            if (v != null) {
                hmc.editor.set(cna.content(), n, v);
            }
        }
        hmc.modified(cna, "Other");
    }

    public void delete(UomObject cna) {
        hmc.model.partition(cna.parentUuid()).ifPresent(lpar -> requireDlpar(hmc.partitions.view(lpar)));
        hmc.model.remove(cna.uuid());
        hmc.deleted(cna);
        hmc.model.partition(cna.parentUuid()).ifPresent(lpar -> hmc.modified(lpar, "Other"));
    }

    private void requireDlpar(Partition p) {
        if (p.activated() && !"active".equals(p.rmcState())) {
            throw HmcError.badRequest("Partition " + p.name() + " is " + p.state() + " without an active RMC connection; "
                    + "virtual adapters can only be changed dynamically with RMC active.");
        }
    }

    private UomObject vswitch(UomObject lpar, Element body) {
        Element assoc = Xml.child(body, "AssociatedVirtualSwitch").orElse(null);
        String href = null;
        if (assoc != null) {
            href = assoc.getAttribute("href");
            if (href.isEmpty()) {
                href = Xml.child(assoc, "link").map(l -> l.getAttribute("href")).orElse("");
            }
        }
        if (href != null && !href.isEmpty()) {
            String uuid = HmcModel.uuidOf(href);
            return hmc.model.get("VirtualSwitch", uuid).filter(s -> s.parentUuid().equalsIgnoreCase(lpar.parentUuid()))
                    .orElseThrow(() -> HmcError.badRequest("The virtual switch " + uuid + " does not exist on the "
                            + "managed system."));
        }
        String id = Xml.text(body, "VirtualSwitchID");
        String wanted = id == null ? "0" : id;
        return hmc.model.children("VirtualSwitch", lpar.parentUuid()).stream().filter(s -> wanted.equals(s.text("SwitchID")))
                .findFirst().orElseThrow(() -> HmcError.badRequest("The virtual switch with ID " + wanted
                        + " does not exist on the managed system."));
    }

    private UomObject network(UomObject vswitch, int vlan) {
        for (UomObject n : hmc.model.children("VirtualNetwork", vswitch.parentUuid())) {
            if (Integer.toString(vlan).equals(n.text("NetworkVLANID"))
                    && vswitch.text("SwitchID").equals(n.text("VswitchID"))) {
                return n;
            }
        }
        String uuid = UUID.nameUUIDFromBytes((vswitch.uuid() + "/" + vlan).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
        Element root = hmc.factory.root("VirtualNetwork", Ns.UOM, vswitch.content().getAttribute("schemaVersion"));
        hmc.factory.atomId(root, uuid);
        Element sw = hmc.editor.create(root, "AssociatedSwitch");
        sw.setAttribute("href", hmc.model.href(vswitch));
        sw.setAttribute("rel", "related");
        root.appendChild(sw);
        root.appendChild(hmc.editor.create(root, "NetworkName", "VLAN" + vlan + "-" + vswitch.text("SwitchName")
                .replace("(Default)", "")));
        root.appendChild(hmc.editor.create(root, "NetworkVLANID", Integer.toString(vlan)));
        root.appendChild(hmc.editor.create(root, "VswitchID", vswitch.text("SwitchID")));
        root.appendChild(hmc.editor.create(root, "TaggedNetwork", "false"));
        UomObject n = new UomObject("VirtualNetwork", uuid, root, vswitch.parentUuid());
        hmc.model.add(n);
        Element list = hmc.editor.ensure(vswitch.content(), "VirtualNetworks");
        list.appendChild(link(list, hmc.model.href(n)));
        hmc.added(n);
        hmc.modified(vswitch, "Other");
        return n;
    }

    private Element link(Element like, String href) {
        Element l = like.getOwnerDocument().createElementNS(like.getNamespaceURI(), "link");
        l.setAttribute("href", href);
        l.setAttribute("rel", "related");
        return l;
    }

    private boolean slotTaken(UomObject lpar, int slot) {
        return hmc.model.children("ClientNetworkAdapter", lpar.uuid()).stream()
                .anyMatch(c -> Integer.toString(slot).equals(c.text("VirtualSlotNumber")));
    }

    private boolean macInUse(String mac) {
        return hmc.model.all("ClientNetworkAdapter").stream().anyMatch(c -> mac.equals(c.text("MACAddress")));
    }

    private String newMac() {
        Set<String> used = new HashSet<>();
        hmc.model.all("ClientNetworkAdapter").forEach(c -> used.add(c.text("MACAddress")));
        String mac;
        do {
            mac = ("FA" + Slots.randomHex(10)).toUpperCase(Locale.ROOT);
        } while (used.contains(mac));
        return mac;
    }
}
