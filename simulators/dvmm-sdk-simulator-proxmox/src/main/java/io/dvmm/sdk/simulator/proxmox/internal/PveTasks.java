package io.dvmm.sdk.simulator.proxmox.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Worker tasks: UPIDs naming the node that runs them, {@code /nodes/{node}/tasks/{upid}/status}
 * and {@code /log}, stopping a task, and injected task failures ({@code exitstatus} text or
 * {@code WARNINGS: n}). A task ends on the scheduler when due, or when polled after it is due.
 */
final class PveTasks {

    private final PveCluster cluster;
    private final Map<String, PveTask> tasks = new ConcurrentHashMap<>();
    private final AtomicInteger pid = new AtomicInteger(100_000);
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, String> failureText = new HashMap<>();

    PveTasks(PveCluster cluster) {
        this.cluster = cluster;
    }

    /** The next {@code count} tasks of {@code type} end with {@code exitstatus}. */
    void failNext(String type, int count, String exitstatus) {
        failures.merge(type, count, Integer::sum);
        failureText.put(type, exitstatus);
    }

    /** The default task length, as set on the simulator. */
    long defaultMillis() {
        return cluster.taskDurationMillis;
    }

    /** Starts a task on {@code node} that ends after {@code durationMillis}. */
    PveTask start(String node, String type, String id, String user, long durationMillis) {
        long now = System.currentTimeMillis();
        String upid = String.format("UPID:%s:%08X:%08X:%08X:%s:%s:%s:", node, pid.incrementAndGet(),
                (now / 10) & 0xffffffffL, now / 1000, type, id, user);
        PveTask t = new PveTask(upid, node, type, id, user, now / 1000, now + durationMillis);
        Integer pending = failures.get(type);
        if (pending != null && pending > 0) {
            failures.put(type, pending - 1);
            String text = failureText.get(type);
            if (text.startsWith("WARNINGS")) {
                t.log.add("WARN: simulated warning");
            } else {
                t.failure = text;
            }
        }
        tasks.put(upid, t);
        cluster.scheduler.schedule(() -> {
            synchronized (cluster) {
                finish(t, null);
            }
        }, Math.max(0, durationMillis), TimeUnit.MILLISECONDS);
        return t;
    }

    private void finish(PveTask t, String forcedExit) {
        if (t.exitstatus != null) {
            return;
        }
        if (forcedExit != null) {
            t.log.add("received interrupt");
            t.log.add("TASK ERROR: " + forcedExit);
            t.exitstatus = forcedExit;
            t.onFailure.run();
            return;
        }
        if (t.failure != null) {
            t.log.add("TASK ERROR: " + t.failure);
            t.exitstatus = t.failure;
            t.onFailure.run();
            return;
        }
        try {
            t.onSuccess.run();
            long warnings = t.log.stream().filter(l -> l.startsWith("WARN:")).count();
            if (warnings > 0) {
                t.log.add("TASK WARNINGS: " + warnings);
                t.exitstatus = "WARNINGS: " + warnings;
            } else {
                t.log.add("TASK OK");
                t.exitstatus = "OK";
            }
        } catch (PveError e) {
            t.log.add("TASK ERROR: " + e.getMessage());
            t.exitstatus = e.getMessage();
            t.onFailure.run();
        }
    }

    /** The task, finished first if it is due; 400 when the UPID is unknown or names another node. */
    private PveTask task(String node, String upid) {
        PveTask t = tasks.get(upid);
        if (t == null || !t.node.equals(node)) {
            throw PveError.param("upid", "no such task");
        }
        if (t.exitstatus == null && System.currentTimeMillis() >= t.dueMillis) {
            finish(t, null);
        }
        return t;
    }

    Map<String, Object> status(String node, String upid) {
        PveTask t = task(node, upid);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("upid", t.upid);
        m.put("node", t.node);
        m.put("pid", Integer.parseInt(t.upid.split(":")[2], 16));
        m.put("pstart", Long.parseLong(t.upid.split(":")[3], 16));
        m.put("starttime", t.startSeconds);
        m.put("type", t.type);
        m.put("id", t.id);
        m.put("user", t.user);
        if (t.exitstatus == null) {
            m.put("status", "running");
        } else {
            m.put("status", "stopped");
            m.put("exitstatus", t.exitstatus);
        }
        return m;
    }

    List<Map<String, Object>> log(String node, String upid, int start, int limit) {
        PveTask t = task(node, upid);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = start; i < t.log.size() && out.size() < limit; i++) {
            out.add(Map.of("n", i + 1, "t", t.log.get(i)));
        }
        if (out.isEmpty() && t.log.isEmpty() && start == 0) {
            out.add(Map.of("n", 1, "t", "no content"));
        }
        return out;
    }

    int logTotal(String node, String upid) {
        return task(node, upid).log.size();
    }

    /** {@code DELETE /nodes/{node}/tasks/{upid}}: a running task ends as interrupted. */
    void stop(String node, String upid) {
        PveTask t = task(node, upid);
        if (t.exitstatus == null) {
            finish(t, "interrupted by signal");
        }
    }
}
