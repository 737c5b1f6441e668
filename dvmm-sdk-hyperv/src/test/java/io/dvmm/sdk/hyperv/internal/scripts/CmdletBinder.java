package io.dvmm.sdk.hyperv.internal.scripts;

import io.dvmm.sdk.hyperv.internal.scripts.CmdletCatalogue.Cmdlet;
import io.dvmm.sdk.hyperv.internal.scripts.CmdletCatalogue.Membership;
import io.dvmm.sdk.hyperv.internal.scripts.CmdletCatalogue.Parameter;
import io.dvmm.sdk.hyperv.internal.scripts.ParsedScript.Argument;
import io.dvmm.sdk.hyperv.internal.scripts.ParsedScript.Assignment;
import io.dvmm.sdk.hyperv.internal.scripts.ParsedScript.Command;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Binds command invocations the way PowerShell does (shared/data/hyperv/SOURCE.md), against the cmdlet facts of
 * one Windows Server edition: the command must exist (in the named module, if qualified); each named parameter must
 * resolve, case-insensitively, by name, alias or unambiguous prefix; and one parameter set must hold every named
 * parameter, take every positional argument, and get each of its required parameters by name, position, or
 * pipeline (only when the command is not first in its pipeline). Literal values are checked against the accepted
 * values. A splat counts only when its keys are visible in the same script; otherwise the call is reported, not
 * passed.
 */
final class CmdletBinder {

    /** The values of the {@code ActionPreference} common parameters. */
    private static final List<String> ACTION_PREFERENCES =
            List.of("SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend");

    private final CmdletCatalogue catalogue;
    private final String edition;
    private final Map<String, String> allowed;

    /**
     * @param allowed command names (as written, case-insensitive) that are known not to be in the catalogue, each with
     *        the reason it may still be called; their arguments are not checked
     */
    CmdletBinder(CmdletCatalogue catalogue, String edition, Map<String, String> allowed) {
        this.catalogue = catalogue;
        this.edition = edition;
        this.allowed = new LinkedHashMap<>();
        allowed.forEach((k, v) -> this.allowed.put(k.toLowerCase(Locale.ROOT), v));
    }

    String edition() {
        return edition;
    }

    /** The outcome of every command invocation of {@code script}, in source order. */
    List<Binding> bind(ParsedScript script) {
        List<Binding> out = new ArrayList<>();
        for (Command c : script.commands()) {
            out.add(bind(script, c));
        }
        return out;
    }

    Binding bind(ParsedScript script, Command call) {
        if (call.invocationOperator()) {
            return Binding.error(script, call, "invoked through & or ., so the command is not known statically");
        }
        String written = call.name();
        int slash = written.indexOf('\\');
        String module = slash < 0 ? null : written.substring(0, slash);
        String name = slash < 0 ? written : written.substring(slash + 1);
        if (module == null && script.functions().stream().anyMatch(f -> f.equalsIgnoreCase(name))) {
            return new Binding(script.name(), call, Outcome.LOCAL_FUNCTION, "defined in the script", null);
        }
        Optional<Cmdlet> found = catalogue.find(edition, name);
        if (found.isEmpty()) {
            String reason = allowed.get(written.toLowerCase(Locale.ROOT));
            if (reason != null) {
                return new Binding(script.name(), call, Outcome.ALLOWED, reason, null);
            }
            return Binding.error(script, call, "unknown cmdlet " + written + " (not in cmdlets.json for " + edition + ")");
        }
        Cmdlet cmdlet = found.get();
        if (module != null && !module.equalsIgnoreCase(cmdlet.module())) {
            return Binding.error(script, call, name + " is in module " + cmdlet.module() + ", not " + module);
        }
        List<Token> tokens = new ArrayList<>();
        for (Argument arg : call.args()) {
            if (arg.isSplat()) {
                SplatKeys keys = splatKeys(script, arg.name());
                if (keys.problem() != null) {
                    return new Binding(script.name(), call, Outcome.UNCHECKED_SPLAT, "@" + arg.name() + ": " + keys.problem(), null);
                }
                keys.keys().forEach(k -> tokens.add(new Token(k, true, null, "@" + arg.name())));
            } else if (arg.isParameter()) {
                if (arg.name().isEmpty() || arg.name().equals("-")) {
                    return Binding.error(script, call, "'" + arg.text() + "' (a bare dash or --) is not checked");
                }
                tokens.add(new Token(arg.name(), true, arg.colon() ? arg.value() == null ? "" : literalOrComputed(arg.value().literal()) : null,
                        arg.text()));
            } else {
                tokens.add(new Token(null, false, literalOrComputed(arg.literal()), arg.text()));
            }
        }
        return bindTokens(script, call, cmdlet, tokens);
    }

    private Binding bindTokens(ParsedScript script, Command call, Cmdlet cmdlet, List<Token> tokens) {
        Map<Parameter, String> named = new LinkedHashMap<>(); // parameter -> literal value, COMPUTED, or SWITCH_ON
        Set<String> commonUsed = new LinkedHashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!t.named()) {
                positional.add(t.value());
                continue;
            }
            Match match = resolve(cmdlet, t.name());
            if (match.problem() != null) {
                return Binding.error(script, call, "-" + t.name() + ": " + match.problem());
            }
            if (match.common() != null) {
                String common = match.common();
                if (!commonUsed.add(common)) {
                    return Binding.error(script, call, "-" + common + " is given twice");
                }
                String value = t.value();
                if (value == null && !t.text().startsWith("@")) {
                    if (i + 1 >= tokens.size() || tokens.get(i + 1).named()) {
                        return Binding.error(script, call, "-" + common + " needs an argument");
                    }
                    value = tokens.get(++i).value();
                }
                if (common.endsWith("Action") && value != null && !value.equals(COMPUTED) && !contains(ACTION_PREFERENCES, value)) {
                    return Binding.error(script, call, "-" + common + " does not accept '" + value + "' (accepts " + ACTION_PREFERENCES + ")");
                }
                continue;
            }
            Parameter p = match.parameter();
            if (named.containsKey(p)) {
                return Binding.error(script, call, "-" + p.name() + " is given twice");
            }
            String value = t.value();
            if (p.isSwitch()) {
                if (value != null && !value.equals(COMPUTED) && !value.equals("$true") && !value.equals("$false")) {
                    return Binding.error(script, call, "switch -" + p.name() + ":" + value + " takes $true or $false");
                }
                named.put(p, value == null ? SWITCH_ON : value);
                continue;
            }
            if (value == null && !t.text().startsWith("@")) {
                if (i + 1 >= tokens.size() || tokens.get(i + 1).named()) {
                    return Binding.error(script, call, "-" + p.name() + " needs an argument");
                }
                value = tokens.get(++i).value();
            }
            named.put(p, value == null ? COMPUTED : value);
        }
        return chooseSet(script, call, cmdlet, named, positional);
    }

    private Binding chooseSet(ParsedScript script, Command call, Cmdlet cmdlet, Map<Parameter, String> named,
                              List<String> positional) {
        List<String> reasons = new ArrayList<>();
        List<String> holding = new ArrayList<>();
        for (String set : orderedSets(cmdlet)) {
            List<String> outside = named.keySet().stream().filter(p -> p.in(set) == null).map(Parameter::name).toList();
            if (!outside.isEmpty()) {
                continue;
            }
            holding.add(set);
            String problem = tryBind(call, cmdlet, set, named, positional);
            if (problem == null) {
                return new Binding(script.name(), call, Outcome.BOUND, "set " + set, set);
            }
            reasons.add("set " + set + ": " + problem);
        }
        if (holding.isEmpty()) {
            String names = named.keySet().stream().map(p -> "-" + p.name()).collect(Collectors.joining(", "));
            return Binding.error(script, call, "no parameter set of " + cmdlet.name() + " holds " + names + " together");
        }
        return Binding.error(script, call, String.join("; ", reasons));
    }

    private String tryBind(Command call, Cmdlet cmdlet, String set, Map<Parameter, String> named, List<String> positional) {
        Map<Parameter, String> bound = new LinkedHashMap<>(named);
        List<Parameter> slots = cmdlet.parameters().stream()
                .filter(p -> p.in(set) != null && p.in(set).position() != null && !bound.containsKey(p) && !p.isSwitch())
                .sorted(Comparator.comparing(p -> p.in(set).position()))
                .toList();
        if (positional.size() > slots.size()) {
            List<String> left = positional.subList(slots.size(), positional.size());
            return "positional argument(s) left over: " + left.stream().map(v -> v.equals(COMPUTED) ? "<expression>" : "'" + v + "'").toList();
        }
        for (int i = 0; i < positional.size(); i++) {
            bound.put(slots.get(i), positional.get(i));
        }
        for (Parameter p : cmdlet.parameters()) {
            Membership m = p.in(set);
            if (m != null && m.required() && !bound.containsKey(p) && !(m.fromPipeline() && !call.firstInPipeline())) {
                return "required -" + p.name() + " is missing" + (m.fromPipeline() ? " (it could come from the pipeline, but the command is first in its pipeline)" : "");
            }
        }
        for (Map.Entry<Parameter, String> e : bound.entrySet()) {
            Parameter p = e.getKey();
            String v = e.getValue();
            if (!p.acceptedValues().isEmpty() && !v.equals(COMPUTED) && !v.equals(SWITCH_ON) && !contains(p.acceptedValues(), v)) {
                return "-" + p.name() + " does not accept '" + v + "' (accepts " + p.acceptedValues() + ")";
            }
        }
        return null;
    }

    /** The default set first, so that the set reported for a call that several sets accept is PowerShell's choice. */
    private static List<String> orderedSets(Cmdlet cmdlet) {
        List<String> sets = new ArrayList<>(cmdlet.sets());
        if (cmdlet.defaultSet() != null && sets.remove(cmdlet.defaultSet())) {
            sets.add(0, cmdlet.defaultSet());
        }
        return sets;
    }

    /**
     * Resolves a written parameter name among the cmdlet's parameters and the common parameters: an exact name or
     * alias wins; otherwise the prefix must match exactly one of them.
     */
    private Match resolve(Cmdlet cmdlet, String written) {
        for (Parameter p : cmdlet.parameters()) {
            if (p.name().equalsIgnoreCase(written) || p.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(written))) {
                return new Match(p, null, null);
            }
        }
        Map<String, List<String>> common = cmdlet.commonParameters() ? catalogue.commonParameters() : Map.of();
        for (Map.Entry<String, List<String>> e : common.entrySet()) {
            if (e.getKey().equalsIgnoreCase(written) || e.getValue().stream().anyMatch(a -> a.equalsIgnoreCase(written))) {
                return new Match(null, e.getKey(), null);
            }
        }
        String prefix = written.toLowerCase(Locale.ROOT);
        List<Parameter> own = cmdlet.parameters().stream()
                .filter(p -> startsWith(p.name(), prefix) || p.aliases().stream().anyMatch(a -> startsWith(a, prefix)))
                .toList();
        List<String> commons = common.entrySet().stream()
                .filter(e -> startsWith(e.getKey(), prefix) || e.getValue().stream().anyMatch(a -> startsWith(a, prefix)))
                .map(Map.Entry::getKey).toList();
        if (own.size() + commons.size() == 1) {
            return own.isEmpty() ? new Match(null, commons.get(0), null) : new Match(own.get(0), null, null);
        }
        if (own.isEmpty() && commons.isEmpty()) {
            return new Match(null, null, "no such parameter on " + cmdlet.name());
        }
        List<String> names = new ArrayList<>(own.stream().map(Parameter::name).toList());
        names.addAll(commons);
        return new Match(null, null, "ambiguous prefix: matches " + names);
    }

    /** The keys a splat of {@code variable} can hold, when every write to it in the script is visible. */
    static SplatKeys splatKeys(ParsedScript script, String variable) {
        List<Assignment> writes = script.assignments().stream().filter(a -> a.variable().equalsIgnoreCase(variable)).toList();
        if (writes.stream().noneMatch(a -> a.kind().equals("literal"))) {
            return new SplatKeys(List.of(), "no hashtable literal is assigned to $" + variable + " in the script");
        }
        Set<String> keys = new LinkedHashSet<>();
        for (Assignment a : writes) {
            switch (a.kind()) {
                case "literal" -> {
                    if (!a.literalKeys()) {
                        return new SplatKeys(List.of(), "the hashtable at line " + a.line() + " has a computed key");
                    }
                    keys.addAll(a.keys());
                }
                case "member", "index" -> {
                    if (a.key() == null) {
                        return new SplatKeys(List.of(), "a computed key is added at line " + a.line());
                    }
                    keys.add(a.key());
                }
                case "method" -> {
                    return new SplatKeys(List.of(), "$" + variable + " is changed by a method call at line " + a.line());
                }
                default -> {
                    return new SplatKeys(List.of(), "$" + variable + " is assigned something other than a hashtable literal at line " + a.line());
                }
            }
        }
        return new SplatKeys(List.copyOf(keys), null);
    }

    private static boolean startsWith(String s, String lowerPrefix) {
        return s.toLowerCase(Locale.ROOT).startsWith(lowerPrefix);
    }

    private static boolean contains(List<String> values, String v) {
        return values.stream().anyMatch(x -> x.equalsIgnoreCase(v));
    }

    private static String literalOrComputed(String literal) {
        return literal == null ? COMPUTED : literal;
    }

    private static final String COMPUTED = "\u0000computed";
    private static final String SWITCH_ON = "\u0000switch";

    private record Token(String name, boolean named, String value, String text) {
    }

    /** A resolved parameter name: one of the cmdlet's parameters, a common parameter, or why neither. */
    private record Match(Parameter parameter, String common, String problem) {
    }

    record SplatKeys(List<String> keys, String problem) {
    }

    /** What happened to one invocation. */
    enum Outcome {
        /** Bound to a parameter set of a cmdlet in the catalogue. */
        BOUND,
        /** A function the script defines itself. */
        LOCAL_FUNCTION,
        /** Not in the catalogue, but on the allow-list (arguments unchecked). */
        ALLOWED,
        /** Does not bind. */
        ERROR,
        /** A splat whose keys are not visible: counted as a failure. */
        UNCHECKED_SPLAT
    }

    /** The outcome of one invocation on one edition. */
    record Binding(String script, Command call, Outcome outcome, String detail, String set) {

        static Binding error(ParsedScript script, Command call, String detail) {
            return new Binding(script.name(), call, Outcome.ERROR, detail, null);
        }

        boolean failed() {
            return outcome == Outcome.ERROR || outcome == Outcome.UNCHECKED_SPLAT;
        }

        @Override
        public String toString() {
            return script + ":" + call.where() + " " + call.name() + " -> " + outcome + " (" + detail + ")";
        }
    }
}
