package io.dvmm.sdk.hyperv.internal.scripts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cmdlet facts of {@code cmdlets.json} (format in {@code shared/data/hyperv/SOURCE.md}): per Windows Server
 * edition, its Hyper-V and Storage cmdlets plus the Windows PowerShell 5.1 core cmdlets, which every edition has.
 */
final class CmdletCatalogue {

    static final List<String> EDITIONS = List.of("2016", "2019", "2022", "2025");
    static final String ALL_SETS = "(All)";
    static final String SINGLE_SET = "__AllParameterSets";

    private final Map<String, Map<String, Cmdlet>> byEdition;
    private final Map<String, List<String>> commonParameters;

    private CmdletCatalogue(Map<String, Map<String, Cmdlet>> byEdition, Map<String, List<String>> commonParameters) {
        this.byEdition = byEdition;
        this.commonParameters = commonParameters;
    }

    static CmdletCatalogue load(Path file) {
        try {
            JsonNode root = JsonMapper.builder().build().readTree(file.toFile());
            Map<String, List<String>> common = new LinkedHashMap<>();
            root.get("commonParameters").fields().forEachRemaining(e -> common.put(e.getKey(), strings(e.getValue())));
            Map<String, Cmdlet> core = new LinkedHashMap<>();
            root.get("core51").fields().forEachRemaining(e -> put(core, cmdlet(e.getKey(), e.getValue())));
            Map<String, Map<String, Cmdlet>> editions = new LinkedHashMap<>();
            for (String edition : EDITIONS) {
                Map<String, Cmdlet> all = new LinkedHashMap<>(core);
                root.get("editions").get(edition).fields().forEachRemaining(module ->
                        module.getValue().fields().forEachRemaining(e -> put(all, cmdlet(e.getKey(), e.getValue()))));
                editions.put(edition, all);
            }
            return new CmdletCatalogue(editions, common);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The cmdlet of that name (case-insensitive, without module) on that edition. */
    Optional<Cmdlet> find(String edition, String name) {
        Map<String, Cmdlet> cmdlets = byEdition.get(edition);
        if (cmdlets == null) {
            throw new IllegalArgumentException("unknown edition " + edition);
        }
        return Optional.ofNullable(cmdlets.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The common parameters (name to aliases) that every cmdlet with {@code commonParameters} accepts. */
    Map<String, List<String>> commonParameters() {
        return commonParameters;
    }

    private static void put(Map<String, Cmdlet> map, Cmdlet c) {
        map.put(c.name().toLowerCase(Locale.ROOT), c);
    }

    private static Cmdlet cmdlet(String name, JsonNode c) {
        List<Parameter> parameters = new ArrayList<>();
        Set<String> sets = new LinkedHashSet<>(strings(c.get("sets")));
        for (Iterator<Map.Entry<String, JsonNode>> it = c.get("parameters").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = e.getValue();
            Map<String, Membership> in = new LinkedHashMap<>();
            p.get("sets").fields().forEachRemaining(s -> {
                JsonNode m = s.getValue();
                in.put(s.getKey(), new Membership(m.path("required").asBoolean(false),
                        m.path("position").isNull() || m.path("position").isMissingNode() ? null : m.get("position").asInt(),
                        m.path("pipeline").asText("False").startsWith("True")));
                if (!ALL_SETS.equals(s.getKey())) {
                    sets.add(s.getKey());
                }
            });
            String type = p.path("type").asText("");
            boolean isSwitch = p.path("switch").asBoolean(false) || type.endsWith("SwitchParameter");
            parameters.add(new Parameter(e.getKey(), type, isSwitch, strings(p.get("aliases")), strings(p.get("acceptedValues")), in));
        }
        if (sets.isEmpty()) {
            sets.add(SINGLE_SET);
        }
        return new Cmdlet(name, c.path("module").asText(), c.path("defaultSet").asText(null), List.copyOf(sets),
                c.path("commonParameters").asBoolean(true), List.copyOf(parameters));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return List.copyOf(out);
    }

    /** One cmdlet: its module, parameter sets and parameters. */
    record Cmdlet(String name, String module, String defaultSet, List<String> sets, boolean commonParameters,
                  List<Parameter> parameters) {
    }

    /** One parameter and the sets it belongs to ({@code (All)} stands for every set). */
    record Parameter(String name, String type, boolean isSwitch, List<String> aliases, List<String> acceptedValues,
                     Map<String, Membership> sets) {

        /** Its membership of {@code set}, or null when the parameter is not in that set. */
        Membership in(String set) {
            Membership m = sets.get(set);
            return m != null ? m : sets.get(ALL_SETS);
        }
    }

    /** How a parameter belongs to one set. */
    record Membership(boolean required, Integer position, boolean fromPipeline) {
    }
}
