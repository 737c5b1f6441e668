package io.dvmm.sdk.simulator.powervm.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.Text;

/**
 * The HMC's element order (its schemas are {@code xs:sequence}s), derived from documents the
 * HMC produced or accepted: for every parent element name, which children it may have and, for
 * every two children seen together, which comes first. The order is the transitive closure of
 * the adjacent pairs observed, so {@code A B} in one capture and {@code B C} in another give
 * {@code A} before {@code C}. Pairs never seen together are unordered (no evidence either way);
 * a pair seen both ways would be unordered too (the captures show none).
 *
 * <p>Immutable and thread-safe once built.
 */
public final class ElementOrder {

    private final Map<String, Set<String>> known;
    private final Map<String, Map<String, Set<String>>> successors;
    private final boolean strictUnknown;
    private final String source;

    private ElementOrder(Map<String, Set<String>> known, Map<String, Map<String, Set<String>>> successors,
            boolean strictUnknown, String source) {
        this.known = known;
        this.successors = successors;
        this.strictUnknown = strictUnknown;
        this.source = source;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where the rules come from, e.g. {@code "38 captures + 9 create bodies: 120 parents, 2,345 ordered pairs"}. */
    public String source() {
        return source;
    }

    /** Whether an element never seen under its parent is refused (true when derived from the captures). */
    public boolean strictUnknown() {
        return strictUnknown;
    }

    /** Parent names with rules. */
    public Set<String> parents() {
        return known.keySet();
    }

    /** The children ever seen under a parent name. */
    public Set<String> childrenOf(String parent) {
        return known.getOrDefault(parent, Set.of());
    }

    /** True when the observed order puts {@code first} before {@code second} under {@code parent}. */
    public boolean mustPrecede(String parent, String first, String second) {
        Map<String, Set<String>> byChild = successors.get(parent);
        if (byChild == null || first.equals(second)) {
            return false;
        }
        boolean forward = byChild.getOrDefault(first, Set.of()).contains(second);
        boolean backward = byChild.getOrDefault(second, Set.of()).contains(first);
        return forward && !backward;
    }

    /**
     * Checks a document tree; each problem names the path of the parent, e.g.
     * {@code "LogicalPartition/PartitionProcessorConfiguration: SharingMode before HasDedicatedProcessors"}
     * or {@code "LogicalPartition: unknown element Foo"}. Empty when the tree is in order.
     */
    public List<String> check(Element root) {
        List<String> problems = new ArrayList<>();
        check(root, Xml.name(root), problems);
        return problems;
    }

    private void check(Element parent, String path, List<String> problems) {
        String p = Xml.name(parent);
        List<Element> kids = Xml.children(parent);
        Set<String> allowed = known.get(p);
        for (Element k : kids) {
            String n = Xml.name(k);
            if (strictUnknown && (allowed == null || !allowed.contains(n))) {
                problems.add(path + ": unknown element " + n);
            }
        }
        for (int i = 0; i < kids.size(); i++) {
            String a = Xml.name(kids.get(i));
            for (int j = i + 1; j < kids.size(); j++) {
                String b = Xml.name(kids.get(j));
                if (mustPrecede(p, b, a)) {
                    problems.add(path + ": " + a + " before " + b + " (the HMC expects " + b + " first)");
                }
            }
        }
        for (Element k : kids) {
            check(k, path + "/" + Xml.name(k), problems);
        }
    }

    /**
     * Inserts {@code child} into {@code parent} where the order puts it: before the first
     * existing child that must follow it, else last. Keeps the indentation of the siblings.
     */
    public void insert(Element parent, Element child) {
        String p = Xml.name(parent);
        String n = Xml.name(child);
        Element before = null;
        for (Element k : Xml.children(parent)) {
            if (mustPrecede(p, n, Xml.name(k))) {
                before = k;
                break;
            }
        }
        if (before != null) {
            Node ws = before.getPreviousSibling();
            parent.insertBefore(child, before);
            if (ws instanceof Text t && t.getData().isBlank()) {
                parent.insertBefore(t.cloneNode(false), before);
            }
            return;
        }
        Node last = parent.getLastChild();
        if (last instanceof Text t && t.getData().isBlank()) {
            Node prev = t.getPreviousSibling();
            Node indent = prev == null ? null : prev.getPreviousSibling();
            if (indent instanceof Text it && it.getData().isBlank()) {
                parent.insertBefore(it.cloneNode(false), last);
            }
            parent.insertBefore(child, last);
        } else {
            parent.appendChild(child);
        }
    }

    /** Collects observations; {@link #build} computes the closure. */
    public static final class Builder {
        private final Map<String, Set<String>> known = new HashMap<>();
        private final Map<String, Map<String, Set<String>>> edges = new HashMap<>();
        private int documents;

        private Builder() {
        }

        /** Records the child order of every element in a document the HMC produced or accepted. */
        public Builder observe(Element root) {
            documents++;
            walk(root);
            return this;
        }

        private void walk(Element parent) {
            String p = Xml.name(parent);
            String previous = null;
            for (Element k : Xml.children(parent)) {
                String n = Xml.name(k);
                known.computeIfAbsent(p, x -> new LinkedHashSet<>()).add(n);
                if (previous != null && !previous.equals(n)) {
                    edge(p, previous, n);
                }
                previous = n;
                walk(k);
            }
        }

        private void edge(String parent, String first, String second) {
            edges.computeIfAbsent(parent, x -> new HashMap<>()).computeIfAbsent(first, x -> new HashSet<>()).add(second);
        }

        /**
         * Adds an element the data never shows but the HMC accepts, between two siblings the data
         * does show ({@code after} or {@code before} may be null).
         */
        public Builder supplement(String parent, String child, String after, String before) {
            known.computeIfAbsent(parent, x -> new LinkedHashSet<>()).add(child);
            if (after != null) {
                edge(parent, after, child);
            }
            if (before != null) {
                edge(parent, child, before);
            }
            return this;
        }

        public ElementOrder build(boolean strictUnknown, String origin) {
            Map<String, Map<String, Set<String>>> closure = new HashMap<>();
            int pairs = 0;
            for (Map.Entry<String, Map<String, Set<String>>> e : edges.entrySet()) {
                Map<String, Set<String>> reach = new HashMap<>();
                for (String start : known.getOrDefault(e.getKey(), Set.of())) {
                    Set<String> seen = reachable(e.getValue(), start);
                    if (!seen.isEmpty()) {
                        reach.put(start, Set.copyOf(seen));
                        pairs += seen.size();
                    }
                }
                closure.put(e.getKey(), Map.copyOf(reach));
            }
            Map<String, Set<String>> frozen = new HashMap<>();
            known.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
            String source = String.format("%s: %d documents, %d parent elements, %d ordered pairs",
                    origin, documents, frozen.size(), pairs);
            return new ElementOrder(Map.copyOf(frozen), Map.copyOf(closure), strictUnknown, source);
        }

        private static Set<String> reachable(Map<String, Set<String>> graph, String start) {
            Set<String> seen = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(graph.getOrDefault(start, Set.of()));
            while (!todo.isEmpty()) {
                String n = todo.pop();
                if (seen.add(n)) {
                    todo.addAll(graph.getOrDefault(n, Set.of()));
                }
            }
            return seen;
        }
    }
}
