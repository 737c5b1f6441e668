package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The power steps a provider supplies; {@link io.dvmm.sdk.spi.AbstractHypervisor} runs them
 * through {@link PowerTransitions}, so every provider answers each operation in each state the
 * same way. Each step completes when the hypervisor has done it (its task finished, the state
 * reached), and registers a remote cancel with {@link OperationRun#onCancel} where it can.
 *
 * @param <R> what the provider reads of a VM to act on it (its node, managed object, properties)
 */
public interface PowerSteps<R> {

    /**
     * @param id the VM
     * @param run the operation's run
     * @return the VM as the provider needs it; fails with {@code NotFoundException} or
     *         {@code PermissionDeniedException}
     */
    CompletableFuture<R> read(VmId id, OperationRun run);

    /**
     * @param vm what {@link #read} returned
     * @return its power state; {@link PowerState#UNKNOWN} while it is between states
     */
    PowerState state(R vm);

    /**
     * @param vm a powered-off VM
     * @param run the operation's run
     * @return completes once it runs
     */
    CompletableFuture<Void> powerOn(R vm, OperationRun run);

    /**
     * Asks the guest to shut down and waits until the VM is off.
     *
     * @param vm a running VM
     * @param grace how long the guest has (never beyond the run's deadline)
     * @param run the operation's run
     * @return completes once it is off; fails with {@code OperationTimeoutException} when the
     *         guest did not stop within {@code grace}
     */
    CompletableFuture<Void> shutDown(R vm, Duration grace, OperationRun run);

    /**
     * @param vm a running or suspended VM
     * @param run the operation's run
     * @return completes once it is off
     */
    CompletableFuture<Void> powerOff(R vm, OperationRun run);

    /**
     * @param vm a running VM
     * @param run the operation's run
     * @return completes once it runs again
     */
    CompletableFuture<Void> restart(R vm, OperationRun run);

    /**
     * @param vm a running VM
     * @param run the operation's run
     * @return completes once it is suspended
     */
    CompletableFuture<Void> suspend(R vm, OperationRun run);

    /**
     * @param vm a suspended VM
     * @param run the operation's run
     * @return completes once it runs
     */
    CompletableFuture<Void> resume(R vm, OperationRun run);

    /**
     * @param id the VM
     * @param before what {@link #read} returned
     * @param changed whether a step ran (so the VM must be read again)
     * @param run the operation's run
     * @return the VM after the operation
     */
    CompletableFuture<VmInfo> describe(VmId id, R before, boolean changed, OperationRun run);
}
