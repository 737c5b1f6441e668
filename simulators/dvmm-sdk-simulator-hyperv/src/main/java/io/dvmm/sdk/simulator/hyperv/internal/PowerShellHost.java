package io.dvmm.sdk.simulator.hyperv.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvmm.sdk.simulator.Violations;
import io.dvmm.sdk.simulator.hyperv.ScriptCatalog;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code powershell.exe} as this host has it: it only knows the catalog scripts. It decodes {@code -EncodedCommand},
 * checks the script ({@link ScriptCheck}), decodes the argument as the prelude does (base64, UTF-8, ConvertFrom-Json)
 * and hands it to the script's {@link ScriptOperation}; the result goes to stdout as the one framed line, exit code 0
 * or 1. What is not a catalog script fails as a PowerShell parse error, and what is not PowerShell as cmd.exe fails.
 */
final class PowerShellHost implements CommandHost {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScriptCheck check;
    private final Map<String, ScriptOperation> operations;
    private final Violations violations;
    private final Clock clock;
    private final boolean progressNoise;
    private final Duration commandDelay;

    PowerShellHost(ScriptCatalog catalog, Map<String, ScriptOperation> operations, Violations violations, Clock clock,
                   boolean progressNoise, Duration commandDelay) {
        this.check = new ScriptCheck(catalog);
        this.operations = operations;
        this.violations = violations;
        this.clock = clock;
        this.progressNoise = progressNoise;
        this.commandDelay = commandDelay;
    }

    private record Simple(String operation, String scriptText, CommandOutcome outcome,
                          Clock clock) implements Prepared {
        @Override
        public Execution run() {
            return new Execution(clock.instant(), () -> outcome);
        }
    }

    @Override
    public Prepared prepare(ShellContext shell, String commandLine) {
        var parsed = PowerShellCommandLine.parse(commandLine);
        Charset cs = codePage(shell.codePage());
        if (parsed.isEmpty()) {
            String program = commandLine.trim().split("\\s+")[0];
            violations.add("Command: not a PowerShell command line: " + abbreviate(commandLine));
            return new Simple(null, null, new CommandOutcome(new byte[0], ("'" + program
                    + "' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n").getBytes(cs),
                    9009), clock);
        }
        if (!parsed.get().canonical()) {
            violations.add("Command: the command line is not '" + PowerShellCommandLine.CANONICAL_PREFIX + "<base64>': "
                    + abbreviate(commandLine));
        }
        String text = parsed.get().encoded() == null ? null : PowerShellCommandLine.decode(parsed.get().encoded()).orElse(null);
        if (text == null) {
            return new Simple(null, null, new CommandOutcome(new byte[0], CliXml.error(
                    "Cannot process the command because the value specified with -EncodedCommand is not properly encoded."
                            + " The value must be Base64 encoded."), 1), clock);
        }
        ScriptCheck.Accepted accepted;
        try {
            accepted = check.check(text);
        } catch (ScriptCheck.Refused r) {
            violations.add("Command: script refused: " + r.getMessage());
            return new Simple(null, text, new CommandOutcome(new byte[0], parseError(r), 1), clock);
        }
        return new Prepared() {
            @Override
            public String operation() {
                return accepted.operation();
            }

            @Override
            public String scriptText() {
                return text;
            }

            @Override
            public Execution run() {
                return execute(shell, accepted);
            }
        };
    }

    private Execution execute(ShellContext shell, ScriptCheck.Accepted accepted) {
        ScriptRun run;
        try {
            String literal = accepted.argumentLiteral().isEmpty()
                    ? shell.environment().get(ScriptCatalog.ENVIRONMENT_VARIABLE) : accepted.argumentLiteral();
            Args args = new Args(decode(literal));
            ScriptOperation op = operations.get(accepted.operation());
            if (op == null) {
                violations.add("Command: the simulator has no model of script " + accepted.operation());
                throw new ScriptError("System.Management.Automation.CommandNotFoundException", "CommandNotFoundException",
                        "the simulator does not implement " + accepted.operation());
            }
            List<String> unknown = args.unknown(op.fields());
            if (!unknown.isEmpty()) {
                violations.add("script " + accepted.operation() + ": argument fields the script does not read: " + unknown);
            }
            run = op.action().apply(args);
        } catch (ScriptError e) {
            run = ScriptRun.now(() -> ScriptReply.failed(e));
        }
        ScriptRun done = run;
        byte[] stderr = shell.firstCommand() && progressNoise ? CliXml.firstUseProgress() : new byte[0];
        return new Execution(clock.instant().plus(commandDelay).plus(run.busy()), () -> {
            ScriptReply reply;
            try {
                reply = done.reply().get();
            } catch (ScriptError e) {
                reply = ScriptReply.failed(e);
            }
            return new CommandOutcome(reply.line(), stderr, reply.ok() ? 0 : 1);
        });
    }

    /** {@code $a} from the literal, as {@code FromBase64String}, {@code UTF8.GetString} and {@code ConvertFrom-Json} do it. */
    private static ObjectNode decode(String literal) {
        if (literal == null) {
            throw ScriptError.dotNet("FromBase64String", 1, "ArgumentNullException",
                    "Value cannot be null.\r\nParameter name: s");
        }
        byte[] utf8;
        try {
            utf8 = Base64.getDecoder().decode(literal);
        } catch (IllegalArgumentException e) {
            throw ScriptError.dotNet("FromBase64String", 1, "FormatException", "The input is not a valid Base-64 string as it"
                    + " contains a non-base 64 character, more than two padding characters, or an illegal character among the padding characters. ");
        }
        JsonNode node;
        try {
            node = JSON.readTree(new String(utf8, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ScriptError("System.ArgumentException",
                    "System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand",
                    "Invalid JSON primitive: " + e.getOriginalMessage());
        }
        duplicateKeys(node);
        return node != null && node.isObject() ? (ObjectNode) node : JsonNodeFactory.instance.objectNode();
    }

    /** Windows PowerShell 5.1 refuses member names that differ only in case. */
    private static void duplicateKeys(JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            Map<String, String> seen = new HashMap<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                String before = seen.put(k.toLowerCase(Locale.ROOT), k);
                if (before != null) {
                    throw new ScriptError("System.InvalidOperationException",
                            "DuplicateKeysInJsonString,Microsoft.PowerShell.Commands.ConvertFromJsonCommand",
                            "Cannot convert the JSON string because a dictionary that was converted from the string contains"
                                    + " the duplicated keys '" + before + "' and '" + k + "'.");
                }
            }
        }
        node.forEach(PowerShellHost::duplicateKeys);
    }

    private static byte[] parseError(ScriptCheck.Refused r) {
        return CliXml.error("At line:" + r.line() + " char:1\r\n+ \r\n+ ~\r\n" + r.getMessage() + "\r\n"
                + "    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\r\n"
                + "    + FullyQualifiedErrorId : HvsdkScriptNotInCatalog\r\n");
    }

    private static Charset codePage(int codePage) {
        try {
            return codePage == 65001 ? StandardCharsets.UTF_8 : Charset.forName("IBM" + codePage);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.US_ASCII;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "... (" + s.length() + " chars)";
    }
}
