package io.dvmm.sdk;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link Hypervisor} a {@link HypervisorRegistry} hands out for a key: every call goes to the
 * key's current connection and is counted on it until its future completes, so that a replaced
 * connection closes only after its calls. {@link #close()} does nothing: the registry owns the
 * connections.
 */
final class RegistryHandle implements Hypervisor {
    private final RegistryEntry entry;

    RegistryHandle(RegistryEntry entry) {
        this.entry = entry;
    }

    @Override
    public String type() {
        return entry.currentConnection().type();
    }

    @Override
    public URI endpoint() {
        return entry.currentConnection().endpoint();
    }

    @Override
    public CompletableFuture<ConnectionInfo> testConnection() {
        return entry.call("testConnection", Hypervisor::testConnection);
    }

    @Override
    public CompletableFuture<Set<Capability>> capabilities() {
        return entry.call("capabilities", Hypervisor::capabilities);
    }

    @Override
    public CompletableFuture<Inventory> inventory() {
        return entry.call("inventory", Hypervisor::inventory);
    }

    @Override
    public CompletableFuture<List<VmInfo>> listVms(VmQuery query) {
        return entry.call("listVms", hv -> hv.listVms(query));
    }

    @Override
    public CompletableFuture<VmInfo> getVm(VmId id) {
        return entry.call("getVm", hv -> hv.getVm(id));
    }

    @Override
    public CompletableFuture<Optional<VmInfo>> findVm(String name) {
        return entry.call("findVm", hv -> hv.findVm(name));
    }

    @Override
    public CompletableFuture<VmInfo> createVm(VmProvisionSpec spec, OperationOptions options) {
        return entry.call("createVm", hv -> hv.createVm(spec, options));
    }

    @Override
    public CompletableFuture<VmInfo> startVm(VmId id, OperationOptions options) {
        return entry.call("startVm", hv -> hv.startVm(id, options));
    }

    @Override
    public CompletableFuture<VmInfo> stopVm(VmId id, StopSpec how, OperationOptions options) {
        return entry.call("stopVm", hv -> hv.stopVm(id, how, options));
    }

    @Override
    public CompletableFuture<VmInfo> restartVm(VmId id, OperationOptions options) {
        return entry.call("restartVm", hv -> hv.restartVm(id, options));
    }

    @Override
    public CompletableFuture<VmInfo> suspendVm(VmId id, OperationOptions options) {
        return entry.call("suspendVm", hv -> hv.suspendVm(id, options));
    }

    @Override
    public CompletableFuture<VmInfo> resumeVm(VmId id, OperationOptions options) {
        return entry.call("resumeVm", hv -> hv.resumeVm(id, options));
    }

    @Override
    public CompletableFuture<VmInfo> reconfigureVm(VmId id, VmReconfigureSpec change, OperationOptions options) {
        return entry.call("reconfigureVm", hv -> hv.reconfigureVm(id, change, options));
    }

    @Override
    public CompletableFuture<Boolean> deleteVm(VmId id, OperationOptions options) {
        return entry.call("deleteVm", hv -> hv.deleteVm(id, options));
    }

    @Override
    public CompletableFuture<Snapshot> createSnapshot(VmId id, SnapshotSpec snapshot, OperationOptions options) {
        return entry.call("createSnapshot", hv -> hv.createSnapshot(id, snapshot, options));
    }

    @Override
    public CompletableFuture<List<Snapshot>> listSnapshots(VmId id) {
        return entry.call("listSnapshots", hv -> hv.listSnapshots(id));
    }

    @Override
    public CompletableFuture<VmInfo> revertToSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return entry.call("revertToSnapshot", hv -> hv.revertToSnapshot(id, snapshotName, options));
    }

    @Override
    public CompletableFuture<Void> deleteSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return entry.call("deleteSnapshot", hv -> hv.deleteSnapshot(id, snapshotName, options));
    }

    @Override
    public CompletableFuture<VmInfo> waitForGuestIp(VmId id, Duration timeout) {
        return entry.call("waitForGuestIp", hv -> hv.waitForGuestIp(id, timeout));
    }

    @Override
    public CompletableFuture<VmInfo> waitForState(VmId id, PowerState state, Duration timeout) {
        return entry.call("waitForState", hv -> hv.waitForState(id, state, timeout));
    }

    /** Does nothing: the registry owns the connection ({@link HypervisorRegistry#remove(String)} closes it). */
    @Override
    public void close() {
        // the registry owns the connection
    }

    @Override
    public String toString() {
        return "RegistryHandle[" + entry.key() + " -> " + entry.currentConnection().type() + " " + entry.currentConnection().endpoint()
                + "]";
    }
}
