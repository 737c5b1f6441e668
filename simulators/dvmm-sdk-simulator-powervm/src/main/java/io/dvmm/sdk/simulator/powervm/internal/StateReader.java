package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.powervm.HmcState;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/** Reads {@link HmcState} snapshots out of the model, under its lock. */
public final class StateReader {

    private final Hmc hmc;

    public StateReader(Hmc hmc) {
        this.hmc = hmc;
    }

    public List<HmcState.Lpar> partitions(String type) {
        synchronized (hmc.model.lock()) {
            List<HmcState.Lpar> out = new ArrayList<>();
            for (UomObject o : hmc.model.all(type)) {
                Partition p = hmc.partitions.view(o);
                out.add(new HmcState.Lpar(o.uuid(), p.name(), p.id(), p.type(), p.state(), p.rmcState(), p.ip(),
                        p.desiredMemory(), p.dedicated(), p.desiredProcessorUnits(), p.desiredProcessors(),
                        p.sharingMode(), o.parentUuid(), p.profileUuid()));
            }
            return out;
        }
    }

    public List<HmcState.Mapping> mappings() {
        synchronized (hmc.model.lock()) {
            List<HmcState.Mapping> out = new ArrayList<>();
            for (UomObject vios : hmc.model.all("VirtualIOServer")) {
                for (ScsiMappings.Mapping m : hmc.mappings.list(vios)) {
                    boolean orphaned = m.lparUuid() == null || hmc.model.partition(m.lparUuid()).isEmpty();
                    out.add(new HmcState.Mapping(m.viosUuid(), m.lparUuid(), m.storageType(), m.storageName(),
                            m.storageUdid(), m.serverSlot(), m.clientSlot(), m.serverAdapter(), m.targetName(), orphaned));
                }
            }
            return out;
        }
    }

    public List<HmcState.VirtualDisk> virtualDisks() {
        synchronized (hmc.model.lock()) {
            List<HmcState.VirtualDisk> out = new ArrayList<>();
            for (UomObject vg : hmc.model.all("VolumeGroup")) {
                for (Element d : Xml.child(vg.content(), "VirtualDisks").map(l -> Xml.children(l, "VirtualDisk"))
                        .orElse(List.of())) {
                    out.add(new HmcState.VirtualDisk(vg.parentUuid(), vg.uuid(), vg.text("GroupName"),
                            Xml.text(d, "DiskName"), Partition.doubleOf(Xml.text(d, "DiskCapacity")),
                            Xml.text(d, "UniqueDeviceID")));
                }
            }
            return out;
        }
    }

    public List<HmcState.OpticalMedia> media() {
        synchronized (hmc.model.lock()) {
            List<HmcState.OpticalMedia> out = new ArrayList<>();
            for (UomObject vg : hmc.model.all("VolumeGroup")) {
                for (Element m : Xml.descendants(vg.content(), "VirtualOpticalMedia")) {
                    out.add(new HmcState.OpticalMedia(vg.parentUuid(), Xml.text(m, "MediaName"),
                            Xml.text(m, "MountType"), Xml.text(m, "Size")));
                }
            }
            return out;
        }
    }

    public List<HmcState.LogicalUnit> logicalUnits() {
        synchronized (hmc.model.lock()) {
            List<HmcState.LogicalUnit> out = new ArrayList<>();
            for (UomObject ssp : hmc.model.all("SharedStoragePool")) {
                for (Element lu : hmc.storagePools.units(ssp)) {
                    out.add(new HmcState.LogicalUnit(ssp.uuid(), Xml.text(lu, "UnitName"), Xml.text(lu, "UniqueDeviceID"),
                            Partition.doubleOf(Xml.text(lu, "UnitCapacity")), "true".equals(Xml.text(lu, "ThinDevice")),
                            Xml.text(lu, "LogicalUnitType"), Xml.text(lu, "ClonedFrom"),
                            "true".equals(Xml.text(lu, "InUse"))));
                }
            }
            return out;
        }
    }

    public List<HmcState.NetworkAdapter> adapters() {
        synchronized (hmc.model.lock()) {
            List<HmcState.NetworkAdapter> out = new ArrayList<>();
            for (UomObject c : hmc.model.all("ClientNetworkAdapter")) {
                String sw = Xml.child(c.content(), "AssociatedVirtualSwitch").map(a -> {
                    String h = a.getAttribute("href");
                    return h.isEmpty() ? Xml.child(a, "link").map(l -> l.getAttribute("href")).orElse("") : h;
                }).map(HmcModel::uuidOf).orElse(null);
                out.add(new HmcState.NetworkAdapter(c.uuid(), c.parentUuid(),
                        Partition.intOf(c.text("VirtualSlotNumber"), -1), Partition.intOf(c.text("PortVLANID"), -1),
                        c.text("MACAddress"), sw));
            }
            return out;
        }
    }

    public List<HmcState.Job> jobs() {
        synchronized (hmc.model.lock()) {
            return hmc.jobs.all().stream().map(j -> new HmcState.Job(j.id(), j.operation(), j.targetUuid(), j.status(),
                    j.resultMessage())).toList();
        }
    }

    public List<HmcState.Event> events() {
        return hmc.events.pending().stream().map(e -> new HmcState.Event(e.type(), e.data(), e.detail())).toList();
    }

    public List<HmcState.Upload> uploads() {
        synchronized (hmc.model.lock()) {
            return hmc.files.uploads().values().stream().map(u -> new HmcState.Upload(u.fileUuid(), u.name(), u.type(),
                    u.viosUuid(), u.targetUdid(), u.bytes(), u.sha256())).toList();
        }
    }
}
