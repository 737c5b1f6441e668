package io.dvmm.sdk.simulator.proxmox.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvmm.sdk.simulator.SimResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers as pveproxy writes them: {@code {"data": ...}} envelopes, and errors with the message in
 * the reason phrase, a {@code {"data":null}} body, the {@code errors} map of a 400 and, as since
 * libpve-http-server-perl 5.2.0, {@code "message"} (not on 401).
 */
final class PveReplies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PveReplies() {
    }

    static SimResponse data(Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        return respond(200, "OK", body);
    }

    /** {@code {"data": [...], "total": n}}, as task logs answer. */
    static SimResponse dataWithTotal(Object data, int total) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        body.put("total", total);
        return respond(200, "OK", body);
    }

    static SimResponse error(int status, String message, Map<String, String> errors) {
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

    static SimResponse error(PveError e) {
        return error(e.status(), e.getMessage(), e.errors());
    }

    private static SimResponse respond(int status, String reason, Map<String, Object> body) {
        try {
            return SimResponse.of(status, reason)
                    .withHeader("Content-Type", "application/json;charset=UTF-8")
                    .withHeader("Cache-Control", "max-age=0")
                    .withHeader("Pragma", "no-cache")
                    .withHeader("Server", "pve-api-daemon/3.0")
                    .withBody(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
