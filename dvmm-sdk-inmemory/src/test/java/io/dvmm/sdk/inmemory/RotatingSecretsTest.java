package io.dvmm.sdk.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.UnavailableException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Secrets from a supplier: asked at each login, never held, read once more after a refused login. */
class RotatingSecretsTest {
    private final String name = "rotation-" + UUID.randomUUID();
    private final InMemoryCloud cloud = InMemoryCloud.named(name);

    @AfterEach
    void drop() {
        InMemoryCloud.drop(name);
    }

    /** A vault: answers the current value and counts how often it was asked. */
    static final class Vault implements Supplier<String> {
        final AtomicReference<String> current;
        final AtomicInteger reads = new AtomicInteger();
        final Deque<String> scripted = new ArrayDeque<>();

        Vault(String value) {
            this.current = new AtomicReference<>(value);
        }

        @Override
        public synchronized String get() {
            reads.incrementAndGet();
            return scripted.isEmpty() ? current.get() : scripted.poll();
        }
    }

    private Hypervisor connect(Credentials credentials) {
        return Hypervisors.connect(HypervisorConfig.builder("inmemory:/" + name).credentials(credentials)
                .property("inmemory.taskMillis", "10").build());
    }

    private static HypervisorException failure(Runnable call) {
        try {
            call.run();
        } catch (CompletionException e) {
            return (HypervisorException) e.getCause();
        }
        throw new AssertionError("the call did not fail");
    }

    @Test
    void aRotatedPasswordIsPickedUpOnTheNextLogin() {
        Vault vault = new Vault(InMemoryCloud.PASSWORD);
        try (Hypervisor hv = connect(Credentials.password(InMemoryCloud.USERNAME, vault))) {
            assertThat(vault.reads).hasValue(0);          // nothing is read before it is needed
            hv.listVms().join();
            hv.listVms().join();
            assertThat(vault.reads).hasValue(1);          // one login, one read: the session carries the calls
            assertThat(cloud.logins()).isEqualTo(1);

            cloud.changePassword("rotated-1");
            vault.current.set("rotated-1");
            hv.listVms().join();                          // the session still stands: no login, no read
            assertThat(vault.reads).hasValue(1);

            cloud.expireSessions();
            hv.listVms().join();                          // the next login reads the rotated password
            assertThat(vault.reads).hasValue(2);
            assertThat(cloud.logins()).isEqualTo(2);
        }
    }

    @Test
    void aLoginRefusedAfterARotationReadsTheSecretOnceMore() {
        Vault vault = new Vault(InMemoryCloud.PASSWORD);
        try (Hypervisor hv = connect(Credentials.password(InMemoryCloud.USERNAME, vault))) {
            hv.listVms().join();
            cloud.changePassword("rotated-2");
            cloud.expireSessions();
            vault.current.set("rotated-2");
            vault.scripted.add(InMemoryCloud.PASSWORD);   // the vault's cache still answers the old one once
            hv.listVms().join();
            assertThat(vault.reads).hasValue(3);          // first login, refused login, the one re-read
            assertThat(cloud.logins()).isEqualTo(3);
        }
    }

    @Test
    void anUnchangedSecretIsNotSentTwice() {
        Vault vault = new Vault("wrong-password");
        try (Hypervisor hv = connect(Credentials.password(InMemoryCloud.USERNAME, vault))) {
            HypervisorException e = failure(() -> hv.listVms().join());
            assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageNotContaining("wrong-password");
            assertThat(vault.reads).hasValue(2);          // read once more after the refusal...
            assertThat(cloud.logins()).isEqualTo(1);      // ...but the same secret is not tried again (lockouts count)
        }
    }

    @Test
    void aStaticPasswordIsNotReadAgain() {
        try (Hypervisor hv = connect(Credentials.password(InMemoryCloud.USERNAME, "wrong-password"))) {
            assertThat(failure(() -> hv.listVms().join())).isInstanceOf(AuthenticationException.class);
            assertThat(cloud.logins()).isEqualTo(1);
        }
    }

    @Test
    void aRotatedTokenIsPickedUpToo() {
        Vault vault = new Vault(InMemoryCloud.TOKEN_SECRET);
        try (Hypervisor hv = connect(Credentials.apiToken(InMemoryCloud.TOKEN_ID, vault))) {
            hv.testConnection().join();
            cloud.changeTokenSecret("token-2");
            vault.current.set("token-2");
            cloud.expireSessions();
            hv.testConnection().join();
            assertThat(vault.reads).hasValue(2);
        }
    }

    @Test
    void aFailingOrEmptySupplierFailsTheCallTypedAndWithoutItsMessage() {
        Supplier<String> broken = () -> {
            throw new IllegalStateException("vault sealed; token s.abc123 expired");
        };
        try (Hypervisor hv = connect(Credentials.password(InMemoryCloud.USERNAME, broken))) {
            HypervisorException e = failure(() -> hv.listVms().join());
            assertThat(e).isInstanceOf(UnavailableException.class).hasMessageContaining("IllegalStateException")
                    .hasMessageNotContaining("s.abc123");
            assertThat(e.retryable()).isTrue();
        }
        try (Hypervisor hv = connect(Credentials.password(InMemoryCloud.USERNAME, () -> ""))) {
            assertThat(failure(() -> hv.listVms().join())).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("answered no secret");
        }
    }

    @Test
    void toStringNeverShowsASecretNorAsksForIt() {
        Vault vault = new Vault("hunter2-rotating");
        Credentials c = Credentials.password("admin", vault);
        HypervisorConfig config = HypervisorConfig.builder("inmemory:/" + name).credentials(c).build();
        for (String text : List.of(c.toString(), config.toString(), config.toProperties().toString(),
                Credentials.apiToken("admin!sdk", vault).toString())) {
            assertThat(text).doesNotContain("hunter2");
        }
        assertThat(c.toString()).contains("password=****", "rotating");
        assertThat(config.toString()).contains("password=****");
        assertThat(vault.reads).hasValue(0);
        assertThat(c).isEqualTo(c).isNotEqualTo(Credentials.password("admin", () -> "hunter2-rotating"));
    }
}
