package io.dvmm.sdk.hyperv;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.simulator.hyperv.HyperVSimulator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A benchmark, not a test (no assertion on time; {@code mvn verify} does not run it): 200 concurrent {@code createVm}
 * (linked clone, static IP with its cloud-init seed, power on, wait for the guest's IP) against the WinRM simulator
 * over HTTPS with NTLM, then {@code listVms} on a host of 2,000 VMs. It prints wall time, JVM threads (peak, and the
 * most alive at once by owner), heap used (the most sampled, and after a GC) and the WS-Man messages the simulator
 * counted, and writes them to {@code target/hyperv-benchmark.txt}. The simulator runs in the same JVM, so its threads
 * (one per connection) and heap are in the totals; the SDK's and the transport's are listed apart.
 *
 * <pre>
 * mvn -B -o -q -pl dvmm-sdk-hyperv test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * cd dvmm-sdk-hyperv &amp;&amp; java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/test.classpath)" io.dvmm.sdk.hyperv.HyperVBenchmark
 * </pre>
 *
 * Arguments: {@code creates=200 vms=2000 listRuns=5 sealed=true} ({@code sealed=false} skips the third run, NTLM with
 * message encryption over plain HTTP).
 */
public final class HyperVBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private final StringBuilder report = new StringBuilder();

    private HyperVBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new TreeMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opts.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        int creates = Integer.parseInt(opts.getOrDefault("creates", "200"));
        int vms = Integer.parseInt(opts.getOrDefault("vms", "2000"));
        int listRuns = Integer.parseInt(opts.getOrDefault("listRuns", "5"));
        HyperVBenchmark b = new HyperVBenchmark();
        b.line("Hyper-V provider benchmark against the WinRM simulator (same JVM), NTLM over HTTPS, pinned certificate");
        b.line(String.format(Locale.ROOT, "JVM %s, %d processors, max heap %d MiB", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20));
        b.creates(creates, "defaults (hyperv.shells 8; 16 requests in flight; the SDK's pool of blocking threads)", null, 8, false);
        ExecutorService wide = Executors.newFixedThreadPool(30, r -> {
            Thread t = new Thread(r, "bench-caller-pool");
            t.setDaemon(true);
            return t;
        });
        try {
            b.creates(creates, "wide (hyperv.shells 30 = MaxShellsPerUser; 30 requests in flight; a caller's executor of 30 threads)",
                    wide, 30, false);
        } finally {
            wide.shutdownNow();
        }
        if (!"false".equals(opts.get("sealed"))) {
            b.creates(creates, "NTLM sealed over plain HTTP, defaults (a channel and a TCP connection per shell)", null, 8, true);
        }
        b.listing(vms, listRuns);
        Path out = Path.of("target", "hyperv-benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, b.report, StandardCharsets.UTF_8);
        System.out.println("written to " + out.toAbsolutePath());
        System.exit(0);
    }

    private void line(String s) {
        System.out.println(s);
        report.append(s).append('\n');
    }

    private static HypervisorConfig.Builder config(HyperVSimulator sim) {
        return HypervisorConfig.builder(sim.sdkUri()).credentials(Credentials.password(sim.username(), sim.password()))
                .tls(TlsOptions.pinSha256(sim.certificateSha256()))
                .property(HyperVProvider.TEMPLATES_PATH, HyperVSimulator.TEMPLATES_FOLDER)
                .property(HyperVProvider.VM_ROOT, HyperVSimulator.VM_ROOT)
                .operationTimeout(Duration.ofMinutes(10));
    }

    /** Samples live threads (by owner) and heap used while a phase runs. */
    private static final class Sampler implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Map<String, Integer> maxByOwner = new TreeMap<>();
        private long maxHeap;
        private int maxLive;
        private final Thread thread;

        Sampler() {
            THREADS.resetPeakThreadCount();
            thread = new Thread(() -> {
                while (running.get()) {
                    sample();
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void sample() {
            maxHeap = Math.max(maxHeap, MEMORY.getHeapMemoryUsage().getUsed());
            Map<String, Integer> now = new TreeMap<>();
            ThreadInfo[] all = THREADS.getThreadInfo(THREADS.getAllThreadIds(), 0);
            int live = 0;
            for (ThreadInfo t : all) {
                if (t != null) {
                    live++;
                    now.merge(owner(t.getThreadName()), 1, Integer::sum);
                }
            }
            maxLive = Math.max(maxLive, live);
            now.forEach((k, v) -> maxByOwner.merge(k, v, Math::max));
        }

        static String owner(String name) {
            if (name.startsWith("dvmm-")) {
                return "SDK (dvmm-*: worker pool, scheduler)";
            }
            if (name.startsWith("I/O dispatcher") || name.startsWith("CXFCloseIdleConnectionThread") || name.startsWith("pool-")
                    || name.contains("httpclient") || name.startsWith("Thread-")) {
                return "transport (CXF / HttpAsyncClient I/O reactor, idle reaper)";
            }
            if (name.startsWith("MockWebServer") || name.startsWith("OkHttp") || name.contains("simulator")) {
                return "simulator (a thread per connection)";
            }
            if (name.startsWith("bench-")) {
                return "benchmark (caller's executor, sampler)";
            }
            return "JVM and Maven-free runtime (main, GC, JIT, ...)";
        }

        @Override
        public synchronized void close() {
            running.set(false);
            thread.interrupt();
            sample();
        }
    }

    private void creates(int n, String label, ExecutorService executor, int width, boolean sealed) throws Exception {
        try (HyperVSimulator sim = HyperVSimulator.builder().maxShellsPerUser(30).tls(!sealed).build().start()) {
            HypervisorConfig.Builder cfg = config(sim).property(HyperVProvider.SHELLS, Integer.toString(Math.min(width, 30)))
                    .maxConcurrentRequests(Math.max(16, width));
            if (sealed) {
                cfg.tls(TlsOptions.systemTrust()).property(HyperVProvider.TRANSPORT, "http");
            }
            if (executor != null) {
                cfg.executor(executor);
            }
            try (Hypervisor hv = Hypervisors.connect(cfg.build())) {
                hv.testConnection().get(60, TimeUnit.SECONDS);
                hv.inventory().get(60, TimeUnit.SECONDS);
                sim.resetCounts();
                System.gc();
                long heapBefore = MEMORY.getHeapMemoryUsage().getUsed();
                List<CompletableFuture<VmInfo>> all = new ArrayList<>();
                long start;
                long wall;
                Sampler s;
                try (Sampler sampler = new Sampler()) {
                    s = sampler;
                    start = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        all.add(hv.createVm(VmProvisionSpec.builder().name(String.format(Locale.ROOT, "bench-%04d", i))
                                .template("ubuntu-24.04").cloneMode(CloneMode.LINKED).cpuCount(2).memoryMiB(2048)
                                .nic(NicSpec.staticIp(HyperVSimulator.DEFAULT_SWITCH, "10.1." + (i / 250) + "." + (i % 250 + 2), 16, "10.1.0.1"))
                                .powerOn(true).waitForIp(true).build()));
                    }
                    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
                    wall = System.nanoTime() - start;
                }
                int peak = THREADS.getPeakThreadCount();
                System.gc();
                long heapAfter = MEMORY.getHeapMemoryUsage().getUsed();
                long made = sim.vms().stream().filter(v -> v.name().startsWith("bench-")).count();
                line("");
                line(n + " concurrent createVm (linked clone, static IP + cloud-init seed, power on, wait for IP) -- " + label);
                line(String.format(Locale.ROOT, "  wall time            %,d ms (%.1f creates/s)", TimeUnit.NANOSECONDS.toMillis(wall),
                        n / (wall / 1e9)));
                line("  VMs on the host      " + made + " (violations: " + sim.violations().list().size() + ")");
                line("  JVM threads          peak " + peak + ", most alive at once " + s.maxLive);
                s.maxByOwner.forEach((k, v) -> line(String.format(Locale.ROOT, "    %-62s %d", k, v)));
                line(String.format(Locale.ROOT, "  heap used            most sampled %d MiB; after GC %d MiB (before %d MiB)",
                        s.maxHeap >> 20, heapAfter >> 20, heapBefore >> 20));
                if (hv instanceof io.dvmm.sdk.hyperv.internal.HyperVHypervisor h) {
                    line("  WinRM shells         most open at once " + h.peakShells());
                }
                Map<String, Long> c = new TreeMap<>(sim.counts());
                long commands = c.getOrDefault(HyperVSimulator.COMMAND, 0L);
                long polls = sim.scriptCount("guest-ips");
                line(String.format(Locale.ROOT, "  commands             %d (%.2f per create, %.2f besides IP polls)", commands,
                        commands / (double) n, (commands - polls) / (double) n));
                long messages = c.entrySet().stream().filter(e -> e.getKey().startsWith("wsman:")).mapToLong(Map.Entry::getValue).sum();
                line(String.format(Locale.ROOT, "  WS-Man messages      %d (%.2f per create; %.2f per command)", messages,
                        messages / (double) n, messages / (double) commands));
                line("  counts               " + c);
            }
        }
    }

    private void listing(int vms, int runs) throws Exception {
        try (HyperVSimulator sim = HyperVSimulator.builder().vms(vms).build().start();
             Hypervisor hv = Hypervisors.connect(config(sim).build())) {
            hv.testConnection().get(60, TimeUnit.SECONDS);
            long[] ms = new long[runs];
            int listed = 0;
            Map<String, Long> first = null;
            System.gc();
            long maxHeap;
            try (Sampler s = new Sampler()) {
                for (int i = 0; i < runs; i++) {
                    sim.resetCounts();
                    long t0 = System.nanoTime();
                    List<VmInfo> all = hv.listVms(VmQuery.all()).get(5, TimeUnit.MINUTES);
                    ms[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    listed = all.size();
                    if (first == null) {
                        first = new TreeMap<>(sim.counts());
                    }
                }
                s.close();
                maxHeap = s.maxHeap;
            }
            long[] sorted = ms.clone();
            Arrays.sort(sorted);
            line("");
            line("listVms on a host of " + vms + " VMs (" + listed + " listed; the template VM is not a VM), " + runs + " runs on a warm shell");
            line("  time                 first " + ms[0] + " ms, median " + sorted[runs / 2] + " ms, min " + sorted[0] + " ms");
            line("  per listVms          " + first);
            line(String.format(Locale.ROOT, "  heap used            most sampled %d MiB", maxHeap >> 20));
            line("  violations           " + sim.violations().list().size());
        }
    }
}
