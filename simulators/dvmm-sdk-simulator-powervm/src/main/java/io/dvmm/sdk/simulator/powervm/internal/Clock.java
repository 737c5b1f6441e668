package io.dvmm.sdk.simulator.powervm.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The simulator's time line: job progress, boots and RMC start-up happen on one daemon thread,
 * each step under the model lock, so that no request ever sees half of a transition.
 */
public final class Clock implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private final Object lock;

    public Clock(Object lock) {
        this.lock = lock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "powervm-sim-clock");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code step} under the model lock after {@code delay}. */
    public ScheduledFuture<?> after(Duration delay, Runnable step) {
        return timer.schedule(() -> {
            synchronized (lock) {
                step.run();
            }
        }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
