package io.dvmm.sdk.hyperv.internal.scripts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The PowerShell scripts the Hyper-V provider sends, one per operation, and the one way to turn a script and its
 * arguments into the command line WinRM runs.
 *
 * <p>Each script is a constant resource ({@code <operation>.ps1} beside this class, contract in its {@code README.md}).
 * What is sent is the script's {@code # hvsdk:<operation>} line, then the shared {@code prelude.ps1}, then the rest of
 * the script; the user's values never become script text: they travel as one base64 UTF-8 JSON literal that replaces
 * {@link #ARGUMENT_PLACEHOLDER} (base64's alphabet cannot close the quotes around it), or, when too large for the
 * command line, in the shell environment variable {@link #ENVIRONMENT_VARIABLE} with the placeholder left empty.
 */
public enum HyperVScript {
    TEST_CONNECTION,
    INVENTORY,
    LIST_VMS,
    GET_VM,
    FIND_VM,
    CREATE_LINKED,
    CREATE_FULL,
    SET_CPU_MEMORY,
    ADD_DISK,
    RESIZE_DISK,
    RECONFIGURE,
    START,
    SHUTDOWN,
    TURN_OFF,
    RESTART,
    SAVE,
    RESUME,
    CHECKPOINT_CREATE,
    CHECKPOINT_LIST,
    CHECKPOINT_RESTORE,
    CHECKPOINT_DELETE,
    GUEST_IPS,
    SET_METADATA,
    COPY_FILE,
    DELETE;

    /** The token in every script's source that the base64 argument replaces; it stands inside single quotes. */
    public static final String ARGUMENT_PLACEHOLDER = "__HVSDK_ARGS__";

    /** The shell environment variable a script reads its base64 argument from when the placeholder is empty. */
    public static final String ENVIRONMENT_VARIABLE = "HVSDK_ARGS";

    /** Prefix of the one stdout line that carries a script's result: this marker, then base64 of compact JSON. */
    public static final String RESULT_MARKER = "@@HVSDK@@";

    /** cmd.exe's limit on a command line, which WinRM's cmd shell applies to the whole powershell invocation. */
    public static final int COMMAND_LINE_LIMIT = 8191;

    static final String COMMAND_PREFIX = "powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ";
    static final String PRELUDE_RESOURCE = "prelude.ps1";

    private volatile String template;

    /** The operation name, as in the script's first line and its resource name ({@code create-linked}). */
    public String operation() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The resource name of this script's body, relative to this class. */
    public String resourceName() {
        return operation() + ".ps1";
    }

    /** The script exactly as sent, but with {@link #ARGUMENT_PLACEHOLDER} still in it. */
    public String template() {
        String t = template;
        if (t == null) {
            String body = read(resourceName());
            int eol = body.indexOf('\n');
            String header = body.substring(0, eol + 1);
            if (!header.strip().equals("# hvsdk:" + operation())) {
                throw new IllegalStateException(resourceName() + " must start with '# hvsdk:" + operation() + "'");
            }
            t = header + read(PRELUDE_RESOURCE) + body.substring(eol + 1);
            template = t;
        }
        return t;
    }

    /** The script as sent with its arguments inline: the placeholder replaced by base64 of {@code jsonUtf8}. */
    public String withArguments(byte[] jsonUtf8) {
        return template().replace(ARGUMENT_PLACEHOLDER, Base64.getEncoder().encodeToString(jsonUtf8));
    }

    /** The script as sent when its arguments travel in {@link #ENVIRONMENT_VARIABLE}: the placeholder replaced by nothing. */
    public String withArgumentsInEnvironment() {
        return template().replace(ARGUMENT_PLACEHOLDER, "");
    }

    /** The environment value that carries {@code jsonUtf8} for {@link #withArgumentsInEnvironment()}. */
    public static String environmentValue(byte[] jsonUtf8) {
        return Base64.getEncoder().encodeToString(jsonUtf8);
    }

    /** Whether {@code jsonUtf8} fits inline, keeping the command line within {@link #COMMAND_LINE_LIMIT}. */
    public boolean fitsInline(byte[] jsonUtf8) {
        return commandLine(withArguments(jsonUtf8)).length() <= COMMAND_LINE_LIMIT;
    }

    /** The largest argument, in UTF-8 JSON bytes, that still fits inline. */
    public int maxInlineArgumentBytes() {
        int constant = withArgumentsInEnvironment().length();
        int bytes = 0;
        while (commandLineLength(constant + base64Length(bytes + 1)) <= COMMAND_LINE_LIMIT) {
            bytes++;
        }
        return bytes;
    }

    private static int base64Length(int bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    /** The length of {@link #commandLine} for a script text of {@code chars} UTF-16 code units. */
    private static int commandLineLength(int chars) {
        return COMMAND_PREFIX.length() + base64Length(2 * chars);
    }

    /** The command WinRM runs for a script text: {@code powershell ... -EncodedCommand <base64 of UTF-16LE>}. */
    public static String commandLine(String scriptText) {
        return COMMAND_PREFIX + Base64.getEncoder().encodeToString(scriptText.getBytes(StandardCharsets.UTF_16LE));
    }

    private static String read(String resource) {
        try (InputStream in = HyperVScript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
