package io.dvmm.sdk.vsphere;

import io.dvmm.sdk.CircuitBreakerPolicy;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.simulator.faults.FaultKind;
import io.dvmm.sdk.simulator.faults.FaultProxy;
import io.dvmm.sdk.simulator.vsphere.Vcsim;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 500 creates against vcsim through the shared fault proxy, which hits 10 % of all SOAP requests
 * (CloneVM_Task, PowerOnVM_Task, Destroy_Task, the property reads, the update long poll...) with
 * every fault kind that a vCenter's front end can produce: lost, late, truncated and garbled
 * answers after vcsim acted, resets before and after, 503 with Retry-After, requests that arrive
 * after the client gave up. Afterwards vcsim's own state, read on a direct connection, must show
 * no duplicate name and no VM that neither a successful create returned nor an error named as
 * left behind; every future completed within its deadline plus one second.
 */
class VsphereSoakTest {

    private static final int CREATES = Integer.getInteger("dvmm.soak.creates", 500);
    private static final int IN_FLIGHT = 32;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(1500);
    private static final Pattern VM_REF = Pattern.compile("VM (vm-\\d+)");

    @Test
    void fiveHundredCreatesUnderTenPercentFaultsDuplicateAndLeakNothing() throws Exception {
        FaultKind[] kinds = Arrays.stream(FaultKind.values()).filter(k -> k != FaultKind.STATUS_596).toArray(FaultKind[]::new);
        try (Vcsim sim = Vcsim.vcenter(1, 2, 1);
             FaultProxy proxy = FaultProxy.https(java.net.URI.create("https://" + sim.sdkUrl().getAuthority()), 11).clientTimeout(READ_TIMEOUT);
             Hypervisor direct = Hypervisors.connect(HypervisorConfig.builder(sim.vsphereUri())
                     .credentials(Credentials.password(sim.username(), sim.password()))
                     .tls(TlsOptions.pinSha256(sim.sha256())).build())) {
            HypervisorConfig config = HypervisorConfig.builder("vsphere://127.0.0.1:" + proxy.port() + "/sdk")
                    .credentials(Credentials.password(sim.username(), sim.password()))
                    .tls(TlsOptions.pinSha256(proxy.certificateSha256()))
                    .readTimeout(READ_TIMEOUT)
                    .circuitBreaker(CircuitBreakerPolicy.disabled())
                    .maxConcurrentRequests(64)
                    .build();
            Map<String, VmInfo> made = new ConcurrentHashMap<>();
            Map<String, Throwable> failed = new ConcurrentHashMap<>();
            List<Duration> overruns = Collections.synchronizedList(new ArrayList<>());
            try (Hypervisor hv = Hypervisors.connect(config)) {
                hv.testConnection().join(); // log in before the faults start
                proxy.rule(FaultProxy.Rule.on("POST", "/sdk").probability(0.10).kinds(kinds));
                long start = System.nanoTime();
                Semaphore slots = new Semaphore(IN_FLIGHT);
                List<CompletableFuture<?>> all = new ArrayList<>();
                for (int i = 0; i < CREATES; i++) {
                    String name = "soak-" + i;
                    slots.acquire();
                    long t0 = System.nanoTime();
                    CompletableFuture<VmInfo> f = hv.createVm(VmProvisionSpec.builder().name(name).template(sim.templateName())
                            .cpuCount(1).memoryMiB(256).nic(NicSpec.dhcp("VM Network")).powerOn(i % 2 == 0).build(),
                            OperationOptions.timeout(DEADLINE));
                    all.add(f.whenComplete((vm, e) -> {
                        Duration took = Duration.ofNanos(System.nanoTime() - t0);
                        if (took.compareTo(DEADLINE.plusSeconds(1)) > 0) {
                            overruns.add(took);
                        }
                        if (e == null) {
                            made.put(name, vm);
                        } else {
                            failed.put(name, HypervisorException.unwrap(e));
                        }
                        slots.release();
                    }));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get(15, TimeUnit.MINUTES);
                Duration soak = Duration.ofNanos(System.nanoTime() - start);

                // Rollbacks that outlived a deadline go on in the background: let them settle, with the faults off.
                proxy.clearRules();
                Set<String> named = new HashSet<>();
                for (Throwable t : failed.values()) {
                    if (t instanceof HypervisorException he) {
                        for (String left : he.leftBehind()) {
                            Matcher m = VM_REF.matcher(left);
                            while (m.find()) {
                                named.add(m.group(1));
                            }
                        }
                    }
                }
                Set<String> returned = made.values().stream().map(v -> v.id().value()).collect(Collectors.toSet());
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                Map<String, String> leaked = unaccounted(direct, returned, named);
                while (!leaked.isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(500);
                    leaked = unaccounted(direct, returned, named);
                }
                List<VmInfo> soakVms = direct.listVms(VmQuery.builder().namePattern("soak-*").build()).join();
                Map<String, Long> byName = soakVms.stream().collect(Collectors.groupingBy(VmInfo::name, Collectors.counting()));
                Map<String, Long> duplicates = new HashMap<>(byName);
                duplicates.values().removeIf(c -> c < 2);
                Map<String, Long> errors = failed.values().stream()
                        .collect(Collectors.groupingBy(t -> t.getClass().getSimpleName(), Collectors.counting()));
                String report = String.format("soak: %d creates in %s, %d succeeded, %d failed %s, %d faults injected %s, "
                                + "%d VMs named as left behind, %d duplicates, %d unaccounted, %d futures over deadline+1s",
                        CREATES, soak, made.size(), failed.size(), errors, proxy.injected().size(),
                        proxy.injected().stream().collect(Collectors.groupingBy(FaultProxy.Injected::kind, Collectors.counting())),
                        named.size(), duplicates.size(), leaked.size(), overruns.size());
                System.out.println(report);
                leaked.forEach((id, name) -> System.out.println("  leaked " + id + " " + name + ": " + failed.get(name)));
                failed.values().stream().collect(Collectors.groupingBy(t -> String.valueOf(t.getMessage()).replaceAll("\\d+", "N")
                        .replaceAll("soak-N", "soak"), Collectors.counting())).forEach((m, n) -> System.out.println("  " + n + " x " + m));
                Files.writeString(Path.of("target", "soak-vsphere.txt"), report + "\n");

                assertThat(made.size() + failed.size()).isEqualTo(CREATES);
                assertThat(duplicates).as(report).isEmpty();
                assertThat(leaked).as("VMs no create returned and no error named: " + report).isEmpty();
                assertThat(overruns).as(report).isEmpty();
                assertThat(proxy.injected().size()).as("the faults really happened").isGreaterThan(CREATES / 2);
                assertThat(made.size()).as("most creates still succeed: " + report).isGreaterThan(CREATES / 3);
                for (VmInfo vm : made.values()) {
                    assertThat(byName.get(vm.name())).as("%s exists once", vm.name()).isEqualTo(1L);
                }
            }
        }
    }

    /** VMs of the soak that vcsim holds and that no successful create returned nor any error named. */
    private static Map<String, String> unaccounted(Hypervisor direct, Set<String> returned, Set<String> named) {
        Map<String, String> out = new HashMap<>();
        for (VmInfo vm : direct.listVms(VmQuery.builder().namePattern("soak-*").build()).join()) {
            if (!returned.contains(vm.id().value()) && !named.contains(vm.id().value())) {
                out.put(vm.id().value(), vm.name());
            }
        }
        return out;
    }
}
