package io.dvmm.sdk.simulator.powervm.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.w3c.dom.Element;

/** Virtual slot numbers, location codes and device names the HMC assigns to new adapters and devices. */
final class Slots {

    /** Slots 0 and 1 hold the virtual serial adapters. */
    private static final int FIRST_CLIENT_SLOT = 2;
    private static final int FIRST_SERVER_SLOT = 11;

    private Slots() {
    }

    static int nextServerSlot(Hmc hmc, UomObject vios) {
        Set<Integer> used = new HashSet<>();
        collect(vios.content(), "ServerAdapter", used);
        collect(vios.content(), "TrunkAdapter", used);
        for (UomObject cna : hmc.model.children("ClientNetworkAdapter", vios.uuid())) {
            used.add(Partition.intOf(cna.text("VirtualSlotNumber"), -1));
        }
        return free(used, FIRST_SERVER_SLOT, maxSlots(vios));
    }

    static int nextClientSlot(Hmc hmc, UomObject lpar) {
        Set<Integer> used = new HashSet<>();
        for (UomObject cna : hmc.model.children("ClientNetworkAdapter", lpar.uuid())) {
            used.add(Partition.intOf(cna.text("VirtualSlotNumber"), -1));
        }
        for (UomObject vios : hmc.model.children("VirtualIOServer", lpar.parentUuid())) {
            for (ScsiMappings.Mapping m : hmc.mappings.list(vios)) {
                if (lpar.uuid().equalsIgnoreCase(m.lparUuid())) {
                    used.add(m.clientSlot());
                }
            }
        }
        return free(used, FIRST_CLIENT_SLOT, maxSlots(lpar));
    }

    private static int maxSlots(UomObject partition) {
        return Partition.intOf(partition.text("PartitionIOConfiguration/MaximumVirtualIOSlots"), 64);
    }

    private static int free(Set<Integer> used, int first, int max) {
        for (int s = first; s < max; s++) {
            if (!used.contains(s)) {
                return s;
            }
        }
        throw HmcError.badRequest("There is no free virtual slot left (MaximumVirtualIOSlots is " + max + ").");
    }

    private static void collect(Element root, String adapter, Set<Integer> used) {
        for (Element a : Xml.descendants(root, adapter)) {
            used.add(Partition.intOf(Xml.text(a, "VirtualSlotNumber"), -1));
        }
    }

    /** {@code U8246.L1C.0604C6A}: the location-code prefix of a managed system. */
    static String locationPrefix(Hmc hmc, String systemUuid) {
        return hmc.model.get("ManagedSystem", systemUuid).map(ms -> "U" + ms.text("MachineTypeModelAndSerialNumber/MachineType")
                + "." + ms.text("MachineTypeModelAndSerialNumber/Model") + "."
                + ms.text("MachineTypeModelAndSerialNumber/SerialNumber")).orElse("U9999.999.0000000");
    }

    /** The next free device name with a prefix on a VIOS ({@code vhost3}, {@code vtscsi7}, {@code vtopt0}). */
    static String nextName(Hmc hmc, UomObject vios, String prefix) {
        Set<String> used = new HashSet<>();
        for (String n : new String[] {"AdapterName", "TargetName", "DeviceName"}) {
            for (Element e : Xml.descendants(vios.content(), n)) {
                used.add(e.getTextContent().trim());
            }
        }
        int i = 0;
        while (used.contains(prefix + i)) {
            i++;
        }
        return prefix + i;
    }

    static String randomHex(int digits) {
        StringBuilder b = new StringBuilder();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < digits; i++) {
            b.append(Character.forDigit(r.nextInt(16), 16));
        }
        return b.toString();
    }
}
