package io.dvmm.sdk.powervm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.powervm.PowerVmOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * Every LPAR create body the provider can send (shared uncapped and capped, dedicated in each
 * sharing mode) against the create bodies pypowervm's builder produces
 * ({@code lpar-create-bodies/}): each element is one those bodies show under the same parent, no
 * two elements come in the opposite order of theirs, and the body is the matching reference body
 * minus the elements the provider leaves to the HMC's defaults, element for element.
 */
class CreateBodyOrderTest {
    private static final ErrorContext CTX = ErrorContext.of("powervm", "test");

    /** Parent name → children seen, and the order the references show (the transitive closure of their adjacent pairs). */
    private record Order(Map<String, Set<String>> known, Map<String, Map<String, Set<String>>> before) {
        boolean precedes(String parent, String a, String b) {
            return before.getOrDefault(parent, Map.of()).getOrDefault(a, Set.of()).contains(b);
        }
    }

    private static Order references(List<Element> bodies) {
        Map<String, Set<String>> known = new HashMap<>();
        Map<String, Map<String, Set<String>>> edges = new HashMap<>();
        Deque<Element> todo = new ArrayDeque<>(bodies);
        while (!todo.isEmpty()) {
            Element e = todo.pop();
            String p = DocumentPatch.name(e);
            String previous = null;
            for (Element c : DocumentPatch.children(e, null)) {
                String n = DocumentPatch.name(c);
                known.computeIfAbsent(p, x -> new LinkedHashSet<>()).add(n);
                if (previous != null && !previous.equals(n)) {
                    edges.computeIfAbsent(p, x -> new HashMap<>()).computeIfAbsent(previous, x -> new HashSet<>()).add(n);
                }
                previous = n;
                todo.push(c);
            }
        }
        Map<String, Map<String, Set<String>>> closure = new HashMap<>();
        edges.forEach((parent, graph) -> {
            Map<String, Set<String>> reach = new HashMap<>();
            for (String start : graph.keySet()) {
                Set<String> seen = new HashSet<>();
                Deque<String> next = new ArrayDeque<>(graph.get(start));
                while (!next.isEmpty()) {
                    String n = next.pop();
                    if (seen.add(n)) {
                        next.addAll(graph.getOrDefault(n, Set.of()));
                    }
                }
                reach.put(start, seen);
            }
            closure.put(parent, reach);
        });
        return new Order(known, closure);
    }

    private static Element parse(byte[] xml, String what) {
        return HmcXml.dom(xml, what, CTX).getDocumentElement();
    }

    private static List<String> preorder(Element e, Set<String> keep) {
        List<String> out = new ArrayList<>();
        Deque<Element> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            Element x = todo.pop();
            if (keep == null || keep.contains(DocumentPatch.name(x))) {
                out.add(DocumentPatch.name(x));
            }
            List<Element> kids = DocumentPatch.children(x, null);
            for (int i = kids.size() - 1; i >= 0; i--) {
                todo.push(kids.get(i));
            }
        }
        return out;
    }

    private static HmcObjects.LogicalPartition template(boolean dedicated, String mode) {
        HmcObjects.ProcessorConfiguration p = dedicated
                ? new HmcObjects.ProcessorConfiguration(new HmcObjects.DedicatedProcessors(2, 4, 1), true, null, mode)
                : new HmcObjects.ProcessorConfiguration(null, false, new HmcObjects.SharedProcessors(new BigDecimal("1.00"), 2,
                        new BigDecimal("2.00"), 4, new BigDecimal("0.50"), 1, 0, mode.equals("uncapped") ? 128 : null), mode);
        return new HmcObjects.LogicalPartition(null, null, 127, null, new HmcObjects.IoConfiguration(64),
                new HmcObjects.MemoryConfiguration(2048L, 4096L, 1024L, null), "template", p, "not activated", "AIX/Linux", null,
                "default", null, null, null, null, null);
    }

    /** @return every body the provider writes, by the reference body it corresponds to */
    private static Map<String, byte[]> ourBodies() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        PowerVmOptions none = PowerVmOptions.builder().build();
        out.put("uncapped_lpar.xml", RequestBodies.logicalPartition(LparShape.of(template(false, "uncapped"), "vm", 2, 2048L, none)));
        out.put("capped_lpar.xml", RequestBodies.logicalPartition(LparShape.of(template(false, "capped"), "vm", 2, 2048L, none)));
        out.put("dedicated_lpar.xml", RequestBodies.logicalPartition(LparShape.of(template(true, "sre idle proces"), "vm", 2,
                2048L, none)));
        out.put("ded_lpar_sre_idle_procs_always.xml", RequestBodies.logicalPartition(LparShape.of(template(true,
                "sre idle procs always"), "vm", 2, 2048L, none)));
        for (String mode : List.of("keep idle procs", "sre idle procs active")) {
            out.put("dedicated_lpar.xml (" + mode + ")", RequestBodies.logicalPartition(LparShape.of(template(true, mode), "vm",
                    2, 2048L, none)));
        }
        // Options that switch the template's processor mode write the other shape; the same rules hold.
        out.put("uncapped_lpar.xml (shared from a dedicated template)", RequestBodies.logicalPartition(LparShape.of(
                template(true, "sre idle proces"), "vm", 2, 2048L, PowerVmOptions.builder()
                        .processorMode(PowerVmOptions.ProcessorMode.SHARED).build())));
        out.put("dedicated_lpar.xml (dedicated from a shared template)", RequestBodies.logicalPartition(LparShape.of(
                template(false, "uncapped"), "vm", 2, 2048L, PowerVmOptions.builder()
                        .processorMode(PowerVmOptions.ProcessorMode.DEDICATED).build())));
        return out;
    }

    @Test
    void everyLparCreateBodyHasTheOrderOfTheCapturedCreateBodies() throws IOException {
        Path dir = Captures.require().resolve("lpar-create-bodies");
        Map<String, Element> references = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                references.put(p.getFileName().toString(), parse(Files.readAllBytes(p), p.toString()));
            }
        }
        assertThat(references).hasSize(9);
        Order order = references(List.copyOf(references.values()));
        for (Map.Entry<String, byte[]> body : ourBodies().entrySet()) {
            Element ours = parse(body.getValue(), body.getKey());
            Deque<Element> todo = new ArrayDeque<>(List.of(ours));
            while (!todo.isEmpty()) {
                Element e = todo.pop();
                String parent = DocumentPatch.name(e);
                List<Element> kids = DocumentPatch.children(e, null);
                for (int i = 0; i < kids.size(); i++) {
                    String a = DocumentPatch.name(kids.get(i));
                    assertThat(order.known().getOrDefault(parent, Set.of())).as(body.getKey() + ": " + parent + " holds " + a)
                            .contains(a);
                    for (int j = i + 1; j < kids.size(); j++) {
                        String b = DocumentPatch.name(kids.get(j));
                        assertThat(order.precedes(parent, b, a)).as(body.getKey() + ": " + parent + "/" + a + " before " + b
                                + ", where the captured bodies put " + b + " first").isFalse();
                    }
                    todo.push(kids.get(i));
                }
            }
            String reference = body.getKey().contains(" ") ? body.getKey().substring(0, body.getKey().indexOf(' ')) : body.getKey();
            List<String> mine = preorder(ours, null);
            assertThat(preorder(references.get(reference), new HashSet<>(mine))).as(body.getKey() + " against " + reference
                    + " without the elements left to the HMC's defaults").isEqualTo(mine);
        }
    }

    @Test
    void theBodyCarriesTheShapeItWasBuiltFrom() {
        byte[] body = RequestBodies.logicalPartition(LparShape.of(template(false, "uncapped"), "vm-1", 3, 3072L,
                PowerVmOptions.builder().build()));
        LparShape back = LparShape.read(HmcXml.object(body, HmcObjects.LogicalPartition.class, "body", CTX));
        assertThat(back.name()).isEqualTo("vm-1");
        assertThat(back.desiredCpus()).isEqualTo(3);
        assertThat(back.desiredUnits()).isEqualByComparingTo("1.50");
        assertThat(back.desiredMemory()).isEqualTo(3072);
        assertThat(back.minMemory()).isEqualTo(1024);
        assertThat(back.maxMemory()).isEqualTo(4096);
        assertThat(back.uncappedWeight()).isEqualTo(128);
    }
}
