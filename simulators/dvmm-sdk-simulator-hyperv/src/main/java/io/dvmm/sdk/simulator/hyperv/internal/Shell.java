package io.dvmm.sdk.simulator.hyperv.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One open cmd shell: who opened it, its environment and code page, its commands, and when it was last used. */
final class Shell {

    private final String id;
    private final String user;
    private final Map<String, String> environment;
    private final int codePage;
    private final boolean noProfile;
    private final Instant created;
    private final Duration idleTimeout;
    private final Map<String, ShellCommand> commands = new LinkedHashMap<>();
    private Instant lastUsed;
    private int commandsRun;

    Shell(String id, String user, Map<String, String> environment, int codePage, boolean noProfile, Instant created,
          Duration idleTimeout) {
        this.id = id;
        this.user = user;
        this.environment = Map.copyOf(environment);
        this.codePage = codePage;
        this.noProfile = noProfile;
        this.created = created;
        this.idleTimeout = idleTimeout;
        this.lastUsed = created;
    }

    String id() {
        return id;
    }

    String user() {
        return user;
    }

    Map<String, String> environment() {
        return environment;
    }

    int codePage() {
        return codePage;
    }

    boolean noProfile() {
        return noProfile;
    }

    Instant created() {
        return created;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    synchronized Instant lastUsed() {
        return lastUsed;
    }

    synchronized void touch(Instant now) {
        lastUsed = now;
    }

    synchronized boolean expired(Instant now) {
        return now.isAfter(lastUsed.plus(idleTimeout));
    }

    synchronized ShellCommand command(String commandId) {
        return commands.get(commandId);
    }

    synchronized void add(ShellCommand command) {
        commands.put(command.id(), command);
        commandsRun++;
    }

    synchronized void remove(String commandId) {
        commands.remove(commandId);
    }

    /** Whether no command has run in this shell yet (PowerShell's first-use progress record goes there). */
    synchronized boolean fresh() {
        return commandsRun == 0;
    }

    synchronized int commandsRun() {
        return commandsRun;
    }

    synchronized int openCommands() {
        return commands.size();
    }
}
