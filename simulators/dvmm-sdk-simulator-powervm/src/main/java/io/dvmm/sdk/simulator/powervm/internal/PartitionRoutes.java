package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * Logical partitions, under the HMC root and under their managed system: feeds, entries,
 * search, {@code quick}, create ({@code PUT} to the system's feed), update ({@code POST} with
 * {@code If-Match}), delete, and the partition profiles.
 */
final class PartitionRoutes {

    private static final String TYPE = "LogicalPartition";

    private final Hmc hmc;
    private final Reads reads;
    private final BodyReader bodies;
    private final SystemRoutes systems;

    PartitionRoutes(Hmc hmc, Reads reads, BodyReader bodies, SystemRoutes systems) {
        this.hmc = hmc;
        this.reads = reads;
        this.bodies = bodies;
        this.systems = systems;
    }

    void register(Router r) {
        String root = SystemRoutes.UOM + "/" + TYPE;
        String under = SystemRoutes.UOM + "/ManagedSystem/{ms}/" + TYPE;
        r.get(root, (q, p) -> reads.feed(q, TYPE, hmc.model.all(TYPE)));
        r.get(under, (q, p) -> reads.feed(q, TYPE, lpars(p)));
        r.put(under, this::create);
        for (String base : List.of(root, under)) {
            r.get(base + "/search/{query}", (q, p) -> reads.feed(q, TYPE, reads.search(lpars(p), p.get("query"))));
            r.get(base + "/quick/All", (q, p) -> systems.quick(q, QuickJson.array(lpars(p).stream()
                    .map(o -> QuickJson.partition(hmc, o)).toList())));
            r.get(base + "/{lpar}", (q, p) -> reads.entry(q, lpar(p)));
            r.post(base + "/{lpar}", this::update);
            r.delete(base + "/{lpar}", this::delete);
            r.get(base + "/{lpar}/quick", (q, p) -> systems.quick(q, QuickJson.object(QuickJson.partition(hmc, lpar(p)))));
            r.get(base + "/{lpar}/quick/{prop}", (q, p) -> systems.quickProperty(q, QuickJson.partition(hmc, lpar(p)),
                    p.get("prop")));
            r.get(base + "/{lpar}/LogicalPartitionProfile", (q, p) -> reads.feed(q, "LogicalPartitionProfile",
                    hmc.model.children("LogicalPartitionProfile", lpar(p).uuid())));
            r.get(base + "/{lpar}/LogicalPartitionProfile/{profile}", (q, p) -> reads.entry(q,
                    reads.child("LogicalPartitionProfile", p.get("profile"), lpar(p).uuid())));
        }
    }

    private List<UomObject> lpars(Map<String, String> p) {
        String ms = p.get("ms");
        return ms == null ? hmc.model.all(TYPE) : hmc.model.children(TYPE, reads.find("ManagedSystem", ms).uuid());
    }

    private UomObject lpar(Map<String, String> p) {
        String ms = p.get("ms");
        if (ms != null) {
            reads.find("ManagedSystem", ms);
        }
        return reads.child(TYPE, p.get("lpar"), ms);
    }

    private SimResponse create(HmcRequest req, Map<String, String> p) {
        UomObject system = reads.find("ManagedSystem", p.get("ms"));
        Element body = bodies.read(req, Ns.UOM, TYPE);
        UomObject lpar = hmc.partitions.create(system, body);
        String self = req.path() + "/" + lpar.uuid();
        return reads.responses().atom(200, hmc.atom.entry(lpar, self, Groups.ALL)).withHeader("ETag", lpar.etag());
    }

    private SimResponse update(HmcRequest req, Map<String, String> p) {
        UomObject lpar = lpar(p);
        Element body = bodies.read(req, Ns.UOM, TYPE);
        bodies.ifMatch(req, lpar);
        hmc.model.atomically(List.of(lpar), () -> hmc.partitions.update(lpar, body));
        return reads.responses().entry(req, lpar);
    }

    private SimResponse delete(HmcRequest req, Map<String, String> p) {
        UomObject lpar = lpar(p);
        String ifMatch = req.header("If-Match");
        if (ifMatch != null && !ifMatch.equals(lpar.etag())) {
            throw new HmcError(412, "Precondition Failed", "The ETag " + ifMatch + " does not match the current ETag.");
        }
        hmc.partitions.delete(lpar);
        return reads.responses().status(204);
    }
}
