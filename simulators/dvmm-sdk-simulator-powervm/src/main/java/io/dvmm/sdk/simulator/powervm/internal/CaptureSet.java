package io.dvmm.sdk.simulator.powervm.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The real HMC captures in {@code shared/data/powervm} (pypowervm's test data), read at run
 * time and never copied into the repository: the response bodies ({@code *.xml}) and the LPAR
 * create bodies pypowervm's builder produces ({@code lpar-create-bodies/*.xml}). Parsed once per
 * directory and shared read-only between simulators; seeding imports copies.
 */
public final class CaptureSet {

    /** Where the data lives relative to a parent of the working directory. */
    public static final String RELATIVE_DIR = "shared/data/powervm";

    private static final Map<Path, CaptureSet> CACHE = new ConcurrentHashMap<>();

    private final Path dir;
    private final Map<String, Document> bodies;
    private final Map<String, Document> createBodies;

    private CaptureSet(Path dir) {
        this.dir = dir;
        this.bodies = load(dir);
        this.createBodies = load(dir.resolve("lpar-create-bodies"));
    }

    /** Walks up from the working directory to the first {@code shared/data/powervm} holding captures. */
    public static Optional<Path> locate() {
        Path at = Path.of("").toAbsolutePath();
        for (; at != null; at = at.getParent()) {
            Path candidate = at.resolve(RELATIVE_DIR);
            if (Files.isRegularFile(candidate.resolve("lpar.xml"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The captures in a directory, parsed once per JVM. */
    public static CaptureSet of(Path dir) {
        return CACHE.computeIfAbsent(dir.toAbsolutePath().normalize(), CaptureSet::new);
    }

    private static Map<String, Document> load(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Map.of();
        }
        Map<String, Document> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".xml")).sorted().toList()) {
                String name = f.getFileName().toString();
                out.put(name.substring(0, name.length() - 4), Xml.parse(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return Collections.unmodifiableMap(out);
    }

    public Path dir() {
        return dir;
    }

    /** Capture names (file names without {@code .xml}). */
    public List<String> names() {
        return List.copyOf(bodies.keySet());
    }

    /** The root element of a capture body, e.g. {@code body("lpar")}; shared, never modify it. */
    public Optional<Element> body(String name) {
        return Optional.ofNullable(bodies.get(name)).map(Document::getDocumentElement);
    }

    /** Every response body. */
    public List<Element> bodies() {
        return bodies.values().stream().map(Document::getDocumentElement).toList();
    }

    /** The LPAR/VIOS create request bodies, keyed by file name without {@code .xml}. */
    public Map<String, Element> createBodies() {
        Map<String, Element> out = new LinkedHashMap<>();
        createBodies.forEach((k, v) -> out.put(k, v.getDocumentElement()));
        return out;
    }
}
