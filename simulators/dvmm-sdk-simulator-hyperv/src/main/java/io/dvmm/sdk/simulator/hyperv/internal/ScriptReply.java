package io.dvmm.sdk.simulator.hyperv.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The result object a script prints with {@code Out-R}: {@code {ok:true,data}} or {@code {ok:false,msg,type,id}}. */
record ScriptReply(ObjectNode json) {

    static final String MARKER = "@@HVSDK@@";
    private static final ObjectMapper JSON = new ObjectMapper();

    static ScriptReply ok(JsonNode data) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("ok", true);
        o.set("data", data == null ? JsonNodeFactory.instance.nullNode() : data);
        return new ScriptReply(o);
    }

    static ScriptReply failed(ScriptError e) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("ok", false);
        o.put("msg", e.getMessage());
        o.put("type", e.type());
        o.put("id", e.id());
        return new ScriptReply(o);
    }

    boolean ok() {
        return json.path("ok").asBoolean();
    }

    /** The framed stdout line, {@code @@HVSDK@@<base64 of compact UTF-8 JSON>} and CRLF. */
    byte[] line() {
        try {
            String b64 = Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(json));
            return (MARKER + b64 + "\r\n").getBytes(StandardCharsets.US_ASCII);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
