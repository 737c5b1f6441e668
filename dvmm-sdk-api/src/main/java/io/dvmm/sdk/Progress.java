package io.dvmm.sdk;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One progress report of a long-running operation. For one operation, reports arrive in order,
 * the percent never decreases, and a successful operation ends with {@link Stage#DONE}.
 *
 * <p>Stages are one vocabulary on every provider, in the order a {@code createVm} passes them:
 * {@code validate}, {@code resolve}, {@code clone}, {@code configure}, {@code customize},
 * {@code power-on}, {@code wait-ip}, then {@code done}; a failed create that removes what it made
 * reports {@code rollback}. Power and other operations report the stage of what they do
 * ({@code power-on}, {@code shutdown}, {@code power-off}, {@code restart}, {@code suspend},
 * {@code resume}, {@code reconfigure}, {@code snapshot}, {@code revert}, {@code delete}) and end
 * with {@code done} as well. A provider skips the stages it has no work for.
 */
public final class Progress {

    /** The stages of long-running operations; the same names on every provider. */
    public enum Stage {
        /** Checking the request locally and against the connection's capabilities. */
        VALIDATE,
        /** Looking up the template, placement and networks on the endpoint. */
        RESOLVE,
        /** Creating the VM from its template (clone, copy, differencing disk, partition create). */
        CLONE,
        /** Applying CPU, memory, disks, NICs and metadata. */
        CONFIGURE,
        /** Applying guest customization (hostname, addresses, cloud-init). */
        CUSTOMIZE,
        /** Powering the VM on. */
        POWER_ON,
        /** Waiting until the guest reports a usable IP address. */
        WAIT_IP,
        /** Asking the guest to shut down. */
        SHUTDOWN,
        /** Cutting the VM's power. */
        POWER_OFF,
        /** Restarting the VM. */
        RESTART,
        /** Suspending the VM with its memory. */
        SUSPEND,
        /** Resuming a suspended VM. */
        RESUME,
        /** Changing CPU and memory of an existing VM. */
        RECONFIGURE,
        /** Taking or removing a snapshot. */
        SNAPSHOT,
        /** Reverting to a snapshot. */
        REVERT,
        /** Deleting a VM and its disks. */
        DELETE,
        /** Removing what a failed operation made. */
        ROLLBACK,
        /** The operation finished successfully. */
        DONE;

        private final String id = name().toLowerCase(Locale.ROOT).replace('_', '-');

        /** @return the stage's name as reports and logs show it, such as {@code power-on} */
        public String id() {
            return id;
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private final String operation;
    private final Stage stage;
    private final int percent;
    private final String message;
    private final Instant at;

    /**
     * @param operation the SDK operation, such as {@code createVm}
     * @param stage the current stage
     * @param percent 0 to 100, or -1 when unknown
     * @param message a short human text, possibly empty
     * @param at when it was observed
     */
    public Progress(String operation, Stage stage, int percent, String message, Instant at) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.stage = Objects.requireNonNull(stage, "stage");
        if (percent < -1 || percent > 100) {
            throw new IllegalArgumentException("percent must be -1 or 0..100, was " + percent);
        }
        this.percent = percent;
        this.message = message == null ? "" : message;
        this.at = Objects.requireNonNull(at, "at");
    }

    /** @return the SDK operation */
    public String operation() {
        return operation;
    }

    /** @return the current stage */
    public Stage stage() {
        return stage;
    }

    /** @return the overall percent done, when the hypervisor knows it */
    public OptionalInt percent() {
        return percent < 0 ? OptionalInt.empty() : OptionalInt.of(percent);
    }

    /** @return a short human text, possibly empty */
    public String message() {
        return message;
    }

    /** @return when it was observed */
    public Instant at() {
        return at;
    }

    @Override
    public String toString() {
        return operation + " " + stage + (percent < 0 ? "" : " " + percent + "%") + (message.isEmpty() ? "" : ": " + message);
    }
}
