package io.dvmm.sdk.simulator.powervm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/** One HMC job: what was asked, where it stands, and its results. Guarded by the model lock. */
public final class Job {

    public static final String NOT_STARTED = "NOT_STARTED";
    public static final String RUNNING = "RUNNING";
    public static final String COMPLETED_OK = "COMPLETED_OK";
    public static final String COMPLETED_WITH_ERROR = "COMPLETED_WITH_ERROR";
    public static final String FAILED_BEFORE_COMPLETION = "FAILED_BEFORE_COMPLETION";

    private final long id;
    private final String operation;
    private final String group;
    private final String targetUuid;
    private final String requestPath;
    private final Map<String, String> parameters;
    private final JobAction action;
    private final List<String[]> results = new ArrayList<>();
    private String status = NOT_STARTED;
    private long started;
    private long completed;
    private ScheduledFuture<?> next;

    Job(long id, String operation, String group, String targetUuid, String requestPath, Map<String, String> parameters,
            JobAction action) {
        this.id = id;
        this.operation = operation;
        this.group = group;
        this.targetUuid = targetUuid;
        this.requestPath = requestPath;
        this.parameters = new LinkedHashMap<>(parameters);
        this.action = action;
    }

    public long id() {
        return id;
    }

    public String operation() {
        return operation;
    }

    public String group() {
        return group;
    }

    public String targetUuid() {
        return targetUuid;
    }

    /** The URL the request was sent to, relative as the captures show it ({@code LogicalPartition/…/do/PowerOn}). */
    public String requestPath() {
        return requestPath;
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    /** A job parameter, or {@code fallback} when absent. */
    public String parameter(String name, String fallback) {
        return parameters.getOrDefault(name, fallback);
    }

    public String status() {
        return status;
    }

    public boolean done() {
        return !status.equals(NOT_STARTED) && !status.equals(RUNNING);
    }

    public long started() {
        return started;
    }

    public long completed() {
        return completed;
    }

    public List<String[]> results() {
        return results;
    }

    /** The failure text ({@code Results/JobParameter[result]}), or null. */
    public String resultMessage() {
        for (String[] r : results) {
            if (r[0].equals("result")) {
                return r[1];
            }
        }
        return null;
    }

    JobAction action() {
        return action;
    }

    void running(long now) {
        status = RUNNING;
        started = now;
    }

    void complete(JobOutcome outcome, long now) {
        status = outcome.status();
        completed = now;
        if (started == 0) {
            started = now;
        }
        results.clear();
        results.add(new String[] {"returnCode", outcome.ok() ? "0" : "1"});
        if (outcome.message() != null) {
            results.add(new String[] {"result", outcome.message()});
        }
        outcome.results().forEach((k, v) -> results.add(new String[] {k, v}));
    }

    void next(ScheduledFuture<?> f) {
        this.next = f;
    }

    void cancelTimer() {
        if (next != null) {
            next.cancel(false);
        }
    }
}
