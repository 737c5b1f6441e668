package io.dvmm.sdk.hyperv.internal.scripts;

import io.dvmm.sdk.hyperv.internal.scripts.CmdletBinder.Binding;
import io.dvmm.sdk.hyperv.internal.scripts.CmdletBinder.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes the binding outcomes of every script on every edition as a plain-text report. */
final class BindingReport {

    private final Map<String, Map<String, List<Binding>>> byScript = new TreeMap<>();

    void add(String edition, List<Binding> bindings) {
        for (Binding b : bindings) {
            byScript.computeIfAbsent(b.script(), k -> new TreeMap<>()).computeIfAbsent(edition, k -> new ArrayList<>()).add(b);
        }
    }

    void addEmpty(String script, String edition) {
        byScript.computeIfAbsent(script, k -> new TreeMap<>()).computeIfAbsent(edition, k -> new ArrayList<>());
    }

    long count(Outcome outcome) {
        return all().stream().filter(b -> b.outcome() == outcome).count();
    }

    List<Binding> failures() {
        return all().stream().filter(Binding::failed).toList();
    }

    int scripts() {
        return byScript.size();
    }

    List<Binding> all() {
        List<Binding> out = new ArrayList<>();
        byScript.values().forEach(e -> e.values().forEach(out::addAll));
        return out;
    }

    String summary() {
        int editions = byScript.values().stream().mapToInt(Map::size).max().orElse(0);
        return scripts() + " scripts x " + editions + " editions: " + all().size() + " calls checked ("
                + count(Outcome.BOUND) + " cmdlet calls bound, " + count(Outcome.LOCAL_FUNCTION) + " calls of script functions, "
                + count(Outcome.ALLOWED) + " allow-listed), " + count(Outcome.ERROR) + " errors, "
                + count(Outcome.UNCHECKED_SPLAT) + " unchecked splats";
    }

    void write(Path file, String header) {
        StringBuilder out = new StringBuilder(header).append('\n').append(summary()).append("\n\n");
        byScript.forEach((script, editions) -> editions.forEach((edition, bindings) -> {
            long bad = bindings.stream().filter(Binding::failed).count();
            out.append(String.format("%-22s %s  %3d calls  %d errors%n", script, edition, bindings.size(), bad));
        }));
        out.append("\nCalls (first edition; later editions differ only where listed under failures):\n");
        byScript.forEach((script, editions) -> {
            List<Binding> first = editions.values().iterator().next();
            for (Binding b : first) {
                out.append("  ").append(script).append(':').append(b.call().where()).append(' ').append(b.call().name())
                        .append(" -> ").append(b.outcome()).append(b.set() == null ? "" : " [" + b.set() + "]").append('\n');
            }
        });
        List<Binding> failures = failures();
        out.append("\nFailures: ").append(failures.size()).append('\n');
        failures.forEach(b -> out.append("  ").append(b).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
