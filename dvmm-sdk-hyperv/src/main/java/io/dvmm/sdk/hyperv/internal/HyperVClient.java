package io.dvmm.sdk.hyperv.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudsoft.winrm4j.client.ShellCommand;
import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.RequestEvent;
import io.dvmm.sdk.RequestListener;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.hyperv.HyperVProvider;
import io.dvmm.sdk.hyperv.internal.scripts.HyperVScript;
import io.dvmm.sdk.spi.support.CallPolicy;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire: one script of {@link HyperVScript} with its arguments becomes one command on a pooled WinRM shell
 * ({@link ShellPool}, {@link WinRmTransport}), and its one {@code @@HVSDK@@} result line becomes the script's
 * {@code data} or the SDK's error ({@link HyperVErrors}). Every command goes through the connection's
 * {@link CallPolicy}: scripts that may run twice (read-only ones, and a few whose second run changes nothing) are
 * retried on transient errors, the others only when they provably never left, or after {@link #confirmed looking}
 * that they did not take effect. The one resend rule of its own: a command refused with "shell not found" (the host
 * reaped an idle shell) is sent once more on a new shell, which is safe because the refused command never ran.
 *
 * <p>Deadlines are enforced here, in Java: the blocking winrm4j call runs on the SDK's bounded executor and the
 * caller's future fails when the attempt's time is up, whatever the host does (a command already running on the host
 * is not interrupted: PowerShell has no cancel, reference §8.5 pitfall 4). Output is read up to the connection's size
 * bound and then refused; stdout is only searched for the result line, base64 text that winrm4j's platform-charset
 * decoding cannot mangle. Never logs arguments, output or secrets.
 */
final class HyperVClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HyperVClient.class);
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** Windows' limit on one environment variable, in characters. */
    static final int ENVIRONMENT_LIMIT = 32_767;
    private static final int STDERR_KEPT = 16 * 1024;
    /**
     * Scripts that may be sent again after an answer was lost, because a second run after a first that took effect
     * changes nothing more: the read-only ones, a chunk of {@code copy-file} (written once at its offset) and
     * {@code reconfigure} (adapters by name, values set again). Others settle a lost answer by looking first
     * ({@link #confirmed}).
     */
    private static final Set<HyperVScript> REPEATABLE = EnumSet.of(HyperVScript.TEST_CONNECTION, HyperVScript.INVENTORY,
            HyperVScript.LIST_VMS, HyperVScript.GET_VM, HyperVScript.FIND_VM, HyperVScript.GUEST_IPS,
            HyperVScript.CHECKPOINT_LIST, HyperVScript.COPY_FILE, HyperVScript.RECONFIGURE);
    /** Scripts whose answer may be as large as a listing. */
    private static final Set<HyperVScript> LISTINGS = EnumSet.of(HyperVScript.INVENTORY, HyperVScript.LIST_VMS,
            HyperVScript.FIND_VM, HyperVScript.CHECKPOINT_LIST);
    private static final Pattern CLIXML_ERROR = Pattern.compile("<S S=\"Error\">(.*?)</S>", Pattern.DOTALL);

    private final WinRmTransport transport;
    private final ShellPool shells;
    private final CallPolicy calls;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final RequestListener listener;
    private final long maxResponseBytes;
    private final long maxListingBytes;
    private final AtomicLong commands = new AtomicLong();

    HyperVClient(HypervisorConfig config, WinRmTransport transport, int shellCount, Duration shellIdle, CallPolicy calls,
                 Executor executor, ScheduledExecutorService scheduler) {
        this.transport = transport;
        this.calls = calls;
        this.executor = executor;
        this.scheduler = scheduler;
        this.listener = config.requestListener();
        this.maxResponseBytes = config.maxResponseBytes();
        this.maxListingBytes = config.maxListingBytes();
        this.shells = new ShellPool(shellCount, shellIdle.toNanos(), shell -> {
            try {
                executor.execute(() -> transport.closeShell(shell));
            } catch (RejectedExecutionException e) {
                transport.closeShell(shell);
            }
        });
    }

    /** The raw outcome of one command. */
    private record Outcome(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs a script and binds its {@code data}.
     *
     * @param operation the SDK operation, for errors and request events
     * @param script the script
     * @param arguments its argument object (serialized as JSON)
     * @param deadline the operation's deadline, or {@code null} for the read timeout alone
     * @param type what {@code data} is bound to ({@link JsonNode} for the tree)
     * @param field the spec field an invalid-argument failure concerns, or {@code null}
     * @param <T> the data type
     * @return the data; {@code null} when the script answered {@code data: null}
     */
    <T> CompletableFuture<T> run(String operation, HyperVScript script, Map<String, ?> arguments, Deadline deadline,
                                 Class<T> type, String field) {
        ErrorContext ctx = ErrorContext.of(HyperVProvider.TYPE, operation);
        String commandLine;
        Map<String, String> env;
        try {
            byte[] json = JSON.writeValueAsBytes(arguments);
            if (script.fitsInline(json)) {
                commandLine = HyperVScript.commandLine(script.withArguments(json));
                env = Map.of();
            } else {
                String value = HyperVScript.environmentValue(json);
                if (value.length() > ENVIRONMENT_LIMIT) {
                    return Futures.failed(new InvalidSpecException(field == null ? "request" : field, "the arguments of "
                            + script.operation() + " take " + value.length() + " characters; a shell variable holds at most "
                            + ENVIRONMENT_LIMIT, ctx));
                }
                commandLine = HyperVScript.commandLine(script.withArgumentsInEnvironment());
                env = Map.of(HyperVScript.ENVIRONMENT_VARIABLE, value);
            }
        } catch (IOException e) {
            return Futures.failed(new IllegalStateException("arguments of " + script.operation() + " are not JSON", e));
        }
        if (commandLine.length() > HyperVScript.COMMAND_LINE_LIMIT) {
            // The script contract keeps every script within the limit (ScriptRulesTest); this is the last line.
            return Futures.failed(new IllegalStateException(script.operation() + " exceeds cmd.exe's command line limit"));
        }
        long limit = LISTINGS.contains(script) ? maxListingBytes : maxResponseBytes;
        String command = commandLine;
        return calls.call(operation, REPEATABLE.contains(script), deadline,
                timeout -> attempt(ctx, script, command, env, limit, timeout))
                .thenApply(o -> result(ctx, script, o.exitCode(), o.stdout(), o.stderr(), type, field));
    }

    /**
     * Runs a script that is not simply sent again after a lost answer, and settles an unknown outcome by looking
     * (architecture: a non-idempotent call is repeated only after checking that it did not take effect). When the
     * command may or may not have run ({@link HyperVErrors#outcomeUnknown}), {@code check} reads what the host shows:
     * a value when the command took effect (the call completes with it), empty when it did not; then, if
     * {@code sendAgain}, the command is sent once more and its outcome is final, else the first failure stands.
     *
     * @param check reads whether the command took effect
     * @param sendAgain whether a command proven not to have taken effect is sent again
     * @return the data, the check's value, or the failure
     */
    <T> CompletableFuture<T> confirmed(String operation, HyperVScript script, Map<String, ?> arguments, Deadline deadline,
                                       Class<T> type, String field, Supplier<CompletableFuture<Optional<T>>> check,
                                       boolean sendAgain) {
        return run(operation, script, arguments, deadline, type, field).exceptionallyCompose(e -> {
            Throwable error = Futures.unwrap(e);
            if (!HyperVErrors.outcomeUnknown(error)) {
                return Futures.failed(error);
            }
            LOG.debug("{}: the outcome of {} is unknown ({}); looking", operation, script.operation(), HyperVErrors.brief(error));
            return Futures.guard(check).handle((found, checkError) -> {
                if (checkError != null) {
                    error.addSuppressed(Futures.unwrap(checkError));
                    return Futures.<T>failed(error);
                }
                if (found.isPresent()) {
                    return CompletableFuture.completedFuture(found.get());
                }
                if (!sendAgain) {
                    return Futures.<T>failed(error);
                }
                LOG.debug("{}: {} did not take effect; sending it once more", operation, script.operation());
                return run(operation, script, arguments, deadline, type, field);
            }).thenCompose(f -> f);
        });
    }

    /** Where one attempt is: waiting for a shell and a thread, its command handed to winrm4j, or given up unsent. */
    private static final int WAITING = 0;
    private static final int SENT = 1;
    private static final int ABANDONED = 2;

    /**
     * One attempt: a shell, then the command on the executor; the future fails at {@code timeout} in any case. An
     * attempt whose time runs out before its command was handed to winrm4j (every shell or thread busy, or the shell's
     * Create unanswered) never sends it, and fails as not sent, so even a command that changes the host may be sent
     * again; only one whose time runs out after that may still run on the host.
     */
    private CompletableFuture<Outcome> attempt(ErrorContext ctx, HyperVScript script, String command, Map<String, String> env,
                                               long limit, Duration timeout) {
        CompletableFuture<Outcome> out = new CompletableFuture<>();
        AtomicInteger state = new AtomicInteger(WAITING);
        ScheduledFuture<?> timer;
        try {
            timer = scheduler.schedule(() -> out.completeExceptionally(state.compareAndSet(WAITING, ABANDONED)
                    ? HyperVErrors.notSent(script.operation() + " was not sent within " + timeout
                            + " (no WinRM shell or thread was free, or the shell did not open in time)", ctx, null)
                    : new OperationTimeoutException(script.operation() + " had no complete answer within " + timeout
                            + " (the command may still run on the host)", ctx)),
                    Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return Futures.failed(new UnavailableException("connection is closed", ctx, e));
        }
        out.whenComplete((v, e) -> timer.cancel(false));
        CompletableFuture<ShellPool.Slot> slot = shells.acquire(!env.isEmpty());
        out.whenComplete((v, e) -> slot.cancel(false));
        slot.whenComplete((s, e) -> {
            if (e != null) {
                out.completeExceptionally(new UnavailableException("connection is closed", ctx, e));
                return;
            }
            if (out.isDone()) {
                shells.release(s, s.shell);
                return;
            }
            try {
                executor.execute(() -> execute(ctx, script, command, env, limit, s, state, out));
            } catch (RejectedExecutionException ex) {
                shells.release(s, s.shell);
                out.completeExceptionally(new UnavailableException("connection is closed", ctx, ex));
            }
        });
        return out;
    }

    /**
     * Blocking: opens the slot's shell if it has none, runs the command (unless the attempt gave up first), gives the
     * shell back.
     */
    private void execute(ErrorContext ctx, HyperVScript script, String command, Map<String, String> env, long limit,
                         ShellPool.Slot slot, AtomicInteger state, CompletableFuture<Outcome> out) {
        long start = System.nanoTime();
        ShellCommand shell = slot.shell;
        if (state.get() == ABANDONED) {
            // It waited for a thread longer than its attempt may take: it is not sent now, after the caller moved on.
            shells.release(slot, shell);
            return;
        }
        boolean fresh = shell == null;
        BoundedText stdout = new BoundedText(limit, true);
        BoundedText stderr = new BoundedText(STDERR_KEPT, false);
        try {
            if (shell == null) {
                try {
                    shell = transport.openShell(env);
                } catch (RuntimeException e) {
                    shells.release(slot, null);
                    HypervisorException mapped = HyperVErrors.fromTransport(e, ctx);
                    report(ctx, script, 0, start, 0, -1, e.getClass().getSimpleName());
                    LOG.debug("{}: no WinRM shell ({}); the command was not sent", script.operation(), HyperVErrors.brief(e));
                    out.completeExceptionally(HyperVErrors.outcomeUnknown(mapped)
                            ? HyperVErrors.notSent(script.operation() + " was not sent: the WinRM shell did not open: "
                                    + mapped.getMessage(), ctx, mapped) : mapped);
                    return;
                }
            }
            if (!state.compareAndSet(WAITING, SENT)) {
                // The shell opened after the attempt gave up: the command stays unsent, the shell serves the next one.
                shells.release(slot, slot.dedicated ? null : shell);
                if (slot.dedicated) {
                    transport.closeShell(shell);
                }
                return;
            }
            int exit;
            try {
                exit = shell.execute(command, stdout, stderr);
            } catch (RuntimeException e) {
                Integer ended = exitOfEndedOutput(stdout);
                if (ended != null) {
                    // The whole output and its result line arrived; only what winrm4j sends after it (the Signal that
                    // ends the command) failed. The outcome is known: the shell, in a state unknown, is not reused.
                    LOG.debug("{}: the output arrived whole, then the WinRM exchange after it failed ({})", script.operation(),
                            HyperVErrors.brief(e));
                    commands.incrementAndGet();
                    shells.release(slot, null);
                    transport.closeShell(shell);
                    report(ctx, script, 200, start, command.length(), stdout.size(), null);
                    out.complete(new Outcome(ended, stdout.toString(), stderr.toString()));
                    return;
                }
                if (fresh || !HyperVErrors.shellGone(e) || out.isDone()) {
                    throw e;
                }
                LOG.debug("{}: the WinRM shell was gone; opening another and sending the command again", script.operation());
                transport.forgetShell(shell);
                shell = null;
                fresh = true;
                stdout = new BoundedText(limit, true);
                stderr = new BoundedText(STDERR_KEPT, false);
                shell = transport.openShell(env);
                exit = shell.execute(command, stdout, stderr);
            }
            commands.incrementAndGet();
            shells.release(slot, slot.dedicated ? null : shell);
            if (slot.dedicated) {
                transport.closeShell(shell);
            }
            report(ctx, script, 200, start, command.length(), stdout.size(), null);
            out.complete(new Outcome(exit, stdout.toString(), stderr.toString()));
        } catch (RuntimeException | Error e) {
            if (shell != null && stdout.exceeded()) {
                // The command was ended (Signal) after the limit; the shell itself is fine.
                shells.release(slot, slot.dedicated ? null : shell);
                if (slot.dedicated) {
                    transport.closeShell(shell);
                }
                report(ctx, script, 200, start, command.length(), stdout.size(), "too large");
                out.completeExceptionally(new ProtocolException(script.operation() + ": the answer is larger than " + limit
                        + " bytes; refused", ctx));
                return;
            }
            HypervisorException mapped = HyperVErrors.fromTransport(e, ctx);
            if (mapped instanceof AuthenticationException) {
                // The host refused the login (WinRmLogin read the password again already): a Delete would be refused
                // too. A shell whose Command was refused ran nothing and serves the next command.
                boolean intact = shell != null && !slot.dedicated && shell.getNumberOfReceiveCalls() == 0;
                shells.release(slot, intact ? shell : null);
            } else {
                shells.release(slot, null);
                if (shell != null) {
                    transport.closeShell(shell);
                }
            }
            report(ctx, script, mapped.serverCode().filter(c -> c.matches("\\d{3}")).map(Integer::parseInt).orElse(0), start,
                    command.length(), -1, e.getClass().getSimpleName());
            LOG.debug("{} failed after {} ms: {}", script.operation(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                    HyperVErrors.brief(e));
            out.completeExceptionally(mapped);
        }
    }

    /**
     * The exit code of a command whose stdout ended (the host marks the stream's end in the Receive that also reports
     * the command done) with exactly one result line: 0 when it says {@code ok}, else 1, as the prelude exits. The
     * script prints that line last, so the outcome is known even when the exchange after it failed. Else {@code null}.
     */
    static Integer exitOfEndedOutput(BoundedText stdout) {
        if (!stdout.ended() || stdout.exceeded()) {
            return null;
        }
        String line = null;
        for (String l : stdout.toString().split("\r?\n")) {
            if (l.startsWith(HyperVScript.RESULT_MARKER)) {
                if (line != null) {
                    return null;
                }
                line = l.substring(HyperVScript.RESULT_MARKER.length()).strip();
            }
        }
        if (line == null) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(Base64.getDecoder().decode(line));
            return root != null && root.path("ok").isBoolean() ? (root.get("ok").asBoolean() ? 0 : 1) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Turns a command's outcome into the data or the error its one result line carries. Success is exit code 0 and
     * {@code ok=true}; stderr alone (CLIXML) is no failure.
     */
    static <T> T result(ErrorContext ctx, HyperVScript script, int exitCode, String stdout, String stderr, Class<T> type,
                        String field) {
        Outcome o = new Outcome(exitCode, stdout, stderr);
        List<String> lines = new ArrayList<>();
        for (String line : o.stdout().split("\r?\n")) {
            if (line.startsWith(HyperVScript.RESULT_MARKER)) {
                lines.add(line.substring(HyperVScript.RESULT_MARKER.length()).strip());
            }
        }
        if (lines.size() != 1) {
            String err = stderrText(o.stderr());
            if (lines.isEmpty() && o.exitCode() != 0) {
                throw new io.dvmm.sdk.OperationFailedException(script.operation() + " failed with exit code " + o.exitCode()
                        + " and no result line" + (err.isEmpty() ? "" : ": " + err), ctx.withServer(Integer.toString(o.exitCode()), err),
                        null, List.of());
            }
            throw new ProtocolException(script.operation() + " printed " + lines.size() + " result lines (exit code "
                    + o.exitCode() + "); exactly one was expected" + (err.isEmpty() ? "" : ": " + err), ctx);
        }
        JsonNode root;
        try {
            root = JSON.readTree(Base64.getDecoder().decode(lines.get(0)));
        } catch (IOException | IllegalArgumentException e) {
            throw new ProtocolException(script.operation() + ": the result line is not base64 of JSON: " + e.getMessage(), ctx, e);
        }
        if (root == null || !root.isObject() || !root.path("ok").isBoolean()) {
            throw new ProtocolException(script.operation() + ": the result has no boolean 'ok'", ctx);
        }
        if (!root.get("ok").asBoolean()) {
            HyperVWire.Failure f;
            try {
                f = JSON.convertValue(root, HyperVWire.Failure.class);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(script.operation() + ": the failure line is not what the scripts write: " + e.getMessage(),
                        ctx, e);
            }
            throw HyperVErrors.fromScript(f, ctx, field);
        }
        if (o.exitCode() != 0) {
            throw new ProtocolException(script.operation() + " answered ok but exited with " + o.exitCode(), ctx);
        }
        JsonNode data = root.get("data");
        if (data == null || data.isNull()) {
            return null;
        }
        if (type == JsonNode.class) {
            return type.cast(data);
        }
        try {
            return JSON.treeToValue(data, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new ProtocolException(script.operation() + ": unexpected data: " + e.getMessage(), ctx, e);
        }
    }

    /** The text of CLIXML error records on stderr (PowerShell's serialized errors), else stderr as it is. */
    static String stderrText(String stderr) {
        if (stderr == null || stderr.isBlank()) {
            return "";
        }
        if (!stderr.contains("#< CLIXML")) {
            return stderr.strip();
        }
        StringBuilder b = new StringBuilder();
        Matcher m = CLIXML_ERROR.matcher(stderr);
        while (m.find()) {
            b.append(m.group(1).replace("_x000D_", "\r").replace("_x000A_", "\n").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&"));
        }
        return b.toString().strip();
    }

    private void report(ErrorContext ctx, HyperVScript script, int status, long startNanos, long sent, long received, String failure) {
        try {
            listener.onRequest(RequestEvent.builder().provider(HyperVProvider.TYPE).operation(ctx.operation()).method("Command")
                    .target(script.operation()).status(status).latency(Duration.ofNanos(System.nanoTime() - startNanos))
                    .bytesSent(sent).bytesReceived(received).failure(failure).build());
        } catch (RuntimeException e) {
            LOG.debug("request listener threw: {}", e.toString());
        }
    }

    /** @return commands that completed on the host */
    long commandCount() {
        return commands.get();
    }

    /** @return the most shells that were open at once */
    int peakShells() {
        return shells.peakOpen();
    }

    /** Closes idle shells (a WS-Man Delete each, a bounded wait in all), then the transport. */
    @Override
    public void close() {
        List<ShellCommand> idle = shells.close();
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (ShellCommand s : idle) {
            try {
                deletes.add(CompletableFuture.runAsync(() -> transport.closeShell(s), executor));
            } catch (RejectedExecutionException e) {
                break;
            }
        }
        try {
            CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("not every WinRM shell was closed: {}", e.toString());
        }
        transport.close();
    }

    /**
     * Collects a stream's text up to a bound. Past it, stdout's writer fails, so winrm4j stops reading and ends the
     * command (Signal) without holding more; stderr's keeps the start and drops the rest.
     */
    static final class BoundedText extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final long limit;
        private final boolean failPastLimit;
        private long size;
        private boolean exceeded;
        private volatile boolean ended;

        BoundedText(long limit, boolean failPastLimit) {
            this.limit = limit;
            this.failPastLimit = failPastLimit;
        }

        @Override
        public void write(char[] buf, int off, int len) throws IOException {
            size += len;
            if (size > limit) {
                exceeded = true;
                if (failPastLimit) {
                    throw new IOException("output larger than " + limit + " bytes");
                }
                int room = (int) Math.max(0, limit - text.length());
                text.append(buf, off, Math.min(room, len));
                return;
            }
            text.append(buf, off, len);
        }

        @Override
        public void flush() {
            // in memory
        }

        @Override
        public void close() {
            // winrm4j closes a stream at its end marker; the text stays
            ended = true;
        }

        /** @return whether the host marked the stream's end */
        boolean ended() {
            return ended;
        }

        boolean exceeded() {
            return exceeded;
        }

        long size() {
            return size;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
