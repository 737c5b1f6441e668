package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every read route shares: lookups that answer 404, the typed-Accept check, search filters. */
final class Reads {

    private static final Pattern SEARCH = Pattern.compile("\\((\\w+)==(.*)\\)");

    private final Hmc hmc;
    private final Responses responses;

    Reads(Hmc hmc, Responses responses) {
        this.hmc = hmc;
        this.responses = responses;
    }

    Responses responses() {
        return responses;
    }

    UomObject find(String type, String uuid) {
        return hmc.model.get(type, uuid).orElseThrow(() -> HmcError.notFound(type + " " + uuid));
    }

    /** An object that must live under a given parent (404 otherwise, as for a wrong path). */
    UomObject child(String type, String uuid, String parentUuid) {
        UomObject o = find(type, uuid);
        if (parentUuid != null && !parentUuid.equalsIgnoreCase(o.parentUuid())) {
            throw HmcError.notFound(type + " " + uuid + " under " + parentUuid);
        }
        return o;
    }

    /** A typed {@code Accept} must name the type served; Atom and wildcards are fine. */
    void accept(HmcRequest req, String type) {
        String accept = req.header("Accept");
        if (accept == null) {
            return;
        }
        Matcher m = Pattern.compile("type=\\s*\"?(\\w+)").matcher(accept);
        if (m.find() && !m.group(1).equals(type)) {
            hmc.violations.add("media type: " + req.method() + " " + req.path() + " sent Accept '" + accept
                    + "' for a " + type);
            throw new HmcError(406, "Not Acceptable", "The media type " + accept + " cannot be produced for " + type + ".");
        }
    }

    SimResponse entry(HmcRequest req, UomObject o) {
        accept(req, o.type());
        return responses.entry(req, o);
    }

    SimResponse feed(HmcRequest req, String type, List<UomObject> objects) {
        accept(req, type);
        return responses.feed(req, objects);
    }

    /** Objects whose child element equals the value of a {@code (Name=='value')} search. */
    List<UomObject> search(List<UomObject> objects, String query) {
        Matcher m = SEARCH.matcher(query);
        if (!m.matches()) {
            throw HmcError.badRequest("The search expression " + query + " is not valid; use (Property=='value').");
        }
        String name = m.group(1);
        String value = m.group(2).trim();
        if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                || value.startsWith("\"") && value.endsWith("\""))) {
            value = value.substring(1, value.length() - 1);
        }
        String v = value;
        return objects.stream().filter(o -> v.equals(o.text(name))).toList();
    }
}
