package io.dvmm.sdk.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Answers a server, a proxy or a broken connection may deliver: real bodies (from a simulator or
 * a capture) mutated a few steps at a time, and plain noise. A step truncates, flips a byte,
 * deletes or duplicates a range or an element, puts a value of the wrong type or a huge number,
 * inserts a stray token or invalid UTF-8, nests deeply, or (XML) declares a DTD with entities.
 * Each body says how it was made, so a shrunk counterexample reads as a recipe.
 */
public final class HostileBodies {

    /** The syntax of the seed bodies, for the steps that know it. */
    public enum Syntax {
        /** JSON documents. */
        JSON,
        /** XML documents. */
        XML
    }

    /** What one mutation step does. */
    public enum Kind {
        TRUNCATE, FLIP_BYTE, DELETE_RANGE, DUPLICATE_RANGE, DELETE_ELEMENT, DUPLICATE_ELEMENT, WRONG_TYPE, HUGE_NUMBER,
        HUGE_TEXT, INSERT_TOKEN, INVALID_UTF8, DEEP_NESTING, DTD
    }

    /**
     * One mutation step.
     *
     * @param kind what it does
     * @param where which position, element or value (taken modulo what the body has)
     * @param which which variant (taken modulo the variants of the kind)
     */
    public record Step(Kind kind, int where, int which) {
    }

    /**
     * A hostile body.
     *
     * @param origin the seed's name and the steps applied, or what noise it is
     * @param bytes the body
     * @param declaresDtd whether a step declared a DTD (such a body must be refused)
     */
    public record Body(String origin, byte[] bytes, boolean declaresDtd) {
        /** @return the body as UTF-8 text (invalid sequences replaced) */
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String t = new String(bytes, StandardCharsets.ISO_8859_1);
            String head = t.length() > 400 ? t.substring(0, 400) + "...(" + (t.length() - 400) + " more)" : t;
            StringBuilder shown = new StringBuilder();
            head.chars().forEach(c -> shown.append(c < 0x20 || c > 0x7e ? String.format("\\x%02x", c) : String.valueOf((char) c)));
            return origin + " [" + bytes.length + " bytes] " + shown;
        }
    }

    // Possessive, unrolled: a string of 300,000 characters must not recurse once per character.
    private static final String JSON_STRING = "\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"";
    private static final String JSON_SCALAR = JSON_STRING + "|-?\\d++(?:\\.\\d++)?+(?:[eE][+-]?\\d++)?+|true|false|null";
    private static final Pattern JSON_SCALARS = Pattern.compile(JSON_SCALAR);
    private static final Pattern JSON_MEMBERS = Pattern.compile(JSON_STRING + "\\s*+:\\s*+(?:" + JSON_SCALAR + ")\\s*+,?");
    private static final Pattern XML_TEXTS = Pattern.compile(">([^<>]+)<");
    private static final Pattern XML_START_TAGS = Pattern.compile("<([A-Za-z_][\\w.:-]*)(?:\\s[^<>]*)?(?<!/)>");

    private static final List<String> JSON_TOKENS = List.of("\"", "{", "}", "[", "]", ",", ":", "null", "1e99999", "-",
            "\"\\u0000\"", "\"\\ud800\"", "/*c*/", "NaN", "\n", "{\"a\":", "\"a\":1,", "\\", "\"\\x\"", "\u0000");
    private static final List<String> XML_TOKENS = List.of("<", ">", "&", "&undefined;", "&#0;", "&#x110000;", "&#xD800;",
            "<![CDATA[x]]>", "<![CDATA[", "]]>", "<?pi x?>", "<!-- c -->", "<x/>", "</a>", "<a>", " xmlns:p=\"urn:x\"", "\"",
            "\u0000", "<?xml version=\"1.0\"?>", "<x xsi:type=\"NoSuchType\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<p:x xmlns:p=\"\">", "<:>", "<a b=\"1\" b=\"2\"/>");
    private static final List<String> JSON_WRONG = List.of("\"x\"", "\"12abc\"", "\"\"", "12", "-1", "1.5", "true", "null", "[]",
            "{}", "[1,\"a\"]", "{\"a\":{}}", "\"UPID:\"", "\"\\u0000\"", "[null]", "{\"\":null}");
    private static final List<String> XML_WRONG = List.of("", " ", "x", "-1", "1.5", "true", "NaN", "1e5", "0x10", "&amp;",
            "9999-99-99T99:99:99Z", "\u00e9\u2603", "<x/>", "-0", "INF");
    private static final List<String> HUGE_NUMBERS = List.of("99999999999999999999999999", "-9223372036854775809",
            "9223372036854775807", "2147483648", "-2147483649", "1e400", "-1e-400", "1" + "0".repeat(1200),
            "0." + "1".repeat(1200), "4294967296");
    private static final List<byte[]> INVALID_UTF8 = List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc3},
            new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xe2, (byte) 0x82},
            new byte[] {(byte) 0x80}, new byte[] {0});
    /** Strings that mean something to the providers' readers of JSON text values, cut short or overflowing. */
    private static final List<String> HOSTILE_JSON_STRINGS = List.of("\",\"", "\"=\"", "\",,=,\"", "\"UPID:\"", "\"UPID::\"",
            "\"UPID:n\"", "\"size=\"", "\"x,size=1e999G\"", "\"x,size=99999999999999999999T\"", "\"current=\"",
            "\"ip=/24\"", "\"ip=1.2.3.4/99999999999\"", "\"none\"", "\"media=cdrom\"", "\";;;\"", "\"_zz\"", "\"_\"",
            "\"+\"", "\"a+_\"", "\"9223372036854775807\"", "\"-9223372036854775808\"", "\"1.5e300\"", "\"NaN\"",
            "\"virtio=zz,bridge=\"", "\"\\ud800\"");
    /** Every value {@link Kind#WRONG_TYPE} may put in place of a JSON value. */
    private static final List<String> JSON_VALUES = concat(JSON_WRONG, HOSTILE_JSON_STRINGS, HUGE_NUMBERS);
    /** Every text {@link Kind#WRONG_TYPE} may put in place of an XML text value. */
    private static final List<String> XML_VALUES = concat(XML_WRONG, HUGE_NUMBERS, List.of(",", "=", ",,", ";", ":", "/", "..",
            "-9223372036854775808", "2147483647", "P99999999999D", "2024-13-45T25:61:61Z", "0000-00-00T00:00:00Z"));
    /** What a number meets most often: a huge one, or one just past a bound. */
    private static final List<String> NUMBERS = concat(HUGE_NUMBERS, List.of("-1", "0", "-0", "1.5", "1e3", "65536", "-2147483648"));
    private static final int[] DEPTHS = {50, 1_000, 10_000, 100_000};
    private static final int MAX_NESTING_BYTES = 2 << 20;
    private static final List<String> DTDS = List.of(
            "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>",
            "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                    + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                    + "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">]>",
            "<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/x.dtd\">",
            "<!DOCTYPE r [<!ENTITY % p SYSTEM \"file:///etc/hostname\"> %p;]>",
            "<!DOCTYPE r [<!ENTITY i \"inner\">]>",
            "<!DOCTYPE r PUBLIC \"-//X//Y\" \"file:///etc/hostname\">");
    private static final List<String> ENTITY_REFERENCES = List.of("&x;", "&f;", "", "", "&i;", "");

    private HostileBodies() {
    }

    /**
     * @param syntax the seeds' syntax
     * @param seeds valid bodies, by a name that says where each came from
     * @return the seeds, each mutated by one to three steps
     */
    public static Arbitrary<Body> mutated(Syntax syntax, Map<String, byte[]> seeds) {
        List<String> names = List.copyOf(seeds.keySet());
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.class).filter(k -> k != Kind.DTD || syntax == Syntax.XML),
                Arbitraries.integers().greaterOrEqual(0), Arbitraries.integers().between(0, 1_000)).as(Step::new);
        return Combinators.combine(Arbitraries.of(names), step.list().ofMinSize(1).ofMaxSize(3))
                .as((name, steps) -> apply(syntax, name, seeds.get(name), steps));
    }

    /**
     * @param syntax the seeds' syntax
     * @param seeds valid bodies, by name
     * @return the seeds, well-formed still, with one to eight values (JSON scalars, XML text) each
     *         replaced by a value of the wrong type, a huge number, or a text a reader splits or parses
     */
    public static Arbitrary<Body> revalued(Syntax syntax, Map<String, byte[]> seeds) {
        List<String> names = List.copyOf(seeds.keySet());
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().greaterOrEqual(0), Arbitraries.integers().between(0, 1_000))
                .as((where, which) -> new Step(Kind.WRONG_TYPE, where, which));
        return Combinators.combine(Arbitraries.of(names), step.list().ofMinSize(1).ofMaxSize(8))
                .as((name, steps) -> apply(syntax, name, seeds.get(name), steps));
    }

    /**
     * @param seeds valid XML bodies, by name
     * @return each seed with a DTD declared (external, parameter or internal entities, billion laughs)
     *         and, where the DTD defines one, an entity referenced in a text value
     */
    public static Arbitrary<Body> withDtd(Map<String, byte[]> seeds) {
        List<String> names = List.copyOf(seeds.keySet());
        return Combinators.combine(Arbitraries.of(names), Arbitraries.integers().greaterOrEqual(0),
                        Arbitraries.integers().between(0, DTDS.size() - 1))
                .as((name, where, which) -> apply(Syntax.XML, name, seeds.get(name), List.of(new Step(Kind.DTD, where, which))));
    }

    /**
     * JSON documents built from the seeds' own vocabulary: their keys (and the keys with a huge
     * index or a stray suffix), their values and hostile scalars, nested up to four levels, most of
     * them under {@code data}. Finds what mutations of whole bodies reach only by luck: a known
     * key with a value of the wrong type or size.
     *
     * @param seeds valid JSON bodies, by name
     * @return the documents
     */
    public static Arbitrary<Body> recombinedJson(Map<String, byte[]> seeds) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        java.util.Set<String> scalars = new java.util.TreeSet<>();
        Pattern key = Pattern.compile("(" + JSON_STRING + ")\\s*+:");
        for (byte[] seed : seeds.values()) {
            String text = new String(seed, StandardCharsets.ISO_8859_1);
            Matcher k = key.matcher(text);
            while (k.find()) {
                keys.add(k.group(1));
            }
            Matcher v = JSON_SCALARS.matcher(text);
            while (v.find()) {
                scalars.add(v.group());
            }
        }
        scalars.removeAll(keys);
        List<String> names = new ArrayList<>(keys);
        for (String k : keys) {
            String bare = k.substring(1, k.length() - 1);
            names.add("\"" + bare + "99999999999\"");
            names.add("\"" + bare + "_\"");
        }
        List<String> hostile = new ArrayList<>(JSON_WRONG);
        hostile.addAll(HUGE_NUMBERS);
        hostile.addAll(HOSTILE_JSON_STRINGS);
        Arbitrary<String> scalar = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(List.copyOf(scalars))),
                Tuple.of(2, Arbitraries.of(hostile)));
        Arbitrary<String> value = jsonValue(Arbitraries.of(names), scalar, 4);
        return Arbitraries.oneOf(value.map(v -> "{\"data\":" + v + "}"), value.map(v -> "{\"data\":[" + v + "," + v + "]}"), value)
                .map(v -> new Body("recombined", v.getBytes(StandardCharsets.ISO_8859_1), false));
    }

    private static Arbitrary<String> jsonValue(Arbitrary<String> key, Arbitrary<String> scalar, int depth) {
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> inner = Arbitraries.lazy(() -> jsonValue(key, scalar, depth - 1));
        Arbitrary<String> object = Combinators.combine(key, inner).as((k, v) -> k + ":" + v).list().ofMaxSize(6)
                .map(members -> "{" + String.join(",", members) + "}");
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        return Arbitraries.frequencyOf(Tuple.of(3, scalar), Tuple.of(3, object), Tuple.of(1, array));
    }

    /** @return bytes and text with no structure at all, empty and blank included */
    public static Arbitrary<Body> noise() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(600).map(b -> new Body("random bytes", b, false)),
                HostileStrings.strings().map(s -> new Body("hostile text", s.getBytes(StandardCharsets.UTF_8), false)),
                Arbitraries.of("", " ", "\r\n", "null", "0", "[]", "{}", "\"x\"", "<a/>", "<", "<?xml version=\"1.0\"?>", "\ufeff")
                        .map(s -> new Body("tiny", s.getBytes(StandardCharsets.UTF_8), false)));
    }

    /**
     * Applies steps to a seed; public so that a regression test can replay a shrunk counterexample.
     *
     * @param syntax the seed's syntax
     * @param name the seed's name
     * @param seed the seed
     * @param steps the steps, in order
     * @return the body
     */
    public static Body apply(Syntax syntax, String name, byte[] seed, List<Step> steps) {
        // One char per byte, so that structure (all ASCII) can be found with patterns and any byte kept exactly.
        String s = new String(seed, StandardCharsets.ISO_8859_1);
        boolean dtd = false;
        for (Step step : steps) {
            s = apply(syntax, s, step);
            dtd |= step.kind() == Kind.DTD;
        }
        return new Body(name + " " + steps, s.getBytes(StandardCharsets.ISO_8859_1), dtd);
    }

    private static String apply(Syntax syntax, String s, Step step) {
        int len = s.length();
        int at = len == 0 ? 0 : Math.floorMod(step.where(), len + 1);
        int which = step.which();
        boolean json = syntax == Syntax.JSON;
        return switch (step.kind()) {
            case TRUNCATE -> s.substring(0, at);
            case FLIP_BYTE -> {
                if (len == 0) {
                    yield s;
                }
                int i = Math.floorMod(step.where(), len);
                yield s.substring(0, i) + (char) ((s.charAt(i) ^ (1 + which % 255)) & 0xff) + s.substring(i + 1);
            }
            case DELETE_RANGE -> s.substring(0, at) + s.substring(Math.min(len, at + 1 + which % 64));
            case DUPLICATE_RANGE -> {
                int end = Math.min(len, at + 1 + which % 256);
                yield s.substring(0, end) + s.substring(at, end) + s.substring(end);
            }
            case DELETE_ELEMENT, DUPLICATE_ELEMENT -> {
                int[] r = json ? match(JSON_MEMBERS, s, step.where()) : xmlElement(s, step.where());
                if (r == null) {
                    yield s;
                }
                String element = s.substring(r[0], r[1]);
                yield s.substring(0, r[0]) + (step.kind() == Kind.DELETE_ELEMENT ? "" : element + element) + s.substring(r[1]);
            }
            case WRONG_TYPE -> {
                // A number most often meets a huge or negative one, a text one a reader splits or parses.
                int[] r = valueRange(json, s, step.where());
                if (r == null) {
                    yield s;
                }
                boolean number = s.substring(r[0], r[1]).strip().matches("-?\\d+(\\.\\d+)?");
                List<String> values = number ? (which % 3 == 0 ? (json ? JSON_VALUES : XML_VALUES) : NUMBERS)
                        : (json ? JSON_VALUES : XML_VALUES);
                yield s.substring(0, r[0]) + latin1(pick(values, which / 3)) + s.substring(r[1]);
            }
            case HUGE_NUMBER -> replaceValue(json, s, step.where(), pick(HUGE_NUMBERS, which));
            case HUGE_TEXT -> {
                String big = "x\u00e9".repeat(50_000 + which * 100);
                yield replaceValue(json, s, step.where(), json ? "\"" + big + "\"" : big);
            }
            case INSERT_TOKEN -> s.substring(0, at) + latin1(pick(json ? JSON_TOKENS : XML_TOKENS, which)) + s.substring(at);
            case INVALID_UTF8 -> s.substring(0, at) + new String(INVALID_UTF8.get(which % INVALID_UTF8.size()),
                    StandardCharsets.ISO_8859_1) + s.substring(at);
            case DEEP_NESTING -> nest(json, s, step.where(), DEPTHS[which % DEPTHS.length]);
            case DTD -> declareDtd(s, step.where(), which % DTDS.size());
        };
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
    }

    private static String pick(List<String> options, int which) {
        return options.get(which % options.size());
    }

    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** @return the range of the match number {@code n} (modulo the matches), or {@code null} when none */
    private static int[] match(Pattern p, String s, int n) {
        List<int[]> all = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) {
            all.add(new int[] {m.start(), m.end()});
        }
        return all.isEmpty() ? null : all.get(Math.floorMod(n, all.size()));
    }

    /** @return the range of the XML text node or JSON scalar number {@code n}, or {@code null} */
    private static int[] valueRange(boolean json, String s, int n) {
        if (json) {
            return match(JSON_SCALARS, s, n);
        }
        List<int[]> all = new ArrayList<>();
        Matcher m = XML_TEXTS.matcher(s);
        while (m.find()) {
            if (!m.group(1).isBlank()) {
                all.add(new int[] {m.start(1), m.end(1)});
            }
        }
        return all.isEmpty() ? null : all.get(Math.floorMod(n, all.size()));
    }

    private static String replaceValue(boolean json, String s, int n, String replacement) {
        int[] r = valueRange(json, s, n);
        return r == null ? s : s.substring(0, r[0]) + latin1(replacement) + s.substring(r[1]);
    }

    /** The range of element number {@code n}: its start tag to its matching end tag (same-name tags counted). */
    private static int[] xmlElement(String s, int n) {
        int[] start = match(XML_START_TAGS, s, n);
        if (start == null) {
            return null;
        }
        Matcher tag = XML_START_TAGS.matcher(s);
        tag.region(start[0], s.length());
        if (!tag.lookingAt()) {
            return null;
        }
        String name = tag.group(1);
        Pattern same = Pattern.compile("<(/?)" + Pattern.quote(name) + "(?=[\\s/>])[^<>]*?(/?)>");
        Matcher m = same.matcher(s);
        m.region(start[1], s.length());
        int depth = 1;
        while (m.find()) {
            if (!m.group(2).isEmpty()) {
                continue;
            }
            depth += m.group(1).isEmpty() ? 1 : -1;
            if (depth == 0) {
                return new int[] {start[0], m.end()};
            }
        }
        return null;
    }

    private static String nest(boolean json, String s, int n, int depth) {
        if (json) {
            int[] r = valueRange(true, s, n);
            if (r == null) {
                return "[".repeat(depth) + s + "]".repeat(depth);
            }
            boolean arrays = (n & 1) == 0;
            String open = arrays ? "[" : "{\"a\":";
            String close = arrays ? "]" : "}";
            return s.substring(0, r[0]) + open.repeat(depth) + s.substring(r[0], r[1]) + close.repeat(depth) + s.substring(r[1]);
        }
        // An element nested in copies of its own start tag: a recursive type (a snapshot tree) recurses on it.
        int[] r = xmlElement(s, n);
        if (r == null) {
            return s;
        }
        Matcher tag = XML_START_TAGS.matcher(s);
        tag.region(r[0], r[1]);
        tag.lookingAt();
        String open = tag.group();
        String close = "</" + tag.group(1) + ">";
        depth = Math.min(depth, MAX_NESTING_BYTES / open.length()); // a few MiB at most, as a response bound allows
        return s.substring(0, r[0]) + open.repeat(depth) + s.substring(r[0], r[1]) + close.repeat(depth) + s.substring(r[1]);
    }

    private static String declareDtd(String s, int n, int which) {
        int prolog = s.startsWith("<?xml") && s.indexOf("?>") > 0 ? s.indexOf("?>") + 2 : 0;
        String withDtd = s.substring(0, prolog) + DTDS.get(which) + s.substring(prolog);
        String reference = ENTITY_REFERENCES.get(which);
        return reference.isEmpty() ? withDtd : replaceValue(false, withDtd, n, reference);
    }
}
