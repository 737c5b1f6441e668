package io.dvmm.sdk.proxmox;

import static io.dvmm.sdk.proxmox.SimulatorConfigs.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rotating secrets over the real transport: the password is read at each ticket login, the token
 * when first needed and after a 401; a refusal after a rotation reads the secret once more and
 * tries once more only when it changed. Counted at the simulator.
 */
class ProxmoxRotatingSecretsTest {
    private static final String TICKET = "/access/ticket";
    private final ProxmoxSimulator sim = ProxmoxSimulator.builder().nodes(1).loginFailureDelay(Duration.ZERO).build().start();

    @AfterEach
    void stop() {
        sim.close();
    }

    /** A vault: the current value, a script of stale answers first, and a count of reads. */
    static final class Vault implements Supplier<String> {
        final AtomicReference<String> current;
        final AtomicInteger reads = new AtomicInteger();
        final Deque<String> stale = new ArrayDeque<>();

        Vault(String value) {
            current = new AtomicReference<>(value);
        }

        @Override
        public synchronized String get() {
            reads.incrementAndGet();
            return stale.isEmpty() ? current.get() : stale.poll();
        }
    }

    private Hypervisor connect(Credentials c) {
        return Hypervisors.connect(SimulatorConfigs.password(sim).credentials(c).build());
    }

    @Test
    void aRotatedPasswordIsPickedUpOnTheNextLogin() {
        Vault vault = new Vault(sim.password());
        try (Hypervisor hv = connect(Credentials.password(sim.username(), vault))) {
            assertThat(vault.reads).hasValue(0);
            await(hv.listVms());
            await(hv.listVms());
            assertThat(vault.reads).hasValue(1);
            assertThat(sim.requestCount("POST", TICKET)).isEqualTo(1);

            sim.changePassword("rotated-" + System.nanoTime());
            vault.current.set(sim.password());
            sim.expireTickets();                               // the session ends: the next request hears 401
            await(hv.listVms());
            assertThat(vault.reads).as("the new login read the rotated password").hasValue(2);
            assertThat(sim.requestCount("POST", TICKET)).isEqualTo(2);
        }
    }

    @Test
    void aLoginRefusedAfterARotationReadsThePasswordOnceMore() {
        Vault vault = new Vault(sim.password());
        try (Hypervisor hv = connect(Credentials.password(sim.username(), vault))) {
            await(hv.listVms());
            String old = sim.password();
            sim.changePassword("rotated-" + System.nanoTime());
            vault.current.set(sim.password());
            vault.stale.add(old);                              // the vault's cache answers the old one once more
            sim.expireTickets();
            await(hv.listVms());
            assertThat(vault.reads).hasValue(3);
            assertThat(sim.requestCount("POST", TICKET)).as("first, refused, then with the re-read password").isEqualTo(3);
        }
    }

    @Test
    void anUnchangedPasswordIsNotSentTwice() {
        Vault vault = new Vault("not-the-password");
        try (Hypervisor hv = connect(Credentials.password(sim.username(), vault))) {
            assertThatThrownBy(() -> await(hv.listVms())).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(AuthenticationException.class);
            assertThat(vault.reads).hasValue(2);
            assertThat(sim.requestCount("POST", TICKET)).isEqualTo(1);
        }
    }

    @Test
    void aRotatedTokenIsReadAgainAfterA401AndTheRequestSentOnceMore() {
        Vault vault = new Vault(sim.apiTokenSecret());
        try (Hypervisor hv = connect(Credentials.apiToken(sim.apiTokenId(), vault))) {
            await(hv.testConnection());
            await(hv.listVms());
            assertThat(vault.reads).as("the token header is kept while it works").hasValue(1);
            sim.changeTokenSecret("rotated-token-" + System.nanoTime());
            vault.current.set(sim.apiTokenSecret());
            long before = sim.requestCount("GET", "/cluster/resources");
            await(hv.listVms());
            assertThat(vault.reads).hasValue(2);
            assertThat(sim.requestCount("GET", "/cluster/resources") - before).as("refused once, then sent with the new secret")
                    .isEqualTo(2);
        }
        assertThat(sim.issuedTicketSecrets()).isEmpty();
    }

    @Test
    void anUnchangedTokenIsNotResent() {
        Vault vault = new Vault("00000000-0000-0000-0000-000000000000");
        try (Hypervisor hv = connect(Credentials.apiToken(sim.apiTokenId(), vault))) {
            long before = sim.totalRequests();
            assertThatThrownBy(() -> await(hv.testConnection())).hasCauseInstanceOf(AuthenticationException.class);
            assertThat(sim.totalRequests() - before).isEqualTo(1);
            assertThat(vault.reads).hasValue(2);
        }
    }
}
