package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.UserSession;
import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.UnsupportedCapabilityException;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.spi.TlsSupport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sessions (re-login, logout, typed login faults) and the standalone ESXi model. */
class VsphereSessionAndEsxiTest {

    @Test
    void standaloneEsxiCannotCloneAndCreateVmFailsTypedBeforeAnyClone() {
        try (Vcsim esx = Vcsim.esx(2); VsphereHypervisor hv = VcsimFixture.connect(esx)) {
            Set<Capability> caps = hv.capabilities().join();
            assertThat(caps).contains(Capability.POWER, Capability.LIST_VMS, Capability.SNAPSHOTS)
                    .doesNotContain(Capability.CLONE_FULL, Capability.CLONE_LINKED, Capability.GUEST_CUSTOMIZATION);
            long before = hv.transport().totalCalls();
            assertThatThrownBy(() -> hv.createVm(VmProvisionSpec.builder().name("esx-clone").template("any")
                    .nic(NicSpec.dhcp("VM Network")).build()).join())
                    .cause().isInstanceOf(UnsupportedCapabilityException.class)
                    .hasMessageContaining("ESXi")
                    .satisfies(e -> assertThat(((UnsupportedCapabilityException) e).capability()).isEqualTo(Capability.CLONE_FULL));
            assertThat(hv.transport().totalCalls()).as("no request for an unsupported operation").isEqualTo(before);
            assertThat(hv.transport().callCounts()).doesNotContainKey("CloneVM_Task");
            assertThat(hv.listVms().join()).hasSize(2);
        }
    }

    @Test
    void anExpiredSessionIsRenewedOnceAndTheCallRepeated() throws Exception {
        try (Vcsim sim = Vcsim.vcenter(1, 1, 2); VsphereHypervisor hv = VcsimFixture.connect(sim)) {
            int vms = hv.listVms().join().size();
            // A second session ends every other session, as an idle timeout would.
            TlsSupport.Material tls = TlsSupport.create(TlsOptions.pinSha256(sim.sha256()), "vsphere", sim.sdkUrl());
            VimSoapClient admin = new VimSoapClient(sim.sdkUrl(), tls.sslContext(), false, Duration.ofSeconds(5),
                    Duration.ofSeconds(10), null);
            VimConnection adminConn = new VimConnection(admin, sim.username(), sim.password());
            ManagedObjectReference sessionManager = adminConn.session().getSessionManager();
            List<ObjectContent> objects = new ArrayList<>();
            adminConn.retrieve(VimConnection.objectSpec(sessionManager, "sessionList", "currentSession"), 100, objects::add);
            Map<String, Object> props = VimCatalog.properties(objects.get(0));
            String mine = ((UserSession) props.get("currentSession")).getKey();
            List<String> others = new ArrayList<>();
            for (UserSession s : ((com.vmware.vim25.ArrayOfUserSession) props.get("sessionList")).getUserSession()) {
                if (!s.getKey().equals(mine)) {
                    others.add(s.getKey());
                }
            }
            assertThat(others).isNotEmpty();
            adminConn.call((s, c) -> {
                s.terminateSession(sessionManager, others.toArray(String[]::new));
                return null;
            });

            long logins = hv.transport().callCounts().getOrDefault("Login", 0L);
            assertThat(hv.listVms().join()).hasSize(vms);
            assertThat(hv.transport().callCounts().get("Login")).as("one re-login").isEqualTo(logins + 1);
            adminConn.logout();
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
        try (Vcsim sim = Vcsim.vcenter(1, 1, 1)) {
            VsphereHypervisor hv = VcsimFixture.connect(sim);
            hv.testConnection().join();
            hv.close();
            assertThat(hv.transport().callCounts()).containsEntry("Logout", 1L);
        }
    }
}
