package io.dvmm.sdk.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.HypervisorRegistry;
import io.dvmm.sdk.HypervisorRegistry.Change;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry on the in-memory provider: sharing, health checks and rebuilds, swaps on change, removal, threads. */
class HypervisorRegistryTest {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> clouds = new ArrayList<>();
    private final Map<String, HypervisorConfig> store = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void dropClouds() {
        clouds.forEach(InMemoryCloud::drop);
    }

    private String cloud(String name) {
        String n = name + "-" + run;
        clouds.add(n);
        return n;
    }

    private static HypervisorConfig config(String cloud, int taskMillis) {
        return HypervisorConfig.builder("inmemory:/" + cloud).property("inmemory.taskMillis", Integer.toString(taskMillis))
                .property("inmemory.ipDelayMillis", "0").build();
    }

    private HypervisorRegistry.Builder registry() {
        return HypervisorRegistry.builder(key -> {
            reads.incrementAndGet();
            return Optional.ofNullable(store.get(key));
        }).healthCheckInterval(Duration.ZERO).refreshInterval(Duration.ZERO)
                .listener((key, change, cause) -> events.add(key + ":" + change));
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static HypervisorException failure(CompletableFuture<?> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            return (HypervisorException) e.getCause();
        }
        throw new AssertionError("the call did not fail");
    }

    private static VmProvisionSpec spec(String name) {
        return VmProvisionSpec.builder().name(name).template("ubuntu-22.04").build();
    }

    @Test
    void oneSharedHandlePerKeyConnectedOnFirstUse() {
        store.put("tenant-a", config(cloud("share"), 10));
        try (HypervisorRegistry registry = registry().build()) {
            assertThat(reads).hasValue(0);
            Hypervisor a = registry.get("tenant-a");
            assertThat(registry.get("tenant-a")).isSameAs(a);
            assertThat(reads).hasValue(1);
            assertThat(a.type()).isEqualTo("inmemory");
            assertThat(a.listVms().join()).isEmpty();
            a.close();                                     // a handle's close leaves the shared connection open
            assertThat(a.listVms().join()).isEmpty();
            assertThat(registry.keys()).containsExactly("tenant-a");
            assertThatThrownBy(() -> registry.get("tenant-x")).isInstanceOf(NotFoundException.class).hasMessageContaining("tenant-x");
            assertThat(registry.keys()).containsExactly("tenant-a");
            assertThat(events).containsExactly("tenant-a:CONNECTED");
        }
    }

    @Test
    void aBrokenConnectionIsRebuiltWithBackOffAndNotHandedOutMeanwhile() {
        String name = cloud("broken");
        store.put("t", config(name, 10));
        InMemoryCloud cloud = InMemoryCloud.named(name);
        try (HypervisorRegistry registry = registry().healthCheckInterval(Duration.ofMillis(50))
                .rebuildBackoff(Duration.ofMillis(400), Duration.ofSeconds(1)).build()) {
            Hypervisor hv = registry.get("t");
            hv.listVms().join();
            // The endpoint goes away: the next health check fails, and so does the first rebuild's own test.
            cloud.faults().failNext("testConnection", 2, op -> new UnavailableException("connection refused (injected)",
                    ErrorContext.of("inmemory", op)));
            await("the failed rebuild", () -> events.contains("t:REBUILD_FAILED"));

            HypervisorException meanwhile = failure(hv.listVms());
            assertThat(meanwhile).isInstanceOf(UnavailableException.class).hasMessageContaining("being rebuilt");
            assertThat(meanwhile.retryable()).isTrue();
            assertThat(meanwhile.context().retryAfter()).isPresent();
            long listsWhileBroken = cloud.requestCount("listVms");

            await("the rebuild", () -> events.contains("t:REBUILT"));
            await("the old connection's close", () -> events.contains("t:CLOSED"));
            assertThat(events).containsExactly("t:CONNECTED", "t:BROKEN", "t:REBUILD_FAILED", "t:REBUILT", "t:CLOSED");
            assertThat(listsWhileBroken).isEqualTo(1);     // the failing call never reached the endpoint
            assertThat(hv.listVms().join()).isEmpty();     // the same handle, now on the new connection
            assertThat(cloud.requestCount("testConnection")).isGreaterThanOrEqualTo(3);
            assertThat(reads).hasValueGreaterThanOrEqualTo(3);   // each rebuild read the configuration again
        }
    }

    @Test
    void aRefusedLoginIsCheckedAtOnceAndRebuiltFromTheFixedConfiguration() {
        String name = cloud("auth");
        InMemoryCloud cloud = InMemoryCloud.named(name);
        store.put("t", config(name, 10).toBuilder().credentials(Credentials.password(InMemoryCloud.USERNAME, InMemoryCloud.PASSWORD))
                .build());
        try (HypervisorRegistry registry = registry().rebuildBackoff(Duration.ofMillis(50), Duration.ofMillis(100)).build()) {
            Hypervisor hv = registry.get("t");
            hv.listVms().join();
            cloud.changePassword("new-password");
            cloud.expireSessions();
            // No periodic checks here: the refused call itself triggers the check.
            assertThat(failure(hv.listVms())).isInstanceOf(AuthenticationException.class);
            await("the broken state", () -> events.contains("t:BROKEN"));
            await("a failed rebuild with the old password", () -> events.contains("t:REBUILD_FAILED"));
            store.put("t", store.get("t").toBuilder().credentials(Credentials.password(InMemoryCloud.USERNAME, "new-password")).build());
            await("the rebuild", () -> events.contains("t:REBUILT"));
            assertThat(hv.listVms().join()).isEmpty();
        }
    }

    @Test
    void aConfigChangeSwapsTheConnectionWhileAnOperationOnTheOldOneCompletes() throws Exception {
        String oldCloud = cloud("old");
        String newCloud = cloud("new");
        store.put("t", config(oldCloud, 150));
        try (HypervisorRegistry registry = registry().build()) {
            Hypervisor hv = registry.get("t");
            CompletableFuture<VmInfo> create = hv.createVm(spec("in-flight-" + run));
            await("the clone on the old endpoint", () -> InMemoryCloud.named(oldCloud).vmCount() == 1);

            assertThat(registry.refresh("t")).isFalse();     // nothing changed yet
            store.put("t", config(newCloud, 10));
            assertThat(registry.refresh("t")).isTrue();
            assertThat(events).containsExactly("t:CONNECTED", "t:REPLACED");

            assertThat(hv.listVms().join()).isEmpty();      // new calls go to the new endpoint
            assertThat(InMemoryCloud.named(newCloud).requestCount("listVms")).isEqualTo(1);
            assertThat(InMemoryCloud.named(oldCloud).requestCount("listVms")).isZero();
            assertThat(create).isNotDone();
            assertThat(events).doesNotContain("t:CLOSED");  // the old connection waits for its call

            VmInfo made = create.get(20, TimeUnit.SECONDS); // ...which finishes on the old one
            assertThat(made.name()).isEqualTo("in-flight-" + run);
            assertThat(InMemoryCloud.named(oldCloud).vmCount()).isEqualTo(1);
            assertThat(InMemoryCloud.named(newCloud).vmCount()).isZero();
            await("the old connection's close", () -> events.contains("t:CLOSED"));
            assertThat(events).containsExactly("t:CONNECTED", "t:REPLACED", "t:CLOSED");
        }
    }

    @Test
    void aRotatingSecretIsNoConfigurationChange() {
        String name = cloud("rotating");
        try (HypervisorRegistry registry = HypervisorRegistry.builder(key -> Optional.of(config(name, 10).toBuilder()
                // a new supplier on every read, as a source that builds its configs afresh makes
                .credentials(Credentials.password(InMemoryCloud.USERNAME, () -> InMemoryCloud.PASSWORD)).build()))
                .healthCheckInterval(Duration.ZERO).refreshInterval(Duration.ZERO).build()) {
            registry.get("t").listVms().join();
            assertThat(registry.refresh("t")).isFalse();
        }
    }

    @Test
    void aKeyWhoseConfigurationIsGoneIsRemovedOnRefresh() {
        store.put("t", config(cloud("gone"), 10));
        try (HypervisorRegistry registry = registry().build()) {
            Hypervisor hv = registry.get("t");
            store.remove("t");
            assertThat(registry.refresh("t")).isTrue();
            assertThat(registry.keys()).isEmpty();
            assertThat(failure(hv.listVms())).isInstanceOf(UnavailableException.class).hasMessageContaining("removed");
            assertThat(events).containsExactly("t:CONNECTED", "t:CLOSED", "t:REMOVED");
        }
    }

    @Test
    void removeLetsRunningCallsFinishAndCloseEndsEverything() throws Exception {
        String name = cloud("remove");
        store.put("a", config(name, 150));
        store.put("b", config(name, 10));
        HypervisorRegistry registry = registry().build();
        Hypervisor a = registry.get("a");
        Hypervisor b = registry.get("b");
        CompletableFuture<VmInfo> create = a.createVm(spec("draining-" + run));
        await("the clone", () -> InMemoryCloud.named(name).vmCount() == 1);
        assertThat(registry.remove("a")).isTrue();
        assertThat(registry.remove("a")).isFalse();
        assertThat(failure(a.listVms())).isInstanceOf(UnavailableException.class).hasMessageContaining("removed");
        assertThat(create.get(20, TimeUnit.SECONDS).name()).isEqualTo("draining-" + run);
        await("the removed connection's close", () -> events.contains("a:CLOSED"));
        assertThat(registry.get("a")).isNotSameAs(a);   // a later get connects anew

        CompletableFuture<VmInfo> cut = b.createVm(spec("cut-" + run + "-b").toBuilder().build());
        registry.close();
        assertThat(failure(cut)).isInstanceOf(UnavailableException.class);
        assertThat(failure(b.listVms())).isInstanceOf(UnavailableException.class);
        assertThatThrownBy(() -> registry.get("b")).isInstanceOf(UnavailableException.class).hasMessageContaining("closed");
        registry.close();                                  // idempotent
    }

    /**
     * 200 tenants, each provisioning a VM at once, on one registry: the threads added stay at the
     * registry's own (8 workers + 2 scheduler threads), where 200 connections of their own would
     * each add a scheduler and workers.
     */
    @Test
    void twoHundredTenantsStayUnderAFixedThreadCount() throws Exception {
        int tenants = 200;
        int workers = 8;
        int schedulers = 2;
        for (int i = 0; i < tenants; i++) {
            store.put("tenant-" + i, config(cloud("tenant-" + i), 30));
        }
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        ThreadGroup all = root;
        java.util.function.IntSupplier live = all::activeCount;
        AtomicInteger peak = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(live.getAsInt(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "thread-count-sampler");
        sampler.setDaemon(true);
        sampler.start();
        Thread.sleep(50);
        int before = live.getAsInt();
        peak.set(before);

        HypervisorRegistry registry = registry().threads(workers).schedulerThreads(schedulers).build();
        List<CompletableFuture<VmInfo>> creates = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            Hypervisor hv = registry.get("tenant-" + i);
            creates.add(hv.testConnection().thenCompose(x -> hv.createVm(spec("vm-" + run))));
        }
        CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < tenants; i++) {
            assertThat(registry.get("tenant-" + i).listVms().join()).extracting(VmInfo::name).containsExactly("vm-" + run);
        }
        int during = peak.get();
        registry.close();
        await("the registry's threads to end", () -> live.getAsInt() <= before);
        int after = live.getAsInt();

        // For comparison: 20 connections of their own, each with its own scheduler and workers.
        peak.set(live.getAsInt());
        List<Hypervisor> own = new ArrayList<>();
        List<CompletableFuture<VmInfo>> ownCreates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Hypervisor hv = Hypervisors.connect(store.get("tenant-" + i));
            own.add(hv);
            ownCreates.add(hv.createVm(spec("own-" + run)));
        }
        CompletableFuture.allOf(ownCreates.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        int ownPeak = peak.get();
        own.forEach(Hypervisor::close);
        sampling.set(false);
        sampler.join();

        System.out.printf("threads: before %d, peak with %d tenants on one registry %d (+%d), after close %d; "
                + "20 connections of their own: peak +%d%n", before, tenants, during, during - before, after, ownPeak - before);
        assertThat(during - before).as("threads added by %d tenants on one registry", tenants).isLessThanOrEqualTo(workers + schedulers);
        assertThat(after).isLessThanOrEqualTo(before);
        assertThat(ownPeak - before).as("the measurement sees per-connection threads").isGreaterThan(workers + schedulers);
    }
}
