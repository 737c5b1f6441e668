package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.spi.support.Backoff;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HMC jobs ({@code PowerOn}, {@code PowerOff}, {@code LULinkedClone}): a {@code JobRequest} PUT to
 * the target's {@code do/<Operation>} (no template GET first: the request is written whole), the
 * job polled at {@code /rest/api/uom/jobs/{id}} with back-off as the run's current wait, and
 * deleted once it ended, as the HMC asks of clients. {@code COMPLETED_OK} and
 * {@code COMPLETED_WITH_WARNINGS} succeed, and so does a failure whose HSCL code the caller
 * names as success ({@code HSCL3681} already on, {@code HSCL1558} already off); other failures
 * are mapped by {@link HmcErrors#fromJob}. Cancelling the run cancels the job
 * ({@code POST jobs/{id}/cancel}).
 */
final class HmcJobs {
    private static final Logger LOG = LoggerFactory.getLogger(HmcJobs.class);
    private static final Set<String> RUNNING = Set.of("NOT_STARTED", "RUNNING");

    private final HmcClient client;
    private final Backoff backoff;

    HmcJobs(HmcClient client, Backoff backoff) {
        this.client = client;
        this.backoff = backoff;
    }

    /**
     * @param target the object the job acts on, such as {@code /rest/api/uom/LogicalPartition/<uuid>}
     * @param operation the operation, such as {@code PowerOn}
     * @param group its group, such as {@code LogicalPartition}
     * @param parameters the job parameters, in order
     * @param success HSCL codes that count as success
     * @param resend whether the submit may be repeated after a lost answer
     * @param run the operation's run
     * @return the final job response
     */
    CompletableFuture<HmcObjects.JobResponse> run(HmcPath target, String operation, String group, Map<String, String> parameters,
                                                  Set<String> success, HmcClient.Resend resend, OperationRun run) {
        return run(target, operation, group, parameters, success, resend, null, run);
    }

    /**
     * {@link #run(HmcPath, String, String, Map, Set, HmcClient.Resend, OperationRun)} with a limit of
     * its own: a job still running after {@code within} is cancelled and the call fails with
     * {@link OperationTimeoutException}.
     *
     * @param target the object the job acts on
     * @param operation the operation
     * @param group its group
     * @param parameters the job parameters, in order
     * @param success HSCL codes that count as success
     * @param resend whether the submit may be repeated after a lost answer
     * @param within how long the job may run, or {@code null} for the run's deadline
     * @param run the operation's run
     * @return the final job response
     */
    CompletableFuture<HmcObjects.JobResponse> run(HmcPath target, String operation, String group, Map<String, String> parameters,
                                                  Set<String> success, HmcClient.Resend resend, Duration within,
                                                  OperationRun run) {
        run.check();
        String what = operation + " of " + target.segments().get(target.segments().size() - 1);
        ErrorContext ctx = run.context();
        byte[] body = RequestBodies.jobRequest(operation, group, parameters);
        return client.put(run.operation(), target.then("do", operation), HmcXml.WEB_TYPE + "JobRequest", body, resend,
                run.deadline()).thenCompose(a -> {
            HmcObjects.JobResponse started = HmcXml.entry(a.body(), HmcObjects.JobResponse.class, a.etag(), a.what(), ctx)
                    .content();
            if (started.id() == null || started.id().isBlank()) {
                throw new ProtocolException(a.what() + ": the job answer holds no JobID", ctx, false, null);
            }
            String id = started.id().strip();
            AtomicBoolean ended = new AtomicBoolean(!RUNNING.contains(started.status()));
            AutoCloseable hook = run.onCancel(() -> {
                if (!ended.get()) {
                    cancel(run.operation(), id, run);
                }
            });
            String polled = "job " + id + " (" + what + ")";
            CompletableFuture<HmcObjects.JobResponse> done = ended.get() ? CompletableFuture.completedFuture(started)
                    : within == null ? run.poll(polled, backoff, () -> poll(run, id, ended, ctx))
                    : run.pollFor(within, polled, backoff, () -> poll(run, id, ended, ctx)).thenApply(r -> r.orElseThrow(() -> {
                        cancel(run.operation(), id, run);
                        return new OperationTimeoutException(polled + " did not end within " + within + "; cancelled", ctx);
                    }));
            // A cancelled wait leaves the job running: the hook (still registered) cancels it on the HMC.
            return done.whenComplete((r, e) -> {
                if (!(e != null && Futures.unwrap(e) instanceof java.util.concurrent.CancellationException)) {
                    close(hook);
                }
            }).thenCompose(r -> delete(run, id).thenApply(x -> outcome(r, id, what, success, ctx)));
        });
    }

    private CompletableFuture<Optional<HmcObjects.JobResponse>> poll(OperationRun run, String id, AtomicBoolean ended,
                                                                  ErrorContext ctx) {
        return client.get(run.operation(), HmcPath.uom("jobs", id), run.deadline()).thenApply(a -> {
            HmcObjects.JobResponse r = HmcXml.entry(a.body(), HmcObjects.JobResponse.class, a.etag(), a.what(), ctx).content();
            if (RUNNING.contains(r.status())) {
                return Optional.<HmcObjects.JobResponse>empty();
            }
            ended.set(true);
            return Optional.of(r);
        });
    }

    static HmcObjects.JobResponse outcome(HmcObjects.JobResponse r, String id, String what, Set<String> success,
                                                  ErrorContext ctx) {
        String status = r.status() == null ? "" : r.status();
        if (status.equals("COMPLETED_OK") || status.equals("COMPLETED_WITH_WARNINGS")) {
            if (status.equals("COMPLETED_WITH_WARNINGS")) {
                LOG.info("job {} ({}) completed with warnings: {}", id, what, r.failure());
            }
            return r;
        }
        String failure = r.failure();
        Optional<String> code = HmcErrors.hscl(failure);
        if (code.isPresent() && success.contains(code.get())) {
            LOG.debug("job {} ({}) ended {} with {}: counts as done", id, what, status, code.get());
            return r;
        }
        HypervisorException e = HmcErrors.fromJob(failure, status, id, what, ctx);
        throw e;
    }

    /** Deletes an ended job; a failure is logged, never the operation's. */
    private CompletableFuture<Void> delete(OperationRun run, String id) {
        return client.delete(run.operation(), HmcPath.uom("jobs", id), run.deadline()).handle((a, e) -> {
            if (e != null) {
                LOG.debug("could not delete job {}: {}", id, Futures.unwrap(e).getMessage());
            }
            return null;
        });
    }

    /** Asks the HMC to stop a job, then deletes it; best effort, within the cleanup's own time. */
    private void cancel(String operation, String id, OperationRun run) {
        OperationRun cleanup = run.forCleanup(Duration.ofSeconds(30));
        LOG.debug("cancelling job {}", id);
        client.postEmpty(operation, HmcPath.uom("jobs", id, "cancel"), cleanup.deadline())
                .thenCompose(a -> client.delete(operation, HmcPath.uom("jobs", id), cleanup.deadline()))
                .whenComplete((a, e) -> {
                    if (e != null) {
                        LOG.debug("could not cancel job {}: {}", id, Futures.unwrap(e).getMessage());
                    }
                });
    }

    private static void close(AutoCloseable hook) {
        try {
            hook.close();
        } catch (Exception e) {
            // removing a hook cannot fail in a way that matters
        }
    }
}
