package io.dvmm.sdk.simulator.hyperv.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a cmd-shell command line as {@code powershell.exe} would: is it PowerShell with {@code -EncodedCommand}, and
 * is it exactly the shape the provider must send ({@value #CANONICAL_PREFIX}{@code <base64>}).
 */
final class PowerShellCommandLine {

    static final String CANONICAL_PREFIX = "powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ";

    /** A PowerShell invocation: its encoded script (null when there is none) and whether the line is canonical. */
    record Parsed(String encoded, boolean canonical) {
    }

    private PowerShellCommandLine() {
    }

    /** Empty when the line does not start PowerShell at all. */
    static Optional<Parsed> parse(String line) {
        String[] tokens = line.trim().split("\\s+");
        if (tokens.length == 0) {
            return Optional.empty();
        }
        String exe = tokens[0].toLowerCase(Locale.ROOT);
        if (!exe.equals("powershell") && !exe.equals("powershell.exe")) {
            return Optional.empty();
        }
        String encoded = null;
        for (int i = 1; i < tokens.length - 1; i++) {
            String t = tokens[i].toLowerCase(Locale.ROOT);
            // PowerShell 5.1 takes any unambiguous prefix of -EncodedCommand down to -e, -ec and -enc.
            if (t.startsWith("-e") && "-encodedcommand".startsWith(t) || t.equals("-ec")) {
                encoded = tokens[i + 1];
            }
        }
        boolean canonical = line.startsWith(CANONICAL_PREFIX) && encoded != null
                && line.equals(CANONICAL_PREFIX + encoded);
        return Optional.of(new Parsed(encoded, canonical));
    }

    /** The script text of an {@code -EncodedCommand} value (base64 of UTF-16LE), or empty when it is not that. */
    static Optional<String> decode(String encoded) {
        try {
            byte[] utf16 = Base64.getDecoder().decode(encoded);
            if (utf16.length % 2 != 0) {
                return Optional.empty();
            }
            return Optional.of(new String(utf16, StandardCharsets.UTF_16LE));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
