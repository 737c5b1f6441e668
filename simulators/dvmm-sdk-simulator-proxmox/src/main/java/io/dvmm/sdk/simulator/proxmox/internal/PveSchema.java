package io.dvmm.sdk.simulator.proxmox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The official PVE API schema ({@code pve-apidoc.json}) and a validator for received requests,
 * following the checks of {@code PVE::JSONSchema}: unknown parameters, required parameters,
 * integer/number/boolean types (booleans as 0/1), enums, minimum/maximum, maxLength, patterns,
 * a few named formats, and property strings such as {@code net0=virtio,bridge=vmbr0}.
 */
public final class PveSchema {

    /** The outcome for a request: {@code notImplemented} (501) or per-parameter errors (400). */
    public record Result(String notImplemented, Map<String, String> errors) {
        public boolean ok() {
            return notImplemented == null && errors.isEmpty();
        }
    }

    private static final Map<Path, PveSchema> CACHE = new ConcurrentHashMap<>();
    private static final Pattern INDEXED = Pattern.compile("^([a-z_]+?)(\\d+)$");
    private static final Pattern INTEGER = Pattern.compile("^[+-]?\\d+$");
    private static final Pattern NUMBER = Pattern.compile("^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$");
    private static final Pattern URLENCODED = Pattern.compile("^[-%a-zA-Z0-9_.!~*'()]*$");
    private static final Map<String, Pattern> FORMATS = Map.of(
            "pve-configid", Pattern.compile("^[a-z][a-z0-9_-]+$", Pattern.CASE_INSENSITIVE),
            "pve-node", Pattern.compile("^(?:[a-zA-Z0-9](?:[a-zA-Z0-9\\-]*[a-zA-Z0-9])?)$"),
            "pve-storage-id", Pattern.compile("^[a-z][a-z0-9\\-_.]*[a-z0-9]$", Pattern.CASE_INSENSITIVE),
            "pve-poolid", Pattern.compile("^[A-Za-z0-9_\\-]+$"),
            "dns-name", Pattern.compile("^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9\\-]*[a-zA-Z0-9])?)\\.)*"
                    + "(?:[A-Za-z0-9](?:[A-Za-z0-9\\-]*[A-Za-z0-9])?)$"),
            "mac-addr", Pattern.compile("^[a-fA-F0-9]{2}(?::[a-fA-F0-9]{2}){5}$"),
            "pve-tag-list", Pattern.compile("^[a-zA-Z0-9_+.\\-]+(?:[;, ][a-zA-Z0-9_+.\\-]+)*$"),
            "pve-ha-resource-or-vm-id", Pattern.compile("^(?:(?:vm|ct):)?[1-9][0-9]{2,8}$"));
    private static final Map<String, List<String>> STRING_PROPERTY_FORMATS = Map.of(
            "pve-qm-ipconfig", List.of("ip", "gw", "ip6", "gw6"));

    private final Map<String, JsonNode> paths;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    private PveSchema(Map<String, JsonNode> paths) {
        this.paths = paths;
    }

    /** Loads (once per path) {@code pve-apidoc.json} or {@code pve-api-subset.json}. */
    public static PveSchema load(Path file) {
        return CACHE.computeIfAbsent(file.toAbsolutePath().normalize(), f -> {
            try {
                JsonNode root = new ObjectMapper().readTree(f.toFile());
                Map<String, JsonNode> paths = new HashMap<>();
                if (root.isObject() && root.has("endpoints")) {
                    root.get("endpoints").properties().forEach(e -> paths.put(e.getKey(), e.getValue()));
                } else {
                    for (JsonNode n : root) {
                        collect(n, paths);
                    }
                }
                return new PveSchema(paths);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the PVE schema " + f, e);
            }
        });
    }

    private static void collect(JsonNode node, Map<String, JsonNode> paths) {
        if (node.has("path") && node.has("info")) {
            paths.put(node.get("path").asText(), node.get("info"));
        }
        for (JsonNode c : node.path("children")) {
            collect(c, paths);
        }
    }

    public boolean hasPath(String template) {
        return paths.containsKey(template);
    }

    public Result validate(String method, String template, Map<String, String> params) {
        JsonNode info = paths.get(template);
        if (info == null || !info.has(method)) {
            return new Result("Method '" + method + " " + template + "' not implemented", Map.of());
        }
        JsonNode parameters = info.get(method).path("parameters");
        JsonNode props = parameters.path("properties");
        boolean additional = !parameters.has("additionalProperties")
                || parameters.get("additionalProperties").asInt(1) != 0;
        Map<String, String> errors = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : params.entrySet()) {
            JsonNode def = lookup(props, p.getKey());
            if (def == null) {
                if (!additional) {
                    errors.put(p.getKey(), "property is not defined in schema and the schema does not allow additional properties");
                }
                continue;
            }
            String err = checkValue(def, p.getValue());
            if (err != null) {
                errors.put(p.getKey(), err);
            }
        }
        for (Map.Entry<String, JsonNode> e : props.properties()) {
            if (!e.getKey().contains("[n]") && e.getValue().path("optional").asInt(0) != 1
                    && !params.containsKey(e.getKey())) {
                errors.put(e.getKey(), "property is missing and it is not optional");
            }
        }
        return new Result(null, errors);
    }

    private static JsonNode lookup(JsonNode props, String key) {
        JsonNode def = props.get(key);
        if (def != null) {
            return def;
        }
        Matcher m = INDEXED.matcher(key);
        return m.matches() ? props.get(m.group(1) + "[n]") : null;
    }

    private String checkValue(JsonNode def, String value) {
        String type = def.path("type").asText("string");
        switch (type) {
            case "integer" -> {
                if (!INTEGER.matcher(value).matches()) {
                    return "type check ('integer') failed - got '" + value + "'";
                }
                return checkRange(def, Double.parseDouble(value));
            }
            case "number" -> {
                if (!NUMBER.matcher(value).matches()) {
                    return "type check ('number') failed - got '" + value + "'";
                }
                return checkRange(def, Double.parseDouble(value));
            }
            case "boolean" -> {
                return parseBoolean(value) == null ? "type check ('boolean') failed - got '" + value + "'" : null;
            }
            case "string" -> {
                return checkString(def, value);
            }
            default -> {
                return null;
            }
        }
    }

    /** PVE accepts 0/1, true/false, yes/no, on/off for booleans. */
    public static Boolean parseBoolean(String v) {
        return switch (v.toLowerCase()) {
            case "1", "true", "yes", "on" -> Boolean.TRUE;
            case "0", "false", "no", "off" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String checkRange(JsonNode def, double v) {
        if (def.has("minimum") && v < def.get("minimum").asDouble()) {
            return "value must have a minimum value of " + def.get("minimum").asText();
        }
        if (def.has("maximum") && v > def.get("maximum").asDouble()) {
            return "value must have a maximum value of " + def.get("maximum").asText();
        }
        return null;
    }

    private String checkString(JsonNode def, String value) {
        if (def.has("enum")) {
            List<String> allowed = new ArrayList<>();
            def.get("enum").forEach(e -> allowed.add(e.asText()));
            if (!allowed.contains(value)) {
                return "value '" + value + "' does not have a value in the enumeration '" + String.join(", ", allowed) + "'";
            }
        }
        if (def.has("maxLength") && value.length() > def.get("maxLength").asInt()) {
            return "value may only be " + def.get("maxLength").asInt() + " characters long";
        }
        if (def.has("minLength") && value.length() < def.get("minLength").asInt()) {
            return "value must be at least " + def.get("minLength").asInt() + " characters long";
        }
        if (def.has("pattern")) {
            Pattern p = pattern(def.get("pattern").asText());
            if (p != null && !p.matcher(value).matches()) {
                return "value does not match the regex pattern";
            }
        }
        JsonNode format = def.get("format");
        if (format == null) {
            return null;
        }
        if (format.isObject()) {
            return checkPropertyString(format, value);
        }
        String name = format.asText();
        if ("urlencoded".equals(name)) {
            return URLENCODED.matcher(value).matches() ? null : "invalid urlencoded string: " + value;
        }
        List<String> keys = STRING_PROPERTY_FORMATS.get(name);
        if (keys != null) {
            for (String part : value.split(",")) {
                int eq = part.indexOf('=');
                if (eq < 0 || !keys.contains(part.substring(0, eq))) {
                    return "invalid format - unknown property '" + part + "'";
                }
            }
            return null;
        }
        Pattern p = FORMATS.get(name);
        if (p != null && !p.matcher(value).matches()) {
            return "value does not look like a valid " + name.replace("pve-", "").replace('-', ' ');
        }
        return null;
    }

    private String checkPropertyString(JsonNode format, String value) {
        String defaultKey = null;
        for (Map.Entry<String, JsonNode> e : format.properties()) {
            if (e.getValue().path("default_key").asInt(0) == 1) {
                defaultKey = e.getKey();
            }
        }
        for (String part : value.split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? defaultKey : part.substring(0, eq);
            String v = eq < 0 ? part : part.substring(eq + 1);
            if (key == null) {
                return "invalid format - missing key in comma-separated list property";
            }
            JsonNode sub = format.get(key);
            if (sub == null) {
                return "invalid format - property '" + key + "' is not allowed";
            }
            if (sub.has("keyAlias")) {
                // "virtio=BC:24:11:..": the key is the model, the value the MAC address
                JsonNode model = format.get(sub.get("keyAlias").asText());
                String err = model == null ? null : checkValue(model, key);
                if (err != null) {
                    return "invalid format - " + key + ": " + err;
                }
                sub = format.get(sub.path("alias").asText());
                if (sub == null) {
                    continue;
                }
            } else if (sub.has("alias")) {
                sub = format.get(sub.get("alias").asText());
                if (sub == null) {
                    continue;
                }
            }
            String err = checkValue(sub, v);
            if (err != null) {
                return "invalid format - " + key + ": " + err;
            }
        }
        return null;
    }

    private Pattern pattern(String perl) {
        return patterns.computeIfAbsent(perl, p -> {
            try {
                return Pattern.compile(p.replace("(?^:", "(?:"));
            } catch (PatternSyntaxException e) {
                return Pattern.compile(".*", Pattern.DOTALL);
            }
        });
    }
}
