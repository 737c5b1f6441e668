package io.dvmm.sdk.spi.support;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * An {@link Executor} the connection does not own, as the {@code ExecutorService} a transport
 * library wants (OkHttp's dispatcher): tasks run on the executor, and shutting it down only marks
 * this view shut down, since the executor's life is the SDK's or the caller's business, never the
 * transport's. So a transport's blocking calls run on the connection's bounded pool (or the
 * pool a {@code HypervisorRegistry} shares between its connections) instead of a pool of its own.
 */
public final class SharedExecutorService extends AbstractExecutorService {
    private final Executor delegate;
    private volatile boolean shutdown;

    /**
     * @param delegate runs the tasks; never shut down through this view
     */
    public SharedExecutorService(Executor delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void execute(Runnable command) {
        delegate.execute(command);
    }

    /** Marks this view shut down; the executor keeps running. */
    @Override
    public void shutdown() {
        shutdown = true;
    }

    /** Marks this view shut down; the executor keeps running and keeps its tasks. */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
