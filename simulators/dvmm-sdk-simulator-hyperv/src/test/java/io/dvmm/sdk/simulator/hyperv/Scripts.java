package io.dvmm.sdk.simulator.hyperv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds what the provider sends (script with its argument inline, the command line) and reads its result line. */
final class Scripts {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PREFIX = "powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ";

    private Scripts() {
    }

    static String b64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String commandLine(String scriptText) {
        return PREFIX + Base64.getEncoder().encodeToString(scriptText.getBytes(StandardCharsets.UTF_16LE));
    }

    static String commandLine(ScriptCatalog catalog, String op, Object args) {
        try {
            return commandLine(catalog.withArgument(op, b64(JSON.writeValueAsString(args))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decoded JSON of the one {@code @@HVSDK@@} line. */
    static JsonNode result(String stdout) {
        for (String line : stdout.split("\r\n")) {
            if (line.startsWith("@@HVSDK@@")) {
                try {
                    return JSON.readTree(Base64.getDecoder().decode(line.substring(9)));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new AssertionError("no @@HVSDK@@ line in " + stdout);
    }
}
