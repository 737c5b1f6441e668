package io.dvmm.sdk.simulator.powervm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The job store and its state machine: {@code NOT_STARTED} for the queue time, then
 * {@code RUNNING} (the action's start may end it at once with an HSCL error), then a final
 * status after the run time. Completed jobs stay until deleted, as on the HMC. Guarded by the
 * model lock (callers hold it; the clock takes it).
 */
public final class Jobs {

    private final Clock clock;
    private final Settings settings;
    private final Map<Long, Job> jobs = new LinkedHashMap<>();
    private final Map<String, String> failNext = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis());

    public Jobs(Clock clock, Settings settings) {
        this.clock = clock;
        this.settings = settings;
    }

    public Job submit(String operation, String group, String targetUuid, String requestPath,
            Map<String, String> parameters, JobAction action) {
        Job job = new Job(ids.incrementAndGet(), operation, group, targetUuid, requestPath, parameters, action);
        jobs.put(job.id(), job);
        job.next(clock.after(settings.jobQueueTime, () -> start(job)));
        return job;
    }

    private void start(Job job) {
        if (job.done() || !jobs.containsKey(job.id())) {
            return;
        }
        job.running(System.currentTimeMillis());
        String forced = failNext.remove(job.operation());
        JobOutcome early = forced != null ? JobOutcome.error(forced) : job.action().start(job);
        if (early != null) {
            job.complete(early, System.currentTimeMillis());
            return;
        }
        job.next(clock.after(settings.jobRunTime, () -> finish(job)));
    }

    private void finish(Job job) {
        if (job.done()) {
            return;
        }
        job.complete(job.action().finish(job), System.currentTimeMillis());
    }

    public Optional<Job> get(long id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Cancels a job that has not finished; throws 409 for one that has. */
    public void cancel(Job job) {
        if (job.done()) {
            throw HmcError.conflict("The job " + job.id() + " has already completed and cannot be cancelled.");
        }
        job.cancelTimer();
        if (job.status().equals(Job.RUNNING)) {
            job.action().cancelled(job);
            job.complete(JobOutcome.error("The job " + job.id() + " was cancelled by the user."), System.currentTimeMillis());
        } else {
            job.complete(JobOutcome.failedBefore("The job " + job.id() + " was cancelled before it started."),
                    System.currentTimeMillis());
        }
    }

    /** Deletes a finished job; throws 409 while it runs. */
    public void delete(Job job) {
        if (!job.done()) {
            throw HmcError.conflict("The job " + job.id() + " is still " + job.status() + " and cannot be deleted.");
        }
        jobs.remove(job.id());
    }

    /** Makes the next job of an operation end {@code COMPLETED_WITH_ERROR} with this text. */
    public void failNext(String operation, String message) {
        failNext.put(operation, message);
    }

    public List<Job> all() {
        return new ArrayList<>(jobs.values());
    }
}
