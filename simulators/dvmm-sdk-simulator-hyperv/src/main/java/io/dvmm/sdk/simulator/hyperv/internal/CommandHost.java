package io.dvmm.sdk.simulator.hyperv.internal;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/** What runs a command line in a shell: on this simulator, a PowerShell host that only knows the catalog scripts. */
public interface CommandHost {

    /** The shell a command runs in, as the host sees it. */
    record ShellContext(String user, Map<String, String> environment, int codePage, boolean firstCommand) {
    }

    /** A command looked at but not yet run. */
    interface Prepared {
        /** The script operation ({@code list-vms}), or null when the command line is not a catalog script. */
        String operation();

        /** The script text as decoded from the command line, or null. */
        String scriptText();

        /** Runs it; the model changes now, the outcome is read when the command completes. */
        Execution run();
    }

    /** A running command: when it completes and, then, what it printed. */
    record Execution(Instant completesAt, Supplier<CommandOutcome> outcome) {
    }

    Prepared prepare(ShellContext shell, String commandLine);
}
