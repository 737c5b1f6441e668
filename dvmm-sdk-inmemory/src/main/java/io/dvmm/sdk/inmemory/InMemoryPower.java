package io.dvmm.sdk.inmemory;

import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.PowerSteps;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The in-memory cloud's power steps: each is one task, then the state change. */
final class InMemoryPower implements PowerSteps<InMemoryCloud.VmRecord> {
    private final InMemoryHypervisor hv;

    InMemoryPower(InMemoryHypervisor hv) {
        this.hv = hv;
    }

    @Override
    public CompletableFuture<InMemoryCloud.VmRecord> read(VmId id, OperationRun run) {
        return hv.request(run.operation(), () -> hv.unlocked(id, run.operation()));
    }

    @Override
    public PowerState state(InMemoryCloud.VmRecord vm) {
        synchronized (vm) {
            return vm.power;
        }
    }

    @Override
    public CompletableFuture<Void> powerOn(InMemoryCloud.VmRecord vm, OperationRun run) {
        return hv.task(run).thenRun(() -> hv.powerOn(vm));
    }

    @Override
    public CompletableFuture<Void> shutDown(InMemoryCloud.VmRecord vm, Duration grace, OperationRun run) {
        if (!hv.cloud.faults().ignoresShutdown(vm.name)) {
            return hv.task(run).thenRun(() -> hv.powerOff(vm));
        }
        // The guest ignores the request: the grace passes without a change.
        return run.sleep(grace).thenRun(() -> {
            throw new OperationTimeoutException("the guest of " + vm.id + " did not shut down within " + grace, run.context());
        });
    }

    @Override
    public CompletableFuture<Void> powerOff(InMemoryCloud.VmRecord vm, OperationRun run) {
        return hv.task(run).thenRun(() -> hv.powerOff(vm));
    }

    @Override
    public CompletableFuture<Void> restart(InMemoryCloud.VmRecord vm, OperationRun run) {
        return hv.task(run).thenRun(() -> {
            hv.powerOff(vm);
            hv.powerOn(vm);
        });
    }

    @Override
    public CompletableFuture<Void> suspend(InMemoryCloud.VmRecord vm, OperationRun run) {
        return hv.task(run).thenRun(() -> {
            synchronized (vm) {
                vm.power = PowerState.SUSPENDED;
                vm.rawState = "suspended";
            }
        });
    }

    @Override
    public CompletableFuture<Void> resume(InMemoryCloud.VmRecord vm, OperationRun run) {
        return hv.task(run).thenRun(() -> {
            synchronized (vm) {
                vm.power = PowerState.POWERED_ON;
                vm.rawState = "running";
            }
        });
    }

    @Override
    public CompletableFuture<VmInfo> describe(VmId id, InMemoryCloud.VmRecord before, boolean changed, OperationRun run) {
        return CompletableFuture.completedFuture(hv.info(before));
    }
}
