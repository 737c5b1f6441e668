package io.dvmm.sdk.proxmox;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs token and ticket flows (including a failed login and a ticket expiry) with the provider
 * logging at DEBUG into a captured System.err (slf4j-simple, see the surefire configuration) and
 * proves that no token secret, password, ticket or CSRF token appears in logs or error messages.
 */
class SecretsNeverLoggedTest {

    @Test
    void secretsAppearNeitherInLogsNorInErrors() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> errors = new ArrayList<>();
        PrintStream original = System.err;
        try (ProxmoxSimulator sim = ProxmoxSimulator.builder().taskDuration(Duration.ofMillis(30)).build().start()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                try (Hypervisor token = Hypervisors.connect(SimulatorConfigs.token(sim).build())) {
                    VmInfo vm = get(token.createVm(VmProvisionSpec.builder().name("secret-1").template(sim.templateName())
                            .nic(NicSpec.dhcp(sim.networkName())).waitForIp(true)
                            .guest(GuestCustomization.builder().username("ops").sshKey("ssh-ed25519 AAAAC3Nz ops@x").build())
                            .build()));
                    get(token.deleteVm(vm.id()));
                }
                try (Hypervisor password = Hypervisors.connect(SimulatorConfigs.password(sim).build())) {
                    get(password.listVms());
                    sim.expireTickets();
                    get(password.inventory());
                }
                try (Hypervisor wrong = Hypervisors.connect(SimulatorConfigs.password(sim)
                        .credentials(Credentials.password(sim.username(), sim.password() + "-typo")).build())) {
                    errors.add(failure(wrong.listVms()));
                }
                try (Hypervisor wrongToken = Hypervisors.connect(SimulatorConfigs.token(sim)
                        .credentials(Credentials.apiToken(sim.apiTokenId(), sim.apiTokenSecret() + "x")).build())) {
                    errors.add(failure(wrongToken.testConnection()));
                }
            } finally {
                System.setErr(original);
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            assertThat(log).as("the capture works: provider DEBUG lines are in it").contains("GET /cluster/resources");
            assertThat(sim.issuedTicketSecrets()).hasSizeGreaterThanOrEqualTo(4);
            List<String> secrets = new ArrayList<>(List.of(sim.apiTokenSecret(), sim.password()));
            sim.issuedTicketSecrets().forEach(s -> secrets.add(s.substring(Math.max(0, s.length() - 20))));
            for (String secret : secrets) {
                assertThat(log).doesNotContain(secret);
                for (String error : errors) {
                    assertThat(error).doesNotContain(secret);
                }
            }
            assertThat(errors).allMatch(e -> e.contains("authentication"));
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
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
