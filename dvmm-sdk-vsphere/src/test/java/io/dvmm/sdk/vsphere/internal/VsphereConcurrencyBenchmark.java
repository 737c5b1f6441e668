package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: N concurrent {@code createVm} (clone, power on, wait for the simulated DHCP address)
 * each followed by a graceful {@code stopVm}, on one connection with the default pool, against
 * vcsim; prints the wall time and the peak of the SDK's threads ({@code dvmm-*}) plus the HTTP
 * client's (OkHttp's, or the JDK client's {@code HttpClient-*}), sampled every 5 ms. Written
 * against the API both before and after the port, so that the same program measures both.
 *
 * <pre>
 * mvn -B -q -pl dvmm-sdk-vsphere -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp dvmm-sdk-vsphere/target/test-classes:dvmm-sdk-vsphere/target/classes:$(cat dvmm-sdk-vsphere/target/test.classpath) \
 *     io.dvmm.sdk.vsphere.internal.VsphereConcurrencyBenchmark 64 3
 * </pre>
 * Arguments: concurrent operations (64), runs (3).
 */
public final class VsphereConcurrencyBenchmark {

    private VsphereConcurrencyBenchmark() {
    }

    private static int sdkThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.startsWith("dvmm-") || name.startsWith("OkHttp") || name.startsWith("HttpClient-") || name.startsWith("Okio")) {
                n++;
            }
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (Vcsim sim = Vcsim.start(io.dvmm.sdk.simulator.vsphere.VcsimModel.vcenter().clusters(1).hostsPerCluster(2).standaloneHosts(1).vmsPerPool(2)
                .dhcp(java.time.Duration.ofSeconds(1)).build())) {
            HypervisorConfig config = HypervisorConfig.builder(sim.vsphereUri())
                    .credentials(Credentials.password(sim.username(), sim.password()))
                    .tls(TlsOptions.pinSha256(sim.sha256()))
                    .operationTimeout(Duration.ofMinutes(5))
                    .build();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "benchmark-sampler");
                t.setDaemon(true);
                return t;
            });
            for (int run = 1; run <= runs; run++) {
                AtomicInteger peak = new AtomicInteger();
                try (Hypervisor hv = Hypervisors.connect(config)) {
                    hv.inventory().join(); // log in and cache the catalog: the session's cost is not the operations'
                    var sampling = sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(sdkThreads(), Math::max), 0, 5,
                            TimeUnit.MILLISECONDS);
                    long start = System.nanoTime();
                    List<CompletableFuture<VmInfo>> ops = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        VmProvisionSpec spec = VmProvisionSpec.builder().name("bench-" + run + "-" + i).template(Vcsim.TEMPLATE)
                                .cpuCount(1).memoryMiB(512).nic(NicSpec.dhcp("VM Network"))
                                .placement(Placement.any().withDatastore("LocalDS_0")).powerOn(true).waitForIp(true).build();
                        ops.add(hv.createVm(spec).thenCompose(vm -> hv.stopVm(vm.id(), StopSpec.gracefulThenHard(Duration.ofSeconds(60)))));
                    }
                    int failed = 0;
                    List<VmInfo> done = new ArrayList<>();
                    for (CompletableFuture<VmInfo> op : ops) {
                        try {
                            done.add(op.join());
                        } catch (RuntimeException e) {
                            failed++;
                            if (failed == 1) {
                                System.out.println("first failure: " + e);
                            }
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    sampling.cancel(false);
                    System.out.printf(Locale.ROOT, "run %d: %d x (createVm + waitForIp + graceful stopVm): %.2f s wall, "
                            + "peak SDK + HTTP client threads %d, %d failed%n", run, n, seconds, peak.get(), failed);
                    List<CompletableFuture<Boolean>> deletes = new ArrayList<>();
                    done.forEach(vm -> deletes.add(hv.deleteVm(vm.id())));
                    deletes.forEach(CompletableFuture::join);
                }
            }
            sampler.shutdownNow();
        }
    }
}
