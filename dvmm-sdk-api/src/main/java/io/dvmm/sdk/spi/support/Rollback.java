package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.CleanupFailedException;
import io.dvmm.sdk.NotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes what a failed run made, most recent first, each undo retried with back-off; what still
 * cannot be removed is reported as one {@link CleanupFailedException} naming every resource left.
 */
final class Rollback {
    private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);
    static final int ATTEMPTS = 4;
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4), 2.0);

    private Rollback() {
    }

    /**
     * @param run the failed run, told what was removed
     * @param undos what to undo, most recent first
     * @param cleanup the cleanup's run
     * @return {@code null} when everything was removed, else the failure naming what is left
     */
    static CompletableFuture<CleanupFailedException> undo(OperationRun run, List<OperationRun.Undo> undos, OperationRun cleanup) {
        List<String> left = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (OperationRun.Undo u : undos) {
            chain = chain.thenCompose(x -> attempt(u, cleanup, 1)).thenAccept(error -> {
                if (error != null) {
                    left.add(u.resource());
                    causes.add(error);
                } else {
                    run.undone(u.resource());
                }
            });
        }
        return chain.thenApply(x -> {
            if (left.isEmpty()) {
                return null;
            }
            CleanupFailedException e = new CleanupFailedException(left, "cleanup after the failed " + cleanup.operation()
                    + " could not remove " + String.join(", ", left) + ": " + causes.get(0).getMessage(), cleanup.context(),
                    causes.get(0));
            causes.stream().skip(1).forEach(e::addSuppressed);
            return e;
        });
    }

    /** @return {@code null} when the undo succeeded (or the resource was gone), else its last error */
    private static CompletableFuture<Throwable> attempt(OperationRun.Undo u, OperationRun cleanup, int n) {
        return Futures.guard(() -> u.action().get().thenApply(x -> (Object) x)).handle((v, e) -> {
            Throwable cause = e == null ? null : Futures.unwrap(e);
            return cause instanceof NotFoundException ? null : cause;
        }).thenCompose(error -> {
            if (error == null) {
                return CompletableFuture.completedFuture(null);
            }
            if (n >= ATTEMPTS || cleanup.deadline().expired()) {
                LOG.warn("{}: could not remove {} after {} attempts: {}", cleanup.operation(), u.resource(), n, error.toString());
                return CompletableFuture.completedFuture(error);
            }
            LOG.debug("{}: removing {} failed ({}); trying again", cleanup.operation(), u.resource(), error.toString());
            return cleanup.sleep(BACKOFF.interval(n - 1)).thenCompose(x -> attempt(u, cleanup, n + 1));
        });
    }
}
