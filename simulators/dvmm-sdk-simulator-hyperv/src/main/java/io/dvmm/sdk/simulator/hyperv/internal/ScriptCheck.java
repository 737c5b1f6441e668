package io.dvmm.sdk.simulator.hyperv.internal;

import io.dvmm.sdk.simulator.hyperv.ScriptCatalog;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule that keeps user input out of script text: a script is accepted only when it is a catalog entry with the
 * placeholder replaced by a standard, padded base64 literal (or by nothing), so the only thing that differs from the
 * catalog is data that cannot close its quotes.
 */
final class ScriptCheck {

    /** An accepted script: its operation and the base64 literal in place of the placeholder ("" when empty). */
    record Accepted(String operation, String argumentLiteral) {
    }

    /** A refused script, with the line PowerShell would point at. */
    static final class Refused extends Exception {
        private final int line;

        Refused(String why, int line) {
            super(why, null, false, false);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    private static final Pattern HEADER = Pattern.compile("# hvsdk:([a-z0-9-]+)\n");
    private static final Pattern BASE64 = Pattern.compile(
            "(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");

    private final ScriptCatalog catalog;

    ScriptCheck(ScriptCatalog catalog) {
        this.catalog = catalog;
    }

    Accepted check(String text) throws Refused {
        Matcher h = HEADER.matcher(text);
        if (!h.lookingAt()) {
            throw new Refused("the script does not start with a '# hvsdk:<operation>' line", 1);
        }
        String op = h.group(1);
        String template = catalog.template(op).orElseThrow(() -> new Refused("no catalog script for operation " + op, 1));
        int at = template.indexOf(ScriptCatalog.PLACEHOLDER);
        String before = template.substring(0, at);
        String after = template.substring(at + ScriptCatalog.PLACEHOLDER.length());
        if (!text.startsWith(before)) {
            throw new Refused("the script differs from the catalog's " + op, firstDifference(text, before));
        }
        if (!text.endsWith(after) || text.length() < before.length() + after.length()) {
            throw new Refused("the script differs from the catalog's " + op + " after the argument",
                    lineOf(text, Math.min(text.length(), before.length())));
        }
        String literal = text.substring(before.length(), text.length() - after.length());
        if (!BASE64.matcher(literal).matches()) {
            throw new Refused("the argument of " + op + " is not a base64 literal", lineOf(text, before.length()));
        }
        return new Accepted(op, literal);
    }

    private static int firstDifference(String text, String expected) {
        int i = 0;
        while (i < text.length() && i < expected.length() && text.charAt(i) == expected.charAt(i)) {
            i++;
        }
        return lineOf(text, i);
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
