package io.dvmm.sdk.simulator.powervm.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer: status, headers, body. */
public final class HmcResponse {

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;

    public HmcResponse(int status, byte[] body) {
        this.status = status;
        this.body = body == null ? new byte[0] : body;
    }

    public static HmcResponse noContent() {
        return new HmcResponse(204, null);
    }

    public static HmcResponse atom(int status, String xml) {
        return new HmcResponse(status, xml.getBytes(StandardCharsets.UTF_8)).header("Content-Type", Ns.ATOM_XML);
    }

    public static HmcResponse xml(int status, String contentType, String xml) {
        return new HmcResponse(status, xml.getBytes(StandardCharsets.UTF_8)).header("Content-Type", contentType);
    }

    public static HmcResponse json(String json) {
        return new HmcResponse(200, json.getBytes(StandardCharsets.UTF_8)).header("Content-Type", "application/json");
    }

    public HmcResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
