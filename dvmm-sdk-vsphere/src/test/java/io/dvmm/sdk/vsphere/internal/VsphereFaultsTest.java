package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.vsphere.internal.FaultProxy.Fault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vSphere provider under faults, through {@link FaultProxy} in front of vcsim: a clone whose
 * answer is lost, late, truncated or corrupted never leaves a VM the error does not name; a body
 * that stalls ends at the read timeout; a deadline shorter than the read timeout is kept; a huge
 * fault is never held whole; managed object ids are escaped on the wire.
 */
class VsphereFaultsTest {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    /** The runner's grace after a deadline plus the contract's slack. */
    private static final Duration SLACK = Duration.ofMillis(1500);
    private static Vcsim sim;
    private static FaultProxy proxy;
    private static VsphereHypervisor direct;

    @BeforeAll
    static void start() {
        sim = Vcsim.vcenter(1, 2, 2);
        proxy = new FaultProxy(sim);
        direct = VcsimFixture.connect(sim);
    }

    @AfterAll
    static void stop() {
        if (direct != null) {
            direct.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static HypervisorConfig.Builder throughProxy(Duration readTimeout) {
        return HypervisorConfig.builder(proxy.vsphereUri())
                .credentials(Credentials.password(sim.username(), sim.password()))
                .tls(TlsOptions.pinSha256(proxy.sha256()))
                .readTimeout(readTimeout)
                .operationTimeout(Duration.ofSeconds(60));
    }

    private static VsphereHypervisor connect(HypervisorConfig.Builder b) {
        VsphereHypervisor hv = (VsphereHypervisor) Hypervisors.connect(b.build());
        hv.testConnection().join(); // log in before any fault is planned
        return hv;
    }

    private static VmProvisionSpec.Builder spec(String name) {
        return VmProvisionSpec.builder().name(name).template(Vcsim.TEMPLATE).cpuCount(1).memoryMiB(512)
                .nic(NicSpec.dhcp("VM Network")).placement(Placement.any().withDatastore("LocalDS_0")).powerOn(false);
    }

    private static Throwable failure(CompletableFuture<?> f, Duration within) throws Exception {
        try {
            f.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }

    private static List<VmInfo> named(String name) {
        return direct.listVms(VmQuery.builder().namePattern(name).build()).join();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"RESET_BEFORE_ANSWER", "CLOSE_BEFORE_ANSWER", "STATUS_LINE_ONLY",
            "HEADERS_THEN_CLOSE", "HALF_BODY_THEN_CLOSE", "TRUNCATED_XML", "GARBAGE_BODY", "EMPTY_BODY", "NOT_SOAP",
            "BAD_GATEWAY_AFTER_FORWARD", "HTML_ERROR_PAGE", "LATE", "NEVER_ANSWER", "STALL_MID_BODY"})
    void aCloneWhoseAnswerIsBrokenNeverLeavesAVmTheErrorDoesNotName(Fault fault) throws Exception {
        String name = "fault-" + fault.name().toLowerCase(Locale.ROOT).replace('_', '-');
        try (VsphereHypervisor hv = connect(throughProxy(READ_TIMEOUT))) {
            proxy.inject("CloneVM_Task", fault);
            CompletableFuture<VmInfo> f = hv.createVm(spec(name).build(), OperationOptions.timeout(Duration.ofSeconds(40)));
            Throwable error = failure(f, Duration.ofSeconds(60));
            assertThat(proxy.allUsed()).as("the clone's answer was broken").isTrue();
            List<VmInfo> left = named(name);
            System.out.printf("%s: %s; VMs named %s afterwards: %s%n", fault, error == null ? "created " + f.join().id()
                    : error.toString(), name, left.stream().map(v -> v.id().value()).toList());
            assertThat(left).as("never two VMs for one createVm").hasSizeLessThanOrEqualTo(1);
            if (error == null) {
                assertThat(left).extracting(VmInfo::id).containsExactly(f.join().id());
            } else if (!left.isEmpty()) {
                assertThat(error).isInstanceOf(HypervisorException.class);
                assertThat(((HypervisorException) error).leftBehind()).as("the error names what is left: " + error)
                        .anyMatch(r -> r.contains(left.get(0).id().value()));
            }
            left.forEach(vm -> direct.deleteVm(vm.id()).join());
        }
    }

    @Test
    void aCloneWhoseAnswerIsLostPastTheDeadlineIsFoundByItsMarkerAndRemoved() throws Exception {
        String name = "fault-deadline";
        Duration deadline = Duration.ofMillis(1500);
        try (VsphereHypervisor hv = connect(throughProxy(Duration.ofSeconds(8)))) {
            proxy.inject("CloneVM_Task", Fault.NEVER_ANSWER);
            long start = System.nanoTime();
            Throwable error = failure(hv.createVm(spec(name).build(), OperationOptions.timeout(deadline)), Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(error).isInstanceOf(OperationTimeoutException.class);
            assertThat(took).isLessThan(deadline.plus(SLACK));
            // The clone landed while its answer never came: the rollback finds it by its marker and removes it.
            List<String> named = ((HypervisorException) error).leftBehind();
            for (int i = 0; i < 200 && !named(name).isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertThat(named(name)).as("left behind, the error said: " + named).isEmpty();
        }
    }

    @Test
    void getVmAndListVmsEndAtTheirReadTimeoutWhenTheBodyStalls() throws Exception {
        VmId id = direct.listVms().join().get(0).id();
        // By default a stalled read is sent again (it is idempotent) and the call succeeds.
        try (VsphereHypervisor hv = connect(throughProxy(READ_TIMEOUT))) {
            proxy.inject("RetrievePropertiesEx", Fault.HEADERS_THEN_STALL);
            assertThat(hv.getVm(id).join().id()).isEqualTo(id);
            assertThat(proxy.allUsed()).isTrue();
        }
        // Without retries, each ends at the read timeout.
        try (VsphereHypervisor hv = connect(throughProxy(READ_TIMEOUT).retry(io.dvmm.sdk.RetryPolicy.none()))) {
            proxy.inject("RetrievePropertiesEx", Fault.HEADERS_THEN_STALL);
            long start = System.nanoTime();
            Throwable e = failure(hv.getVm(id), Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e).isInstanceOf(OperationTimeoutException.class);
            assertThat(took).as("getVm with a stalled body").isLessThan(READ_TIMEOUT.plus(SLACK));

            proxy.inject("RetrievePropertiesEx", Fault.STALL_MID_BODY);
            start = System.nanoTime();
            e = failure(hv.listVms(), Duration.ofSeconds(30));
            took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e).isInstanceOf(OperationTimeoutException.class);
            assertThat(took).as("listVms with a stalled body").isLessThan(READ_TIMEOUT.plus(SLACK));
            assertThat(hv.getVm(id).join().id()).as("the connection still works").isEqualTo(id);
        }
    }

    @Test
    void aDeadlineShorterThanTheReadTimeoutIsHonouredOnStartAndDelete() throws Exception {
        Duration deadline = Duration.ofSeconds(2);
        try (VsphereHypervisor hv = connect(throughProxy(Duration.ofSeconds(8)))) {
            VmInfo vm = direct.createVm(spec("deadline-1").build()).join();
            proxy.inject("PowerOnVM_Task", Fault.NEVER_ANSWER);
            long start = System.nanoTime();
            Throwable e = failure(hv.startVm(vm.id(), OperationOptions.timeout(deadline)), Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e).isInstanceOf(OperationTimeoutException.class);
            assertThat(took).as("startVm with a 2 s deadline and an 8 s read timeout").isLessThan(deadline.plus(SLACK));

            proxy.inject("Destroy_Task", Fault.NEVER_ANSWER);
            start = System.nanoTime();
            e = failure(hv.deleteVm(vm.id(), OperationOptions.timeout(deadline)), Duration.ofSeconds(30));
            took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e).isInstanceOf(OperationTimeoutException.class);
            assertThat(took).as("deleteVm with a 2 s deadline and an 8 s read timeout").isLessThan(deadline.plus(SLACK));
        } finally {
            named("deadline-1").forEach(v -> direct.deleteVm(v.id()).join());
        }
    }

    @Test
    void aFortyEightMebibyteFaultIsNeverHeldWhole() throws Exception {
        VmId id = direct.listVms().join().get(0).id();
        try (VsphereHypervisor hv = connect(throughProxy(Duration.ofSeconds(30)))) {
            proxy.inject("RetrievePropertiesEx", Fault.HUGE_FAULT);
            Throwable e = failure(hv.getVm(id), Duration.ofSeconds(30));
            assertThat(e).isInstanceOf(ProtocolException.class).hasMessageContaining("larger than " + (8L << 20));
            assertThat(e.getMessage()).hasSizeLessThan(2048);
        }
        // Allowed in whole, the fault is read in chunks and only its first few KiB are kept.
        try (VsphereHypervisor hv = connect(throughProxy(Duration.ofSeconds(30)).maxResponseBytes(64L << 20))) {
            proxy.inject("RetrievePropertiesEx", Fault.HUGE_FAULT);
            Throwable e = failure(hv.getVm(id), Duration.ofSeconds(30));
            assertThat(e).isInstanceOf(HypervisorException.class);
            HypervisorException he = (HypervisorException) e;
            assertThat(he.serverMessage().orElseThrow()).startsWith("xxxx").hasSizeLessThan(VimXmlReader.MAX_FAULT_TEXT + 64);
            assertThat(he.getMessage()).hasSizeLessThan(16 * 1024);
        }
    }

    @Test
    void theReaderKeepsOnlyTheHeadOfAHugeFaultString() throws Exception {
        byte[] head = ("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>"
                + "<faultcode>ServerFaultCode</faultcode><faultstring>").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>".getBytes(StandardCharsets.UTF_8);
        InputStream huge = new InputStream() {
            private long left = 48L << 20;

            @Override
            public int read() {
                return left-- > 0 ? 'y' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'y');
                left -= n;
                return n;
            }
        };
        VimXmlReader.Response r = VimXmlReader.readResponse(new SequenceInputStream(new ByteArrayInputStream(head),
                new SequenceInputStream(huge, new ByteArrayInputStream(tail))), "void");
        assertThat(r.fault().message()).startsWith("yyyy").endsWith("(cut)").hasSizeLessThan(VimXmlReader.MAX_FAULT_TEXT + 16);
    }

    @Test
    void managedObjectIdsAreEscapedOnTheWire() throws Exception {
        try (VsphereHypervisor hv = connect(throughProxy(READ_TIMEOUT))) {
            assertThat(failure(hv.getVm(VmId.of("vm-2<i/>65")), Duration.ofSeconds(10))).isInstanceOf(NotFoundException.class);
            assertThat(failure(hv.getVm(VmId.of("vm-<&>")), Duration.ofSeconds(10))).isInstanceOf(NotFoundException.class);
            assertThat(failure(hv.stopVm(VmId.of("vm-\"'>"), StopSpec.hard()), Duration.ofSeconds(10))).isInstanceOf(NotFoundException.class);
        }
        List<String> bodies = proxy.bodies();
        assertThat(bodies).anyMatch(b -> b.contains(">vm-2&lt;i/&gt;65<")).noneMatch(b -> b.contains("vm-2<i/>65"));
        assertThat(bodies).anyMatch(b -> b.contains(">vm-&lt;&amp;&gt;<")).noneMatch(b -> b.contains("vm-<&>"));
    }
}
