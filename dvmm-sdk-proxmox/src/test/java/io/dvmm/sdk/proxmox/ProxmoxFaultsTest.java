package io.dvmm.sdk.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.FaultRule;
import io.dvmm.sdk.simulator.RequestLog;
import io.dvmm.sdk.simulator.SimulatorCertificate;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Proxmox side of the reliability issue's "found by trying it", one case each, against the simulator: a clone
 * whose answer is garbled, a cleanup delete that fails, clone retries that must wait as the server asks, a body too
 * large to hold, deadlines shorter than the read timeout, and snapshot names that are not names.
 */
class ProxmoxFaultsTest {
    private static final String CLONE = "/nodes/{node}/qemu/{vmid}/clone";
    private static final String CONFIG = "/nodes/{node}/qemu/{vmid}/config";
    private static final String DESTROY = "/nodes/{node}/qemu/{vmid}";
    private static final String START = "/nodes/{node}/qemu/{vmid}/status/start";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static ProxmoxSimulator sim;
    private static Hypervisor hv;

    @BeforeAll
    static void start() {
        sim = ProxmoxSimulator.builder().nodes(2).taskDuration(Duration.ofMillis(40)).agentDelay(Duration.ofMillis(50))
                .build().start();
        hv = Hypervisors.connect(SimulatorConfigs.token(sim)
                .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(50)).build()).build());
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
        return "pf-" + NAMES.incrementAndGet();
    }

    private static VmProvisionSpec.Builder spec(String name) {
        return VmProvisionSpec.builder().name(name).template(sim.templateName()).cpuCount(1).memoryMiB(512)
                .nic(NicSpec.staticIp(sim.networkName(), "10.20.30.41", 24, "10.20.30.1")).powerOn(false);
    }

    private static FaultRule.Builder on(String method, String path) {
        return FaultRule.onOperation(ProxmoxSimulator.operation(method, path));
    }

    private static HypervisorException failure(CompletableFuture<?> f) {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(HypervisorException.class);
            return (HypervisorException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    private static <T> T await(CompletableFuture<T> f) {
        return SimulatorConfigs.await(f);
    }

    private static List<Integer> vmidsNamed(String name) {
        return sim.vmNames().entrySet().stream().filter(e -> name.equals(e.getValue())).map(java.util.Map.Entry::getKey).toList();
    }

    /** A VM exists once per success; after a failure none, or exactly the one the error names. */
    private static void exactlyWhatWasReported(String name, VmInfo made, HypervisorException error) {
        List<Integer> vmids = vmidsNamed(name);
        assertThat(vmids).as("never two VMs of one create").hasSizeLessThanOrEqualTo(1);
        if (made != null) {
            assertThat(vmids).singleElement().satisfies(v -> assertThat(made.id().value()).endsWith(String.valueOf(v)));
        } else if (error.leftBehind().isEmpty()) {
            assertThat(vmids).as("nothing left that the error does not name: " + error).isEmpty();
        } else {
            vmids.forEach(v -> assertThat(String.join(" ", error.leftBehind())).contains(String.valueOf(v)));
        }
    }

    // ---- leaks: a garbled clone answer, a failing cleanup ----------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"malformed", "truncated"})
    void aCloneAnsweredWithAGarbledBodyLeavesNoVmTheErrorDoesNotName(String how) {
        Fault fault = how.equals("malformed") ? Fault.malformedBody() : Fault.truncatedBody();
        sim.faults().add(on("POST", CLONE).times(1).then(fault));
        String n = name();
        CompletableFuture<VmInfo> f = hv.createVm(spec(n).build());
        VmInfo made = null;
        HypervisorException error = null;
        try {
            made = f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            error = (HypervisorException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(sim.faults().injected()).hasSize(1);
        exactlyWhatWasReported(n, made, error);
        assertThat(made).as("the marker finds the clone the garbled answer hid: " + error).isNotNull();
        assertThat(sim.requestCount("POST", CLONE)).as("found, not cloned again").isEqualTo(1);
    }

    @Test
    void aCleanupDeleteThatFailsIsSentAgainWithBackOff() {
        sim.failNext("POST", CONFIG, 1, 400, "Parameter verification failed.");
        sim.failNext("DELETE", DESTROY, 2, 500, "unable to destroy VM - got timeout");
        String n = name();
        HypervisorException e = failure(hv.createVm(spec(n).build()));
        assertThat(e.leftBehind()).as("the third delete removed it").isEmpty();
        assertThat(vmidsNamed(n)).isEmpty();
        assertThat(sim.requestCount("DELETE", DESTROY)).isEqualTo(3);
        List<Instant> deletes = sim.requests().snapshot().stream().filter(r -> r.method().equals("DELETE")
                && r.path().matches(".*/qemu/\\d+")).map(RequestLog.Entry::at).toList();
        assertThat(Duration.between(deletes.get(0), deletes.get(1))).as("backed off, not resent at once")
                .isGreaterThanOrEqualTo(Duration.ofMillis(40));
    }

    @Test
    void aCleanupThatCannotDeleteNamesTheVmInTheError() {
        sim.failNext("POST", CONFIG, 1, 400, "Parameter verification failed.");
        sim.failNext("DELETE", DESTROY, 50, 500, "unable to destroy VM - got timeout");
        String n = name();
        HypervisorException e = failure(hv.createVm(spec(n).build()));
        List<Integer> left = vmidsNamed(n);
        assertThat(left).singleElement();
        assertThat(e.leftBehind()).as("what is left, by id").singleElement().asString().contains(String.valueOf(left.get(0)));
        assertThat(e.getMessage()).contains(String.valueOf(left.get(0)));
        sim.clearFaults();
        assertThat(await(hv.deleteVm(VmId.of(Integer.toString(left.get(0)))))).isTrue();
    }

    // ---- clone retries wait as the server says ------------------------------------------------------

    @Test
    void aCloneRefusedWith503AndRetryAfterIsSentAgainOnlyAfterTheWait() {
        sim.faults().add(on("POST", CLONE).times(1)
                .then(Fault.status(503, "Service Unavailable").retryAfter(Duration.ofSeconds(1)).notApplied()));
        String n = name();
        VmInfo vm = await(hv.createVm(spec(n).build()));
        assertThat(vmidsNamed(n)).singleElement();
        List<Instant> clones = sim.requests().snapshot().stream().filter(r -> r.method().equals("POST") && r.path().endsWith("/clone"))
                .map(RequestLog.Entry::at).toList();
        assertThat(clones).hasSize(2);
        assertThat(Duration.between(clones.get(0), clones.get(1))).as("Retry-After: 1 honoured")
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(await(hv.deleteVm(vm.id()))).isTrue();
    }

    // ---- bounded reads ------------------------------------------------------------------------------

    /** An HTTPS endpoint that answers every request with headers promising 320 MiB and then streams them. */
    private static final class HugeBodyServer implements AutoCloseable {
        final SimulatorCertificate certificate = SimulatorCertificate.create();
        final ServerSocket server;
        final AtomicLong written = new AtomicLong();
        final Thread thread;

        HugeBodyServer(Path dir) throws Exception {
            Path store = certificate.writeKeyStore(dir.resolve("huge.p12"), "changeit");
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            server = tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "huge-body-server");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] head = new byte[8192];
                    in.read(head);
                    OutputStream out = s.getOutputStream();
                    long size = 320L << 20;
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + size + "\r\n\r\n{\"data\":\"")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    java.util.Arrays.fill(chunk, (byte) 'a');
                    for (long sent = 0; sent < size - 16; sent += chunk.length) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    // the client hung up: what it should do
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void aThreeHundredTwentyMebibyteBodyIsRefusedTypedWithoutBeingHeld(@TempDir Path dir) throws Exception {
        try (HugeBodyServer huge = new HugeBodyServer(dir);
             Hypervisor conn = Hypervisors.connect(HypervisorConfig.builder("proxmox://127.0.0.1:" + huge.server.getLocalPort())
                     .credentials(Credentials.apiToken("root@pam!t", "00000000-0000-0000-0000-000000000000"))
                     .tls(TlsOptions.pinSha256(huge.certificate.sha256())).retry(RetryPolicy.none()).build())) {
            Runtime rt = Runtime.getRuntime();
            long before = rt.totalMemory() - rt.freeMemory();
            HypervisorException e = failure(conn.listVms());
            assertThat(e).isInstanceOf(ProtocolException.class).hasMessageContaining("larger than");
            long grew = rt.totalMemory() - rt.freeMemory() - before;
            System.out.printf("320 MiB body: refused; the server wrote %d MiB, heap grew %d MiB%n", huge.written.get() >> 20,
                    grew >> 20);
            // Closing a refused body would otherwise drain it for OkHttp's 100 ms to reuse the connection: 300 MiB on loopback.
            Thread.sleep(300);
            assertThat(huge.written.get()).as("the connection is dropped, not drained").isLessThan(64L << 20);
            // Read into memory whole, the body alone would be 320 MiB (640 as a String); refused at the limit it is not.
            assertThat(grew).as("the body is never held").isLessThan(160L << 20);
        }
    }

    // ---- deadlines shorter than the read timeout ----------------------------------------------------

    @Test
    void aDeadlineShorterThanTheReadTimeoutIsHonouredOnCreateStartAndDelete() throws Exception {
        try (Hypervisor slowReads = Hypervisors.connect(SimulatorConfigs.token(sim).readTimeout(Duration.ofSeconds(8)).build())) {
            VmInfo vm = await(slowReads.createVm(spec(name()).build()));
            Duration deadline = Duration.ofSeconds(2);
            record Call(String what, Supplier<CompletableFuture<?>> call, String method, String path) {
            }
            List<Call> calls = List.of(
                    new Call("createVm", () -> slowReads.createVm(spec(name()).build(), OperationOptions.timeout(deadline)), "POST", CLONE),
                    new Call("startVm", () -> slowReads.startVm(vm.id(), OperationOptions.timeout(deadline)), "POST", START),
                    new Call("deleteVm", () -> slowReads.deleteVm(vm.id(), OperationOptions.timeout(deadline)), "DELETE", DESTROY));
            for (Call c : calls) {
                sim.clearFaults();
                sim.faults().add(on(c.method(), c.path()).times(1).then(Fault.delay(Duration.ofSeconds(7))));
                long t0 = System.nanoTime();
                CompletableFuture<?> f = c.call().get();
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException expected) {
                    assertThat(expected.getCause()).isInstanceOf(HypervisorException.class);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(took).as(c.what() + " ends within its deadline plus one second").isLessThan(deadline.plusSeconds(1));
            }
            sim.clearFaults();
            await(slowReads.deleteVm(vm.id())); // gone already, or now
        }
    }

    // ---- snapshot names -----------------------------------------------------------------------------

    @Test
    void aSnapshotNameThatIsNoNameIsAnInvalidSpecBeforeAnyRequest() {
        VmId id = VmId.of(Integer.toString(ProxmoxSimulator.TEMPLATE_VMID));
        sim.resetCounters();
        for (String bad : List.of("a/b", "..", "x\ny", "")) {
            HypervisorException del = failure(hv.deleteSnapshot(id, bad));
            assertThat(del).as("deleteSnapshot(%s)", bad).isInstanceOf(InvalidSpecException.class);
            assertThat(((InvalidSpecException) del).field()).isEqualTo("snapshotName");
            HypervisorException rev = failure(hv.revertToSnapshot(id, bad));
            assertThat(rev).isInstanceOf(InvalidSpecException.class);
        }
        assertThat(sim.totalRequests()).isZero();
    }
}
