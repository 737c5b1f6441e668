package io.dvmm.sdk;

import java.util.List;

/**
 * Removing what a failed operation made did not succeed (or had not finished when the caller's
 * deadline came). It is attached to the operation's own error as a suppressed exception, so the
 * caller still sees why the operation failed; {@link HypervisorException#leftBehind()} of that
 * error lists {@link #resources()}.
 */
public class CleanupFailedException extends HypervisorException {
    private static final long serialVersionUID = 1L;

    /** What is left, as the hypervisor names it. */
    private final List<String> resources;

    /**
     * @param resources what is left, such as {@code VM 100123 on node pve1}
     * @param message why the cleanup did not remove it
     * @param context provider, operation and server details
     * @param cause the cleanup's own failure, or {@code null}
     */
    public CleanupFailedException(List<String> resources, String message, ErrorContext context, Throwable cause) {
        super(message, context, false, cause);
        this.resources = List.copyOf(resources);
    }

    /** @return what is left, in the order it was made */
    public List<String> resources() {
        return resources;
    }

    @Override
    public List<String> leftBehind() {
        return resources;
    }
}
