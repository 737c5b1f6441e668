package io.dvmm.sdk;

import java.util.List;
import java.util.Optional;

/**
 * The hypervisor accepted the request but its task failed. Carries the task's id and the tail
 * of its log where the hypervisor keeps one.
 */
public class OperationFailedException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /** The hypervisor's task id, or null. */
    private final String taskId;
    /** The last lines of the task log. */
    private final List<String> logTail;

    /**
     * @param message what failed
     * @param context provider, operation and server details
     * @param taskId the hypervisor's task id, or {@code null}
     * @param logTail the last lines of the task log, possibly empty
     */
    public OperationFailedException(String message, ErrorContext context, String taskId, List<String> logTail) {
        this(message, context, taskId, logTail, false, null);
    }

    /**
     * @param message what failed
     * @param context provider, operation and server details
     * @param taskId the hypervisor's task id, or {@code null}
     * @param logTail the last lines of the task log, possibly empty
     * @param retryable whether retrying may help
     * @param cause the underlying cause, or {@code null}
     */
    public OperationFailedException(String message, ErrorContext context, String taskId, List<String> logTail,
                                    boolean retryable, Throwable cause) {
        super(message, context, retryable, cause);
        this.taskId = taskId;
        this.logTail = logTail == null ? List.of() : List.copyOf(logTail);
    }

    /** @return the hypervisor's id of the failed task, if known */
    public Optional<String> taskId() {
        return Optional.ofNullable(taskId);
    }

    /** @return the last lines of the task log, oldest first; empty when the hypervisor keeps none */
    public List<String> logTail() {
        return logTail;
    }
}
