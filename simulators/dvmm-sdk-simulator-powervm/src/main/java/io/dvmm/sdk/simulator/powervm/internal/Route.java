package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One URI template and method the HMC serves, e.g.
 * {@code PUT /rest/api/uom/ManagedSystem/{ms}/LogicalPartition}. Its operation key (for request
 * counts and fault rules) is {@code "METHOD template"}, with {@code {op}} and {@code {prop}}
 * replaced by their values, so that {@code PUT …/do/PowerOn} and {@code PUT …/do/PowerOff}
 * count apart.
 */
public final class Route {

    /** What a route does with a request and the template's values. */
    @FunctionalInterface
    public interface Handler {
        SimResponse handle(HmcRequest request, Map<String, String> params);
    }

    private final String method;
    private final String template;
    private final Pattern pattern;
    private final List<String> names = new ArrayList<>();
    private final Handler handler;
    private final boolean session;
    private final boolean locked;

    Route(String method, String template, Handler handler, boolean session, boolean locked) {
        this.method = method;
        this.template = template;
        this.handler = handler;
        this.session = session;
        this.locked = locked;
        StringBuilder re = new StringBuilder();
        Matcher m = Pattern.compile("\\{([a-z]+)}").matcher(template);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        re.append(Pattern.quote(template.substring(last)));
        this.pattern = Pattern.compile(re.toString());
    }

    public String method() {
        return method;
    }

    public String template() {
        return template;
    }

    /** Whether the route needs an API session (all but logon). */
    public boolean needsSession() {
        return session;
    }

    /** Whether the handler runs under the model lock (all but the event long-poll). */
    public boolean locked() {
        return locked;
    }

    /** The template's values for a path, or null when the path does not fit. */
    public Map<String, String> match(String path) {
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), m.group(i + 1));
        }
        return out;
    }

    public String key(Map<String, String> params) {
        String t = template;
        for (String literal : new String[] {"op", "prop"}) {
            if (params.containsKey(literal)) {
                t = t.replace("{" + literal + "}", params.get(literal));
            }
        }
        return method + " " + t;
    }

    public SimResponse handle(HmcRequest request, Map<String, String> params) {
        return handler.handle(request, params);
    }
}
