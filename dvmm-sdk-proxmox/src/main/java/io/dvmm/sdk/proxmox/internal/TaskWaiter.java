package io.dvmm.sdk.proxmox.internal;

import io.dvmm.sdk.proxmox.ProxmoxProvider;
import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.spi.support.Backoff;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.Poller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a worker task (UPID): polls {@code /nodes/{node}/tasks/{upid}/status} on the node
 * named in the UPID with back-off until {@code status == stopped}. {@code OK} and
 * {@code WARNINGS: n} are success; anything else fails with the class {@link ProxmoxErrors#fromTask}
 * gives the task's own error (a lock timeout is busy, a taken name a conflict, an unknown
 * snapshot not found; otherwise {@link OperationFailedException}), carrying the tail of the task
 * log. Cancelling the returned future stops the remote task.
 */
final class TaskWaiter {
    private static final Logger LOG = LoggerFactory.getLogger(TaskWaiter.class);
    private static final int LOG_TAIL = 10;
    /** A 400 right after dispatch can be eventual consistency across nodes; tolerated this often. */
    private static final int EARLY_400_TOLERANCE = 3;

    private final ProxmoxClient client;
    private final Poller poller;
    private final Backoff backoff;

    TaskWaiter(ProxmoxClient client, Poller poller, Backoff backoff) {
        this.client = client;
        this.poller = poller;
        this.backoff = backoff;
    }

    /**
     * @param operation the SDK operation
     * @param upid the task
     * @param deadline when to give up
     * @return the final task status
     */
    CompletableFuture<JsonNode> await(String operation, String upid, Deadline deadline) {
        ErrorContext ctx = ErrorContext.of(ProxmoxProvider.TYPE, operation);
        String node = ProxmoxMapper.upidNode(upid, ctx);
        List<String> statusPath = ProxmoxClient.path("nodes", node, "tasks", upid, "status");
        AtomicInteger early400 = new AtomicInteger();
        CompletableFuture<JsonNode> done = poller.until(ctx, "task " + upid, backoff, deadline,
                () -> probe(operation, ctx, node, upid, statusPath, early400, deadline));
        return Futures.onCancel(done, () -> stop(operation, node, upid));
    }

    private CompletableFuture<Optional<JsonNode>> probe(String operation, ErrorContext ctx, String node, String upid,
                                                        List<String> statusPath, AtomicInteger early400, Deadline deadline) {
        CompletableFuture<Optional<JsonNode>> out = new CompletableFuture<>();
        client.get(operation, statusPath, Map.of(), deadline).whenComplete((status, error) -> {
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                if (cause instanceof InvalidSpecException && early400.incrementAndGet() <= EARLY_400_TOLERANCE) {
                    out.complete(Optional.empty());
                } else {
                    out.completeExceptionally(cause);
                }
                return;
            }
            if (!"stopped".equals(ProxmoxMapper.asText(status.get("status"), ""))) {
                out.complete(Optional.empty());
                return;
            }
            String exit = ProxmoxMapper.asText(status.get("exitstatus"), "");
            if ("OK".equals(exit) || exit.startsWith("WARNINGS")) {
                if (!"OK".equals(exit)) {
                    LOG.info("task {} finished with {}", upid, exit);
                }
                out.complete(Optional.of(status));
                return;
            }
            logTail(operation, node, upid, deadline).whenComplete((tail, e) -> out.completeExceptionally(
                    ProxmoxErrors.fromTask(exit, upid, tail == null ? List.of() : tail, ctx)));
        });
        return out;
    }

    /** Asks PVE to stop a running task; best effort. */
    void stop(String operation, String node, String upid) {
        LOG.debug("stopping task {}", upid);
        client.delete(operation, ProxmoxClient.path("nodes", node, "tasks", upid), Map.of(), null)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.debug("could not stop task {}: {}", upid, Futures.unwrap(e).getMessage());
                    }
                });
    }

    private CompletableFuture<List<String>> logTail(String operation, String node, String upid, Deadline deadline) {
        return client.get(operation, ProxmoxClient.path("nodes", node, "tasks", upid, "log"),
                        Map.of("start", "0", "limit", "1000"), deadline)
                .handle((data, e) -> {
                    List<String> lines = new ArrayList<>();
                    if (data != null) {
                        for (JsonNode l : data) {
                            lines.add(ProxmoxMapper.asText(l.get("t"), ""));
                        }
                    }
                    return lines.size() <= LOG_TAIL ? lines : List.copyOf(lines.subList(lines.size() - LOG_TAIL, lines.size()));
                });
    }
}
