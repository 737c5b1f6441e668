package io.dvmm.sdk.simulator.proxmox.internal;

import java.util.ArrayList;
import java.util.List;

/** A worker task (UPID): what runs when it ends, and its log. Guarded by the {@link PveCluster} monitor. */
final class PveTask {
    final String upid;
    final String node;
    final String type;
    final String id;
    final String user;
    final long startSeconds;
    final long dueMillis;
    final List<String> log = new ArrayList<>();
    /** Runs when the task succeeds; a {@link PveError} it throws fails the task instead. */
    Runnable onSuccess = () -> { };
    Runnable onFailure = () -> { };
    /** Set before the task ends: the exit status it will fail with. */
    String failure;
    /** Null while running. */
    String exitstatus;

    PveTask(String upid, String node, String type, String id, String user, long startSeconds, long dueMillis) {
        this.upid = upid;
        this.node = node;
        this.type = type;
        this.id = id;
        this.user = user;
        this.startSeconds = startSeconds;
        this.dueMillis = dueMillis;
    }
}
