package io.dvmm.sdk.simulator.hyperv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The scripts the simulated host runs, as data: operation name ({@code list-vms}) → the exact script text a client
 * sends, with the argument placeholder {@value #PLACEHOLDER} still in it. A command whose script is not one of these,
 * with only the placeholder replaced by a base64 literal (or by nothing, the argument then coming from the shell
 * environment variable {@value #ENVIRONMENT_VARIABLE}), is refused as PowerShell refuses a script that does not
 * parse, and recorded as a violation.
 *
 * <p>The provider's tests build it from the provider's own scripts ({@code HyperVScript.template()}) and pass it to
 * {@link HyperVSimulator.Builder#scripts}; {@link #fromDirectory} assembles the same texts from a folder of
 * {@code .ps1} files laid out as the provider's resources are (first line {@code # hvsdk:<op>}, then
 * {@code prelude.ps1}, then the rest of the file).
 */
public final class ScriptCatalog {

    /** The token a client replaces with the base64 of its UTF-8 JSON argument. */
    public static final String PLACEHOLDER = "__HVSDK_ARGS__";
    /** The shell environment variable that carries the argument when the placeholder is left empty. */
    public static final String ENVIRONMENT_VARIABLE = "HVSDK_ARGS";
    /** Where the provider keeps its scripts, relative to the repository root. */
    public static final String PROVIDER_SCRIPTS = "dvmm-sdk-hyperv/src/main/resources/io/dvmm/sdk/hyperv/internal/scripts";

    private static final String PRELUDE = "prelude.ps1";

    private final Map<String, String> templates;

    private ScriptCatalog(Map<String, String> templates) {
        this.templates = templates;
    }

    /**
     * A catalog of these scripts.
     *
     * @param templates operation → script text; each must start with {@code # hvsdk:<operation>} on its own line and
     *                  hold {@code '__HVSDK_ARGS__'} exactly once
     * @return the catalog, sorted by operation
     * @throws IllegalArgumentException if a script breaks either rule
     */
    public static ScriptCatalog of(Map<String, String> templates) {
        Map<String, String> copy = new TreeMap<>();
        templates.forEach((op, text) -> {
            if (!text.startsWith("# hvsdk:" + op + "\n")) {
                throw new IllegalArgumentException("the script of " + op + " must start with the line '# hvsdk:" + op + "'");
            }
            int at = text.indexOf("'" + PLACEHOLDER + "'");
            if (at < 0 || text.indexOf(PLACEHOLDER, at + PLACEHOLDER.length() + 1) >= 0) {
                throw new IllegalArgumentException("the script of " + op + " must hold '" + PLACEHOLDER + "' exactly once");
            }
            copy.put(op, text);
        });
        return new ScriptCatalog(Collections.unmodifiableMap(copy));
    }

    /**
     * The scripts of a folder laid out like the provider's resources (every {@code .ps1} but the prelude).
     *
     * @param dir the folder, holding {@code prelude.ps1} and one {@code <operation>.ps1} per operation
     * @return the catalog
     * @throws UncheckedIOException if the folder or a file cannot be read
     * @throws IllegalArgumentException if a script does not start with its {@code # hvsdk:} line or lacks the placeholder
     */
    public static ScriptCatalog fromDirectory(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            String prelude = read(dir.resolve(PRELUDE));
            Map<String, String> templates = new TreeMap<>();
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().endsWith(".ps1")
                    && !p.getFileName().toString().equals(PRELUDE)).sorted()::iterator) {
                String body = read(f);
                int eol = body.indexOf('\n');
                String op = f.getFileName().toString().replaceFirst("\\.ps1$", "");
                templates.put(op, body.substring(0, eol + 1) + prelude + body.substring(eol + 1));
            }
            return of(templates);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the scripts in " + dir, e);
        }
    }

    /**
     * The provider's script folder, found from the working directory or one of its parents (system property
     * {@code dvmm.hyperv.scripts} wins).
     *
     * @return the folder, or empty when this is not a checkout of the whole repository
     */
    public static Optional<Path> findProviderScripts() {
        String prop = System.getProperty("dvmm.hyperv.scripts");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Optional.of(Path.of(prop));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(PROVIDER_SCRIPTS);
            if (Files.isRegularFile(candidate.resolve(PRELUDE))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The provider's scripts, read from the checkout ({@link #findProviderScripts}).
     *
     * @return the catalog
     * @throws IllegalStateException if the scripts are not found
     * @throws UncheckedIOException if they cannot be read
     */
    public static ScriptCatalog provider() {
        return fromDirectory(findProviderScripts().orElseThrow(() -> new IllegalStateException(
                "the provider's scripts (" + PROVIDER_SCRIPTS + ") are not found above " + Path.of("").toAbsolutePath()
                        + "; pass a ScriptCatalog")));
    }

    /**
     * The operations the catalog has a script for.
     *
     * @return the operation names, sorted; unmodifiable
     */
    public Set<String> operations() {
        return templates.keySet();
    }

    /**
     * The script of an operation, with the placeholder still in it.
     *
     * @param operation the operation, such as {@code list-vms}
     * @return the script text, or empty if the catalog has none for it
     */
    public Optional<String> template(String operation) {
        return Optional.ofNullable(templates.get(operation));
    }

    /**
     * The script of an operation as a client sends it with {@code base64} in place of the placeholder.
     *
     * @param operation the operation, such as {@code list-vms}
     * @param base64 the base64 of the UTF-8 JSON argument; empty to take it from {@value #ENVIRONMENT_VARIABLE}
     * @return the script text as sent
     * @throws IllegalArgumentException if the catalog has no script for {@code operation}
     */
    public String withArgument(String operation, String base64) {
        return template(operation).orElseThrow(() -> new IllegalArgumentException("no script " + operation))
                .replace(PLACEHOLDER, base64);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Override
    public String toString() {
        return "ScriptCatalog" + templates.keySet();
    }
}
