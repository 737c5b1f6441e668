package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * Virtual I/O Servers (feeds, entries with {@code ?group=}, {@code quick}, the mapping-
 * reconciling {@code POST}), their volume groups (the disk- and media-creating {@code POST})
 * and their client network adapters (trunk adapters).
 */
final class ViosRoutes {

    private static final String TYPE = "VirtualIOServer";

    private final Hmc hmc;
    private final Reads reads;
    private final BodyReader bodies;
    private final SystemRoutes systems;

    ViosRoutes(Hmc hmc, Reads reads, BodyReader bodies, SystemRoutes systems) {
        this.hmc = hmc;
        this.reads = reads;
        this.bodies = bodies;
        this.systems = systems;
    }

    void register(Router r) {
        String root = SystemRoutes.UOM + "/" + TYPE;
        String under = SystemRoutes.UOM + "/ManagedSystem/{ms}/" + TYPE;
        for (String base : List.of(root, under)) {
            r.get(base, (q, p) -> reads.feed(q, TYPE, vioses(p)));
            r.get(base + "/search/{query}", (q, p) -> reads.feed(q, TYPE, reads.search(vioses(p), p.get("query"))));
            r.get(base + "/quick/All", (q, p) -> systems.quick(q, QuickJson.array(vioses(p).stream()
                    .map(o -> QuickJson.partition(hmc, o)).toList())));
            r.get(base + "/{vios}", (q, p) -> reads.entry(q, vios(p)));
            r.post(base + "/{vios}", this::update);
            r.get(base + "/{vios}/quick", (q, p) -> systems.quick(q, QuickJson.object(QuickJson.partition(hmc, vios(p)))));
            r.get(base + "/{vios}/VolumeGroup", (q, p) -> reads.feed(q, "VolumeGroup",
                    hmc.model.children("VolumeGroup", vios(p).uuid())));
            r.get(base + "/{vios}/VolumeGroup/{vg}", (q, p) -> reads.entry(q, volumeGroup(p)));
            r.post(base + "/{vios}/VolumeGroup/{vg}", this::updateVolumeGroup);
            r.get(base + "/{vios}/ClientNetworkAdapter", (q, p) -> reads.feed(q, "ClientNetworkAdapter",
                    hmc.model.children("ClientNetworkAdapter", vios(p).uuid())));
            r.get(base + "/{vios}/ClientNetworkAdapter/{cna}", (q, p) -> reads.entry(q,
                    reads.child("ClientNetworkAdapter", p.get("cna"), vios(p).uuid())));
        }
    }

    private List<UomObject> vioses(Map<String, String> p) {
        String ms = p.get("ms");
        return ms == null ? hmc.model.all(TYPE) : hmc.model.children(TYPE, reads.find("ManagedSystem", ms).uuid());
    }

    private UomObject vios(Map<String, String> p) {
        String ms = p.get("ms");
        if (ms != null) {
            reads.find("ManagedSystem", ms);
        }
        return reads.child(TYPE, p.get("vios"), ms);
    }

    private UomObject volumeGroup(Map<String, String> p) {
        return reads.child("VolumeGroup", p.get("vg"), vios(p).uuid());
    }

    private SimResponse update(HmcRequest req, Map<String, String> p) {
        UomObject vios = vios(p);
        Element body = bodies.read(req, Ns.UOM, TYPE);
        bodies.ifMatch(req, vios);
        Groups groups = Groups.of(req.query("group"));
        List<UomObject> touched = new ArrayList<>();
        touched.add(vios);
        touched.addAll(hmc.model.all("SharedStoragePool"));
        boolean[] changed = new boolean[1];
        hmc.model.atomically(touched, () -> changed[0] = hmc.mappings.update(vios, body, groups));
        if (changed[0]) {
            hmc.modified(vios, "VirtualSCSIMappings");
        }
        return reads.responses().entry(req, vios);
    }

    private SimResponse updateVolumeGroup(HmcRequest req, Map<String, String> p) {
        UomObject vios = vios(p);
        UomObject vg = volumeGroup(p);
        Element body = bodies.read(req, Ns.UOM, "VolumeGroup");
        bodies.ifMatch(req, vg);
        boolean[] changed = new boolean[1];
        hmc.model.atomically(List.of(vg, vios), () -> changed[0] = hmc.volumeGroups.update(vios, vg, body));
        if (changed[0]) {
            hmc.modified(vg, "Other");
        }
        return reads.responses().entry(req, vg);
    }
}
