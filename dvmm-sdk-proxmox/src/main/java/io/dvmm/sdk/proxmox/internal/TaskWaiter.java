package io.dvmm.sdk.proxmox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.spi.Backoff;
import io.dvmm.sdk.spi.Deadline;
import io.dvmm.sdk.spi.Futures;
import io.dvmm.sdk.spi.Poller;
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
 * {@code WARNINGS: n} are success; anything else fails with {@link OperationFailedException}
 * carrying the tail of the task log. Cancelling the returned future stops the remote task.
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
        String node = ProxmoxMapper.upidNode(upid);
        List<String> statusPath = ProxmoxClient.path("nodes", node, "tasks", upid, "status");
        AtomicInteger early400 = new AtomicInteger();
        CompletableFuture<JsonNode> done = poller.until(ctx, "task " + upid, backoff, deadline,
                () -> probe(operation, ctx, node, upid, statusPath, early400));
        return Futures.onCancel(done, () -> stop(operation, node, upid));
    }

    private CompletableFuture<Optional<JsonNode>> probe(String operation, ErrorContext ctx, String node, String upid,
                                                        List<String> statusPath, AtomicInteger early400) {
        CompletableFuture<Optional<JsonNode>> out = new CompletableFuture<>();
        client.get(operation, statusPath, Map.of()).whenComplete((status, error) -> {
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
            logTail(operation, node, upid).whenComplete((tail, e) -> out.completeExceptionally(new OperationFailedException(
                    "task failed: " + exit, ctx.withServer(exit, exit), upid, tail == null ? List.of() : tail)));
        });
        return out;
    }

    /** Asks PVE to stop a running task; best effort. */
    void stop(String operation, String node, String upid) {
        LOG.debug("stopping task {}", upid);
        client.delete(operation, ProxmoxClient.path("nodes", node, "tasks", upid), Map.of())
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.debug("could not stop task {}: {}", upid, Futures.unwrap(e).getMessage());
                    }
                });
    }

    private CompletableFuture<List<String>> logTail(String operation, String node, String upid) {
        return client.get(operation, ProxmoxClient.path("nodes", node, "tasks", upid, "log"),
                        Map.of("start", "0", "limit", "1000"))
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
