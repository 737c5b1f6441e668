package io.dvmm.sdk.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.PermissionDeniedException;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provider behaviour at the wire: round trips counted at the simulator, auth, retries, errors, TLS. */
class ProxmoxProviderTest {

    private static final String CLONE = "/nodes/{node}/qemu/{vmid}/clone";
    private static final String CONFIG = "/nodes/{node}/qemu/{vmid}/config";
    private static final String TICKET = "/access/ticket";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static ProxmoxSimulator sim;
    private static Hypervisor hv;

    @BeforeAll
    static void start() {
        sim = ProxmoxSimulator.builder().nodes(3).taskDuration(Duration.ofMillis(60)).agentDelay(Duration.ofMillis(100))
                .build().start();
        hv = Hypervisors.connect(SimulatorConfigs.token(sim).build());
    }

    @AfterAll
    static void stop() {
        hv.close();
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.clearFaults();
        sim.resetCounters();
    }

    private static String name() {
        return "pt-" + NAMES.incrementAndGet();
    }

    private static VmProvisionSpec.Builder spec(String name) {
        return VmProvisionSpec.builder().name(name).template(sim.templateName()).cpuCount(2).memoryMiB(1024)
                .nic(NicSpec.staticIp(sim.networkName(), "10.20.30.40", 24, "10.20.30.1")).powerOn(true);
    }

    private static <T> T await(CompletableFuture<T> f) {
        return SimulatorConfigs.await(f);
    }

    // ---- round trips

    @Test
    void createWithStaticIpTakesAtMostSixRequestsBesidesTaskPolls() {
        try (Hypervisor fresh = Hypervisors.connect(SimulatorConfigs.token(sim).build())) {
            sim.resetCounters();
            VmInfo vm = await(fresh.createVm(spec(name()).waitForIp(true).build()));
            assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
            assertThat(vm.primaryIpAddress()).contains("10.20.30.40");
            assertThat(sim.requestsExcludingTaskPolls()).as("%s", sim.requestCounts()).isLessThanOrEqualTo(6);
            assertThat(sim.requestCount("POST", CLONE)).isEqualTo(1);
            assertThat(sim.requestCount("POST", CONFIG)).as("one config call for cpu, memory, NIC and cloud-init").isEqualTo(1);
            assertThat(sim.requestCount("GET", "/cluster/resources")).isEqualTo(1);
        }
    }

    @Test
    void listingTenThousandVmsIsOneRequest() {
        try (ProxmoxSimulator big = ProxmoxSimulator.builder().nodes(4).vms(10_000).build().start();
             Hypervisor conn = Hypervisors.connect(SimulatorConfigs.token(big).build())) {
            List<VmInfo> vms = await(conn.listVms());
            assertThat(vms).hasSize(10_000);
            assertThat(big.totalRequests()).isEqualTo(1);
            assertThat(big.requestCount("GET", "/cluster/resources")).isEqualTo(1);
            assertThat(vms.get(0).name()).isLessThanOrEqualTo(vms.get(1).name());
        }
    }

    @Test
    void aSpecFailingLocalValidationSendsNothing() {
        VmProvisionSpec linkedOnDatastore = spec(name()).cloneMode(CloneMode.LINKED)
                .placement(Placement.any().withDatastore(sim.storageName())).build();
        assertThatThrownBy(() -> await(hv.createVm(linkedOnDatastore))).cause()
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("placement.datastore");
        VmProvisionSpec userData = spec(name()).guest(GuestCustomization.builder().userData("#cloud-config").build()).build();
        assertThatThrownBy(() -> await(hv.createVm(userData))).cause().isInstanceOf(InvalidSpecException.class);
        assertThat(sim.totalRequests()).isZero();
    }

    @Test
    void aFinishedTaskIsNoticedWithinOnePollingStep() {
        sim.taskDuration(Duration.ofMillis(300));
        try (Hypervisor fixedPolls = Hypervisors.connect(SimulatorConfigs.token(sim)
                .property("proxmox.taskPollInitialMillis", "100").property("proxmox.taskPollMaxMillis", "100").build())) {
            VmInfo vm = await(fixedPolls.createVm(spec(name()).powerOn(false).build()));
            sim.resetCounters();
            await(fixedPolls.startVm(vm.id()));
            // Polls are >= 100 ms apart, so a 300 ms task is seen done by poll 4 (t >= 300 ms) at the latest.
            assertThat(sim.taskPolls()).isBetween(1L, 4L);
        } finally {
            sim.taskDuration(Duration.ofMillis(60));
        }
    }

    @Test
    void anInstantTaskTakesExactlyOnePoll() {
        sim.taskDuration(Duration.ZERO);
        try {
            VmInfo vm = await(hv.createVm(spec(name()).powerOn(false).build()));
            sim.resetCounters();
            await(hv.startVm(vm.id()));
            assertThat(sim.taskPolls()).isEqualTo(1);
        } finally {
            sim.taskDuration(Duration.ofMillis(60));
        }
    }

    // ---- cloud-init and guest IP

    @Test
    void sshKeysAreEncodedTwiceAndPassTheSchema() {
        String key1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBy+/= me@laptop";
        String key2 = "ssh-rsa AAAAB3NzaC1yc2E= ci@build";
        VmInfo vm = await(hv.createVm(spec(name()).powerOn(false)
                .guest(GuestCustomization.builder().username("ubuntu").sshKey(key1).sshKey(key2).build()).build()));
        assertThat(vm.id().value()).isNotBlank();
        assertThat(sim.violations()).isEmpty();
        assertThat(sim.requestCount("POST", CONFIG)).isEqualTo(1);
    }

    @Test
    void dhcpIpComesFromTheGuestAgentMatchedByMac() {
        VmInfo vm = await(hv.createVm(VmProvisionSpec.builder().name(name()).template(sim.templateName())
                .nic(NicSpec.dhcp(sim.networkName())).waitForIp(true).build()));
        assertThat(vm.ipAddresses()).hasSize(1);
        assertThat(vm.primaryIpAddress().orElseThrow()).startsWith("10.").isNotEqualTo("127.0.0.1");
        VmInfo fetched = await(hv.getVm(vm.id()));
        assertThat(fetched.ipAddresses()).containsExactlyElementsOf(vm.ipAddresses());
        assertThat(fetched.nics().get(0).macAddress()).isEqualTo(vm.nics().get(0).macAddress());
    }

    // ---- VMID races, locks, lost replies, task failures

    @Test
    void aVmidRaceIsRetriedWithAnotherId() {
        sim.vmidRaceNext(1);
        VmInfo vm = await(hv.createVm(spec(name()).powerOn(false).build()));
        assertThat(sim.requestCount("POST", CLONE)).isEqualTo(2);
        assertThat(vm.name()).startsWith("pt-");
    }

    @Test
    void aLockTimeoutIsRetried() {
        sim.lockTimeoutNext(1);
        await(hv.createVm(spec(name()).powerOn(false).build()));
        assertThat(sim.requestCount("POST", CLONE)).isEqualTo(2);
    }

    @Test
    void aLostCloneReplyIsCheckedBeforeCloningAgain() {
        sim.resetNext("POST", CLONE, 1);
        String n = name();
        VmInfo vm = await(hv.createVm(spec(n).powerOn(false).build()));
        assertThat(sim.requestCount("POST", CLONE)).isEqualTo(2);
        assertThat(sim.requestCount("GET", CONFIG)).as("checked whether the first attempt landed").isEqualTo(1);
        assertThat(await(hv.listVms()).stream().filter(v -> v.name().equals(n))).hasSize(1);
        assertThat(vm.name()).isEqualTo(n);
    }

    @Test
    void aFailedTaskReportsItsLogAndTheHalfMadeVmIsDeleted() {
        sim.failNextTask("qmstart", 1, "start failed: QEMU exited with code 1");
        String n = name();
        Throwable e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> await(hv.createVm(spec(n).build()))).getCause();
        assertThat(e).isInstanceOf(OperationFailedException.class);
        OperationFailedException failed = (OperationFailedException) e;
        assertThat(failed.taskId()).get().asString().contains(":qmstart:");
        assertThat(failed.logTail()).anyMatch(l -> l.contains("TASK ERROR"));
        assertThat(await(hv.findVm(n))).isEmpty();
    }

    @Test
    void warningsAreSuccess() {
        sim.failNextTask("qmstart", 1, "WARNINGS: 1");
        VmInfo vm = await(hv.createVm(spec(name()).build()));
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
    }

    @Test
    void cancellingDuringTheCloneStopsTheRemoteTaskAndLeavesNothing() throws Exception {
        sim.taskDuration(Duration.ofSeconds(5));
        try {
            String n = name();
            CompletableFuture<VmInfo> f = hv.createVm(spec(n).build());
            while (sim.taskPolls() == 0) {
                Thread.sleep(10); // the clone is running once its task is polled
            }
            assertThat(f.cancel(true)).isTrue();
            while (sim.requestCount("DELETE", "/nodes/{node}/tasks/{upid}") == 0 || await(hv.findVm(n)).isPresent()) {
                Thread.sleep(20);
            }
            assertThat(sim.requestCount("DELETE", "/nodes/{node}/tasks/{upid}")).isEqualTo(1);
            assertThat(sim.requestCount("POST", "/nodes/{node}/qemu/{vmid}/status/start")).isZero();
        } finally {
            sim.taskDuration(Duration.ofMillis(60));
        }
    }

    @Test
    void ticketsAreRenewedWithTheTicketItself() {
        try (Hypervisor renewing = Hypervisors.connect(SimulatorConfigs.password(sim)
                .property("proxmox.ticketRenewMinutes", "0").build())) {
            await(renewing.listVms());
            await(renewing.listVms());
            // First login with the password, then a renewal before each further request.
            assertThat(sim.requestCount("POST", TICKET)).isEqualTo(2);
            assertThat(await(renewing.listVms())).isNotNull();
        }
    }

    // ---- errors and retries

    @Test
    void transientProxyErrorsAreRetriedForGetsOnly() {
        sim.failNext("GET", "/cluster/resources", 1, 596, "Connection timed out");
        assertThat(await(hv.listVms())).isNotNull();
        assertThat(sim.requestCount("GET", "/cluster/resources")).isEqualTo(2);

        VmInfo vm = await(hv.createVm(spec(name()).powerOn(false).build()));
        sim.resetCounters();
        sim.failNext("POST", "/nodes/{node}/qemu/{vmid}/status/start", 1, 596, "Connection timed out");
        assertThatThrownBy(() -> await(hv.startVm(vm.id()))).cause().isInstanceOf(UnavailableException.class);
        assertThat(sim.requestCount("POST", "/nodes/{node}/qemu/{vmid}/status/start")).isEqualTo(1);
    }

    @Test
    void serverErrorsMapToTypedExceptions() {
        VmInfo vm = await(hv.createVm(spec(name()).powerOn(false).build()));
        sim.failNext("POST", "/nodes/{node}/qemu/{vmid}/status/start", 1, 403, "Permission check failed (/vms/1, VM.PowerMgmt)");
        assertThatThrownBy(() -> await(hv.startVm(vm.id()))).cause().isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("VM.PowerMgmt");
        sim.failNext("POST", "/nodes/{node}/qemu/{vmid}/status/start", 1, 500, "VM is locked (backup)");
        assertThatThrownBy(() -> await(hv.startVm(vm.id()))).cause().isInstanceOf(BusyException.class);
        assertThat(await(hv.stopVm(vm.id(), StopSpec.hard())).powerState()).isEqualTo(PowerState.POWERED_OFF);
    }

    // ---- authentication

    @Test
    void ticketsAreUsedWithCsrfAndRenewedOnceAfterExpiry() {
        try (Hypervisor withPassword = Hypervisors.connect(SimulatorConfigs.password(sim).build())) {
            VmInfo vm = await(withPassword.createVm(spec(name()).powerOn(false).build()));
            assertThat(sim.requestCount("POST", TICKET)).isEqualTo(1);
            sim.expireTickets();
            assertThat(await(withPassword.startVm(vm.id())).powerState()).isEqualTo(PowerState.POWERED_ON);
            assertThat(sim.requestCount("POST", TICKET)).as("one fresh login after the 401").isEqualTo(2);
        }
    }

    @Test
    void aWrongPasswordFailsAfterOneLoginAttempt() {
        HypervisorConfig bad = SimulatorConfigs.password(sim).credentials(Credentials.password("root@pam", "not-it"))
                .retry(RetryPolicy.defaults()).build();
        try (Hypervisor conn = Hypervisors.connect(bad)) {
            assertThatThrownBy(() -> await(conn.listVms())).cause().isInstanceOf(AuthenticationException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-it"));
            assertThat(sim.requestCount("POST", TICKET)).isEqualTo(1);
            assertThat(sim.requestCount("GET", "/cluster/resources")).isZero();
        }
    }

    @Test
    void aWrongTokenFailsWithoutRetry() {
        HypervisorConfig bad = SimulatorConfigs.token(sim).credentials(Credentials.apiToken(sim.apiTokenId(), "nope")).build();
        try (Hypervisor conn = Hypervisors.connect(bad)) {
            assertThatThrownBy(() -> await(conn.listVms())).cause().isInstanceOf(AuthenticationException.class);
            assertThat(sim.requestCount("GET", "/cluster/resources")).isEqualTo(1);
        }
    }

    // ---- TLS

    @Test
    void tlsIsVerifiedByDefaultAndByPinOrTrustStore(@TempDir Path dir) throws Exception {
        HypervisorConfig.Builder base = SimulatorConfigs.token(sim);
        try (Hypervisor system = Hypervisors.connect(base.tls(TlsOptions.systemTrust()).build())) {
            assertThatThrownBy(() -> await(system.testConnection())).cause().isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("TLS");
        }
        String wrongPin = "00".repeat(32);
        try (Hypervisor pinned = Hypervisors.connect(base.tls(TlsOptions.pinSha256(wrongPin)).build())) {
            assertThatThrownBy(() -> await(pinned.testConnection())).cause().isInstanceOf(AuthenticationException.class);
        }
        Path store = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(store)) {
            sim.trustStore().store(out, "secret".toCharArray());
        }
        try (Hypervisor trusted = Hypervisors.connect(base.tls(TlsOptions.trustStore(store, "secret", "PKCS12")).build())) {
            assertThat(await(trusted.testConnection()).version()).startsWith("9.");
        }
        try (Hypervisor insecure = Hypervisors.connect(base.tls(TlsOptions.insecure()).build())) {
            assertThat(await(insecure.testConnection()).product()).isEqualTo("Proxmox VE");
        }
    }

    @Test
    void unknownVmIdsAreNotFoundWithoutGuessing() {
        assertThatThrownBy(() -> await(hv.getVm(VmId.of("not-a-vmid")))).cause()
                .isInstanceOf(io.dvmm.sdk.NotFoundException.class);
        assertThat(sim.totalRequests()).isZero();
    }
}
