package io.dvmm.sdk.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Strings a caller or a server may hand the SDK: any UTF-16 text (lone surrogates included),
 * control characters, path dot segments and slashes, blank and empty, huge, and the Unicode that
 * fools eyes and parsers (right-to-left override, zero-width, byte-order mark, combining marks).
 */
public final class HostileStrings {
    private HostileStrings() {
    }

    /** @return hostile strings, never {@code null} */
    public static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(4, Arbitraries.strings().alpha().numeric().withChars("-_.").ofMinLength(1).ofMaxLength(30)),
                Tuple.of(3, Arbitraries.strings().alpha().withChars("\u0000\u0007\t\n\r\u001b\u007f\u0085")
                        .ofMinLength(1).ofMaxLength(12)),
                Tuple.of(3, Arbitraries.of("", " ", "\t", "\u00a0", "\u3000", ".", "..", "/", "//", "../..",
                        "/a/../b", "a//b", "./a", "a/.", "C:\\x\\..\\y", "\\\\host\\share", "%2e%2e%2f", "a b", " a", "a ")),
                Tuple.of(3, Arbitraries.of("\u202egnp.exe", "a\u200bb", "\ufeffname", "e\u0301", "\ud83d\ude00",
                        "\ud800", "\udc00x", "\u0130i\u0131", "\u00df", "\uffff", "web-01", "ubuntu", "vmbr0", "10.0.0.1",
                        "2001:db8::1", "::ffff:1.2.3.4", "00:11:22:33:44:55", "ssh-ed25519 AAAA c", "PT30S", "30s",
                        "proxmox://pve1:8006", "inmemory:/x", "true", "0", "-1", "9223372036854775808")),
                // Huge: a short random part repeated (jqwik keeps a shrinkable per generated character, too slow for 70,000).
                Tuple.of(1, Combinators.combine(Arbitraries.strings().withChars("a.-/ \u00e9").ofMinLength(1).ofMaxLength(8),
                        Arbitraries.integers().between(1_000, 70_000)).as((part, length) -> part.repeat(length / part.length() + 1))));
    }

    /** @return hostile strings, and now and then {@code null} */
    public static Arbitrary<String> orNull() {
        return strings().injectNull(0.1);
    }
}
