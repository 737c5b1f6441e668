package io.dvmm.sdk.simulator.proxmox.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code /api2/json} path templates the simulator serves, and matching a path to one. */
final class PveRoutes {

    /** A matched path: its template and the decoded values of its {@code {placeholders}}. */
    record Route(String template, Map<String, String> pathParams) {
    }

    static final String PREFIX = "/api2/json";
    static final String TASK_STATUS = "/nodes/{node}/tasks/{upid}/status";

    private static final List<String> TEMPLATES = List.of(
            "/version",
            "/access/ticket",
            "/cluster/resources",
            "/cluster/nextid",
            "/cluster/ha/resources",
            "/cluster/ha/resources/{sid}",
            "/nodes",
            "/storage",
            "/pools",
            "/nodes/{node}/network",
            "/nodes/{node}/storage",
            "/nodes/{node}/qemu",
            "/nodes/{node}/qemu/{vmid}",
            "/nodes/{node}/qemu/{vmid}/clone",
            "/nodes/{node}/qemu/{vmid}/config",
            "/nodes/{node}/qemu/{vmid}/resize",
            "/nodes/{node}/qemu/{vmid}/status/current",
            "/nodes/{node}/qemu/{vmid}/status/start",
            "/nodes/{node}/qemu/{vmid}/status/stop",
            "/nodes/{node}/qemu/{vmid}/status/shutdown",
            "/nodes/{node}/qemu/{vmid}/status/reboot",
            "/nodes/{node}/qemu/{vmid}/status/suspend",
            "/nodes/{node}/qemu/{vmid}/status/resume",
            "/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces",
            "/nodes/{node}/qemu/{vmid}/snapshot",
            "/nodes/{node}/qemu/{vmid}/snapshot/{snapname}",
            "/nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback",
            "/nodes/{node}/tasks/{upid}",
            TASK_STATUS,
            "/nodes/{node}/tasks/{upid}/log");

    private PveRoutes() {
    }

    /** The route of a path below {@code /api2/json} (still encoded), or null. */
    static Route route(String path) {
        String[] segs = path.split("/", -1);
        for (String template : TEMPLATES) {
            String[] tsegs = template.split("/", -1);
            if (tsegs.length != segs.length) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            boolean ok = true;
            for (int i = 0; i < segs.length && ok; i++) {
                String ts = tsegs[i];
                if (ts.startsWith("{")) {
                    String v = PveForms.percentDecode(segs[i], false);
                    ok = !v.isEmpty();
                    params.put(ts.substring(1, ts.length() - 1), v);
                } else {
                    ok = ts.equals(segs[i]);
                }
            }
            if (ok) {
                return new Route(template, params);
            }
        }
        return null;
    }
}
