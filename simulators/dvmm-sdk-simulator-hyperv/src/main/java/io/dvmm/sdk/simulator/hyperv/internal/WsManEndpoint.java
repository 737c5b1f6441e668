package io.dvmm.sdk.simulator.hyperv.internal;

import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.FaultPlan;
import io.dvmm.sdk.simulator.RequestLog;
import io.dvmm.sdk.simulator.SimRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * The cmd-shell resource: Create, Command, Receive, Signal and Delete on the {@link ShellTable}, with commands run by
 * the {@link CommandHost}. A Receive waits for its command up to the request's OperationTimeout (capped by the host's
 * MaxTimeoutms) and then answers the TimedOut fault, as Windows does.
 */
final class WsManEndpoint {

    /**
     * What to answer: a status and SOAP body, and a fault for the front to apply to the HTTP answer. A null body
     * means the request took no effect and only the fault answers it.
     */
    record Reply(int status, byte[] soap, Fault fault) {
        static Reply ok(byte[] soap) {
            return new Reply(200, soap, Fault.none());
        }
    }

    /** Limits and shapes of the host. */
    record Settings(int stdoutReceives, Duration maxTimeout) {
    }

    private static final int CMD_LIMIT = 8191;
    private static final int CREATE_PROCESS_LIMIT = 32767;

    private final ShellTable shells;
    private final CommandHost host;
    private final WsManWriter writer;
    private final FaultPlan faults;
    private final RequestLog scripts;
    private final Clock clock;
    private final Settings settings;

    WsManEndpoint(ShellTable shells, CommandHost host, WsManWriter writer, FaultPlan faults, RequestLog scripts,
                  Clock clock, Settings settings) {
        this.shells = shells;
        this.host = host;
        this.writer = writer;
        this.faults = faults;
        this.scripts = scripts;
        this.clock = clock;
        this.settings = settings;
    }

    Reply handle(SimRequest http, WsManRequest r, WsManRules.Checked c, String user, String address) {
        return switch (c.action()) {
            case CREATE -> create(r, user, address);
            case COMMAND -> command(http, r, user);
            case RECEIVE -> receive(r, c, user);
            case SIGNAL -> signal(r, user);
            case DELETE -> delete(r, user);
        };
    }

    private Reply create(WsManRequest r, String user, String address) {
        Element shell = r.body();
        Map<String, String> env = new LinkedHashMap<>();
        for (Element v : Xml.childrenNamed(Xml.child(shell, Ns.SHELL, "Environment"), Ns.SHELL, "Variable")) {
            env.put(v.getAttribute("Name"), v.getTextContent());
        }
        int codePage = Integer.parseInt(r.options().getOrDefault("WINRS_CODEPAGE", "437"));
        boolean noProfile = "TRUE".equals(r.options().get("WINRS_NOPROFILE"));
        Duration idle = null;
        String idleText = Xml.text(Xml.child(shell, Ns.SHELL, "IdleTimeOut"));
        if (idleText != null) {
            try {
                idle = Duration.parse(idleText);
            } catch (DateTimeParseException e) {
                idle = null;
            }
        }
        Shell s = shells.create(user, env, codePage, noProfile, idle);
        String idleOut = "PT" + s.idleTimeout().toSeconds() + ".000S";
        return Reply.ok(writer.createResponse(r.messageId(), address,
                new WsManWriter.ShellDescription(s.id(), user, "127.0.0.1", idleOut)));
    }

    private Reply command(SimRequest http, WsManRequest r, String user) {
        Shell shell = shells.use(r.shellId(), user);
        Element line = r.body();
        String commandLine = Xml.text(Xml.child(line, Ns.SHELL, "Command"));
        for (Element a : Xml.childrenNamed(line, Ns.SHELL, "Arguments")) {
            commandLine += " " + a.getTextContent();
        }
        boolean skipCmd = "TRUE".equals(r.options().get("WINRS_SKIP_CMD_SHELL"));
        if (commandLine.length() > (skipCmd ? CREATE_PROCESS_LIMIT : CMD_LIMIT)) {
            throw WsManFault.commandLineTooLong();
        }
        CommandHost.Prepared prepared = host.prepare(
                new CommandHost.ShellContext(shell.user(), shell.environment(), shell.codePage(), shell.fresh()), commandLine);
        Fault doneFault = Fault.none();
        if (prepared.operation() != null) {
            String key = "script:" + prepared.operation();
            scripts.record(http.withBody(prepared.scriptText().getBytes(StandardCharsets.UTF_8)), key);
            Fault f = faults.match(http, key);
            if (!f.isNone() && !f.requestApplied()) {
                return new Reply(0, null, f);
            }
            doneFault = f;
        }
        CommandHost.Execution execution = prepared.run();
        ShellCommand cmd = new ShellCommand(UUID.randomUUID().toString().toUpperCase(Locale.ROOT), prepared.operation(),
                execution, settings.stdoutReceives(), doneFault);
        shell.add(cmd);
        return Reply.ok(writer.commandResponse(r.messageId(), cmd.id()));
    }

    private Reply receive(WsManRequest r, WsManRules.Checked c, String user) {
        Shell shell = shells.use(r.shellId(), user);
        String commandId = Xml.attribute(Xml.child(r.body(), Ns.SHELL, "DesiredStream"), Ns.SHELL, "CommandId");
        ShellCommand cmd = shell.command(commandId);
        if (cmd == null || cmd.doneSent()) {
            throw WsManFault.commandNotFound(shell.id(), commandId);
        }
        Duration wait = c.operationTimeout().compareTo(settings.maxTimeout()) < 0 ? c.operationTimeout() : settings.maxTimeout();
        if (!awaitCompletion(cmd, wait)) {
            throw WsManFault.timedOut();
        }
        shell.touch(clock.instant());
        ShellCommand.Batch batch = cmd.next(c.maxEnvelopeSize());
        byte[] soap = writer.receiveResponse(r.messageId(), cmd.id(), batch.parts(), batch.exitCode());
        return new Reply(200, soap, batch.exitCode() == null ? Fault.none() : cmd.doneFault());
    }

    private boolean awaitCompletion(ShellCommand cmd, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (clock.instant().isBefore(cmd.completesAt())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            long untilDone = Duration.between(clock.instant(), cmd.completesAt()).toNanos();
            long nap = Math.max(1_000_000L, Math.min(Math.min(left, untilDone), 20_000_000L));
            try {
                Thread.sleep(nap / 1_000_000L, (int) (nap % 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private Reply signal(WsManRequest r, String user) {
        Shell shell = shells.use(r.shellId(), user);
        shell.remove(Xml.attribute(r.body(), Ns.SHELL, "CommandId"));
        return Reply.ok(writer.signalResponse(r.messageId()));
    }

    private Reply delete(WsManRequest r, String user) {
        shells.use(r.shellId(), user);
        shells.delete(r.shellId());
        return Reply.ok(writer.deleteResponse(r.messageId()));
    }
}
