package io.dvmm.sdk.simulator.hyperv;

import java.time.Instant;
import java.util.Map;

/** An open WinRM shell: its owner, environment, code page, commands run and still open, and when it was last used. */
public record SimShell(String id, String user, Map<String, String> environment, int codePage, int commandsRun,
                       int openCommands, Instant created, Instant lastUsed) {
}
