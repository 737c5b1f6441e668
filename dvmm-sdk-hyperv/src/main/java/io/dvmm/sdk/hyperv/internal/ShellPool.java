package io.dvmm.sdk.hyperv.internal;

import io.cloudsoft.winrm4j.client.ShellCommand;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The WinRM shells of one connection: at most {@code max} open at once (the host's MaxShellsPerUser caps them), each
 * running one command at a time and reused by the next, so a command after the first costs Command, Receive and
 * Signal instead of a shell of its own (Create and Delete as well). A shell idle longer than the idle limit is closed
 * rather than reused (the host would have reaped it). Callers wait for a slot without holding a thread.
 *
 * <p>A slot may be {@linkplain #acquire(boolean) dedicated}: its shell is opened for one command (with an
 * environment of its own) and closed after it, and counts against the same limit.
 */
final class ShellPool {

    /** A right to run one command: an idle shell to reuse, or none yet (the holder opens one). */
    static final class Slot {
        final boolean dedicated;
        ShellCommand shell;

        Slot(boolean dedicated, ShellCommand shell) {
            this.dedicated = dedicated;
            this.shell = shell;
        }
    }

    private record Idle(ShellCommand shell, long since) {
    }

    private record Waiter(boolean dedicated, CompletableFuture<Slot> future) {
    }

    private final int max;
    private final long idleNanos;
    private final Consumer<ShellCommand> closer;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private int leased;
    private int peakOpen;
    private boolean closed;

    /**
     * @param max the most shells open at once
     * @param idleNanos how long an idle shell is kept
     * @param closer closes a shell in the background (never on the caller's thread while it holds the pool's lock)
     */
    ShellPool(int max, long idleNanos, Consumer<ShellCommand> closer) {
        this.max = max;
        this.idleNanos = idleNanos;
        this.closer = closer;
    }

    /**
     * @param dedicated whether the command needs a shell of its own
     * @return a slot, now or once one is free
     */
    CompletableFuture<Slot> acquire(boolean dedicated) {
        List<ShellCommand> expired = new ArrayList<>();
        CompletableFuture<Slot> out;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("connection is closed"));
            }
            expire(expired);
            Slot s = take(dedicated, expired);
            if (s != null) {
                out = CompletableFuture.completedFuture(s);
            } else {
                out = new CompletableFuture<>();
                waiters.add(new Waiter(dedicated, out));
            }
        }
        expired.forEach(closer);
        return out;
    }

    /** Under the lock: a slot if one is free; shells evicted to make room go to {@code evicted}. */
    private Slot take(boolean dedicated, List<ShellCommand> evicted) {
        if (!dedicated && !idle.isEmpty()) {
            leased++;
            return new Slot(false, idle.pop().shell());
        }
        if (idle.size() + leased < max) {
            leased++;
            peakOpen = Math.max(peakOpen, idle.size() + leased);
            return new Slot(dedicated, null);
        }
        if (dedicated && !idle.isEmpty()) {
            evicted.add(idle.removeLast().shell());
            leased++;
            return new Slot(true, null);
        }
        return null;
    }

    private void expire(List<ShellCommand> expired) {
        long now = System.nanoTime();
        while (!idle.isEmpty() && now - idle.peekLast().since() > idleNanos) {
            expired.add(idle.removeLast().shell());
        }
    }

    /**
     * Gives a slot back.
     *
     * @param slot the slot
     * @param reusable its shell when it can run the next command; {@code null} when it was closed, broken or dedicated
     */
    void release(Slot slot, ShellCommand reusable) {
        List<ShellCommand> evicted = new ArrayList<>();
        List<Runnable> handovers = new ArrayList<>();
        synchronized (this) {
            leased--;
            if (reusable != null && !slot.dedicated) {
                if (closed) {
                    evicted.add(reusable);
                } else {
                    idle.push(new Idle(reusable, System.nanoTime()));
                }
            }
            while (!waiters.isEmpty()) {
                Waiter w = waiters.peek();
                if (w.future().isDone()) {
                    waiters.pop();
                    continue;
                }
                Slot s = take(w.dedicated(), evicted);
                if (s == null) {
                    break;
                }
                waiters.pop();
                handovers.add(() -> {
                    if (!w.future().complete(s)) {
                        release(s, s.shell);
                    }
                });
            }
        }
        evicted.forEach(closer);
        handovers.forEach(Runnable::run);
    }

    /** @return the shells to close: every idle one; from now on released shells are closed too */
    synchronized List<ShellCommand> close() {
        closed = true;
        List<ShellCommand> out = new ArrayList<>();
        idle.forEach(i -> out.add(i.shell()));
        idle.clear();
        waiters.forEach(w -> w.future().completeExceptionally(new IllegalStateException("connection is closed")));
        waiters.clear();
        return out;
    }

    /** @return the most shells that were open at once */
    synchronized int peakOpen() {
        return peakOpen;
    }

    /** @return the shells open now (idle or running a command) */
    synchronized int open() {
        return idle.size() + leased;
    }
}
