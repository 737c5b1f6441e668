package io.dvmm.sdk.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.simulator.hyperv.HyperVSimulator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a connection claims, and the processor settings: the spec's {@code cpuCount} is the VM's processor count
 * ({@code ProcessorCount} of {@code New-VM}/{@code Set-VM}, {@code Set-VMProcessor -Count}); what Hyper-V cannot give
 * is refused with {@link InvalidSpecException} on {@code cpuCount} — locally where the rule is the SDK's to know (64
 * for generation 1), else as the host says (no more than its logical processors), and nothing is left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HyperVCapabilitiesTest {

    private HyperVSimulator sim;
    private Hypervisor hv;

    @BeforeAll
    void start() {
        sim = HyperVSimulator.builder().scripts(HyperVContractTest.catalog()).basic(true).build().start();
        hv = Hypervisors.connect(HypervisorConfig.builder(sim.sdkUri())
                .credentials(Credentials.password(sim.username(), sim.password()))
                .tls(TlsOptions.pinSha256(sim.certificateSha256())).property(HyperVProvider.AUTH, "basic")
                .property(HyperVProvider.TEMPLATES_PATH, HyperVSimulator.TEMPLATES_FOLDER)
                .property(HyperVProvider.VM_ROOT, HyperVSimulator.VM_ROOT).build());
    }

    @AfterAll
    void stop() {
        hv.close();
        sim.violations().assertNone();
        sim.close();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static InvalidSpecException refused(CompletableFuture<?> f) throws Exception {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidSpecException i) {
                return i;
            }
            throw new AssertionError("expected InvalidSpecException", e.getCause());
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void theConnectionClaimsWhatTheProviderDeclaresAndNoTaskCancelling() throws Exception {
        assertThat(await(hv.capabilities())).isEqualTo(HyperVProvider.CAPABILITIES).doesNotContain(Capability.CANCEL_TASK);
    }

    @Test
    void moreProcessorsThanAGenerationOneVmCanHaveAreRefusedBeforeAnyRequest() throws Exception {
        long before = sim.counts().values().stream().mapToLong(Long::longValue).sum();
        InvalidSpecException e = refused(hv.createVm(VmProvisionSpec.builder().name("cpu-gen1").template("ubuntu-24.04")
                .cpuCount(65).providerOptions(HyperVOptions.builder().generation(1).build()).build()));
        assertThat(e.field()).isEqualTo("cpuCount");
        assertThat(sim.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(before);
    }

    @Test
    void moreProcessorsThanTheHostHasAreRefusedOnCpuCountAndLeaveNothing() throws Exception {
        InvalidSpecException e = refused(hv.createVm(VmProvisionSpec.builder().name("cpu-many").template("ubuntu-24.04")
                .cpuCount(32).build()));
        assertThat(e.field()).isEqualTo("cpuCount");
        assertThat(e.getMessage()).contains("virtual processors");
        assertThat(sim.vmsNamed("cpu-many")).isEmpty();

        VmInfo vm = await(hv.createVm(VmProvisionSpec.builder().name("cpu-ok").template("ubuntu-24.04").cpuCount(4).powerOn(false).build()));
        assertThat(vm.cpuCount()).isEqualTo(4);
        assertThat(sim.vm(vm.id().value()).orElseThrow().cpu()).isEqualTo(4);
        InvalidSpecException r = refused(hv.reconfigureVm(vm.id(), VmReconfigureSpec.builder().cpuCount(32).build()));
        assertThat(r.field()).isEqualTo("cpuCount");
        assertThat(sim.vm(vm.id().value()).orElseThrow().cpu()).isEqualTo(4);
        assertThat(await(hv.reconfigureVm(vm.id(), VmReconfigureSpec.builder().cpuCount(8).build())).cpuCount()).isEqualTo(8);
    }
}
