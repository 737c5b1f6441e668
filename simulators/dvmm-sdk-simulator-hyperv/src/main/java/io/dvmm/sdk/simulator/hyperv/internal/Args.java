package io.dvmm.sdk.simulator.hyperv.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A script's argument object as {@code $a}: members looked up case-insensitively (PowerShell's property access), a
 * missing member is {@code $null}. The typed getters check what the script contract says each field is and fail with
 * {@code HvsdkInvalidArgument}, naming the field, when a required one is missing or has the wrong JSON type.
 */
final class Args {

    private final ObjectNode node;

    Args(ObjectNode node) {
        this.node = node;
    }

    /** The member, case-insensitively; null when absent. */
    JsonNode get(String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Whether the member exists, even as null ({@code $a.PSObject.Properties['dvd']}). */
    boolean has(String name) {
        return get(name) != null;
    }

    private boolean present(String name) {
        JsonNode n = get(name);
        return n != null && !n.isNull();
    }

    String string(String name) {
        String s = optString(name);
        if (s == null || s.isEmpty()) {
            throw missing(name, "a string");
        }
        return s;
    }

    String optString(String name) {
        if (!present(name)) {
            return null;
        }
        JsonNode n = get(name);
        if (!n.isTextual()) {
            throw wrongType(name, "a string", n);
        }
        return n.asText();
    }

    long int64(String name) {
        Long v = optInt64(name);
        if (v == null) {
            throw missing(name, "a number");
        }
        return v;
    }

    Long optInt64(String name) {
        if (!present(name)) {
            return null;
        }
        JsonNode n = get(name);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw wrongType(name, "a whole number", n);
        }
        return n.asLong();
    }

    int int32(String name) {
        long v = int64(name);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw ScriptError.invalidArgument("the argument '" + name + "' is out of range: " + v);
        }
        return (int) v;
    }

    Integer optInt32(String name) {
        Long v = optInt64(name);
        return v == null ? null : int32(name);
    }

    /** PowerShell truthiness of a boolean member: absent or null is false. */
    boolean flag(String name) {
        Boolean b = optBool(name);
        return b != null && b;
    }

    Boolean optBool(String name) {
        if (!present(name)) {
            return null;
        }
        JsonNode n = get(name);
        if (!n.isBoolean()) {
            throw wrongType(name, "true or false", n);
        }
        return n.asBoolean();
    }

    /** An array member as argument objects; absent is empty. */
    List<Args> objects(String name) {
        List<Args> out = new ArrayList<>();
        if (!present(name)) {
            return out;
        }
        JsonNode n = get(name);
        if (!n.isArray()) {
            throw wrongType(name, "an array", n);
        }
        for (JsonNode e : n) {
            if (!e.isObject()) {
                throw wrongType(name + "[]", "an object", e);
            }
            out.add(new Args((ObjectNode) e));
        }
        return out;
    }

    /** A string array member; absent is empty. */
    List<String> strings(String name) {
        List<String> out = new ArrayList<>();
        if (!present(name)) {
            return out;
        }
        JsonNode n = get(name);
        if (n.isTextual()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray()) {
            throw wrongType(name, "an array of strings", n);
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw wrongType(name + "[]", "a string", e);
            }
            out.add(e.asText());
        }
        return out;
    }

    /** The members not in {@code known} (compared case-insensitively). */
    List<String> unknown(Set<String> known) {
        List<String> out = new ArrayList<>();
        Set<String> lower = new java.util.HashSet<>();
        known.forEach(k -> lower.add(k.toLowerCase(Locale.ROOT)));
        node.fieldNames().forEachRemaining(f -> {
            if (!lower.contains(f.toLowerCase(Locale.ROOT))) {
                out.add(f);
            }
        });
        return out;
    }

    private static ScriptError missing(String name, String what) {
        return ScriptError.invalidArgument("the argument '" + name + "' is required (" + what + ")");
    }

    private static ScriptError wrongType(String name, String what, JsonNode n) {
        return ScriptError.invalidArgument("the argument '" + name + "' must be " + what + ", not " + n.getNodeType());
    }
}
