package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import com.vmware.vim25.ArrayOfUserSession;
import com.vmware.vim25.ServiceContent;
import com.vmware.vim25.UserSession;
import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.UnsupportedCapabilityException;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.vsphere.VsphereProvider;
import io.dvmm.sdk.vsphere.internal.VimSession.Scope;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sessions (re-login for requests and for the update dispatcher, logout, typed login faults), properties, standalone ESXi. */
class VsphereSessionAndEsxiTest {

    @Test
    void standaloneEsxiCannotCloneAndCreateVmFailsTypedBeforeAnyClone() {
        RequestCounter requests = new RequestCounter();
        try (Vcsim esx = Vcsim.esx(2); VsphereHypervisor hv = VcsimFixture.connect(esx, requests)) {
            Set<Capability> caps = hv.capabilities().join();
            assertThat(caps).isEqualTo(VsphereHypervisor.ESXI_CAPABILITIES)
                    .doesNotContain(Capability.CLONE_FULL, Capability.CLONE_LINKED, Capability.GUEST_CUSTOMIZATION);
            long before = requests.total();
            assertThatThrownBy(() -> hv.createVm(VmProvisionSpec.builder().name("esx-clone").template("any")
                    .nic(NicSpec.dhcp("VM Network")).build()).join())
                    .cause().isInstanceOf(UnsupportedCapabilityException.class)
                    .satisfies(e -> assertThat(((UnsupportedCapabilityException) e).capability()).isEqualTo(Capability.CLONE_FULL));
            assertThat(requests.total()).as("no request for an unsupported operation").isEqualTo(before);
            assertThat(requests.counts()).doesNotContainKey("CloneVM_Task");
            assertThat(hv.listVms().join()).hasSize(2);
        }
    }

    /** Ends every session of the simulator but the admin connection's own, as an idle timeout would. */
    private static void endOtherSessions(VsphereHypervisor admin) {
        ServiceContent c = admin.port().content().join();
        Map<String, Object> props = admin.retrieve(Scope.of("test"), c.getSessionManager(), "sessionList", "currentSession").join();
        String mine = ((UserSession) props.get("currentSession")).getKey();
        List<String> others = new ArrayList<>();
        for (UserSession s : ((ArrayOfUserSession) props.get("sessionList")).getUserSession()) {
            if (!s.getKey().equals(mine)) {
                others.add(s.getKey());
            }
        }
        assertThat(others).isNotEmpty();
        admin.port().session().call(Scope.of("test"), new VimClient.Call("TerminateSession", c.getSessionManager(),
                List.of(new VimXmlWriter.Arg("sessionId", String[].class, others.toArray(String[]::new))), "void", false, false)).join();
    }

    @Test
    void anExpiredSessionIsRenewedOnceAndTheCallRepeated() {
        RequestCounter requests = new RequestCounter();
        try (Vcsim sim = Vcsim.vcenter(1, 1, 2); VsphereHypervisor hv = VcsimFixture.connect(sim, requests);
             VsphereHypervisor admin = VcsimFixture.connect(sim)) {
            int vms = hv.listVms().join().size();
            admin.testConnection().join();
            endOtherSessions(admin);
            long logins = requests.counts().getOrDefault("Login", 0L);
            assertThat(hv.listVms().join()).hasSize(vms);
            assertThat(requests.counts().get("Login")).as("one re-login").isEqualTo(logins + 1);
        }
    }

    @Test
    void aWaitSurvivesTheSessionEndingUnderItsLongPoll() {
        RequestCounter requests = new RequestCounter();
        try (Vcsim sim = Vcsim.vcenter(1, 1, 2);
             VsphereHypervisor hv = (VsphereHypervisor) Hypervisors.connect(VcsimFixture.config(sim, requests)
                     .readTimeout(Duration.ofSeconds(4)).build());
             VsphereHypervisor admin = VcsimFixture.connect(sim)) {
            VmInfo vm = hv.listVms().join().stream().filter(v -> v.powerState() == PowerState.POWERED_ON).findFirst().orElseThrow();
            CompletableFuture<VmInfo> off = hv.waitForState(vm.id(), PowerState.POWERED_OFF, Duration.ofSeconds(60));
            while (requests.counts().getOrDefault("WaitForUpdatesEx", 0L) < 1) {
                Thread.onSpinWait();
            }
            admin.testConnection().join();
            endOtherSessions(admin);
            long collectors = requests.counts().getOrDefault("CreatePropertyCollector", 0L);
            // The next long poll hears NotAuthenticated: one re-login, a new collector and filter, and the wait goes on.
            while (requests.counts().getOrDefault("CreatePropertyCollector", 0L) == collectors && !off.isDone()) {
                Thread.onSpinWait();
            }
            assertThat(off).isNotDone();
            admin.stopVm(vm.id(), StopSpec.hard()).join();
            assertThat(off.join().powerState()).isEqualTo(PowerState.POWERED_OFF);
            assertThat(requests.counts()).containsEntry("Login", 2L).containsEntry("CreatePropertyCollector", 2L);
        }
    }

    @Test
    void aRotatingPasswordIsReadAtEachLoginAndOnceMoreAfterARefusal() {
        RequestCounter requests = new RequestCounter();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Deque<String> stale = new java.util.ArrayDeque<>(List.of("stale-password"));
        try (Vcsim sim = Vcsim.vcenter(1, 1, 1);
             Hypervisor hv = Hypervisors.connect(VcsimFixture.config(sim, requests).credentials(Credentials.password(sim.username(),
                     () -> {
                         reads.incrementAndGet();
                         return stale.isEmpty() ? sim.password() : stale.poll();
                     })).build());
             VsphereHypervisor admin = VcsimFixture.connect(sim)) {
            assertThat(reads).as("nothing is read before the first login").hasValue(0);
            hv.testConnection().join();
            // The vault answered a stale password first: refused, read once more, logged in with the fresh one.
            assertThat(reads).hasValue(2);
            assertThat(requests.counts()).containsEntry("Login", 2L);
            hv.listVms().join();
            assertThat(reads).as("the session carries the calls").hasValue(2);
            admin.testConnection().join();
            endOtherSessions(admin);
            hv.listVms().join();
            assertThat(reads).as("the re-login after the session ended read the password again").hasValue(3);
        }
    }

    @Test
    void wrongPasswordIsAnAuthenticationErrorThatNeverShowsTheSecret() {
        try (Vcsim sim = Vcsim.vcenter(1, 1, 1);
             Hypervisor hv = Hypervisors.connect(VcsimFixture.config(sim, TlsOptions.pinSha256(sim.sha256()))
                     .credentials(Credentials.password(sim.username(), "s3cr3t-wrong")).build())) {
            assertThatThrownBy(() -> hv.testConnection().join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("InvalidLogin")
                    .hasMessageNotContaining("s3cr3t-wrong");
        }
    }

    @Test
    void closeLogsOut() {
        RequestCounter requests = new RequestCounter();
        try (Vcsim sim = Vcsim.vcenter(1, 1, 1)) {
            VsphereHypervisor hv = VcsimFixture.connect(sim, requests);
            hv.testConnection().join();
            hv.close();
            assertThat(requests.counts()).containsEntry("Logout", 1L);
        }
    }

    @Test
    void providerPropertiesAreDeclaredAndCheckedBeforeAnyRequest() {
        assertThat(new VsphereProvider().properties()).extracting(p -> p.key()).containsExactly("vsphere.keepaliveSeconds");
        for (String bad : List.of("0", "-5", "abc", "1801")) {
            assertThatThrownBy(() -> Hypervisors.connect(io.dvmm.sdk.HypervisorConfig.builder("vsphere://127.0.0.1:1/sdk")
                    .credentials(Credentials.password("u", "p")).property("vsphere.keepaliveSeconds", bad).build()))
                    .isInstanceOf(InvalidSpecException.class)
                    .satisfies(e -> assertThat(((InvalidSpecException) e).field()).isEqualTo("properties.vsphere.keepaliveSeconds"));
        }
        assertThatThrownBy(() -> Hypervisors.connect(io.dvmm.sdk.HypervisorConfig.builder("vsphere://127.0.0.1:1/sdk")
                .credentials(Credentials.password("u", "p")).property("vsphere.keepAliveSeconds", "60").build()))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("vsphere.keepAliveSeconds");
        Hypervisors.connect(io.dvmm.sdk.HypervisorConfig.builder("vsphere://127.0.0.1:1/sdk")
                .credentials(Credentials.password("u", "p")).property("vsphere.keepaliveSeconds", "60").build()).close();
    }
}
