package io.dvmm.sdk.proxmox;

import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: measures {@code listVms} over 10,000 VMs and 500 concurrent {@code createVm} against
 * the simulator over HTTPS, and prints time, heap and threads. Run with
 * {@code mvn -pl dvmm-sdk-proxmox exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.dvmm.sdk.proxmox.ProxmoxBenchmark}
 * (arguments: VM count, concurrent creates).
 */
public final class ProxmoxBenchmark {

    private ProxmoxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int vmCount = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int creates = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "JVM %s, %d CPUs, max heap %d MiB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try (ProxmoxSimulator sim = ProxmoxSimulator.builder().nodes(4).vms(vmCount).taskDuration(Duration.ofMillis(200))
                .schema(null).build().start();
             Hypervisor hv = Hypervisors.connect(SimulatorConfigs.token(sim).maxConcurrentRequests(64)
                     .property("proxmox.maxParallelClonesPerStorage", "64")
                     .property("proxmox.taskPollInitialMillis", "100").property("proxmox.taskPollMaxMillis", "1000").build())) {
            int baseThreads = threads.getThreadCount();

            // ---- listVms over vmCount VMs
            for (int i = 0; i < 3; i++) {
                hv.listVms().get(60, TimeUnit.SECONDS);
            }
            gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();
            sim.resetCounters();
            int runs = 10;
            long best = Long.MAX_VALUE;
            long total = 0;
            List<VmInfo> kept = null;
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                kept = hv.listVms().get(60, TimeUnit.SECONDS);
                long t = System.nanoTime() - t0;
                best = Math.min(best, t);
                total += t;
            }
            gc();
            long retained = memory.getHeapMemoryUsage().getUsed() - heapBefore;
            System.out.printf(Locale.ROOT, "listVms: %d VMs, %d requests for %d calls, avg %.1f ms, best %.1f ms, "
                            + "result retains ~%.1f MiB of heap%n", kept.size(), sim.totalRequests(), runs,
                    total / runs / 1e6, best / 1e6, retained / 1048576.0);

            // ---- concurrent createVm
            sim.resetCounters();
            gc();
            long heapStart = memory.getHeapMemoryUsage().getUsed();
            threads.resetPeakThreadCount();
            long t0 = System.nanoTime();
            List<CompletableFuture<VmInfo>> futures = new ArrayList<>();
            for (int i = 0; i < creates; i++) {
                futures.add(hv.createVm(VmProvisionSpec.builder().name("bench-" + i).template(sim.templateName())
                        .cpuCount(2).memoryMiB(2048)
                        .nic(NicSpec.staticIp(sim.networkName(), "10.50." + (i / 250) + "." + (1 + i % 250), 16, "10.50.0.1"))
                        .powerOn(true).build()));
            }
            long peakHeap = 0;
            java.util.Map<String, Integer> peakByPool = new java.util.TreeMap<>();
            while (!CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).isDone()) {
                peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
                java.util.Map<String, Integer> now = new java.util.HashMap<>();
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    now.merge(pool(t.getName()), 1, Integer::sum);
                }
                now.forEach((k, v) -> peakByPool.merge(k, v, Math::max));
                Thread.sleep(50);
            }
            long elapsed = System.nanoTime() - t0;
            long failed = futures.stream().filter(CompletableFuture::isCompletedExceptionally).count();
            System.out.printf(Locale.ROOT, "createVm x%d concurrent: %.2f s wall, %.1f VMs/s, %d failed, "
                            + "%d requests (%d task polls, %d others = %.1f per VM), peak threads %d (base %d), "
                            + "peak heap +%.1f MiB%n", creates, elapsed / 1e9, creates / (elapsed / 1e9), failed,
                    sim.totalRequests(), sim.taskPolls(), sim.requestsExcludingTaskPolls(),
                    sim.requestsExcludingTaskPolls() / (double) creates, threads.getPeakThreadCount(), baseThreads,
                    (peakHeap - heapStart) / 1048576.0);
            System.out.println("peak threads by pool (the simulator runs in the same JVM): " + peakByPool);
            if (failed > 0) {
                futures.stream().filter(CompletableFuture::isCompletedExceptionally).limit(3)
                        .forEach(f -> f.handle((v, e) -> {
                            System.out.println("  failure: " + e);
                            return null;
                        }).join());
            }
        }
    }

    private static String pool(String threadName) {
        if (threadName.startsWith("OkHttp")) {
            return "provider OkHttp";
        }
        if (threadName.startsWith("dvmm-proxmox")) {
            return "provider SDK pool+scheduler";
        }
        if (threadName.startsWith("pve-sim")) {
            return "simulator";
        }
        return "other (JVM, main)";
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
