package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * Shared storage pools (read, and the LU-creating {@code POST}), clusters, tiers and the
 * tier's logical units, served as entries of their own as the NovaLink captures show them.
 */
final class StorageRoutes {

    private final Hmc hmc;
    private final Reads reads;
    private final BodyReader bodies;

    StorageRoutes(Hmc hmc, Reads reads, BodyReader bodies) {
        this.hmc = hmc;
        this.reads = reads;
        this.bodies = bodies;
    }

    void register(Router r) {
        String uom = SystemRoutes.UOM;
        r.get(uom + "/SharedStoragePool", (q, p) -> reads.feed(q, "SharedStoragePool", hmc.model.all("SharedStoragePool")));
        r.get(uom + "/SharedStoragePool/{ssp}", (q, p) -> reads.entry(q, reads.find("SharedStoragePool", p.get("ssp"))));
        r.post(uom + "/SharedStoragePool/{ssp}", this::updatePool);
        r.get(uom + "/Cluster", (q, p) -> reads.feed(q, "Cluster", hmc.model.all("Cluster")));
        r.get(uom + "/Cluster/{cluster}", (q, p) -> reads.entry(q, reads.find("Cluster", p.get("cluster"))));
        r.get(uom + "/Tier", (q, p) -> reads.feed(q, "Tier", hmc.model.all("Tier")));
        r.get(uom + "/Tier/{tier}", (q, p) -> reads.entry(q, reads.find("Tier", p.get("tier"))));
        r.get(uom + "/Tier/{tier}/LogicalUnit", (q, p) -> reads.feed(q, "LogicalUnit", units(p.get("tier"))));
        r.get(uom + "/Tier/{tier}/LogicalUnit/{lu}", (q, p) -> reads.entry(q, units(p.get("tier")).stream()
                .filter(o -> o.uuid().equalsIgnoreCase(p.get("lu"))).findFirst()
                .orElseThrow(() -> HmcError.notFound("LogicalUnit " + p.get("lu")))));
    }

    private SimResponse updatePool(HmcRequest req, Map<String, String> p) {
        UomObject ssp = reads.find("SharedStoragePool", p.get("ssp"));
        Element body = bodies.read(req, Ns.UOM, "SharedStoragePool");
        bodies.ifMatch(req, ssp);
        boolean[] changed = new boolean[1];
        hmc.model.atomically(List.of(ssp), () -> changed[0] = hmc.storagePools.update(ssp, body));
        if (changed[0]) {
            hmc.modified(ssp, "LogicalUnit");
        }
        return reads.responses().entry(req, ssp);
    }

    /** The LUs of the tier's pool, each as an entry of its own. */
    private List<UomObject> units(String tierUuid) {
        UomObject tier = reads.find("Tier", tierUuid);
        String pool = Xml.child(tier.content(), "AssociatedSharedStoragePool")
                .map(e -> HmcModel.uuidOf(e.getAttribute("href"))).orElse("");
        List<UomObject> out = new ArrayList<>();
        hmc.model.get("SharedStoragePool", pool).ifPresent(ssp -> {
            for (Element lu : hmc.storagePools.units(ssp)) {
                String uuid = hmc.storagePools.luUuid(Xml.text(lu, "UniqueDeviceID"));
                Element root = hmc.factory.root("LogicalUnit", Ns.UOM, lu.getAttribute("schemaVersion"));
                for (Element c : Xml.children(lu)) {
                    if (!Xml.name(c).equals("Metadata")) {
                        root.appendChild(root.getOwnerDocument().importNode(c, true));
                    }
                }
                hmc.factory.atomId(root, uuid);
                out.add(new UomObject("LogicalUnit", uuid, root, tier.uuid(), Xml.write(lu).hashCode()));
            }
        });
        return out;
    }
}
