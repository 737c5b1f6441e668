package io.dvmm.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.UnsupportedCapabilityException;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.inmemory.InMemoryCloud;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The in-memory provider's own behaviour: faults, auth, hung guests, and the JUnit extension. */
@WithInMemoryHypervisor(taskMillis = 20, ipDelayMillis = 30)
class InMemoryBehaviourTest {

    private static VmProvisionSpec spec(String name) {
        return VmProvisionSpec.builder().name(name).template("debian-12").nic(NicSpec.dhcp("vm-network")).powerOn(false).build();
    }

    @Test
    void theExtensionInjectsAFreshConnectedCloud(Hypervisor hv, InMemoryCloud cloud) {
        assertThat(hv.type()).isEqualTo("inmemory");
        assertThat(cloud.vmCount()).isZero();
        VmInfo vm = hv.createVm(spec("fresh")).join();
        assertThat(cloud.vmCount()).isEqualTo(1);
        assertThat(cloud.requestCount("createVm")).isEqualTo(1);
        assertThat(vm.disks()).singleElement().satisfies(d -> assertThat(d.sizeGiB()).isEqualTo(10));
    }

    @Test
    void injectedFailuresHitTheNextCallsOnly(Hypervisor hv, InMemoryCloud cloud) {
        cloud.faults().failNext("createVm", 2, op -> new io.dvmm.sdk.PermissionDeniedException("no VM.Allocate", ErrorContext.of("inmemory", op)));
        assertThatThrownBy(() -> hv.createVm(spec("a")).join()).hasCauseInstanceOf(io.dvmm.sdk.PermissionDeniedException.class);
        assertThatThrownBy(() -> hv.createVm(spec("a")).join()).hasCauseInstanceOf(io.dvmm.sdk.PermissionDeniedException.class);
        assertThat(hv.createVm(spec("a")).join().name()).isEqualTo("a");
        assertThat(cloud.vmCount()).isEqualTo(1);
    }

    @Test
    void aBusyCreateIsAskedAgainAndALostAnswerMakesNoSecondVm(Hypervisor hv, InMemoryCloud cloud) {
        cloud.faults().failNext("createVm", 2, op -> new BusyException("storage lock timeout", ErrorContext.of("inmemory", op)));
        assertThat(hv.createVm(spec("busy")).join().name()).isEqualTo("busy");
        assertThat(cloud.requestCount("createVm")).as("two refusals, then the create").isEqualTo(3);

        cloud.faults().loseAnswer("createVm", 1);
        VmInfo vm = hv.createVm(spec("lost")).join();
        assertThat(vm.name()).isEqualTo("lost");
        assertThat(cloud.requestCount("createVm")).as("the lost answer was found by its marker, not sent again").isEqualTo(4);
        assertThat(cloud.vmCount()).isEqualTo(2);
    }

    @Test
    void injectedLatencyCountsAgainstTheDeadline(Hypervisor hv, InMemoryCloud cloud) {
        cloud.faults().latency("createVm", Duration.ofMillis(300));
        assertThatThrownBy(() -> hv.createVm(spec("slow"), io.dvmm.sdk.OperationOptions.timeout(Duration.ofMillis(100))).join())
                .hasCauseInstanceOf(OperationTimeoutException.class);
        assertThat(cloud.vmCount()).as("nothing half-made stays").isZero();
    }

    @Test
    void aHungGuestTimesOutGracefullyThenIsPoweredOffWhenAsked(Hypervisor hv, InMemoryCloud cloud) {
        VmInfo vm = hv.createVm(spec("hung").toBuilder().powerOn(true).build()).join();
        cloud.faults().ignoreShutdown("hung");
        assertThatThrownBy(() -> hv.stopVm(vm.id(), StopSpec.graceful(Duration.ofMillis(50))).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(OperationTimeoutException.class);
        assertThat(hv.getVm(vm.id()).join().powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(hv.stopVm(vm.id(), StopSpec.gracefulThenHard(Duration.ofMillis(50))).join().powerState())
                .isEqualTo(PowerState.POWERED_OFF);
    }

    @Test
    void theGuestIpAppearsOnlyAWhileAfterPowerOn(Hypervisor hv) {
        VmInfo vm = hv.createVm(spec("ip").toBuilder().powerOn(true).build()).join();
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(vm.ipAddresses()).as("no IP right at power-on").isEmpty();
        assertThat(hv.waitForGuestIp(vm.id(), Duration.ofSeconds(5)).join().primaryIpAddress()).isPresent();
    }

    @Test
    @WithInMemoryHypervisor(disabledCapabilities = "CLONE_LINKED,SNAPSHOTS")
    void aLimitedEndpointSaysSoBeforeAnyRequest(Hypervisor hv, InMemoryCloud cloud) {
        assertThat(hv.capabilities().join()).doesNotContain(Capability.CLONE_LINKED, Capability.SNAPSHOTS);
        assertThatThrownBy(() -> hv.createVm(spec("l").toBuilder().cloneMode(io.dvmm.sdk.CloneMode.LINKED).build()).join())
                .hasCauseInstanceOf(UnsupportedCapabilityException.class);
        assertThat(cloud.totalRequests()).isZero();
    }

    @Test
    @WithInMemoryHypervisor(taskMillis = 60_000)
    void closingFailsPendingOperationsInsteadOfLeavingThemHanging(Hypervisor hv) {
        java.util.concurrent.CompletableFuture<VmInfo> pending = hv.createVm(spec("pending"));
        hv.close();
        assertThatThrownBy(() -> pending.get(10, java.util.concurrent.TimeUnit.SECONDS))
                .hasCauseInstanceOf(io.dvmm.sdk.UnavailableException.class).hasMessageContaining("closed");
    }

    @Test
    void credentialsAreChecked() {
        String uri = "inmemory:/auth-" + System.nanoTime();
        try (Hypervisor ok = Hypervisors.connect(uri, Credentials.password(InMemoryCloud.USERNAME, InMemoryCloud.PASSWORD));
             Hypervisor token = Hypervisors.connect(uri, Credentials.apiToken(InMemoryCloud.TOKEN_ID, InMemoryCloud.TOKEN_SECRET));
             Hypervisor bad = Hypervisors.connect(HypervisorConfig.builder(uri)
                     .credentials(Credentials.apiToken(InMemoryCloud.TOKEN_ID, "guess")).build())) {
            assertThat(ok.testConnection().join().product()).contains("in-memory");
            assertThat(token.listVms().join()).isEmpty();
            assertThatThrownBy(() -> bad.listVms().join()).hasCauseInstanceOf(AuthenticationException.class)
                    .hasMessageNotContaining("guess");
        } finally {
            InMemoryCloud.drop(uri.substring("inmemory:/".length()));
        }
    }
}
