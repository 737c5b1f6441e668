package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/** The client network adapters of an LPAR: feed, entry, create ({@code PUT}), update, delete. */
final class NetworkRoutes {

    private static final String TYPE = "ClientNetworkAdapter";

    private final Hmc hmc;
    private final Reads reads;
    private final BodyReader bodies;

    NetworkRoutes(Hmc hmc, Reads reads, BodyReader bodies) {
        this.hmc = hmc;
        this.reads = reads;
        this.bodies = bodies;
    }

    void register(Router r) {
        for (String base : List.of(SystemRoutes.UOM + "/LogicalPartition/{lpar}/" + TYPE,
                SystemRoutes.UOM + "/ManagedSystem/{ms}/LogicalPartition/{lpar}/" + TYPE)) {
            r.get(base, (q, p) -> reads.feed(q, TYPE, hmc.model.children(TYPE, lpar(p).uuid())));
            r.put(base, this::create);
            r.get(base + "/{cna}", (q, p) -> reads.entry(q, cna(p)));
            r.post(base + "/{cna}", this::update);
            r.delete(base + "/{cna}", (q, p) -> {
                hmc.adapters.delete(cna(p));
                return reads.responses().status(204);
            });
        }
    }

    private UomObject lpar(Map<String, String> p) {
        return reads.child("LogicalPartition", p.get("lpar"), p.get("ms"));
    }

    private UomObject cna(Map<String, String> p) {
        return reads.child(TYPE, p.get("cna"), lpar(p).uuid());
    }

    private SimResponse create(HmcRequest req, Map<String, String> p) {
        UomObject lpar = lpar(p);
        Element body = bodies.read(req, Ns.UOM, TYPE);
        UomObject cna = hmc.adapters.create(lpar, body);
        return reads.responses().atom(200, hmc.atom.entry(cna, req.path() + "/" + cna.uuid(), Groups.ALL))
                .withHeader("ETag", cna.etag());
    }

    private SimResponse update(HmcRequest req, Map<String, String> p) {
        UomObject cna = cna(p);
        Element body = bodies.read(req, Ns.UOM, TYPE);
        bodies.ifMatch(req, cna);
        hmc.adapters.update(cna, body);
        return reads.responses().entry(req, cna);
    }
}
