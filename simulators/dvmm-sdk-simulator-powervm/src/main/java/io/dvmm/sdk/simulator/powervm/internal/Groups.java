package io.dvmm.sdk.simulator.powervm.internal;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.w3c.dom.Element;

/**
 * The extended attribute groups of a request ({@code ?group=ViosSCSIMapping,ViosStorage}).
 * Elements the HMC tags with {@code group="X"} are served only when X is asked for, or when
 * no group is asked for at all; {@code group=None} serves none of them.
 */
public final class Groups {

    public static final Groups ALL = new Groups(null);

    private final Set<String> names;

    private Groups(Set<String> names) {
        this.names = names;
    }

    public static Groups of(String query) {
        if (query == null || query.isBlank()) {
            return ALL;
        }
        return new Groups(Arrays.stream(query.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet()));
    }

    public boolean all() {
        return names == null;
    }

    /** True when elements of this group are in scope (served on GET, replaced on POST). */
    public boolean includes(String group) {
        return names == null || names.contains(group);
    }

    /** Removes the tagged elements that are out of scope. */
    public void filter(Element e) {
        if (names == null) {
            return;
        }
        for (Element c : Xml.children(e)) {
            String g = c.getAttribute("group");
            if (!g.isEmpty() && !names.contains(g)) {
                e.removeChild(c);
            } else {
                filter(c);
            }
        }
    }
}
