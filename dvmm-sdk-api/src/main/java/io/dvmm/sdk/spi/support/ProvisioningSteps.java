package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The steps of {@code createVm} a provider supplies; {@link ProvisioningFlow} runs them with
 * one control flow for every provider (in the spirit of jclouds' {@code ComputeServiceAdapter}
 * under {@code BaseComputeService}): validation, required capabilities, stages and progress, the
 * deadline, cancellation, idempotent creation and rollback live there, not here.
 *
 * <p>Order: {@link #plan} (local, no request), {@link #resolve}, {@link #create} (the one
 * request that makes the VM; it may be sent again only after {@link #find} proved that an
 * earlier attempt made nothing), {@link #configure}, {@link #customize} (only when the spec asks
 * for guest customization), {@link #powerOn} (when the spec asks), {@link #waitForIp} (when the
 * spec asks), then {@link #readBack}. A step with nothing to do completes at once. When a step
 * fails or the run is cancelled, what {@link CreateAttempt#made} reported is removed with
 * {@link #remove}, and what other steps registered with {@link OperationRun#undo} is undone, in
 * reverse order.
 *
 * @param <P> the provider's plan: what it checked and resolved
 * @param <V> the provider's handle of the VM it made (its id, node, managed object)
 */
public interface ProvisioningSteps<P, V> {

    /**
     * Checks the spec against the provider's own rules and turns it into a plan, without any
     * request.
     *
     * @param spec the spec, already valid by the API's rules and with the capabilities it needs
     * @return the plan
     * @throws io.dvmm.sdk.InvalidSpecException naming the field when the provider cannot do it
     */
    P plan(VmProvisionSpec spec);

    /**
     * Looks up what the plan names on the endpoint: template, placement, networks, and that no
     * VM of the name exists.
     *
     * @param plan the plan
     * @param run the operation's run
     * @return the plan with what was resolved
     */
    CompletableFuture<P> resolve(P plan, OperationRun run);

    /**
     * Sends the request that makes the VM and waits until the hypervisor made it. As soon as the
     * VM is known (its id assigned, even while the hypervisor still works on it), call
     * {@link CreateAttempt#made}, so that a failure from there on removes it.
     *
     * @param plan the resolved plan
     * @param attempt this attempt's number and the marker that identifies the create on the server
     * @param run the operation's run
     * @return the VM
     */
    CompletableFuture<V> create(P plan, CreateAttempt<V> attempt, OperationRun run);

    /**
     * Looks for the VM a create with this attempt's marker made, when the answer to
     * {@link #create} was lost, late or garbled. Waits while the VM exists but is still being
     * made.
     *
     * @param plan the resolved plan
     * @param attempt the attempt whose outcome is unknown
     * @param run the operation's (or its cleanup's) run
     * @return the VM, or empty when it is not there (yet)
     */
    CompletableFuture<Optional<V>> find(P plan, CreateAttempt<V> attempt, OperationRun run);

    /**
     * @return how long after a create was sent the endpoint may take to show the VM it made;
     *         {@link #find} is asked until then before a create is proven not to have landed
     */
    default Duration landingTime() {
        return Duration.ofSeconds(15);
    }

    /**
     * @param plan the plan
     * @param vm the VM
     * @param run the operation's run
     * @return completes when CPU, memory, disks, NICs and metadata are as the spec asks
     */
    default CompletableFuture<Void> configure(P plan, V vm, OperationRun run) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * @param plan the plan
     * @param vm the VM
     * @param run the operation's run
     * @return completes when the guest customization is in place (applied at first boot)
     */
    default CompletableFuture<Void> customize(P plan, V vm, OperationRun run) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * @param plan the plan
     * @param vm the VM
     * @param run the operation's run
     * @return completes when the VM runs
     */
    default CompletableFuture<Void> powerOn(P plan, V vm, OperationRun run) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Waits until the guest reports a usable address. By default reads the VM back with
     * {@link #readBack} until it shows one.
     *
     * @param plan the plan
     * @param vm the VM
     * @param run the operation's run
     * @return completes when the guest has a usable IP address
     */
    default CompletableFuture<Void> waitForIp(P plan, V vm, OperationRun run) {
        return run.poll("a guest IP address on " + describe(vm), new Backoff(Duration.ofMillis(250), Duration.ofSeconds(3), 1.5),
                () -> readBack(plan, vm, run).thenApply(info -> Addresses.usable(info.ipAddresses()).isEmpty()
                        ? Optional.<VmInfo>empty() : Optional.of(info)))
                .thenApply(info -> null);
    }

    /**
     * @param plan the plan
     * @param vm the VM
     * @param run the operation's run
     * @return the VM as the endpoint reports it now
     */
    CompletableFuture<VmInfo> readBack(P plan, V vm, OperationRun run);

    /**
     * Removes a VM this create made, with its disks; powers it off first where needed.
     *
     * @param vm the VM
     * @param run the cleanup's run (never cancelled by the caller)
     * @return completes when it is gone; {@code NotFoundException} also counts as gone
     */
    CompletableFuture<Void> remove(V vm, OperationRun run);

    /**
     * @param vm the VM
     * @return how the hypervisor names it, for errors that say what is left (such as {@code VM 100123 on node pve1})
     */
    String describe(V vm);
}
