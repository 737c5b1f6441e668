package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.util.List;
import java.util.Map;

/**
 * Reads of the management console, the managed systems (feed, entry, search, {@code quick})
 * and what hangs off a system: shared processor pools, virtual switches, virtual networks
 * (VLANs) and network bridges.
 */
final class SystemRoutes {

    static final String UOM = "/rest/api/uom";
    private static final String MS = UOM + "/ManagedSystem";

    private final Hmc hmc;
    private final Reads reads;

    SystemRoutes(Hmc hmc, Reads reads) {
        this.hmc = hmc;
        this.reads = reads;
    }

    void register(Router r) {
        r.get(UOM + "/ManagementConsole", (q, p) -> reads.feed(q, "ManagementConsole", hmc.model.all("ManagementConsole")));
        r.get(UOM + "/ManagementConsole/{mc}", (q, p) -> reads.entry(q, reads.find("ManagementConsole", p.get("mc"))));
        r.get(MS, (q, p) -> reads.feed(q, "ManagedSystem", hmc.model.all("ManagedSystem")));
        r.get(MS + "/search/{query}", (q, p) -> reads.feed(q, "ManagedSystem",
                reads.search(hmc.model.all("ManagedSystem"), p.get("query"))));
        r.get(MS + "/quick/All", (q, p) -> quick(q, QuickJson.array(hmc.model.all("ManagedSystem").stream()
                .map(o -> QuickJson.system(hmc, o)).toList())));
        r.get(MS + "/{ms}", (q, p) -> reads.entry(q, reads.find("ManagedSystem", p.get("ms"))));
        r.get(MS + "/{ms}/quick", (q, p) -> quick(q, QuickJson.object(QuickJson.system(hmc,
                reads.find("ManagedSystem", p.get("ms"))))));
        r.get(MS + "/{ms}/quick/{prop}", (q, p) -> quickProperty(q, QuickJson.system(hmc,
                reads.find("ManagedSystem", p.get("ms"))), p.get("prop")));
        for (String type : List.of("SharedProcessorPool", "VirtualSwitch", "VirtualNetwork", "NetworkBridge")) {
            r.get(MS + "/{ms}/" + type, (q, p) -> reads.feed(q, type,
                    hmc.model.children(type, reads.find("ManagedSystem", p.get("ms")).uuid())));
            r.get(MS + "/{ms}/" + type + "/{id}", (q, p) -> reads.entry(q, reads.child(type, p.get("id"), p.get("ms"))));
        }
    }

    /** {@code quick} answers JSON and refuses a typed XML {@code Accept} with 406. */
    SimResponse quick(HmcRequest req, String json) {
        String accept = req.header("Accept");
        if (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("xml")) {
            hmc.violations.add("media type: GET " + req.path() + " sent Accept '" + accept + "'; quick URIs answer "
                    + "JSON and need Accept: */*");
            throw new HmcError(406, "Not Acceptable", "The quick properties are only available as JSON; send Accept: */*.");
        }
        return reads.responses().json(json);
    }

    SimResponse quickProperty(HmcRequest req, Map<String, Object> properties, String name) {
        if (!properties.containsKey(name)) {
            throw HmcError.notFound("quick property " + name);
        }
        return quick(req, QuickJson.value(properties.get(name)));
    }
}
