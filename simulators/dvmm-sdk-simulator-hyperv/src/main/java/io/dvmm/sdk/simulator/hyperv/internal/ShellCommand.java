package io.dvmm.sdk.simulator.hyperv.internal;

import io.dvmm.sdk.simulator.Fault;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * One command in a shell and its output streams as Receive hands them out: stderr first, then stdout in pieces that
 * fit the client's MaxEnvelopeSize (and, when configured, in several Receives), with {@code Running} until the last
 * piece and then {@code Done} with the exit code.
 */
final class ShellCommand {

    /** What one ReceiveResponse carries. */
    record Batch(List<WsManWriter.StreamPart> parts, Integer exitCode) {
    }

    /** Room left for the envelope around the stream data. */
    private static final int ENVELOPE_OVERHEAD = 2048;

    private final String id;
    private final String operation;
    private final CommandHost.Execution execution;
    private final int stdoutReceives;
    private final Fault doneFault;
    private Deque<WsManWriter.StreamPart> pending;
    private Integer exitCode;
    private boolean doneSent;

    ShellCommand(String id, String operation, CommandHost.Execution execution, int stdoutReceives, Fault doneFault) {
        this.id = id;
        this.operation = operation;
        this.execution = execution;
        this.stdoutReceives = Math.max(1, stdoutReceives);
        this.doneFault = doneFault;
    }

    String id() {
        return id;
    }

    /** The script operation, or null. */
    String operation() {
        return operation;
    }

    Instant completesAt() {
        return execution.completesAt();
    }

    /** The fault that goes with the answer carrying {@code Done}; none by default. */
    Fault doneFault() {
        return doneFault == null ? Fault.none() : doneFault;
    }

    synchronized boolean doneSent() {
        return doneSent;
    }

    /** The next ReceiveResponse's content; only called once {@link #completesAt()} has passed. */
    synchronized Batch next(int maxEnvelopeSize) {
        if (pending == null) {
            CommandOutcome o = execution.outcome().get();
            exitCode = o.exitCode();
            pending = new ArrayDeque<>();
            int budget = Math.max(1024, (maxEnvelopeSize - ENVELOPE_OVERHEAD) / 4 * 3);
            split("stderr", o.stderr(), 1, budget);
            split("stdout", o.stdout(), stdoutReceives, budget);
        }
        List<WsManWriter.StreamPart> parts = new ArrayList<>();
        int budget = Math.max(1024, (maxEnvelopeSize - ENVELOPE_OVERHEAD) / 4 * 3);
        int used = 0;
        while (!pending.isEmpty() && used + pending.peek().data().length <= budget) {
            WsManWriter.StreamPart p = pending.poll();
            parts.add(p);
            used += p.data().length;
            if (stdoutReceives > 1 && p.name().equals("stdout")) {
                break;
            }
        }
        if (!pending.isEmpty()) {
            return new Batch(parts, null);
        }
        parts.add(new WsManWriter.StreamPart("stdout", new byte[0], true));
        parts.add(new WsManWriter.StreamPart("stderr", new byte[0], true));
        doneSent = true;
        return new Batch(parts, exitCode);
    }

    private void split(String name, byte[] data, int pieces, int budget) {
        if (data.length == 0) {
            return;
        }
        int size = Math.min(budget, Math.max(1, (data.length + pieces - 1) / pieces));
        for (int from = 0; from < data.length; from += size) {
            pending.add(new WsManWriter.StreamPart(name, Arrays.copyOfRange(data, from, Math.min(data.length, from + size)), false));
        }
    }
}
