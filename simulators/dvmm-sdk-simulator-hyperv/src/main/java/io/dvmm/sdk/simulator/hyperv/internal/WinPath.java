package io.dvmm.sdk.simulator.hyperv.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Windows path rules as .NET's {@code System.IO.Path} applies them on the host: {@code GetFullPath} (separators,
 * {@code .} and {@code ..}, relative paths against the shell's working folder), {@code Combine},
 * {@code GetDirectoryName}, and case-insensitive identity. Characters Windows refuses in a path fail as .NET fails.
 */
final class WinPath {

    /** Where a WinRM shell starts: the account's profile folder. */
    static final String WORKING_FOLDER = "C:\\Users\\Administrator";

    private WinPath() {
    }

    /** {@code [IO.Path]::GetFullPath(p)}. */
    static String full(String p) {
        if (p == null || p.isEmpty()) {
            throw ScriptError.dotNet("GetFullPath", 1, "ArgumentException", "The path is not of a legal form.");
        }
        for (char c : p.toCharArray()) {
            if (c < 32 || c == '"' || c == '<' || c == '>' || c == '|') {
                throw ScriptError.dotNet("GetFullPath", 1, "ArgumentException", "Illegal characters in path.");
            }
        }
        String s = p.replace('/', '\\');
        String root;
        String rest;
        if (s.length() >= 2 && Character.isLetter(s.charAt(0)) && s.charAt(1) == ':') {
            root = Character.toUpperCase(s.charAt(0)) + ":\\";
            rest = s.substring(2);
            if (!rest.startsWith("\\")) {
                rest = WORKING_FOLDER.substring(3) + "\\" + rest;
            }
        } else if (s.startsWith("\\\\")) {
            String[] parts = s.substring(2).split("\\\\", 3);
            if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw ScriptError.dotNet("GetFullPath", 1, "ArgumentException",
                        "The UNC path should be of the form \\\\server\\share.");
            }
            root = "\\\\" + parts[0] + "\\" + parts[1] + "\\";
            rest = parts.length > 2 ? parts[2] : "";
        } else if (s.startsWith("\\")) {
            root = WORKING_FOLDER.substring(0, 3);
            rest = s;
        } else {
            root = WORKING_FOLDER.substring(0, 3);
            rest = WORKING_FOLDER.substring(3) + "\\" + s;
        }
        if (rest.contains(":")) {
            throw ScriptError.dotNet("GetFullPath", 1, "NotSupportedException", "The given path's format is not supported.");
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String seg : rest.split("\\\\")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                segments.pollLast();
            } else {
                // .NET Framework trims trailing dots and spaces of a segment.
                String t = seg.replaceAll("[. ]+$", "");
                segments.addLast(t.isEmpty() ? seg : t);
            }
        }
        boolean trailing = rest.endsWith("\\") && !segments.isEmpty();
        return root + String.join("\\", segments) + (trailing ? "\\" : "");
    }

    /** {@code [IO.Path]::Combine(a, b)}: {@code b} when it is rooted. */
    static String combine(String a, String b) {
        if (b.length() >= 2 && b.charAt(1) == ':' || b.startsWith("\\")) {
            return b;
        }
        return a.endsWith("\\") || a.endsWith("/") || a.isEmpty() ? a + b : a + "\\" + b;
    }

    /** {@code [IO.Path]::GetDirectoryName(p)} of a full path; null for a root. */
    static String parent(String full) {
        String s = full.endsWith("\\") && full.length() > 3 ? full.substring(0, full.length() - 1) : full;
        int i = s.lastIndexOf('\\');
        if (i < 0 || s.length() <= 3 && s.charAt(1) == ':') {
            return null;
        }
        return i == 2 && s.charAt(1) == ':' ? s.substring(0, 3) : s.substring(0, i);
    }

    /** The last segment. */
    static String name(String full) {
        String s = full.endsWith("\\") ? full.substring(0, full.length() - 1) : full;
        return s.substring(s.lastIndexOf('\\') + 1);
    }

    /** The last segment without its extension ({@code FileInfo.BaseName}). */
    static String baseName(String full) {
        String n = name(full);
        int dot = n.lastIndexOf('.');
        return dot <= 0 ? n : n.substring(0, dot);
    }

    /** The identity of a path on NTFS: case-insensitive, without a trailing separator. */
    static String key(String full) {
        String s = full.endsWith("\\") && full.length() > 3 ? full.substring(0, full.length() - 1) : full;
        return s.toUpperCase(Locale.ROOT);
    }

    /** Whether {@code full} lies under the folder {@code root} (given with a trailing separator), ignoring case. */
    static boolean under(String full, String root) {
        return full.regionMatches(true, 0, root, 0, root.length());
    }

    /** The drive of a full path ({@code D:}), or null for a UNC path. */
    static String drive(String full) {
        return full.length() >= 2 && full.charAt(1) == ':' ? full.substring(0, 2).toUpperCase(Locale.ROOT) : null;
    }

    /** Whether a file name can be created: Windows refuses these characters in a name. */
    static void checkCreatable(String full, String method) {
        String afterRoot = full.length() > 3 && full.charAt(1) == ':' ? full.substring(3) : full;
        for (char c : afterRoot.toCharArray()) {
            if (c == '*' || c == '?' || c == ':') {
                throw ScriptError.dotNet(method, 1, "IOException", "The filename, directory name, or volume label syntax is incorrect.");
            }
        }
    }
}
