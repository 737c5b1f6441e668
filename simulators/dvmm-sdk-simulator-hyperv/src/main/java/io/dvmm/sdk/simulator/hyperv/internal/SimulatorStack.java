package io.dvmm.sdk.simulator.hyperv.internal;

import io.dvmm.sdk.simulator.FaultPlan;
import io.dvmm.sdk.simulator.RequestLog;
import io.dvmm.sdk.simulator.Violations;
import io.dvmm.sdk.simulator.hyperv.ScriptCatalog;
import io.dvmm.sdk.simulator.hyperv.SimShell;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Wires the rooms together: model, PowerShell host, shells, WS-Management endpoint, authentication, HTTP front. */
public final class SimulatorStack {

    /** Everything the facade's builder decided. */
    public record Config(boolean tls, X509Certificate certificate, Account account, boolean basic, boolean ntlm,
                         boolean allowUnencrypted, int maxShellsPerUser, Duration shellIdleTimeout, Duration maxTimeout,
                         int stdoutReceives, boolean progressNoise, Duration commandDelay, Clock clock,
                         ScriptCatalog catalog, HostInfo hostInfo, ModelTimings timings, long seed) {
    }

    private final HyperVHost host;
    private final HostModel model;
    private final ShellTable shells;
    private final WinRmService service;
    private final WinRmAuth auth;

    public SimulatorStack(Config c, FaultPlan faults, RequestLog messages, RequestLog scripts, Violations violations) {
        this.host = new HyperVHost(c.hostInfo(), c.timings(), c.clock(), c.seed());
        this.model = new HostModel(host);
        this.shells = new ShellTable(c.clock(), c.maxShellsPerUser(), c.shellIdleTimeout());
        PowerShellHost powershell = new PowerShellHost(c.catalog(), ScriptOperations.of(host, violations), violations,
                c.clock(), c.progressNoise(), c.commandDelay());
        WsManWriter writer = new WsManWriter(c.hostInfo().name());
        WsManEndpoint endpoint = new WsManEndpoint(shells, powershell, writer, faults, scripts, c.clock(),
                new WsManEndpoint.Settings(c.stdoutReceives(), c.maxTimeout()));
        this.auth = new WinRmAuth(c.account(), c.basic(), c.ntlm(), c.certificate(), c.clock());
        this.service = new WinRmService(auth, new WsManRules(violations, c.maxTimeout()), endpoint, writer, faults, messages,
                violations, c.tls(), c.allowUnencrypted());
    }

    public WinRmService service() {
        return service;
    }

    public HostModel model() {
        return model;
    }

    public List<SimShell> shells() {
        return shells.live().stream().map(s -> new SimShell(s.id(), s.user(), s.environment(), s.codePage(), s.commandsRun(),
                s.openCommands(), s.created(), s.lastUsed())).toList();
    }

    /** Rotates the account's password. */
    public void changePassword(String newPassword) {
        auth.changePassword(newPassword);
    }

    /** Closes every open connection after its next answer (keep-alive ended); shells stay. */
    public void closeConnections() {
        service.closeConnections();
    }

    /** Ends every shell, as an idle timeout or a WinRM restart would. */
    public void dropShells() {
        shells.clear();
    }
}
