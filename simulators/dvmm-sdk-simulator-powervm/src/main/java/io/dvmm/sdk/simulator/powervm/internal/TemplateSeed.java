package io.dvmm.sdk.simulator.powervm.internal;

import java.util.List;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The reference LPARs a provider clones from, made through the same paths a client's requests
 * take: {@value #SSP_TEMPLATE} (not activated, shared processors) whose boot disk is the SSP
 * logical unit {@value #SSP_TEMPLATE_DISK}, mapped through every VIOS, and {@value #LV_TEMPLATE}
 * whose boot disk is the logical volume {@value #LV_TEMPLATE_DISK} of the first VIOS.
 */
public final class TemplateSeed {

    public static final String SSP_TEMPLATE = "dvmm-template";
    public static final String SSP_TEMPLATE_DISK = "dvmm-template-boot";
    public static final String LV_TEMPLATE = "dvmm-template-lv";
    public static final String LV_TEMPLATE_DISK = "dvmm_tpl_boot";
    static final double DISK_GB = 20;

    private TemplateSeed() {
    }

    static void seed(Hmc hmc, UomObject system) {
        List<UomObject> vioses = hmc.model.children("VirtualIOServer", system.uuid());
        Optional<UomObject> ssp = hmc.model.all("SharedStoragePool").stream().findFirst();
        if (ssp.isPresent() && !vioses.isEmpty()) {
            UomObject lpar = hmc.partitions.create(system, body(hmc, SSP_TEMPLATE));
            Element lu = hmc.storagePools.addUnit(ssp.get(), SSP_TEMPLATE_DISK, DISK_GB, true, "VirtualIO_Disk");
            for (UomObject vios : vioses) {
                hmc.mappings.add(vios, lpar, lu);
            }
            hmc.storagePools.markInUse(Xml.text(lu, "UniqueDeviceID"), true);
        }
        if (!vioses.isEmpty()) {
            UomObject vios = vioses.get(0);
            Optional<UomObject> vg = hmc.model.children("VolumeGroup", vios.uuid()).stream()
                    .max((a, b) -> Double.compare(Partition.doubleOf(a.text("FreeSpace")),
                            Partition.doubleOf(b.text("FreeSpace"))));
            if (vg.isPresent() && Partition.doubleOf(vg.get().text("FreeSpace")) >= DISK_GB) {
                UomObject lpar = hmc.partitions.create(system, body(hmc, LV_TEMPLATE));
                Element disk = hmc.volumeGroups.addDisk(vios, vg.get(), LV_TEMPLATE_DISK, DISK_GB);
                hmc.mappings.add(vios, lpar, disk);
            }
        }
    }

    /** Adds plain LPARs (not activated, no disks) named {@code prefix-1 … prefix-n}, e.g. for a large feed. */
    public static java.util.List<String> addLpars(Hmc hmc, UomObject system, int count, String prefix) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(hmc.partitions.create(system, body(hmc, prefix + "-" + i), false).uuid());
        }
        hmc.partitions.refreshSystemLinks(system.uuid());
        return out;
    }

    /** A create body built element by element in the derived order, as a client would send it. */
    private static Element body(Hmc hmc, String name) {
        Document doc = Xml.newDocument();
        Element root = doc.createElementNS(Ns.UOM, "LogicalPartition");
        root.setAttribute("schemaVersion", "V1_0");
        doc.appendChild(root);
        ContentEditor ed = hmc.editor;
        ed.set(root, "AvailabilityPriority", "127");
        ed.set(root, "PartitionIOConfiguration/MaximumVirtualIOSlots", "64");
        ed.set(root, "PartitionMemoryConfiguration/DesiredMemory", "2048");
        ed.set(root, "PartitionMemoryConfiguration/MaximumMemory", "4096");
        ed.set(root, "PartitionMemoryConfiguration/MinimumMemory", "1024");
        ed.set(root, "PartitionName", name);
        String shared = "PartitionProcessorConfiguration/SharedProcessorConfiguration/";
        ed.set(root, "PartitionProcessorConfiguration/HasDedicatedProcessors", "false");
        ed.set(root, shared + "DesiredProcessingUnits", "0.5");
        ed.set(root, shared + "DesiredVirtualProcessors", "1");
        ed.set(root, shared + "MaximumProcessingUnits", "2");
        ed.set(root, shared + "MaximumVirtualProcessors", "2");
        ed.set(root, shared + "MinimumProcessingUnits", "0.1");
        ed.set(root, shared + "MinimumVirtualProcessors", "1");
        ed.set(root, shared + "SharedProcessorPoolID", "0");
        ed.set(root, shared + "UncappedWeight", "128");
        ed.set(root, "PartitionProcessorConfiguration/SharingMode", "uncapped");
        ed.set(root, "PartitionType", "AIX/Linux");
        ed.set(root, "PendingProcessorCompatibilityMode", "default");
        for (String complex : new String[] {"PartitionIOConfiguration", "PartitionMemoryConfiguration",
                "PartitionProcessorConfiguration", "PartitionProcessorConfiguration/SharedProcessorConfiguration"}) {
            Xml.path(root, complex).ifPresent(e -> {
                ed.ensureMetadata(e);
                e.setAttribute("schemaVersion", "V1_0");
            });
        }
        ed.ensureMetadata(root);
        return root;
    }
}
