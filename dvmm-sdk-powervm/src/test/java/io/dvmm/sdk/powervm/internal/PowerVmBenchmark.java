package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.powervm.PowerVmProvider;
import io.dvmm.sdk.simulator.powervm.PowerVmSimulator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: measures {@code listVms} over a feed of 1,000 LPARs (wall time of the one request,
 * the parse alone, the heap the result retains) and 100 concurrent {@code createVm} (linked clone,
 * one NIC, power on, wait for the RMC IP) against the HMC simulator over HTTPS, in the same JVM.
 * The creates run on a second simulator without the 1,000 LPARs: the simulator gives a booted LPAR
 * the RMC address {@code 192.0.2.<partition ID>}, which is no address past ID 255. Arguments: LPAR
 * count, concurrent creates. See the module's README for the command.
 */
public final class PowerVmBenchmark {
    private static final String RMC_POLL = "GET /rest/api/uom/LogicalPartition/{lpar}/quick";

    private PowerVmBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int lpars = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int creates = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "JVM %s, %d CPUs, max heap %d MiB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try (PowerVmSimulator sim = simulator()) {
            long t = System.nanoTime();
            sim.addLpars(lpars, "bench");
            System.out.printf(Locale.ROOT, "simulator: %s; %d LPARs added in %.1f s%n", sim.modelSource(), lpars,
                    (System.nanoTime() - t) / 1e9);
            try (Hypervisor hv = Hypervisors.connect(config(sim))) {
                listing(sim, (PowerVmHypervisor) hv, memory, lpars);
            }
        }
        try (PowerVmSimulator sim = simulator(); Hypervisor hv = Hypervisors.connect(config(sim))) {
            creating(sim, hv, memory, threads, creates);
        }
    }

    private static PowerVmSimulator simulator() {
        return PowerVmSimulator.builder().jobDurations(Duration.ofMillis(20), Duration.ofMillis(200))
                .rmcDelay(Duration.ofMillis(300), Duration.ofMillis(500)).systemCapacity(4L << 20, 1024).start();
    }

    private static HypervisorConfig config(PowerVmSimulator sim) {
        return HypervisorConfig.builder("powervm://" + sim.host() + ":" + sim.port() + "/" + sim.managedSystemName())
                .credentials(Credentials.password(sim.username(), sim.password()))
                .tls(TlsOptions.pinSha256(sim.certificateSha256()))
                .maxConcurrentRequests(64)
                .operationTimeout(Duration.ofMinutes(10))
                .property(PowerVmProvider.JOB_POLL_INITIAL, "100").property(PowerVmProvider.JOB_POLL_MAX, "1000")
                .property(PowerVmProvider.RMC_POLL_INITIAL, "200").property(PowerVmProvider.RMC_POLL_MAX, "1000")
                .property(PowerVmProvider.VIOS_BUSY_STEP, "200").build();
    }

    private static void listing(PowerVmSimulator sim, PowerVmHypervisor hv, MemoryMXBean memory, int lpars) throws Exception {
        for (int i = 0; i < 3; i++) {
            hv.listVms().get(120, TimeUnit.SECONDS);
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
            kept = hv.listVms().get(120, TimeUnit.SECONDS);
            long d = System.nanoTime() - t0;
            best = Math.min(best, d);
            total += d;
        }
        long requests = sim.totalRequests();
        gc();
        long retained = memory.getHeapMemoryUsage().getUsed() - heapBefore;
        // The parse alone: the same feed, already received, bound to records and mapped to VmInfo.
        String ms = hv.topology.knownSystem().uuid();
        HmcClient.Answer feed = hv.client.list("benchmark", HmcPath.uom("ManagedSystem", ms, "LogicalPartition"), null)
                .get(120, TimeUnit.SECONDS);
        long parseBest = Long.MAX_VALUE;
        long parseTotal = 0;
        int parsed = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            List<HmcXml.Entry<HmcObjects.LogicalPartition>> entries = HmcXml.entries(feed.body(),
                    HmcObjects.LogicalPartition.class, null, "bench", ErrorContext.EMPTY);
            for (HmcXml.Entry<HmcObjects.LogicalPartition> e : entries) {
                PowerVmMapper.vm(e.id(), e.content(), "bench", List.of(), List.of());
            }
            long d = System.nanoTime() - t0;
            parsed = entries.size();
            parseBest = Math.min(parseBest, d);
            parseTotal += d;
        }
        System.out.printf(Locale.ROOT, "listVms: %d VMs of %d LPARs (+templates), %d requests for %d calls, avg %.1f ms, best "
                        + "%.1f ms; feed %.1f MiB, parse+map alone avg %.1f ms, best %.1f ms (%d entries); result retains ~%.2f "
                        + "MiB of heap%n", kept.size(), lpars, requests, runs, total / runs / 1e6, best / 1e6,
                feed.body().length / 1048576.0, parseTotal / runs / 1e6, parseBest / 1e6, parsed, retained / 1048576.0);
        if (kept.size() < lpars) {
            throw new IllegalStateException("listVms returned " + kept.size());
        }
    }

    private static void creating(PowerVmSimulator sim, Hypervisor hv, MemoryMXBean memory, ThreadMXBean threads, int creates)
            throws Exception {
        String network = hv.inventory().get(60, TimeUnit.SECONDS).networks().get(0).name();
        sim.resetCounters();
        gc();
        long heapStart = memory.getHeapMemoryUsage().getUsed();
        threads.resetPeakThreadCount();
        int baseThreads = threads.getThreadCount();
        long t0 = System.nanoTime();
        List<CompletableFuture<VmInfo>> futures = new ArrayList<>();
        for (int i = 0; i < creates; i++) {
            futures.add(hv.createVm(VmProvisionSpec.builder().name("bcreate-" + i).template(PowerVmSimulator.SSP_TEMPLATE)
                    .cloneMode(CloneMode.LINKED).cpuCount(1).memoryMiB(1024).nic(NicSpec.dhcp(network)).powerOn(true)
                    .waitForIp(true).build()));
        }
        long peakHeap = 0;
        Map<String, Integer> peakByPool = new TreeMap<>();
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
        while (!all.isDone()) {
            peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
            Map<String, Integer> now = new TreeMap<>();
            for (Thread th : Thread.getAllStackTraces().keySet()) {
                now.merge(pool(th.getName()), 1, Integer::sum);
            }
            now.forEach((k, v) -> peakByPool.merge(k, v, Math::max));
            Thread.sleep(50);
        }
        long elapsed = System.nanoTime() - t0;
        long failed = futures.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        long besidesPolls = sim.requestsExcludingPolls() - sim.requestCount(RMC_POLL);
        System.out.printf(Locale.ROOT, "createVm x%d concurrent (linked clone, NIC, power on, RMC IP): %.2f s wall, %.1f VMs/s, "
                        + "%d failed; %d requests: %d job polls, %d RMC polls, %d others = %.1f per VM (412 retries included); "
                        + "peak threads %d (base %d), peak heap +%.1f MiB%n", creates, elapsed / 1e9, creates / (elapsed / 1e9),
                failed, sim.totalRequests(), sim.jobPolls(), sim.requestCount(RMC_POLL), besidesPolls,
                besidesPolls / (double) creates, threads.getPeakThreadCount(), baseThreads, (peakHeap - heapStart) / 1048576.0);
        System.out.println("peak threads by pool (the simulator runs in the same JVM): " + peakByPool);
        System.out.println("requests by operation: " + new TreeMap<>(sim.requestCounts()));
        futures.stream().filter(CompletableFuture::isCompletedExceptionally).limit(3).forEach(f -> f.handle((v, e) -> {
            System.out.println("  failure: " + e);
            return null;
        }).join());
        sim.assertNoViolations();
    }

    private static String pool(String threadName) {
        if (threadName.startsWith("OkHttp")) {
            return "provider OkHttp";
        }
        if (threadName.startsWith("dvmm-powervm")) {
            return "provider SDK pool+scheduler";
        }
        if (threadName.contains("MockWebServer") || threadName.startsWith("sim") || threadName.contains("Loopback")) {
            return "simulator";
        }
        return "other (JVM, main, simulator)";
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
