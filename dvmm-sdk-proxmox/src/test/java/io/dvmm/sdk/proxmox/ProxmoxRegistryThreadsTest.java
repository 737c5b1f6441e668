package io.dvmm.sdk.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorRegistry;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Proxmox tenants on one registry: OkHttp's calls run on the registry's executor, so the SDK's
 * threads (the registry's {@code dvmm-registry-*} and any {@code OkHttp Dispatcher}) stay at the
 * registry's count however many tenants there are. Threads are told apart by name, so the
 * simulator's own server threads in this JVM do not count.
 */
class ProxmoxRegistryThreadsTest {
    private static final int TENANTS = 60;
    private static final int WORKERS = 8;
    private static final int SCHEDULERS = 2;
    private final ProxmoxSimulator sim = ProxmoxSimulator.builder().nodes(2).taskDuration(Duration.ofMillis(100))
            .agentDelay(Duration.ofMillis(50)).build().start();

    @AfterEach
    void stop() {
        sim.close();
    }

    /**
     * The live threads of the SDK and of OkHttp, sampled while {@code body} runs: by thread id, with every name each had
     * (OkHttp renames a thread while it runs a call on it: a registry worker shows as {@code OkHttp https://...}).
     */
    private static Map<Long, Set<String>> threadsDuring(ThrowingRunnable body) throws Exception {
        Map<Long, Set<String>> seen = new ConcurrentHashMap<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    String n = t.getName();
                    if (n.startsWith("dvmm-") || n.startsWith("OkHttp")) {
                        seen.computeIfAbsent(t.getId(), id -> ConcurrentHashMap.newKeySet()).add(n);
                    }
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sdk-thread-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try {
            body.run();
        } finally {
            sampling.set(false);
            sampler.join();
        }
        return seen;
    }

    private static long count(Map<Long, Set<String>> threads, Predicate<Set<String>> kind) {
        return threads.values().stream().filter(kind).count();
    }

    private static Predicate<Set<String>> named(String prefix) {
        return names -> names.stream().anyMatch(n -> n.startsWith(prefix));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static VmProvisionSpec spec(int i) {
        return VmProvisionSpec.builder().name("tenant-vm-" + i).template("ubuntu-22.04-template")
                .build();
    }

    @Test
    void proxmoxTenantsOnOneRegistryShareItsThreads() throws Exception {
        HypervisorConfig base = SimulatorConfigs.token(sim).build();
        Map<Long, Set<String>> shared = threadsDuring(() -> {
            try (HypervisorRegistry registry = HypervisorRegistry.builder(key -> Optional.of(base)).threads(WORKERS)
                    .schedulerThreads(SCHEDULERS).healthCheckInterval(Duration.ZERO).refreshInterval(Duration.ZERO).build()) {
                List<CompletableFuture<VmInfo>> creates = new ArrayList<>();
                for (int i = 0; i < TENANTS; i++) {
                    Hypervisor hv = registry.get("tenant-" + i);
                    int n = i;
                    creates.add(hv.testConnection().thenCompose(x -> hv.createVm(spec(n))));
                }
                CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
                assertThat(registry.keys()).hasSize(TENANTS);
            }
        });
        assertThat(sim.vmCount()).isGreaterThanOrEqualTo(TENANTS);
        long registryThreads = count(shared, named("dvmm-registry-"));
        long dispatchers = count(shared, named("OkHttp Dispatcher"));
        long otherSdk = count(shared, named("dvmm-").and(named("dvmm-registry-").negate()));
        // OkHttp's one TaskRunner of the JVM (pool cleanup, connect attempts), shared by every client, not per connection.
        long okhttpShared = count(shared, names -> names.stream().allMatch(n -> n.startsWith("OkHttp"))
                && names.stream().noneMatch(n -> n.startsWith("OkHttp Dispatcher")));
        System.out.printf("threads of %d Proxmox tenants on one registry: %d registry, %d OkHttp dispatcher, %d other SDK, "
                + "%d of OkHttp's shared task runner%n", TENANTS, registryThreads, dispatchers, otherSdk, okhttpShared);
        assertThat(dispatchers).as("no connection made a dispatcher pool of its own: %s", shared).isZero();
        assertThat(otherSdk).as("no connection made threads of its own: %s", shared).isZero();
        assertThat(registryThreads).isLessThanOrEqualTo(WORKERS + SCHEDULERS);
        assertThat(okhttpShared).as("connect attempts are bounded by the workers that wait for them").isLessThanOrEqualTo(WORKERS + 2);

        // For comparison: 10 connections of their own each bring a scheduler, workers and a dispatcher pool.
        Map<Long, Set<String>> own = threadsDuring(() -> {
            List<Hypervisor> connections = new ArrayList<>();
            try {
                List<CompletableFuture<?>> calls = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    Hypervisor hv = Hypervisors.connect(base);
                    connections.add(hv);
                    calls.add(hv.listVms());
                }
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
            } finally {
                connections.forEach(Hypervisor::close);
            }
        });
        long ownSdk = count(own, named("dvmm-").or(named("OkHttp Dispatcher")));
        System.out.printf("10 Proxmox connections of their own: %d SDK and dispatcher threads%n", ownSdk);
        assertThat(ownSdk).as("the sampling sees per-connection threads").isGreaterThan(WORKERS + SCHEDULERS);
        sim.assertNoViolations();
    }
}
