package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.SimRequest;
import io.dvmm.sdk.simulator.SimResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The simulator's entry point for every request: route it, log and count it under its
 * operation key, apply the fault plan, check the API session, inject VIOS-busy answers, and run
 * the handler under the model lock. Handler errors become {@code HttpErrorResponse} entries.
 */
public final class HmcDispatcher implements Function<SimRequest, SimResponse> {

    private static final Pattern PASSWORD = Pattern.compile("(<(?:\\w+:)?Password[^>]*>)[^<]*(</)");

    private final Hmc hmc;
    private final Router router;
    private final Responses responses;

    public HmcDispatcher(Hmc hmc, Router router, Responses responses) {
        this.hmc = hmc;
        this.router = router;
        this.responses = responses;
    }

    @Override
    public SimResponse apply(SimRequest sim) {
        Map<String, String> headers = new LinkedHashMap<>();
        sim.headers().forEach((k, v) -> headers.put(k, v.isEmpty() ? "" : v.get(0)));
        HmcRequest req = HmcRequest.of(sim.method(), sim.target(), headers, sim.body());
        Router.Match match = router.find(req.method(), req.path());
        String key = match == null ? null : match.route().key(match.params());
        hmc.log.record(redacted(sim), key);
        Fault fault = hmc.faults.match(sim, key);
        SimResponse answer;
        if (!fault.requestApplied()) {
            answer = responses.error(req, new HmcError(fault.kind() == Fault.Kind.STATUS ? fault.status() : 500,
                    fault.kind() == Fault.Kind.STATUS ? fault.reason() : "Internal Server Error",
                    "The request was not processed."));
        } else {
            answer = handle(req, match, key);
        }
        return fault.answer(answer);
    }

    private SimResponse handle(HmcRequest req, Router.Match match, String key) {
        try {
            if (match == null) {
                throw router.knowsPath(req.path())
                        ? new HmcError(405, "Method Not Allowed", "The method " + req.method() + " is not supported for "
                        + req.path() + ".")
                        : HmcError.notFound(req.path());
            }
            Route route = match.route();
            if (route.needsSession()) {
                authorize(req);
            }
            BusyFaults.Style busy = hmc.busy.take(key);
            if (busy != null) {
                throw new HmcError(busy.status(), Responses.reason(busy.status()), busy.message());
            }
            if (!route.locked()) {
                return route.handle(req, match.params());
            }
            synchronized (hmc.model.lock()) {
                return route.handle(req, match.params());
            }
        } catch (HmcError e) {
            return responses.error(req, e);
        }
    }

    private void authorize(HmcRequest req) {
        String token = req.header("X-API-Session");
        if (token == null || token.isEmpty()) {
            hmc.violations.add("session: " + req.method() + " " + req.path() + " without an X-API-Session header");
            throw new HmcError(401, "Unauthorized", "The request requires an API session: log on with PUT "
                    + "/rest/api/web/Logon and send the X-API-Session header.");
        }
        if (hmc.sessions.lookup(token).isEmpty()) {
            throw new HmcError(401, "Unauthorized", "The API session is not valid or has expired; log on again.");
        }
        req.sessionToken(token);
    }

    /** The logon password never reaches the request log. */
    private static SimRequest redacted(SimRequest sim) {
        if (!sim.path().endsWith("/web/Logon") || sim.bodySize() == 0) {
            return sim;
        }
        String body = sim.bodyText();
        return sim.withBody(PASSWORD.matcher(body).replaceAll("$1***$2").getBytes(StandardCharsets.UTF_8));
    }
}
