package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.powervm.PowerVmProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path below the HMC's REST root as raw segments (each escaped when sent) and an optional
 * {@code group} query. A segment that a URL builder would drop or resolve ({@code .}, {@code ..},
 * empty) or that holds control characters or a slash is refused, so a hostile name never
 * addresses another resource. Links the HMC serves are turned into paths on the connection's
 * own host: only their path is used.
 *
 * @param segments the segments after the host, such as {@code rest, api, uom, LogicalPartition, <uuid>}
 * @param group the {@code group} query, or {@code null}
 */
record HmcPath(List<String> segments, String group) {

    HmcPath {
        segments = List.copyOf(segments);
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('/') >= 0
                    || s.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidSpecException("path", "segment '" + s.replaceAll("\\p{Cntrl}", "?") + "' is not a name",
                        ErrorContext.of(PowerVmProvider.TYPE, "request"));
            }
        }
    }

    /**
     * @param segments segments below {@code /rest/api/uom}
     * @return the path
     */
    static HmcPath uom(String... segments) {
        List<String> s = new ArrayList<>(List.of("rest", "api", "uom"));
        s.addAll(Arrays.asList(segments));
        return new HmcPath(s, null);
    }

    /**
     * @param segments segments below {@code /rest/api/web}
     * @return the path
     */
    static HmcPath web(String... segments) {
        List<String> s = new ArrayList<>(List.of("rest", "api", "web"));
        s.addAll(Arrays.asList(segments));
        return new HmcPath(s, null);
    }

    /**
     * @param href a link the HMC served (absolute or host-relative), such as a SELF link
     * @param ctx provider and operation, for errors
     * @return its path, below {@code /rest/api/}; its query is dropped
     */
    static HmcPath of(String href, ErrorContext ctx) {
        String path;
        try {
            path = URI.create(href.strip()).getRawPath();
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("the HMC served a link that is not a URI: " + href, ctx, false, e);
        }
        if (path == null || !path.startsWith("/rest/api/")) {
            throw new ProtocolException("the HMC served a link outside /rest/api/: " + href, ctx, false, null);
        }
        List<String> s = new ArrayList<>();
        for (String raw : path.substring(1).split("/")) {
            s.add(java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
        }
        return new HmcPath(s, null);
    }

    /**
     * @param more segments to append
     * @return a longer path
     */
    HmcPath then(String... more) {
        List<String> s = new ArrayList<>(segments);
        s.addAll(Arrays.asList(more));
        return new HmcPath(s, group);
    }

    /**
     * @param groups the extended attribute groups, such as {@code ViosSCSIMapping}
     * @return the path with {@code ?group=}
     */
    HmcPath group(String groups) {
        return new HmcPath(segments, groups);
    }

    @Override
    public String toString() {
        return "/" + String.join("/", segments) + (group == null ? "" : "?group=" + group);
    }
}
