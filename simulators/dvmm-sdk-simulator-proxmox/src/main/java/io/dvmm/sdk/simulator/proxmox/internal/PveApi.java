package io.dvmm.sdk.simulator.proxmox.internal;

import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.FaultPlan;
import io.dvmm.sdk.simulator.RequestLog;
import io.dvmm.sdk.simulator.SimRequest;
import io.dvmm.sdk.simulator.SimResponse;
import io.dvmm.sdk.simulator.Violations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The HTTP face of the simulator, one request at a time: log it, route it below
 * {@code /api2/json}, authenticate ({@link PveAuth}), consult the {@link FaultPlan}, decode the
 * parameters, check them against the official schema ({@link PveSchema}; breaches go to
 * {@link Violations} and are answered 400 or 501 like the real API), then run the endpoint in the
 * {@link PveCluster}'s rooms under its monitor.
 *
 * <p>The operation key of a request, for faults and counts, is {@code "METHOD /template"}, e.g.
 * {@code "POST /nodes/{node}/qemu/{vmid}/clone"}.
 */
public final class PveApi implements Function<SimRequest, SimResponse> {

    public static final String TASK_STATUS = PveRoutes.TASK_STATUS;

    private final PveCluster cluster;
    private final PveSchema schema;
    private final PveAuth auth;
    private final FaultPlan faults;
    private final RequestLog requests;
    private final Violations violations;
    private volatile Duration latency = Duration.ZERO;

    public PveApi(PveCluster cluster, PveSchema schema, FaultPlan faults, RequestLog requests, Violations violations,
                  String tokenId, String tokenSecret, String username, String password, Duration ticketLifetime,
                  Duration loginFailureDelay) {
        this.cluster = cluster;
        this.schema = schema;
        this.faults = faults;
        this.requests = requests;
        this.violations = violations;
        this.auth = new PveAuth(tokenId, tokenSecret, username, password, ticketLifetime, loginFailureDelay);
    }

    /** The operation key of a method and path template. */
    public static String operation(String method, String template) {
        return method.toUpperCase(Locale.ROOT) + " " + template;
    }

    public void latency(Duration d) {
        latency = d;
    }

    public void ticketLifetime(Duration d) {
        auth.ticketLifetime(d);
    }

    public List<String> issuedSecrets() {
        return auth.issuedSecrets();
    }

    public void expireTickets() {
        auth.expireTickets();
    }

    public void changePassword(String newPassword) {
        auth.changePassword(newPassword);
    }

    public void changeTokenSecret(String newSecret) {
        auth.changeTokenSecret(newSecret);
    }

    @Override
    public SimResponse apply(SimRequest request) {
        SimResponse answer = answer(request);
        return latency.isZero() ? answer : answer.withDelay(answer.delay().plus(latency));
    }

    private SimResponse answer(SimRequest request) {
        String method = request.method();
        String rawPath = request.path();
        PveRoutes.Route route = rawPath.startsWith(PveRoutes.PREFIX + "/")
                ? PveRoutes.route(rawPath.substring(PveRoutes.PREFIX.length())) : null;
        String operation = route == null ? null : operation(method, route.template());
        requests.record(loggable(request, route), operation);
        if (!rawPath.startsWith(PveRoutes.PREFIX + "/")) {
            return PveReplies.error(404, "Not Found", Map.of());
        }
        if (route == null) {
            String path = rawPath.substring(PveRoutes.PREFIX.length());
            violations.add(method + " " + path + ": no such path in the PVE API simulator");
            return PveReplies.error(501, "Method '" + method + " " + path + "' not implemented", Map.of());
        }
        try {
            boolean login = "POST".equals(method) && "/access/ticket".equals(route.template());
            String user = login ? null : auth.authenticate(request);
            Fault fault = faults.match(request, operation);
            if (!fault.requestApplied()) {
                return fault.answer(fault.kind() == Fault.Kind.STATUS
                        ? PveReplies.error(fault.status(), fault.reason(), Map.of())
                        : PveReplies.error(500, "request not applied", Map.of()));
            }
            SimResponse normal = handle(request, method, route, user);
            return fault.answer(fault.kind() == Fault.Kind.STATUS
                    ? PveReplies.error(fault.status(), fault.reason(), Map.of()) : normal);
        } catch (PveError e) {
            return PveReplies.error(e);
        }
    }

    /** Parameters, schema check, endpoint; the request takes effect here. */
    private SimResponse handle(SimRequest request, String method, PveRoutes.Route route, String user) {
        try {
            Map<String, String> params = new LinkedHashMap<>(PveForms.decodeForm(request.query()));
            if (request.bodySize() > 0) {
                if ("GET".equals(method) || "DELETE".equals(method)) {
                    return PveReplies.error(501, "Unexpected content for method '" + method + "'", Map.of());
                }
                String ct = String.valueOf(request.header("content-type")).toLowerCase(Locale.ROOT);
                params.putAll(ct.startsWith("application/json") ? PveForms.decodeJson(request.body())
                        : PveForms.decodeForm(new String(request.body(), StandardCharsets.ISO_8859_1)));
            }
            if (schema != null) {
                Map<String, String> all = new LinkedHashMap<>(params);
                all.putAll(route.pathParams());
                PveSchema.Result r = schema.validate(method, route.template(), all);
                if (r.notImplemented() != null) {
                    violations.add(method + " " + route.template() + ": " + r.notImplemented());
                    return PveReplies.error(501, r.notImplemented(), Map.of());
                }
                if (!r.errors().isEmpty()) {
                    violations.add(method + " " + route.template() + ": " + r.errors());
                    return PveReplies.error(400, "Parameter verification failed.", r.errors());
                }
            }
            if ("POST /access/ticket".equals(operation(method, route.template()))) {
                return PveReplies.data(auth.login(params));
            }
            synchronized (cluster) {
                return dispatch(method, route, params, user);
            }
        } catch (PveError e) {
            return PveReplies.error(e);
        } catch (NumberFormatException e) {
            return PveReplies.error(400, "Parameter verification failed.", Map.of("vmid", "type check ('integer') failed"));
        }
    }

    private SimResponse dispatch(String method, PveRoutes.Route route, Map<String, String> p, String user) {
        Map<String, String> pp = route.pathParams();
        String node = pp.get("node");
        String vmid = pp.get("vmid");
        cluster.checkVisible(user, vmid);
        Object data = switch (operation(method, route.template())) {
            case "GET /version" -> Map.of("version", "9.1.1", "release", "9.1", "repoid", "42d1c6f6b6bf2b3c");
            case "GET /access/ticket" -> null;
            case "GET /cluster/resources" -> cluster.inventory.clusterResources(p.get("type"), user);
            case "GET /cluster/nextid" -> cluster.inventory.nextId(p.get("vmid"));
            case "GET /cluster/ha/resources" -> cluster.ha.list(p.get("type"));
            case "POST /cluster/ha/resources" -> {
                cluster.ha.add(p);
                yield null;
            }
            case "GET /cluster/ha/resources/{sid}" -> cluster.ha.read(pp.get("sid"));
            case "PUT /cluster/ha/resources/{sid}" -> {
                cluster.ha.update(pp.get("sid"), p);
                yield null;
            }
            case "DELETE /cluster/ha/resources/{sid}" -> {
                cluster.ha.remove(pp.get("sid"));
                yield null;
            }
            case "GET /nodes" -> cluster.inventory.nodeList();
            case "GET /storage" -> cluster.inventory.storageConfig();
            case "GET /pools" -> cluster.inventory.pools();
            case "GET /nodes/{node}/network" -> cluster.inventory.network(node, p.get("type"));
            case "GET /nodes/{node}/storage" -> cluster.inventory.storage(node);
            case "GET /nodes/{node}/qemu" -> cluster.inventory.qemuList(node);
            case "POST /nodes/{node}/qemu/{vmid}/clone" -> cluster.guests.cloneVm(node, vmid, p, user);
            case "GET /nodes/{node}/qemu/{vmid}/config" -> cluster.guests.config(node, vmid);
            case "POST /nodes/{node}/qemu/{vmid}/config" -> cluster.guests.updateConfig(node, vmid, p, true, user);
            case "PUT /nodes/{node}/qemu/{vmid}/config" -> cluster.guests.updateConfig(node, vmid, p, false, user);
            case "PUT /nodes/{node}/qemu/{vmid}/resize" -> cluster.guests.resize(node, vmid, p, user);
            case "GET /nodes/{node}/qemu/{vmid}/status/current" -> cluster.guests.statusCurrent(node, vmid);
            case "POST /nodes/{node}/qemu/{vmid}/status/start", "POST /nodes/{node}/qemu/{vmid}/status/stop",
                 "POST /nodes/{node}/qemu/{vmid}/status/shutdown", "POST /nodes/{node}/qemu/{vmid}/status/reboot",
                 "POST /nodes/{node}/qemu/{vmid}/status/suspend", "POST /nodes/{node}/qemu/{vmid}/status/resume" ->
                    cluster.guests.power(node, vmid, route.template().substring(route.template().lastIndexOf('/') + 1), p, user);
            case "GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces" -> cluster.agent.networkInterfaces(node, vmid);
            case "GET /nodes/{node}/qemu/{vmid}/snapshot" -> cluster.snapshots.list(node, vmid);
            case "POST /nodes/{node}/qemu/{vmid}/snapshot" -> cluster.snapshots.take(node, vmid, p, user);
            case "POST /nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback" ->
                    cluster.snapshots.rollback(node, vmid, pp.get("snapname"), user);
            case "DELETE /nodes/{node}/qemu/{vmid}/snapshot/{snapname}" ->
                    cluster.snapshots.delete(node, vmid, pp.get("snapname"), user);
            case "DELETE /nodes/{node}/qemu/{vmid}" -> cluster.guests.destroy(node, vmid, p, user);
            case "GET /nodes/{node}/tasks/{upid}/status" -> cluster.tasks.status(node, pp.get("upid"));
            case "GET /nodes/{node}/tasks/{upid}/log" -> {
                int start = Integer.parseInt(p.getOrDefault("start", "0"));
                int limit = Integer.parseInt(p.getOrDefault("limit", "50"));
                List<Map<String, Object>> lines = cluster.tasks.log(node, pp.get("upid"), start, limit);
                yield PveReplies.dataWithTotal(lines, cluster.tasks.logTotal(node, pp.get("upid")));
            }
            case "DELETE /nodes/{node}/tasks/{upid}" -> {
                cluster.tasks.stop(node, pp.get("upid"));
                yield null;
            }
            default -> throw new PveError(501, "Method '" + method + " " + route.template() + "' not implemented");
        };
        return data instanceof SimResponse withTotal ? withTotal : PveReplies.data(data);
    }

    public void addToken(String id, String secret) {
        auth.addToken(id, secret);
    }

    /** The login's password never reaches the request log. */
    private static SimRequest loggable(SimRequest request, PveRoutes.Route route) {
        if (route == null || !"/access/ticket".equals(route.template()) || request.bodySize() == 0) {
            return request;
        }
        return request.withBody(request.bodyText().replaceAll("(^|[&;])password=[^&;]*", "$1password=" + RequestLog.REDACTED)
                .getBytes(StandardCharsets.UTF_8));
    }
}
