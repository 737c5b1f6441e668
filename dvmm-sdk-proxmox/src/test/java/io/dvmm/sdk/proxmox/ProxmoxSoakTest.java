package io.dvmm.sdk.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.dvmm.sdk.simulator.faults.FaultKind;
import io.dvmm.sdk.simulator.faults.FaultProxy;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
import org.junit.jupiter.api.Test;

/**
 * 500 creates through a fault-injecting proxy that hits 10 % of all requests with every fault
 * kind (lost, late, truncated and garbled answers after the simulator acted, resets, 503 with
 * Retry-After, 596, requests that arrive after the client gave up). Afterwards the simulator's
 * own state must show no duplicate name and no VM that neither a successful create returned nor
 * an error named as left behind; every future completed within its deadline plus one second.
 */
class ProxmoxSoakTest {
    private static final int CREATES = 500;
    private static final int IN_FLIGHT = 40;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(1500);
    private static final Pattern VMID = Pattern.compile("VM (\\d+)");

    @Test
    void fiveHundredCreatesUnderTenPercentFaultsDuplicateAndLeakNothing() throws Exception {
        try (ProxmoxSimulator sim = ProxmoxSimulator.builder().nodes(2).taskDuration(Duration.ofMillis(40))
                .agentDelay(Duration.ofMillis(50)).build().start();
             FaultProxy proxy = FaultProxy.https(sim.baseUrl(), 7).clientTimeout(READ_TIMEOUT)) {
            proxy.rule(FaultProxy.Rule.on("*", "/api2/json/.*").probability(0.10).kinds(FaultKind.values()));
            HypervisorConfig config = HypervisorConfig.builder("proxmox://127.0.0.1:" + proxy.port())
                    .credentials(Credentials.apiToken(sim.apiTokenId(), sim.apiTokenSecret()))
                    .tls(TlsOptions.pinSha256(proxy.certificateSha256()))
                    .readTimeout(READ_TIMEOUT)
                    .circuitBreaker(io.dvmm.sdk.CircuitBreakerPolicy.disabled())
                    .maxConcurrentRequests(64)
                    .property("proxmox.taskPollInitialMillis", "50").property("proxmox.taskPollMaxMillis", "400")
                    .property("proxmox.createLandingMillis", "3000")
                    .build();
            Map<String, VmInfo> made = new ConcurrentHashMap<>();
            Map<String, Throwable> failed = new ConcurrentHashMap<>();
            List<Duration> overruns = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            try (Hypervisor hv = Hypervisors.connect(config)) {
                Semaphore slots = new Semaphore(IN_FLIGHT);
                List<CompletableFuture<?>> all = new ArrayList<>();
                for (int i = 0; i < CREATES; i++) {
                    String name = "soak-" + i;
                    slots.acquire();
                    long t0 = System.nanoTime();
                    CompletableFuture<VmInfo> f = hv.createVm(VmProvisionSpec.builder().name(name).template(sim.templateName())
                            .nic(NicSpec.staticIp(sim.networkName(), "10.9." + (i / 250) + "." + (i % 250 + 1), 24, "10.9.0.254"))
                            .powerOn(i % 2 == 0).build(), OperationOptions.timeout(DEADLINE));
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
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> null)
                        .get(15, TimeUnit.MINUTES);
                Duration soak = Duration.ofNanos(System.nanoTime() - start);

                // Rollbacks that outlived a deadline go on in the background: let them settle, with the faults off.
                proxy.clearRules();
                Set<Integer> named = new java.util.HashSet<>();
                for (Throwable t : failed.values()) {
                    if (t instanceof HypervisorException he) {
                        for (String left : he.leftBehind()) {
                            Matcher m = VMID.matcher(left);
                            while (m.find()) {
                                named.add(Integer.parseInt(m.group(1)));
                            }
                        }
                    }
                }
                Set<Integer> returned = made.values().stream().map(v -> Integer.parseInt(v.id().value())).collect(Collectors.toSet());
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                Map<Integer, String> leaked = unaccounted(sim, returned, named);
                while (!leaked.isEmpty() && System.nanoTime() < until) {
                    Thread.sleep(500);
                    leaked = unaccounted(sim, returned, named);
                }

                Map<String, Long> byName = sim.vmNames().values().stream().filter(n -> n.startsWith("soak-"))
                        .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
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
                failed.values().stream().collect(Collectors.groupingBy(t -> String.valueOf(t.getMessage()).replaceAll("\\d+", "N")
                        .replaceAll("soak-N", "soak"), Collectors.counting())).forEach((m, n) -> System.out.println("  " + n + " x " + m));
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "soak-proxmox.txt"), report + "\n");

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

    /** VMs of the soak that the cluster holds and that no successful create returned nor any error named. */
    private static Map<Integer, String> unaccounted(ProxmoxSimulator sim, Set<Integer> returned, Set<Integer> named) {
        Map<Integer, String> out = new HashMap<>();
        sim.vmNames().forEach((id, name) -> {
            if (name.startsWith("soak-") && !returned.contains(id) && !named.contains(id)) {
                out.put(id, name);
            }
        });
        return out;
    }
}
