package io.dvmm.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One connection to one hypervisor endpoint. Thread-safe and long-lived: open one with
 * {@link Hypervisors#connect(HypervisorConfig)}, share it, and {@link #close()} it at the end.
 *
 * <p>Every remote operation returns a {@link CompletableFuture} that completes exceptionally
 * with a {@link HypervisorException} subclass on failure; a call never throws for a remote failure.
 * Dependent stages run on SDK threads (or the caller's {@code Executor}): do not block in them.
 * Blocking transports run on a bounded pool, never on the common pool nor the caller's thread. Long-running operations take {@link OperationOptions}: a deadline, a progress
 * listener; cancelling the future stops the local waiting and, where the connection has
 * {@link Capability#CANCEL_TASK}, the remote task.
 *
 * <p>An operation whose {@link Capability} the connection lacks completes with
 * {@link UnsupportedCapabilityException} before any request is sent.
 */
public interface Hypervisor extends AutoCloseable {

    /** @return the provider type, such as {@code proxmox} */
    String type();

    /** @return the endpoint this connection talks to */
    URI endpoint();

    /**
     * Logs in if needed and asks the endpoint who it is.
     *
     * @return product, version, API version and the probe's latency
     */
    CompletableFuture<ConnectionInfo> testConnection();

    /**
     * What this connection can do. Depends on the endpoint, not only on the provider (a
     * standalone ESXi host cannot clone).
     *
     * @return the capabilities of this connection
     */
    CompletableFuture<Set<Capability>> capabilities();

    /**
     * @return datacenters, clusters, hosts, datastores, networks, resource pools and templates
     */
    CompletableFuture<Inventory> inventory();

    /**
     * Lists VMs (never templates) in as few requests as the API allows.
     *
     * @param query which VMs to return
     * @return the matching VMs, ordered by name
     */
    CompletableFuture<List<VmInfo>> listVms(VmQuery query);

    /** @return every VM, ordered by name */
    default CompletableFuture<List<VmInfo>> listVms() {
        return listVms(VmQuery.all());
    }

    /**
     * @param id the VM's id
     * @return the VM; fails with {@link NotFoundException} if it does not exist
     */
    CompletableFuture<VmInfo> getVm(VmId id);

    /**
     * @param name a VM's exact name
     * @return the VM with that name, or empty
     */
    CompletableFuture<Optional<VmInfo>> findVm(String name);

    /**
     * Clones a template into a new VM, configures it, and (as the spec asks) powers it on and
     * waits for its guest IP. A failure midway deletes what was made; if even that fails, the
     * error says what is left.
     *
     * @param spec what to create
     * @param options deadline and progress listener
     * @return the new VM as it is when the operation completes
     */
    CompletableFuture<VmInfo> createVm(VmProvisionSpec spec, OperationOptions options);

    /**
     * @param spec what to create
     * @return the new VM; see {@link #createVm(VmProvisionSpec, OperationOptions)}
     */
    default CompletableFuture<VmInfo> createVm(VmProvisionSpec spec) {
        return createVm(spec, OperationOptions.defaults());
    }

    /**
     * Powers a VM on. Completes once it runs; a running VM completes at once.
     *
     * @param id the VM
     * @param options deadline and progress listener
     * @return the VM after the change
     */
    CompletableFuture<VmInfo> startVm(VmId id, OperationOptions options);

    /**

     * @param id the VM

     * @return the VM after the change

     */
    default CompletableFuture<VmInfo> startVm(VmId id) {
        return startVm(id, OperationOptions.defaults());
    }

    /**
     * Stops a VM: a guest shutdown with a deadline, then a power off if the spec asks, or a power
     * off at once. A stopped VM completes at once.
     *
     * @param id the VM
     * @param how graceful, graceful then hard, or hard
     * @param options deadline and progress listener
     * @return the VM after the change
     */
    CompletableFuture<VmInfo> stopVm(VmId id, StopSpec how, OperationOptions options);

    /**

     * @param id the VM

     * @param how how to stop

     * @return the VM after the change

     */
    default CompletableFuture<VmInfo> stopVm(VmId id, StopSpec how) {
        return stopVm(id, how, OperationOptions.defaults());
    }

    /**
     * Restarts a running VM (a guest reboot where possible, else a reset).
     *
     * @param id the VM
     * @param options deadline and progress listener
     * @return the VM after the restart
     */
    CompletableFuture<VmInfo> restartVm(VmId id, OperationOptions options);

    /**

     * @param id the VM

     * @return the VM after the restart

     */
    default CompletableFuture<VmInfo> restartVm(VmId id) {
        return restartVm(id, OperationOptions.defaults());
    }

    /**
     * Suspends a running VM, keeping its memory.
     *
     * @param id the VM
     * @param options deadline and progress listener
     * @return the VM after the change
     */
    CompletableFuture<VmInfo> suspendVm(VmId id, OperationOptions options);

    /**

     * @param id the VM

     * @return the VM after the change

     */
    default CompletableFuture<VmInfo> suspendVm(VmId id) {
        return suspendVm(id, OperationOptions.defaults());
    }

    /**
     * Resumes a suspended VM.
     *
     * @param id the VM
     * @param options deadline and progress listener
     * @return the VM after the change
     */
    CompletableFuture<VmInfo> resumeVm(VmId id, OperationOptions options);

    /**

     * @param id the VM

     * @return the VM after the change

     */
    default CompletableFuture<VmInfo> resumeVm(VmId id) {
        return resumeVm(id, OperationOptions.defaults());
    }

    /**
     * Changes CPU and memory.
     *
     * @param id the VM
     * @param change the new values
     * @param options deadline and progress listener
     * @return the VM after the change
     */
    CompletableFuture<VmInfo> reconfigureVm(VmId id, VmReconfigureSpec change, OperationOptions options);

    /**

     * @param id the VM

     * @param change the new values

     * @return the VM after the change

     */
    default CompletableFuture<VmInfo> reconfigureVm(VmId id, VmReconfigureSpec change) {
        return reconfigureVm(id, change, OperationOptions.defaults());
    }

    /**
     * Deletes a VM and its disks, powering it off first. Idempotent: deleting a VM that does not
     * exist completes normally.
     *
     * @param id the VM
     * @param options deadline and progress listener
     * @return {@code true} if this call deleted it, {@code false} if it did not exist
     */
    CompletableFuture<Boolean> deleteVm(VmId id, OperationOptions options);

    /**

     * @param id the VM

     * @return {@code true} if this call deleted it

     */
    default CompletableFuture<Boolean> deleteVm(VmId id) {
        return deleteVm(id, OperationOptions.defaults());
    }

    /**
     * @param id the VM
     * @param snapshot what to take
     * @param options deadline and progress listener
     * @return the snapshot taken; {@link ConflictException} if the name is taken
     */
    CompletableFuture<Snapshot> createSnapshot(VmId id, SnapshotSpec snapshot, OperationOptions options);

    /**

     * @param id the VM

     * @param snapshot what to take

     * @return the snapshot taken

     */
    default CompletableFuture<Snapshot> createSnapshot(VmId id, SnapshotSpec snapshot) {
        return createSnapshot(id, snapshot, OperationOptions.defaults());
    }

    /**
     * @param id the VM
     * @return its snapshots, oldest first
     */
    CompletableFuture<List<Snapshot>> listSnapshots(VmId id);

    /**
     * @param id the VM
     * @param snapshotName the snapshot
     * @param options deadline and progress listener
     * @return the VM after the revert
     */
    CompletableFuture<VmInfo> revertToSnapshot(VmId id, String snapshotName, OperationOptions options);

    /**

     * @param id the VM

     * @param snapshotName the snapshot

     * @return the VM after the revert

     */
    default CompletableFuture<VmInfo> revertToSnapshot(VmId id, String snapshotName) {
        return revertToSnapshot(id, snapshotName, OperationOptions.defaults());
    }

    /**
     * @param id the VM
     * @param snapshotName the snapshot; {@link NotFoundException} if there is none of that name
     * @param options deadline and progress listener
     * @return completes when it is gone
     */
    CompletableFuture<Void> deleteSnapshot(VmId id, String snapshotName, OperationOptions options);

    /**

     * @param id the VM

     * @param snapshotName the snapshot

     * @return completes when it is gone

     */
    default CompletableFuture<Void> deleteSnapshot(VmId id, String snapshotName) {
        return deleteSnapshot(id, snapshotName, OperationOptions.defaults());
    }

    /**
     * Waits until the guest reports a usable IP address (not loopback, not link-local).
     *
     * @param id the VM
     * @param timeout how long to wait; {@link OperationTimeoutException} after it
     * @return the VM, with at least one IP address
     */
    CompletableFuture<VmInfo> waitForGuestIp(VmId id, Duration timeout);

    /**
     * Waits until the VM is in the given power state.
     *
     * @param id the VM
     * @param state the state to reach
     * @param timeout how long to wait; {@link OperationTimeoutException} after it
     * @return the VM in that state
     */
    CompletableFuture<VmInfo> waitForState(VmId id, PowerState state, Duration timeout);

    /**
     * Logs out and releases the connection's threads and sockets. Pending operations complete
     * exceptionally with {@link UnavailableException}. Idempotent.
     */
    @Override
    void close();
}
