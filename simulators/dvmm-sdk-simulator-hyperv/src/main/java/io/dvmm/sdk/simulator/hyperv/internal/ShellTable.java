package io.dvmm.sdk.simulator.hyperv.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The open shells, with WinRM's quotas: at most {@code MaxShellsPerUser} per user (the real QuotaLimit fault beyond),
 * and a shell idle longer than its idle timeout is gone ("shell not found" afterwards), so a client must reopen.
 */
final class ShellTable {

    private final Map<String, Shell> shells = new LinkedHashMap<>();
    private final Clock clock;
    private final int maxShellsPerUser;
    private final Duration idleTimeout;

    ShellTable(Clock clock, int maxShellsPerUser, Duration idleTimeout) {
        this.clock = clock;
        this.maxShellsPerUser = maxShellsPerUser;
        this.idleTimeout = idleTimeout;
    }

    synchronized Shell create(String user, Map<String, String> environment, int codePage, boolean noProfile,
                              Duration requestedIdle) {
        purge();
        long mine = shells.values().stream().filter(s -> s.user().equalsIgnoreCase(user)).count();
        if (mine >= maxShellsPerUser) {
            throw WsManFault.quotaMaxShells(maxShellsPerUser);
        }
        Duration idle = requestedIdle != null && requestedIdle.compareTo(idleTimeout) < 0 ? requestedIdle : idleTimeout;
        Shell s = new Shell(UUID.randomUUID().toString().toUpperCase(Locale.ROOT), user, environment, codePage, noProfile,
                clock.instant(), idle);
        shells.put(s.id(), s);
        return s;
    }

    /** The live shell with this id, marked as used now. */
    synchronized Shell use(String shellId, String user) {
        purge();
        Shell s = shells.get(shellId);
        if (s == null || !s.user().equalsIgnoreCase(user)) {
            throw WsManFault.shellNotFound(shellId);
        }
        s.touch(clock.instant());
        return s;
    }

    synchronized void delete(String shellId) {
        shells.remove(shellId);
    }

    /** Ends every shell, as a WinRM service restart does. */
    synchronized void clear() {
        shells.clear();
    }

    synchronized List<Shell> live() {
        purge();
        return new ArrayList<>(shells.values());
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    private void purge() {
        shells.values().removeIf(s -> s.expired(clock.instant()));
    }
}
