package io.dvmm.sdk.hyperv.internal.scripts;

import java.util.List;

/**
 * What tree-sitter-powershell found in one script (as printed by {@code src/test/node/ps-invocations.js}): its
 * syntax errors, its command invocations in source order, and the assignments that may feed a splat.
 *
 * @param name the script's name
 * @param errors ERROR and MISSING nodes
 * @param commands every command invocation, nested ones included
 * @param assignments assignments to variables or to their keys, and method calls on variables
 * @param functions names of the functions the script itself defines
 */
record ParsedScript(String name, List<SyntaxError> errors, List<Command> commands, List<Assignment> assignments,
                    List<String> functions) {

    /** An ERROR or MISSING node. */
    record SyntaxError(String kind, String type, String text, int line, int column) {
        @Override
        public String toString() {
            return kind + " " + type + " at " + line + ":" + column + " near '" + text + "'";
        }
    }

    /**
     * One command invocation.
     *
     * @param name the command name as written ({@code Hyper-V\Get-VM}, {@code Where-Object}, {@code $x} after {@code &})
     * @param invocationOperator whether it was invoked through {@code &} or {@code .}
     * @param firstInPipeline whether nothing precedes it in its pipeline (so no pipeline input binds)
     */
    record Command(String name, boolean invocationOperator, boolean firstInPipeline, String text, int line, int column,
                   List<Argument> args) {
        String where() {
            return line + ":" + column;
        }
    }

    /**
     * One element after the command name.
     *
     * @param kind {@code parameter} ({@code -Name} or {@code -Name:value}), {@code value}, or {@code splat}
     * @param name the parameter name without its dash (parameters), the variable (splats)
     * @param colon whether the parameter carried its value after a colon
     * @param value that value, for {@code -Name:value}
     * @param literal the string a literal value stands for, else null
     */
    record Argument(String kind, String name, String text, boolean colon, Value value, String literal, int line,
                    int column) {
        boolean isParameter() {
            return "parameter".equals(kind);
        }

        boolean isSplat() {
            return "splat".equals(kind);
        }
    }

    /** The value of a {@code -Name:value} argument. */
    record Value(String text, String nodeType, String literal) {
    }

    /**
     * A write to a variable that a splat may read.
     *
     * @param kind {@code literal} ({@code $p=@{...}}), {@code member} ({@code $p.Key=...}), {@code index}
     *        ({@code $p['Key']=...}), {@code method} ({@code $p.Add(...)}) or {@code other}
     * @param keys the keys of a hashtable literal
     * @param literalKeys whether every key of that literal is a constant
     * @param key the key of a member or index write, null when computed
     */
    record Assignment(String variable, String kind, List<String> keys, boolean literalKeys, String key, int line) {
    }
}
