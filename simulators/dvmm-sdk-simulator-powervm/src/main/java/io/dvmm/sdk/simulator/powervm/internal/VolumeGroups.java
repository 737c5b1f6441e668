package io.dvmm.sdk.simulator.powervm.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * Volume groups on a VIOS: the virtual disks (logical volumes) and the virtual media
 * repository with its optical media. A POSTed volume group is reconciled like the HMC does it:
 * a disk or medium the post adds is created (name, capacity, free space checked), one it lacks
 * is deleted unless a mapping still uses it. Also resolves the storage a new VSCSI mapping
 * names to the device the model holds.
 */
public final class VolumeGroups {

    /** Longest logical volume name on a VIOS. */
    static final int MAX_DISK_NAME = 15;

    private final Hmc hmc;

    VolumeGroups(Hmc hmc) {
        this.hmc = hmc;
    }

    /** The device name of any storage element (disk, volume, unit or medium). */
    public static String deviceName(Element storage) {
        for (String n : new String[] {"DiskName", "VolumeName", "UnitName", "MediaName"}) {
            String v = Xml.text(storage, n);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Applies a POSTed volume group; returns true when something changed. */
    public boolean update(UomObject vios, UomObject vg, Element posted) {
        boolean changed = reconcileDisks(vios, vg, posted);
        changed |= reconcileMedia(vios, vg, posted);
        if (changed) {
            mirrorRepositories(vios);
        }
        return changed;
    }

    /** Creates a logical volume directly (seeding), as a POST adding it would; returns the stored disk. */
    public Element addDisk(UomObject vios, UomObject vg, String name, double gb) {
        org.w3c.dom.Document doc = Xml.newDocument();
        Element posted = (Element) doc.importNode(vg.content(), true);
        doc.appendChild(posted);
        Element list = Xml.child(posted, "VirtualDisks").orElseGet(() -> {
            Element l = doc.createElementNS(Ns.UOM, "VirtualDisks");
            posted.appendChild(l);
            return l;
        });
        Element d = doc.createElementNS(Ns.UOM, "VirtualDisk");
        d.appendChild(hmc.editor.create(list, "DiskCapacity", number(gb)));
        d.appendChild(hmc.editor.create(list, "DiskName", name));
        list.appendChild(doc.importNode(d, true));
        reconcileDisks(vios, vg, posted);
        return disk(vg, name).orElseThrow();
    }

    private boolean reconcileDisks(UomObject vios, UomObject vg, Element posted) {
        Element list = hmc.editor.ensure(vg.content(), "VirtualDisks");
        List<Element> wanted = Xml.child(posted, "VirtualDisks").map(l -> Xml.children(l, "VirtualDisk")).orElse(List.of());
        List<String> wantedNames = new ArrayList<>();
        boolean changed = false;
        for (Element w : wanted) {
            String name = Xml.text(w, "DiskName");
            if (name == null || name.isEmpty() || name.length() > MAX_DISK_NAME) {
                throw HmcError.badRequest("The virtual disk name '" + name + "' is not valid: 1 to " + MAX_DISK_NAME
                        + " characters.");
            }
            if (wantedNames.contains(name)) {
                throw HmcError.badRequest("The virtual disk name " + name + " is used twice.");
            }
            wantedNames.add(name);
            Optional<Element> stored = disk(vg, name);
            double capacity = gb(Xml.text(w, "DiskCapacity"), "DiskCapacity");
            if (stored.isEmpty()) {
                if (nameTakenOnVios(vios, name)) {
                    throw HmcError.badRequest("A logical volume named " + name + " already exists on the Virtual I/O "
                            + "Server.");
                }
                take(vg, capacity);
                Element d = hmc.editor.createComplex(list, "VirtualDisk", vg.content().getAttribute("schemaVersion"));
                d.removeAttribute("kb");
                d.removeAttribute("kxe");
                d.appendChild(hmc.editor.create(list, "DiskCapacity", number(capacity)));
                String label = Xml.text(w, "DiskLabel");
                d.appendChild(hmc.editor.create(list, "DiskLabel", label == null || label.isEmpty() ? "None" : label));
                d.appendChild(hmc.editor.create(list, "DiskName", name));
                Element link = hmc.editor.create(list, "VolumeGroup");
                link.setAttribute("href", hmc.model.href(vg));
                link.setAttribute("rel", "related");
                d.appendChild(link);
                String serial = vg.text("GroupSerialID");
                d.appendChild(hmc.editor.create(list, "UniqueDeviceID", "03" + (serial == null ? Slots.randomHex(32)
                        : serial) + "." + (Xml.children(list, "VirtualDisk").size() + 1)));
                hmc.editor.insert(list, d);
                changed = true;
            } else {
                double old = gb(Xml.text(stored.get(), "DiskCapacity"), "DiskCapacity");
                if (capacity < old - 1e-9) {
                    throw HmcError.badRequest("The virtual disk " + name + " cannot shrink from " + number(old) + " GB to "
                            + number(capacity) + " GB.");
                }
                if (capacity > old + 1e-9) {
                    take(vg, capacity - old);
                    hmc.editor.set(stored.get(), "DiskCapacity", number(capacity));
                    changed = true;
                }
            }
        }
        for (Element d : Xml.children(list, "VirtualDisk")) {
            String name = Xml.text(d, "DiskName");
            if (!wantedNames.contains(name)) {
                refuseIfMapped(vios, "VirtualDisk", name);
                give(vg, gb(Xml.text(d, "DiskCapacity"), "DiskCapacity"));
                list.removeChild(d);
                changed = true;
            }
        }
        return changed;
    }

    private boolean reconcileMedia(UomObject vios, UomObject vg, Element posted) {
        Optional<Element> postedRepo = Xml.path(posted, "MediaRepositories/VirtualMediaRepository");
        Optional<Element> storedRepo = Xml.path(vg.content(), "MediaRepositories/VirtualMediaRepository");
        if (postedRepo.isEmpty()) {
            if (storedRepo.isPresent() && Xml.child(posted, "MediaRepositories").isPresent()) {
                if (!media(storedRepo.get()).isEmpty()) {
                    throw HmcError.badRequest("The virtual media repository still holds media; remove them first.");
                }
                Element repos = Xml.child(vg.content(), "MediaRepositories").orElseThrow();
                repos.removeChild(storedRepo.get());
                return true;
            }
            return false;
        }
        boolean changed = false;
        Element repo;
        if (storedRepo.isEmpty()) {
            if (vosRepository(vios).isPresent()) {
                throw HmcError.badRequest("The Virtual I/O Server already has a virtual media repository.");
            }
            Element repos = hmc.editor.ensure(vg.content(), "MediaRepositories");
            hmc.editor.ensureMetadata(repos);
            repo = hmc.editor.createComplex(repos, "VirtualMediaRepository", "V1_2_0");
            repo.removeAttribute("kb");
            repo.removeAttribute("kxe");
            Element om = hmc.editor.createComplex(repos, "OpticalMedia", "V1_2_0");
            repo.appendChild(om);
            repo.appendChild(hmc.editor.create(repos, "RepositoryName", Xml.text(postedRepo.get(), "RepositoryName")));
            repo.appendChild(hmc.editor.create(repos, "RepositorySize", Xml.text(postedRepo.get(), "RepositorySize")));
            hmc.editor.insert(repos, repo);
            changed = true;
        } else {
            repo = storedRepo.get();
        }
        Element om = hmc.editor.ensure(repo, "OpticalMedia");
        List<String> wanted = new ArrayList<>();
        for (Element w : media(postedRepo.get())) {
            String name = Xml.text(w, "MediaName");
            wanted.add(name);
            if (medium(repo, name).isEmpty()) {
                addMedium(om, name, Xml.text(w, "Size"), Xml.text(w, "MountType"));
                changed = true;
            }
        }
        for (Element m : media(repo)) {
            String name = Xml.text(m, "MediaName");
            if (!wanted.contains(name)) {
                refuseIfMapped(vios, "VirtualOpticalMedia", name);
                om.removeChild(m);
                changed = true;
            }
        }
        return changed;
    }

    private Element addMedium(Element opticalMedia, String name, String size, String mountType) {
        if (name == null || name.isEmpty() || name.length() > 37) {
            throw HmcError.badRequest("The virtual optical media name '" + name + "' is not valid.");
        }
        Element m = hmc.editor.createComplex(opticalMedia, "VirtualOpticalMedia", "V1_2_0");
        m.removeAttribute("kb");
        m.removeAttribute("kxe");
        m.appendChild(hmc.editor.create(opticalMedia, "MediaName", name));
        m.appendChild(hmc.editor.create(opticalMedia, "MediaUDID", "0e" + name));
        m.appendChild(hmc.editor.create(opticalMedia, "MountType", mountType == null ? "rw" : mountType));
        m.appendChild(hmc.editor.create(opticalMedia, "Size", size == null ? "0.0000" : size));
        hmc.editor.insert(opticalMedia, m);
        return m;
    }

    /** Adds an uploaded ISO to the VIOS's media repository (the File API's last step). */
    public void addUploadedMedium(UomObject vios, String name, long bytes) {
        UomObject vg = repositoryGroup(vios).orElseThrow(() -> HmcError.badRequest("The Virtual I/O Server "
                + vios.uuid() + " has no virtual media repository to receive " + name + "."));
        Element repo = Xml.path(vg.content(), "MediaRepositories/VirtualMediaRepository").orElseThrow();
        if (medium(repo, name).isPresent()) {
            throw HmcError.badRequest("The virtual optical media " + name + " already exists in the repository.");
        }
        String size = BigDecimal.valueOf(bytes / (1024.0 * 1024 * 1024)).setScale(4, RoundingMode.UP).toPlainString();
        addMedium(hmc.editor.ensure(repo, "OpticalMedia"), name, size, "ro");
        mirrorRepositories(vios);
        hmc.modified(vg, "Other");
    }

    /** The volume group holding a VIOS's media repository. */
    public Optional<UomObject> repositoryGroup(UomObject vios) {
        return hmc.model.children("VolumeGroup", vios.uuid()).stream()
                .filter(vg -> Xml.path(vg.content(), "MediaRepositories/VirtualMediaRepository").isPresent()).findFirst();
    }

    private Optional<Element> vosRepository(UomObject vios) {
        return repositoryGroup(vios).flatMap(vg -> Xml.path(vg.content(), "MediaRepositories/VirtualMediaRepository"));
    }

    /** Copies the repository of the VIOS's volume groups into the VIOS's own {@code MediaRepositories}. */
    private void mirrorRepositories(UomObject vios) {
        Optional<Element> target = Xml.child(vios.content(), "MediaRepositories");
        if (target.isEmpty()) {
            return;
        }
        Element t = target.get();
        String before = Xml.write(t);
        for (Element c : Xml.children(t, "VirtualMediaRepository")) {
            t.removeChild(c);
        }
        vosRepository(vios).ifPresent(r -> t.appendChild(t.getOwnerDocument().importNode(r, true)));
        if (!before.equals(Xml.write(t))) {
            hmc.modified(vios, "Other");
        }
    }

    /**
     * The device the model holds for the storage a posted mapping names: a disk of this VIOS's
     * volume groups, one of its physical volumes, an LU of a shared storage pool the VIOS is a
     * node of, or a medium of its repository. 400 when there is none.
     */
    public Element resolveStorage(UomObject vios, Element posted) {
        String type = Xml.name(posted);
        String name = deviceName(posted);
        String udid = Xml.text(posted, "UniqueDeviceID");
        switch (type) {
            case "VirtualDisk" -> {
                for (UomObject vg : hmc.model.children("VolumeGroup", vios.uuid())) {
                    for (Element d : Xml.descendants(vg.content(), "VirtualDisk")) {
                        if (matches(d, "DiskName", name, udid)) {
                            return d;
                        }
                    }
                }
            }
            case "PhysicalVolume" -> {
                for (Element pv : Xml.path(vios.content(), "PhysicalVolumes").map(l -> Xml.children(l, "PhysicalVolume"))
                        .orElse(List.of())) {
                    if (matches(pv, "VolumeName", name, udid)) {
                        return pv;
                    }
                }
            }
            case "LogicalUnit" -> {
                return hmc.storagePools.resolve(vios, name, udid);
            }
            case "VirtualOpticalMedia" -> {
                Optional<Element> repo = vosRepository(vios);
                if (repo.isPresent()) {
                    Optional<Element> m = medium(repo.get(), name);
                    if (m.isPresent()) {
                        return m.get();
                    }
                }
            }
            default -> throw HmcError.badRequest("The storage type " + type + " cannot be mapped.");
        }
        throw HmcError.badRequest("The " + type + " " + (name != null ? name : udid) + " does not exist on the Virtual "
                + "I/O Server " + vios.uuid() + ".");
    }

    /** Marks an LU in use (or not, when no mapping uses it any more). Other devices carry no flag. */
    public void inUse(Element storage, boolean used) {
        if (Xml.name(storage).equals("LogicalUnit")) {
            hmc.storagePools.markInUse(Xml.text(storage, "UniqueDeviceID"), used);
        }
    }

    private void refuseIfMapped(UomObject vios, String type, String name) {
        for (ScsiMappings.Mapping m : hmc.mappings.list(vios)) {
            if (type.equals(m.storageType()) && name.equals(m.storageName())) {
                throw HmcError.badRequest("The " + type + " " + name + " is mapped to partition " + m.lparUuid()
                        + "; remove the mapping first.");
            }
        }
    }

    private boolean nameTakenOnVios(UomObject vios, String name) {
        for (UomObject vg : hmc.model.children("VolumeGroup", vios.uuid())) {
            if (disk(vg, name).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Element e, String nameElement, String name, String udid) {
        return (name != null && name.equals(Xml.text(e, nameElement)))
                || (udid != null && udid.equals(Xml.text(e, "UniqueDeviceID")));
    }

    private static Optional<Element> disk(UomObject vg, String name) {
        return Xml.child(vg.content(), "VirtualDisks").flatMap(l -> Xml.children(l, "VirtualDisk").stream()
                .filter(d -> name.equals(Xml.text(d, "DiskName"))).findFirst());
    }

    private static List<Element> media(Element repo) {
        return Xml.child(repo, "OpticalMedia").map(om -> Xml.children(om, "VirtualOpticalMedia")).orElse(List.of());
    }

    private static Optional<Element> medium(Element repo, String name) {
        return media(repo).stream().filter(m -> name != null && name.equals(Xml.text(m, "MediaName"))).findFirst();
    }

    private void take(UomObject vg, double gb) {
        double free = Partition.doubleOf(vg.text("FreeSpace"));
        if (gb <= 0) {
            throw HmcError.badRequest("The disk capacity must be positive.");
        }
        if (gb > free + 1e-9) {
            throw HmcError.badRequest("The volume group " + vg.text("GroupName") + " has " + number(free)
                    + " GB free; " + number(gb) + " GB were requested.");
        }
        setFree(vg, free - gb);
    }

    private void give(UomObject vg, double gb) {
        setFree(vg, Partition.doubleOf(vg.text("FreeSpace")) + gb);
    }

    private void setFree(UomObject vg, double free) {
        hmc.editor.set(vg.content(), "FreeSpace", number(free));
        Xml.child(vg.content(), "AvailableSize").ifPresent(e -> e.setTextContent(number(free)));
    }

    private static double gb(String v, String what) {
        if (v == null || v.isEmpty()) {
            throw HmcError.badRequest("The required element " + what + " is missing.");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw HmcError.badRequest("The element " + what + " must be a number of GB, not '" + v + "'.");
        }
    }

    static String number(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
