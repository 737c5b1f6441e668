package io.dvmm.sdk.testkit;

import io.dvmm.sdk.Hypervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Opens, uses and closes many connections, and says whether {@link Hypervisor#close()} gave back what each one
 * took: the live threads and the process's open file descriptors are compared with a baseline taken after a few
 * warm-up connections (JVM-wide helpers such as an HTTP client's shared task runner start on first use and stay).
 * No {@code System.gc()} is ever called: what only a collection would release counts as a leak.
 *
 * <pre>{@code
 * ConnectionChurn.Result r = ConnectionChurn.of(() -> Hypervisors.connect(config), hv -> hv.listVms().join())
 *         .sdkThreads(t -> t.getName().startsWith("dvmm-"))
 *         .run(200);
 * r.assertReleased();
 * }</pre>
 *
 * <p>File descriptors are read from {@code /proc/self/fd}, so this runs on Linux only; elsewhere {@link #run(int)}
 * throws {@link UnsupportedOperationException}.
 */
public final class ConnectionChurn {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final int WARM_UPS = 3;

    private final Supplier<? extends Hypervisor> connect;
    private final Consumer<? super Hypervisor> use;
    private Predicate<Thread> sdkThread = t -> t.getName().startsWith("dvmm-");
    private int slack = 3;
    private Duration settle = Duration.ofSeconds(10);

    private ConnectionChurn(Supplier<? extends Hypervisor> connect, Consumer<? super Hypervisor> use) {
        this.connect = Objects.requireNonNull(connect, "connect");
        this.use = Objects.requireNonNull(use, "use");
    }

    /**
     * A churn that connects with {@code connect}, runs {@code use} on each connection, then closes it.
     *
     * @param connect opens one connection (for example {@code () -> Hypervisors.connect(config)})
     * @param use what each connection does before it is closed; it should make requests, so that sockets are opened
     * @return the churn, to be configured and {@linkplain #run(int) run}
     */
    public static ConnectionChurn of(Supplier<? extends Hypervisor> connect, Consumer<? super Hypervisor> use) {
        return new ConnectionChurn(connect, use);
    }

    /**
     * Which threads belong to a connection (by default those named {@code dvmm-*}); after the run none may be alive.
     *
     * @param sdkThread true for a thread a connection started
     * @return this churn
     */
    public ConnectionChurn sdkThreads(Predicate<Thread> sdkThread) {
        this.sdkThread = Objects.requireNonNull(sdkThread, "sdkThread");
        return this;
    }

    /**
     * How many threads and file descriptors above the baseline are tolerated (default 3: a log appender or a server
     * thread of the simulator in the same JVM may come and go).
     *
     * @param slack the tolerance, at least 0
     * @return this churn
     */
    public ConnectionChurn slack(int slack) {
        if (slack < 0) {
            throw new IllegalArgumentException("slack must be at least 0: " + slack);
        }
        this.slack = slack;
        return this;
    }

    /**
     * How long to wait after the last close for threads to end and sockets to close (default 10 seconds).
     *
     * @param settle the longest wait
     * @return this churn
     */
    public ConnectionChurn settle(Duration settle) {
        this.settle = Objects.requireNonNull(settle, "settle");
        return this;
    }

    /**
     * Warms up, takes the baseline, then opens, uses and closes {@code connections} connections one after the other.
     *
     * @param connections how many connections to open and close after the baseline
     * @return the measurements
     * @throws InterruptedException when interrupted while waiting for threads and sockets to be released
     * @throws UnsupportedOperationException when {@code /proc/self/fd} does not exist (not Linux)
     */
    public Result run(int connections) throws InterruptedException {
        if (!Files.isDirectory(FDS)) {
            throw new UnsupportedOperationException("open file descriptors are counted in " + FDS + ", which this system lacks");
        }
        for (int i = 0; i < WARM_UPS; i++) {
            once();
        }
        waitUntil(() -> sdkThreads() == 0, Duration.ofSeconds(5));
        int baseThreads = threads();
        long baseFds = fds();
        for (int i = 0; i < connections; i++) {
            once();
        }
        waitUntil(() -> sdkThreads() == 0 && threads() <= baseThreads + slack && fds() <= baseFds + slack, settle);
        return new Result(connections, baseThreads, threads(), baseFds, fds(), sdkThreads(), slack);
    }

    private void once() {
        try (Hypervisor hv = connect.get()) {
            use.accept(hv);
        }
    }

    private long sdkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(sdkThread).count();
    }

    private static int threads() {
        return Thread.getAllStackTraces().size();
    }

    private static long fds() {
        try (Stream<Path> s = Files.list(FDS)) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void waitUntil(BooleanSupplier condition, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    /**
     * What a churn measured.
     *
     * @param connections how many connections were opened and closed after the baseline
     * @param baselineThreads live threads at the baseline
     * @param threads live threads after the run
     * @param baselineFds open file descriptors at the baseline
     * @param fds open file descriptors after the run
     * @param sdkThreads threads of the {@linkplain #sdkThreads(Predicate) SDK's kind} still alive after the run
     * @param slack the tolerance the run was given
     */
    public record Result(int connections, int baselineThreads, int threads, long baselineFds, long fds, long sdkThreads,
                         int slack) {

        /**
         * Whether everything was given back: no SDK thread alive, threads and descriptors within the slack.
         *
         * @return true when nothing leaked
         */
        public boolean released() {
            return sdkThreads == 0 && threads <= baselineThreads + slack && fds <= baselineFds + slack;
        }

        /**
         * Throws when something leaked.
         *
         * @throws AssertionError naming the counts, when {@link #released()} is false
         */
        public void assertReleased() {
            if (!released()) {
                throw new AssertionError("after " + this + ": not released");
            }
        }

        @Override
        public String toString() {
            return connections + " closed connections: threads " + threads + " (baseline " + baselineThreads + "), fds " + fds
                    + " (baseline " + baselineFds + "), SDK threads " + sdkThreads;
        }
    }
}
