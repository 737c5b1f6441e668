package io.dvmm.sdk.simulator.proxmox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Request parameters as pve-http-server decodes them: form bodies, query strings, JSON bodies, percent escapes. */
final class PveForms {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PveForms() {
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

    /** A JSON object body, booleans as 0/1 and every other value as its text. */
    static Map<String, String> decodeJson(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode n = JSON.readTree(body);
            n.properties().forEach(e -> {
                JsonNode v = e.getValue();
                out.put(e.getKey(), v.isBoolean() ? (v.asBoolean() ? "1" : "0") : v.asText());
            });
        } catch (IOException e) {
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
}
