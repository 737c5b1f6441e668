package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.testkit.ConnectionChurn;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What a connection holds: one long poll for every waiting operation, and nothing once it is closed. */
class VsphereCloseAndWaitsTest {

    private static boolean eventually(BooleanSupplier condition, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Test
    void twoHundredClosedConnectionsLeaveNoThreadOrSocketBehind() throws InterruptedException {
        try (Vcsim sim = Vcsim.vcenter(1, 1, 1)) {
            // No System.gc(): close() itself must release them.
            ConnectionChurn.Result r = ConnectionChurn.of(() -> VcsimFixture.connect(sim), hv -> hv.testConnection().join())
                    .sdkThreads(t -> t.getName().startsWith("dvmm-vsphere-"))
                    .run(200);
            System.out.println("vsphere, after " + r);
            r.assertReleased();
        }
    }

    @Test
    void fortyWaitingOperationsShareOneLongPollAndLeaveThePoolFree() throws Exception {
        RequestCounter requests = new RequestCounter();
        try (Vcsim sim = Vcsim.vcenter(1, 1, 2); VsphereHypervisor hv = VcsimFixture.connect(sim, requests);
             VsphereHypervisor other = VcsimFixture.connect(sim)) {
            VmInfo vm = hv.listVms().join().stream().filter(v -> v.powerState() == PowerState.POWERED_ON).findFirst().orElseThrow();
            List<CompletableFuture<VmInfo>> waits = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                waits.add(hv.waitForState(vm.id(), PowerState.POWERED_OFF, Duration.ofSeconds(60)));
            }
            assertThat(eventually(() -> requests.counts().getOrDefault("CreateFilter", 0L) == 40, Duration.ofSeconds(20))).isTrue();
            Thread.sleep(500); // the last filters' first values arrive with the next update sets
            long polls = requests.counts().getOrDefault("WaitForUpdatesEx", 0L);
            Thread.sleep(2000);
            assertThat(requests.counts().getOrDefault("WaitForUpdatesEx", 0L) - polls)
                    .as("one long poll serves every waiter; nothing polls per waiter").isLessThanOrEqualTo(1);
            assertThat(hv.updates().waiting()).isEqualTo(40);
            // The pool is not pinned by the waits: other requests go through at once.
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                hv.getVm(vm.id()).get(5, TimeUnit.SECONDS);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

            other.stopVm(vm.id(), StopSpec.hard()).join();
            for (CompletableFuture<VmInfo> w : waits) {
                assertThat(w.get(20, TimeUnit.SECONDS).powerState()).isEqualTo(PowerState.POWERED_OFF);
            }
            assertThat(eventually(() -> requests.counts().getOrDefault("DestroyPropertyFilter", 0L) == 40, Duration.ofSeconds(20)))
                    .as("every waiter's filter is removed").isTrue();
            assertThat(hv.updates().waiting()).isZero();
        }
    }
}
