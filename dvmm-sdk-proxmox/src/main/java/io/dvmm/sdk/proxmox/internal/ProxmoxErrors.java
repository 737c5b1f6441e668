package io.dvmm.sdk.proxmox.internal;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.PermissionDeniedException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.UnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * The one error mapper of the Proxmox provider: HTTP status, reason phrase (where pveproxy puts
 * the message) and {@code errors} map to the SDK's exception tree.
 */
final class ProxmoxErrors {

    private ProxmoxErrors() {
    }

    /**
     * @param status the HTTP status
     * @param message the reason phrase, else the body's message, trimmed
     * @param fieldErrors the 400 {@code errors} map, possibly empty
     * @param ctx provider and operation
     * @return the exception to fail with
     */
    static HypervisorException fromResponse(int status, String message, Map<String, String> fieldErrors, ErrorContext ctx) {
        String msg = message == null || message.isBlank() ? "HTTP " + status : message.strip();
        ErrorContext c = ctx.withServer(Integer.toString(status), msg);
        String lower = msg.toLowerCase(Locale.ROOT);
        if (status == 400) {
            if (!fieldErrors.isEmpty()) {
                Map.Entry<String, String> first = fieldErrors.entrySet().iterator().next();
                String fieldMsg = first.getValue() == null ? "" : first.getValue().strip();
                ErrorContext fc = ctx.withServer("400", first.getKey() + ": " + fieldMsg);
                if (fieldMsg.contains("already exists")) {
                    return new ConflictException(fieldMsg, fc);
                }
                return new InvalidSpecException(first.getKey(), fieldMsg, fc);
            }
            return new InvalidSpecException("request", msg, c);
        }
        if (status == 401) {
            return new AuthenticationException("authentication failed: " + msg, c);
        }
        if (status == 403) {
            return new PermissionDeniedException("permission denied: " + msg, c);
        }
        if (status == 404) {
            return new NotFoundException(msg, c);
        }
        if (status == 501) {
            return new ProtocolException("the endpoint does not implement this call (older PVE?): " + msg, c);
        }
        if ((status >= 595 && status <= 599) || status == 502 || status == 503 || status == 504) {
            return new UnavailableException("the endpoint could not forward or answer the request: " + msg, c);
        }
        if (lower.contains("does not exist") || lower.contains("no such")) {
            return new NotFoundException(msg, c);
        }
        if (lower.contains("already exists") || lower.contains("already used")) {
            return new ConflictException(msg, c);
        }
        if (lower.contains("got timeout") || lower.contains("is locked") || lower.contains("can't lock")
                || lower.contains("got no worker upid")) {
            return new BusyException(msg, c);
        }
        if (lower.contains("not running") || lower.contains("already running") || lower.contains("is running")) {
            return new ConflictException(msg, c);
        }
        return new OperationFailedException(msg, c, null, List.of());
    }

    /**
     * @param request the request, such as {@code POST /nodes/pve1/qemu/100/clone}
     * @param e a transport failure
     * @param ctx provider and operation
     * @return the exception to fail with; {@link ConnectException} stays the cause, so retries know it was never sent
     */
    static HypervisorException fromIo(String request, IOException e, ErrorContext ctx) {
        if (e instanceof SSLException) {
            return new AuthenticationException(request + ": TLS verification of the server failed: " + e.getMessage(), ctx, e);
        }
        if (e instanceof ConnectException) {
            return new UnavailableException(request + ": cannot connect: " + e.getMessage(), ctx, e);
        }
        if (e instanceof InterruptedIOException) {
            return new UnavailableException(request + ": no complete answer in time: " + e.getMessage(), ctx, e);
        }
        return new UnavailableException(request + ": connection failed: " + e.getMessage(), ctx, e);
    }

    /**
     * The error a failed worker task reports, by its exit status: PVE raises errors inside tasks
     * with the same texts as synchronous ones.
     *
     * @param exit the task's {@code exitstatus}
     * @param upid the task
     * @param logTail the last lines of its log
     * @param ctx provider and operation
     * @return the exception to fail with
     */
    static HypervisorException fromTask(String exit, String upid, List<String> logTail, ErrorContext ctx) {
        ErrorContext c = ctx.withServer(exit, exit);
        String lower = exit.toLowerCase(Locale.ROOT);
        String msg = "task " + upid + " failed: " + exit;
        if (lower.contains("can't lock file") || lower.contains("got timeout") && lower.contains("lock")) {
            return new BusyException(msg, c);
        }
        if (lower.contains("already exists") || lower.contains("already used")) {
            return new ConflictException(msg, c);
        }
        if (lower.contains("does not exist") || lower.contains("no such")) {
            return new NotFoundException(msg, c);
        }
        if (lower.contains("got timeout")) {
            return new io.dvmm.sdk.OperationTimeoutException(msg, c);
        }
        return new OperationFailedException(msg, c, upid, logTail);
    }

    /**
     * @param e a failure
     * @param vmid the VM addressed
     * @return whether it says the VM itself is not on the node asked (its config file), not that
     *         something inside it (a snapshot, a disk) is missing
     */
    static boolean vmMissing(Throwable e, int vmid) {
        if (!(e instanceof NotFoundException) || e.getMessage() == null) {
            return false;
        }
        String m = e.getMessage();
        return m.contains("qemu-server/" + vmid + ".conf") || m.contains("VM " + vmid + " does not exist");
    }

    /** @return whether a failure says a VMID is taken (sync 400/500 or a failed clone task) */
    static boolean vmidTaken(Throwable e) {
        return e instanceof HypervisorException he && he.getMessage() != null
                && (he.getMessage().contains("already exists") || he.getMessage().contains("config file already exists"));
    }
}
