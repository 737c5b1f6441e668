package io.dvmm.sdk.simulator.proxmox.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The HTTP face of the simulator: {@code /api2/json} routing, authentication (API tokens,
 * tickets with CSRF), schema validation, fault injection and request counting. Semantics live
 * in {@link PveCluster}.
 */
public final class PveApi implements Function<MiniHttpServer.Request, MiniHttpServer.Response> {

    private static final String PREFIX = "/api2/json";
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
            "/nodes/{node}/tasks/{upid}/status",
            "/nodes/{node}/tasks/{upid}/log");
    public static final String TASK_STATUS = "/nodes/{node}/tasks/{upid}/status";

    /** A fault rule: the next {@code remaining} matching requests get {@code status} or a reset. */
    private static final class Fault {
        final String method;
        final String template;
        int remaining;
        final int status;
        final String message;

        Fault(String method, String template, int remaining, int status, String message) {
            this.method = method;
            this.template = template;
            this.remaining = remaining;
            this.status = status;
            this.message = message;
        }

        boolean matches(String m, String t) {
            return ("*".equals(method) || method.equalsIgnoreCase(m)) && ("*".equals(template) || template.equals(t));
        }
    }

    private record Ticket(String user, String csrf, long issuedMillis) {
    }

    private record Route(String template, Map<String, String> pathParams) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final PveCluster cluster;
    private final PveSchema schema;
    private final String tokenId;
    private final String tokenSecret;
    private final String username;
    private final String password;
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    private final List<String> expired = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final List<Fault> faults = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private volatile long ticketLifetimeMillis;
    private volatile long loginFailureDelayMillis;
    private volatile long latencyMillis;

    public PveApi(PveCluster cluster, PveSchema schema, String tokenId, String tokenSecret, String username,
                  String password, Duration ticketLifetime, Duration loginFailureDelay) {
        this.cluster = cluster;
        this.schema = schema;
        this.tokenId = tokenId;
        this.tokenSecret = tokenSecret;
        this.username = username;
        this.password = password;
        this.ticketLifetimeMillis = ticketLifetime.toMillis();
        this.loginFailureDelayMillis = loginFailureDelay.toMillis();
    }

    // ---- observation and faults -------------------------------------------------------------

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public long count(String method, String template) {
        LongAdder a = counts.get(method.toUpperCase(Locale.ROOT) + " " + template);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> counts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long total() {
        return total.sum();
    }

    public void resetCounters() {
        counts.clear();
        total.reset();
    }

    public void clearViolations() {
        violations.clear();
    }

    public void latency(Duration d) {
        latencyMillis = d.toMillis();
    }

    public void ticketLifetime(Duration d) {
        ticketLifetimeMillis = d.toMillis();
    }

    public void loginFailureDelay(Duration d) {
        loginFailureDelayMillis = d.toMillis();
    }

    /** Every ticket and CSRF token issued so far, for tests that prove they never leak. */
    public List<String> issuedSecrets() {
        List<String> out = new ArrayList<>();
        tickets.forEach((k, v) -> {
            out.add(k);
            out.add(v.csrf());
        });
        out.addAll(expired);
        return out;
    }

    public void expireTickets() {
        tickets.forEach((k, v) -> {
            expired.add(k);
            expired.add(v.csrf());
        });
        tickets.clear();
    }

    public synchronized void failNext(String method, String template, int count, int status, String message) {
        faults.add(new Fault(method, template, count, status, message));
    }

    public synchronized void resetNext(String method, String template, int count) {
        faults.add(new Fault(method, template, count, 0, null));
    }

    public synchronized void clearFaults() {
        faults.clear();
    }

    private synchronized Fault takeFault(String method, String template) {
        for (Fault f : faults) {
            if (f.remaining > 0 && f.matches(method, template)) {
                f.remaining--;
                return f;
            }
        }
        return null;
    }

    // ---- request handling ---------------------------------------------------------------------

    @Override
    public MiniHttpServer.Response apply(MiniHttpServer.Request request) {
        total.increment();
        String target = request.target();
        int q = target.indexOf('?');
        String rawPath = q >= 0 ? target.substring(0, q) : target;
        String query = q >= 0 ? target.substring(q + 1) : "";
        String method = request.method().toUpperCase(Locale.ROOT);
        if (!rawPath.startsWith(PREFIX + "/")) {
            return error(404, "Not Found", Map.of());
        }
        String path = rawPath.substring(PREFIX.length());
        Route route = route(path);
        if (route == null) {
            violations.add(method + " " + path + ": no such path in the PVE API simulator");
            return error(501, "Method '" + method + " " + path + "' not implemented", Map.of());
        }
        counts.computeIfAbsent(method + " " + route.template(), k -> new LongAdder()).increment();
        sleep(latencyMillis);
        try {
            String user = "POST".equals(method) && "/access/ticket".equals(route.template()) ? null : authenticate(request, method);
            Fault fault = takeFault(method, route.template());
            if (fault != null) {
                if (fault.status == 0) {
                    return MiniHttpServer.Response.connectionReset();
                }
                return error(fault.status, fault.message, Map.of());
            }
            Map<String, String> params = new LinkedHashMap<>(decodeForm(query));
            if (request.body().length > 0) {
                if ("GET".equals(method) || "DELETE".equals(method)) {
                    return error(501, "Unexpected content for method '" + method + "'", Map.of());
                }
                String ct = String.valueOf(request.header("content-type")).toLowerCase(Locale.ROOT);
                params.putAll(ct.startsWith("application/json") ? decodeJson(request.body())
                        : decodeForm(new String(request.body(), StandardCharsets.ISO_8859_1)));
            }
            if (schema != null) {
                Map<String, String> all = new LinkedHashMap<>(params);
                all.putAll(route.pathParams());
                PveSchema.Result r = schema.validate(method, route.template(), all);
                if (r.notImplemented() != null) {
                    violations.add(method + " " + route.template() + ": " + r.notImplemented());
                    return error(501, r.notImplemented(), Map.of());
                }
                if (!r.errors().isEmpty()) {
                    violations.add(method + " " + route.template() + ": " + r.errors());
                    return error(400, "Parameter verification failed.", r.errors());
                }
            }
            return dispatch(method, route, params, user);
        } catch (PveError e) {
            return error(e.status(), e.getMessage(), e.errors());
        } catch (NumberFormatException e) {
            return error(400, "Parameter verification failed.", Map.of("vmid", "type check ('integer') failed"));
        }
    }

    private MiniHttpServer.Response dispatch(String method, Route route, Map<String, String> p, String user) {
        Map<String, String> pp = route.pathParams();
        String node = pp.get("node");
        String vmid = pp.get("vmid");
        String key = method + " " + route.template();
        Object data = switch (key) {
            case "GET /version" -> Map.of("version", "9.1.1", "release", "9.1", "repoid", "42d1c6f6b6bf2b3c");
            case "POST /access/ticket" -> login(p);
            case "GET /access/ticket" -> null;
            case "GET /cluster/resources" -> cluster.clusterResources(p.get("type"));
            case "GET /cluster/nextid" -> cluster.nextId(p.get("vmid"));
            case "GET /cluster/ha/resources" -> cluster.haResources(p.get("type"));
            case "POST /cluster/ha/resources" -> {
                cluster.addHaResource(p);
                yield null;
            }
            case "GET /cluster/ha/resources/{sid}" -> cluster.haResource(pp.get("sid"));
            case "PUT /cluster/ha/resources/{sid}" -> {
                cluster.updateHaResource(pp.get("sid"), p);
                yield null;
            }
            case "DELETE /cluster/ha/resources/{sid}" -> {
                cluster.deleteHaResource(pp.get("sid"));
                yield null;
            }
            case "GET /nodes" -> cluster.nodeList();
            case "GET /storage" -> cluster.storageConfig();
            case "GET /pools" -> cluster.pools();
            case "GET /nodes/{node}/network" -> cluster.network(node, p.get("type"));
            case "GET /nodes/{node}/storage" -> cluster.storage(node);
            case "GET /nodes/{node}/qemu" -> cluster.qemuList(node);
            case "POST /nodes/{node}/qemu/{vmid}/clone" -> cluster.cloneVm(node, vmid, p, user);
            case "GET /nodes/{node}/qemu/{vmid}/config" -> cluster.config(node, vmid);
            case "POST /nodes/{node}/qemu/{vmid}/config" -> cluster.updateConfig(node, vmid, p, true, user);
            case "PUT /nodes/{node}/qemu/{vmid}/config" -> cluster.updateConfig(node, vmid, p, false, user);
            case "PUT /nodes/{node}/qemu/{vmid}/resize" -> cluster.resize(node, vmid, p, user);
            case "GET /nodes/{node}/qemu/{vmid}/status/current" -> cluster.statusCurrent(node, vmid);
            case "POST /nodes/{node}/qemu/{vmid}/status/start", "POST /nodes/{node}/qemu/{vmid}/status/stop",
                 "POST /nodes/{node}/qemu/{vmid}/status/shutdown", "POST /nodes/{node}/qemu/{vmid}/status/reboot",
                 "POST /nodes/{node}/qemu/{vmid}/status/suspend", "POST /nodes/{node}/qemu/{vmid}/status/resume" ->
                    cluster.power(node, vmid, route.template().substring(route.template().lastIndexOf('/') + 1), p, user);
            case "GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces" -> cluster.agentInterfaces(node, vmid);
            case "GET /nodes/{node}/qemu/{vmid}/snapshot" -> cluster.snapshots(node, vmid);
            case "POST /nodes/{node}/qemu/{vmid}/snapshot" -> cluster.snapshot(node, vmid, p, user);
            case "POST /nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback" ->
                    cluster.rollback(node, vmid, pp.get("snapname"), user);
            case "DELETE /nodes/{node}/qemu/{vmid}/snapshot/{snapname}" ->
                    cluster.deleteSnapshot(node, vmid, pp.get("snapname"), user);
            case "DELETE /nodes/{node}/qemu/{vmid}" -> cluster.destroy(node, vmid, p, user);
            case "GET /nodes/{node}/tasks/{upid}/status" -> cluster.taskStatus(node, pp.get("upid"));
            case "GET /nodes/{node}/tasks/{upid}/log" -> {
                int start = Integer.parseInt(p.getOrDefault("start", "0"));
                int limit = Integer.parseInt(p.getOrDefault("limit", "50"));
                List<Map<String, Object>> lines = cluster.taskLog(node, pp.get("upid"), start, limit);
                yield new Total(lines, cluster.taskLogTotal(node, pp.get("upid")));
            }
            case "DELETE /nodes/{node}/tasks/{upid}" -> {
                cluster.stopTask(node, pp.get("upid"));
                yield null;
            }
            default -> throw new PveError(501, "Method '" + method + " " + route.template() + "' not implemented");
        };
        Map<String, Object> body = new LinkedHashMap<>();
        if (data instanceof Total t) {
            body.put("data", t.data());
            body.put("total", t.total());
        } else {
            body.put("data", data);
        }
        return respond(200, "OK", body);
    }

    private record Total(Object data, int total) {
    }

    // ---- authentication ------------------------------------------------------------------------

    private Map<String, Object> login(Map<String, String> p) {
        String user = p.getOrDefault("username", "");
        if (p.containsKey("realm") && !user.contains("@")) {
            user = user + "@" + p.get("realm");
        }
        String secret = p.getOrDefault("password", "");
        boolean ok = username.equals(user) && password.equals(secret);
        if (!ok && secret.startsWith("PVE:")) {
            Ticket renewed = tickets.get(secret);
            ok = renewed != null && renewed.user().equals(user) && fresh(renewed);
        }
        if (!ok) {
            sleep(loginFailureDelayMillis);
            throw new PveError(401, "authentication failure");
        }
        long now = System.currentTimeMillis();
        byte[] sig = new byte[32];
        random.nextBytes(sig);
        String stamp = Long.toHexString(now / 1000).toUpperCase(Locale.ROOT);
        String ticket = "PVE:" + user + ":" + stamp + "::" + Base64.getEncoder().encodeToString(sig);
        byte[] csrfSig = new byte[16];
        random.nextBytes(csrfSig);
        String csrf = stamp + ":" + HexFormat.of().formatHex(csrfSig);
        tickets.put(ticket, new Ticket(user, csrf, now));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", user);
        m.put("ticket", ticket);
        m.put("CSRFPreventionToken", csrf);
        m.put("cap", Map.of("vms", Map.of("VM.Allocate", 1, "VM.PowerMgmt", 1)));
        return m;
    }

    private boolean fresh(Ticket t) {
        return System.currentTimeMillis() - t.issuedMillis() < ticketLifetimeMillis;
    }

    /** Returns the authenticated user (with {@code !tokenid} for tokens) or throws 401 after the failure delay. */
    private String authenticate(MiniHttpServer.Request request, String method) {
        String auth = request.header("authorization");
        if (auth != null && auth.startsWith("PVEAPIToken")) {
            String rest = auth.substring("PVEAPIToken".length());
            if (!rest.isEmpty() && (rest.charAt(0) == '=' || rest.charAt(0) == ' ')) {
                String value = percentDecode(rest.substring(1).trim(), false);
                int bang = value.indexOf('!');
                int eq = bang < 0 ? -1 : value.indexOf('=', bang);
                if (eq > 0 && value.substring(0, eq).equals(tokenId) && value.substring(eq + 1).equals(tokenSecret)) {
                    return tokenId;
                }
            }
            sleep(loginFailureDelayMillis);
            throw new PveError(401, "invalid token value!");
        }
        String cookie = request.header("cookie");
        String ticketValue = null;
        if (cookie != null) {
            for (String c : cookie.split(";")) {
                String t = c.trim();
                if (t.startsWith("PVEAuthCookie=")) {
                    ticketValue = percentDecode(t.substring("PVEAuthCookie=".length()), false);
                }
            }
        }
        if (ticketValue == null) {
            sleep(loginFailureDelayMillis);
            throw new PveError(401, "No ticket");
        }
        Ticket t = tickets.get(ticketValue);
        if (t == null || !fresh(t)) {
            sleep(loginFailureDelayMillis);
            throw new PveError(401, "permission denied - invalid PVE ticket");
        }
        if (!"GET".equals(method) && !t.csrf().equals(request.header("csrfpreventiontoken"))) {
            sleep(loginFailureDelayMillis);
            throw new PveError(401, "permission denied - invalid csrf token");
        }
        return t.user();
    }

    // ---- encoding -------------------------------------------------------------------------------

    private static Route route(String path) {
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
                    String v = percentDecode(segs[i], false);
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

    /** Form decoding as {@code decode_urlencoded} does it: pairs split on '&' and ';', '+' is a space. */
    static Map<String, String> decodeForm(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        for (String pair : s.split("[&;]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
            String v = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true);
            out.put(k, v);
        }
        return out;
    }

    private Map<String, String> decodeJson(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode n = json.readTree(body);
            n.properties().forEach(e -> {
                JsonNode v = e.getValue();
                out.put(e.getKey(), v.isBoolean() ? (v.asBoolean() ? "1" : "0") : v.asText());
            });
        } catch (java.io.IOException e) {
            throw new PveError(400, "malformed JSON body");
        }
        return out;
    }

    static String percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private MiniHttpServer.Response error(int status, String message, Map<String, String> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", null);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        if (status != 401) {
            body.put("message", message + "\n");
        }
        return respond(status, message, body);
    }

    private MiniHttpServer.Response respond(int status, String reason, Map<String, Object> body) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json;charset=UTF-8");
            headers.put("Cache-Control", "max-age=0");
            headers.put("Pragma", "no-cache");
            headers.put("Server", "pve-api-daemon/3.0");
            return new MiniHttpServer.Response(status, firstLine(reason), headers, bytes, false);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
