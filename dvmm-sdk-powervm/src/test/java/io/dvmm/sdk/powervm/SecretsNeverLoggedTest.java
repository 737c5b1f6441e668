package io.dvmm.sdk.powervm;

import static io.dvmm.sdk.powervm.SimulatorConfigs.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.powervm.PowerVmSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs logons, a create with a config drive, an expired API session, a refused password and a
 * close with the provider logging at DEBUG into a captured System.err (slf4j-simple, see the
 * surefire configuration) and proves that neither the password nor any API session token the
 * HMC issued appears in the logs, in error messages or in the configuration's {@code toString()}.
 */
class SecretsNeverLoggedTest {

    @Test
    void thePasswordAndTheSessionTokensAppearNeitherInLogsNorInErrors() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> errors = new ArrayList<>();
        PrintStream original = System.err;
        try (PowerVmSimulator sim = SimulatorConfigs.simulator().start()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                try (Hypervisor hv = Hypervisors.connect(SimulatorConfigs.config(sim).build())) {
                    String network = await(hv.inventory()).networks().get(0).name();
                    VmInfo vm = await(hv.createVm(VmProvisionSpec.builder().name("secret-1").template(PowerVmSimulator.SSP_TEMPLATE)
                            .cloneMode(CloneMode.LINKED).nic(NicSpec.dhcp(network)).powerOn(true).waitForIp(true)
                            .guest(GuestCustomization.builder().username("ops").sshKey("ssh-ed25519 AAAAC3Nz ops@x").build())
                            .build()));
                    sim.expireSessions();
                    await(hv.listVms());
                    await(hv.deleteVm(vm.id()));
                    errors.add(SimulatorConfigs.config(sim).build().toString());
                }
                try (Hypervisor wrong = Hypervisors.connect(SimulatorConfigs.config(sim)
                        .credentials(Credentials.password(sim.username(), sim.password() + "-typo")).build())) {
                    errors.add(failure(wrong.listVms()));
                    errors.add(failure(wrong.testConnection()));
                }
            } finally {
                System.setErr(original);
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            assertThat(log).as("the capture works: provider DEBUG lines are in it").contains("DEBUG")
                    .contains("GET /rest/api/uom/ManagedSystem");
            assertThat(sim.issuedSessionTokens()).hasSizeGreaterThanOrEqualTo(2);
            List<String> secrets = new ArrayList<>(List.of(sim.password()));
            sim.issuedSessionTokens().forEach(t -> secrets.add(t.substring(t.length() - 24)));
            for (String secret : secrets) {
                assertThat(log).doesNotContain(secret);
                for (String error : errors) {
                    assertThat(error).doesNotContain(secret);
                }
            }
            assertThat(errors.get(1)).contains("authentication");
        }
    }

    private static String failure(CompletableFuture<?> f) {
        try {
            f.get(60, TimeUnit.SECONDS);
            return "no failure";
        } catch (Exception e) {
            return e.getCause() == null ? e.toString() : e.getCause().toString();
        }
    }
}
