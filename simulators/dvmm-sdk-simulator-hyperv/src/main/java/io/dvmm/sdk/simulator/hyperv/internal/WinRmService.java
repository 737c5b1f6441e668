package io.dvmm.sdk.simulator.hyperv.internal;

import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.FaultPlan;
import io.dvmm.sdk.simulator.RequestLog;
import io.dvmm.sdk.simulator.SimRequest;
import io.dvmm.sdk.simulator.SimResponse;
import io.dvmm.sdk.simulator.Violations;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The HTTP side of the WinRM listener on {@code POST /wsman}: authentication, the AllowUnencrypted policy, NTLM
 * message sealing, the WS-Management rules, request counts and the fault plan, in front of the {@link WsManEndpoint}.
 *
 * <p>Counts go to the message log under {@code wsman:<Action>} (every request whose action could be read),
 * {@code http:401} (refused for authentication) and {@code wsman:invalid} (not a readable request). Fault rules
 * match the same keys; a rule that fires with its request not applied answers before the request takes effect.
 *
 * <p>{@link #closeConnections()} ends the keep-alive of every connection open at the time: its next answer (other
 * than a 401, so that a handshake under way ends) says {@code Connection: close}, so the client's next request opens a
 * new connection, which NTLM authenticates afresh.
 */
public final class WinRmService implements Function<SimRequest, SimResponse> {

    static final String SOAP_CONTENT_TYPE = "application/soap+xml;charset=UTF-8";
    static final String KEY_UNAUTHORIZED = "http:401";
    static final String KEY_INVALID = "wsman:invalid";

    private final WinRmAuth auth;
    private final WsManRules rules;
    private final WsManEndpoint endpoint;
    private final WsManWriter writer;
    private final FaultPlan faults;
    private final RequestLog messages;
    private final Violations violations;
    private final boolean tls;
    private final boolean allowUnencrypted;
    /** The highest connection number seen. */
    private final AtomicInteger newestConnection = new AtomicInteger(-1);
    /** Connections numbered below this answer {@code Connection: close}. */
    private volatile int closeBelow;

    WinRmService(WinRmAuth auth, WsManRules rules, WsManEndpoint endpoint, WsManWriter writer, FaultPlan faults,
                 RequestLog messages, Violations violations, boolean tls, boolean allowUnencrypted) {
        this.auth = auth;
        this.rules = rules;
        this.endpoint = endpoint;
        this.writer = writer;
        this.faults = faults;
        this.messages = messages;
        this.violations = violations;
        this.tls = tls;
        this.allowUnencrypted = allowUnencrypted;
    }

    /** Every connection open now is closed after its next answer; later ones are kept alive as usual. */
    void closeConnections() {
        closeBelow = newestConnection.get() + 1;
    }

    @Override
    public SimResponse apply(SimRequest request) {
        newestConnection.accumulateAndGet(request.connection(), Math::max);
        SimResponse answer = answer(request);
        return request.connection() < closeBelow && answer.status() != 401 ? answer.withHeader("Connection", "close") : answer;
    }

    private SimResponse answer(SimRequest request) {
        if (!request.path().equalsIgnoreCase("/wsman")) {
            messages.record(request, "http:404");
            return server(SimResponse.of(404, "Not Found"));
        }
        if (!request.method().equals("POST")) {
            messages.record(request, "http:405");
            return server(SimResponse.of(405, "Method Not Allowed"));
        }
        boolean basicHeader = request.header("Authorization") != null
                && request.header("Authorization").regionMatches(true, 0, "Basic ", 0, 6);
        if (basicHeader && !tls && !allowUnencrypted) {
            violations.add("Basic authentication over HTTP while AllowUnencrypted is false");
            return unauthorized(request, null);
        }
        AuthOutcome outcome = auth.authenticate(request);
        if (outcome instanceof AuthOutcome.Refused refused) {
            return unauthorized(request, refused.challenge());
        }
        AuthOutcome.Granted granted = (AuthOutcome.Granted) outcome;
        String contentType = request.header("Content-Type");
        boolean encrypted = EncryptedMessage.isEncrypted(contentType);
        byte[] soap = request.body();
        if (encrypted) {
            if (granted.session() == null) {
                violations.add("an encrypted body on a connection without an NTLM session");
                return unauthorized(request, null);
            }
            try {
                soap = EncryptedMessage.open(soap, granted.session());
            } catch (EncryptedMessage.Unreadable e) {
                violations.add("an encrypted message that does not verify: " + e.getMessage());
                return unauthorized(request, null);
            }
        } else if (soap.length == 0) {
            // The NTLM handshake may end with an empty body (pywinrm sets up message encryption that way).
            messages.record(request, "http:empty");
            return server(SimResponse.of(200, "OK"));
        } else if (!tls && !allowUnencrypted) {
            violations.add("an unencrypted SOAP body over HTTP while AllowUnencrypted is false");
            return unauthorized(request, null);
        } else if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/soap+xml")) {
            violations.add("Content-Type " + contentType + " is not application/soap+xml");
            messages.record(request, KEY_INVALID);
            return server(SimResponse.of(415, "Unsupported Media Type"));
        }
        SimResponse answer = soapExchange(request.withBody(soap), soap, contentType, granted.user());
        return encrypted && answer.body().length > 0 && answer.delivery() == SimResponse.Delivery.COMPLETE
                ? answer.withBody(EncryptedMessage.wrap(answer.body(), granted.session())).withHeader("Content-Type",
                EncryptedMessage.CONTENT_TYPE)
                : answer;
    }

    private SimResponse soapExchange(SimRequest request, byte[] soap, String contentType, String user) {
        WsManRequest parsed = null;
        String key = KEY_INVALID;
        boolean recorded = false;
        try {
            parsed = WsManReader.read(soap);
            key = WsManAction.ofUri(parsed.action()).map(WsManAction::key).orElse(KEY_INVALID);
            WsManRules.Checked checked = rules.check(parsed, contentType, soap.length);
            messages.record(request, key);
            recorded = true;
            Fault fault = faults.match(request, key);
            if (!fault.isNone() && !fault.requestApplied()) {
                return fault.answer(notApplied(fault));
            }
            WsManEndpoint.Reply reply = endpoint.handle(request, parsed, checked, user, address(request));
            if (reply.soap() == null) {
                return reply.fault().answer(notApplied(reply.fault()));
            }
            Fault chosen = fault.isNone() ? reply.fault() : fault;
            return chosen.answer(soap(reply.status(), reply.soap()));
        } catch (WsManFault f) {
            if (!recorded) {
                messages.record(request, key);
            }
            return soap(500, writer.fault(parsed == null ? null : parsed.messageId(), f));
        }
    }

    /** The answer to a request a fault kept from taking effect: HTTP.sys's plain error page. */
    private static SimResponse notApplied(Fault fault) {
        int status = fault.kind() == Fault.Kind.STATUS ? fault.status() : 503;
        String reason = fault.kind() == Fault.Kind.STATUS ? fault.reason() : "Service Unavailable";
        return server(SimResponse.of(status, reason).withBody("text/html; charset=us-ascii",
                "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><HTML><HEAD><TITLE>" + reason
                        + "</TITLE></HEAD><BODY><h2>" + reason + "</h2><hr><p>HTTP Error " + status + ". The service is unavailable.</p>"
                        + "</BODY></HTML>"));
    }

    private SimResponse unauthorized(SimRequest request, String challenge) {
        messages.record(request, KEY_UNAUTHORIZED);
        return server(SimResponse.of(401, "Unauthorized")
                .withHeader("WWW-Authenticate", challenge != null ? challenge : auth.offered(request)));
    }

    private static SimResponse soap(int status, byte[] body) {
        SimResponse r = status == 200 ? SimResponse.ok(SOAP_CONTENT_TYPE, body)
                : SimResponse.of(status, status == 500 ? "Internal Server Error" : "Error").withHeader("Content-Type", SOAP_CONTENT_TYPE)
                .withBody(body);
        return server(r);
    }

    private static SimResponse server(SimResponse r) {
        return r.withHeader("Server", "Microsoft-HTTPAPI/2.0");
    }

    private String address(SimRequest request) {
        String host = request.header("Host");
        return (tls ? "https" : "http") + "://" + (host == null ? "127.0.0.1" : host) + "/wsman";
    }
}
