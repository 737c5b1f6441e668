package io.dvmm.sdk.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.simulator.hyperv.HyperVSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A rotating password on each authentication path, against the WinRM simulator: the credentials' supplier (a vault)
 * is read at each login and never at connect, where Basic logs in with every request and NTLM once per new TCP
 * connection (its handshake); a login refused after a rotation reads it once more and, if it changed, sends that
 * request once more; an unchanged answer fails with {@link AuthenticationException} without a second try. Counted
 * exactly, at the vault and at the simulator. {@link HyperVSimulator#closeConnections()} ends the host's keep-alive,
 * as its idle timeout would, so that NTLM has to authenticate a new connection; every test also checks that no
 * password reaches the log (the provider logs at DEBUG in tests) or an error message.
 */
class HyperVRotatingPasswordTest {

    /** The authentication paths, and how many logins the first command and a listVms on a reused shell cost. */
    enum Path {
        /** Basic over HTTPS: every request (Create, Command, Receive, Signal) carries the password. */
        BASIC_HTTPS(4, 3),
        /** NTLM over HTTPS: one handshake for the connection, none for the requests after it. */
        NTLM_HTTPS(1, 0),
        /** NTLM sealed over plain HTTP: one handshake for the channel's connection. */
        SEALED_NTLM_HTTP(1, 0);

        final int firstCommand;
        final int listVms;

        Path(int firstCommand, int listVms) {
            this.firstCommand = firstCommand;
            this.listVms = listVms;
        }

        boolean basic() {
            return this == BASIC_HTTPS;
        }
    }

    /** A vault: the current value, a script of stale answers first, and a count of reads. */
    static final class Vault implements Supplier<String> {
        final AtomicReference<String> current;
        final AtomicInteger reads = new AtomicInteger();
        final Deque<String> stale = new ArrayDeque<>();
        final AtomicBoolean failing = new AtomicBoolean();

        Vault(String value) {
            current = new AtomicReference<>(value);
        }

        @Override
        public synchronized String get() {
            reads.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("vault sealed");
            }
            return stale.isEmpty() ? current.get() : stale.poll();
        }
    }

    private HyperVSimulator sim;
    private final List<String> secrets = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;

    private void start(Path path) {
        HyperVSimulator.Builder b = HyperVSimulator.builder().scripts(HyperVContractTest.catalog()).vms(2);
        sim = switch (path) {
            case BASIC_HTTPS -> b.basic(true).build().start();
            case NTLM_HTTPS -> b.basic(false).build().start();
            case SEALED_NTLM_HTTP -> b.tls(false).basic(false).allowUnencrypted(false).build().start();
        };
        secrets.add(sim.password());
        originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        if (originalErr != null) {
            System.setErr(originalErr);
        }
        String written = log.toString(StandardCharsets.UTF_8);
        for (String secret : secrets) {
            assertThat(written).as("the log").doesNotContain(secret);
            assertThat(errors).as("the errors").noneMatch(e -> e.contains(secret));
        }
        if (sim != null) {
            sim.violations().assertNone();
            sim.close();
        }
    }

    private Hypervisor connect(Path path, Credentials credentials) {
        HypervisorConfig.Builder b = HypervisorConfig.builder(sim.sdkUri()).credentials(credentials).retry(RetryPolicy.none());
        switch (path) {
            case BASIC_HTTPS -> b.tls(TlsOptions.pinSha256(sim.certificateSha256())).property(HyperVProvider.AUTH, "basic");
            case NTLM_HTTPS -> b.tls(TlsOptions.pinSha256(sim.certificateSha256())).property(HyperVProvider.AUTH, "ntlm");
            case SEALED_NTLM_HTTP -> b.property(HyperVProvider.TRANSPORT, "http").property(HyperVProvider.AUTH, "ntlm");
        }
        return Hypervisors.connect(b.build());
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    /** Waits for the call to fail; records its message (and its causes') for the secrets check. */
    private Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(f));
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            errors.add(String.valueOf(t.getMessage()));
            errors.add(t.toString());
        }
        return e.getCause();
    }

    private String rotate() {
        String next = "Rotated-" + System.nanoTime() + "!";
        sim.changePassword(next);
        secrets.add(next);
        return next;
    }

    private long refusals() {
        return sim.count(HyperVSimulator.UNAUTHORIZED);
    }

    /** NTLM handshakes the host saw: each answers its negotiate and the request before it with a 401. */
    private int handshakes() {
        return (int) (refusals() / 2);
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void thePasswordIsReadAtEachLoginAndNeverAtConnect(Path path) throws Exception {
        start(path);
        Vault vault = new Vault(sim.password());
        try (Hypervisor hv = connect(path, Credentials.password(sim.username(), vault))) {
            assertThat(vault.reads).as("connecting sends nothing and reads nothing").hasValue(0);
            await(hv.testConnection());
            if (path.basic()) {
                assertThat(vault.reads).as("the first command's logins").hasValue(path.firstCommand);
            } else {
                // One handshake per TCP connection; a loaded machine may have the pool open a second one meanwhile.
                assertThat(vault.reads.get()).as("the first command's logins: one read per handshake").isEqualTo(handshakes())
                        .isGreaterThanOrEqualTo(path.firstCommand);
            }
            await(hv.listVms());
            await(hv.listVms());
            if (path.basic()) {
                assertThat(vault.reads).as("Basic: one per request").hasValue(path.firstCommand + 2 * path.listVms);
                assertThat(refusals()).as("Basic is sent pre-emptively, never refused").isZero();
            } else {
                assertThat(vault.reads.get()).as("NTLM: an authenticated connection is not read again; one read per handshake")
                        .isEqualTo(handshakes());
                assertThat(refusals()).as("a handshake's two 401s, nothing else refused").isEven();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aRotatedPasswordIsReadAtTheNextLogin(Path path) throws Exception {
        start(path);
        Vault vault = new Vault(sim.password());
        try (Hypervisor hv = connect(path, Credentials.password(sim.username(), vault))) {
            await(hv.testConnection());
            int before = vault.reads.get();
            long refused = refusals();

            vault.current.set(rotate());
            sim.closeConnections();
            assertThat(await(hv.listVms())).hasSize(2);
            if (path.basic()) {
                assertThat(vault.reads.get() - before).as("Basic: its three requests").isEqualTo(3);
                assertThat(refusals() - refused).as("nothing refused").isZero();
                await(hv.listVms());
                assertThat(vault.reads.get() - before).isEqualTo(6);
            } else {
                long newHandshakes = (refusals() - refused) / 2;
                assertThat(newHandshakes).as("the closed connection is authenticated anew").isGreaterThanOrEqualTo(1);
                assertThat((long) (vault.reads.get() - before)).as("one read per new handshake").isEqualTo(newHandshakes);
                assertThat(refusals() - refused).as("nothing refused but the handshakes' own 401s").isEven();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aLoginRefusedAfterARotationReadsThePasswordOnceMoreAndSendsTheRequestOnceMore(Path path) throws Exception {
        start(path);
        Vault vault = new Vault(sim.password());
        try (Hypervisor hv = connect(path, Credentials.password(sim.username(), vault))) {
            await(hv.testConnection());
            int before = vault.reads.get();
            long refused = refusals();
            long commands = sim.count(HyperVSimulator.COMMAND);

            String old = sim.password();
            vault.current.set(rotate());
            vault.stale.add(old);                   // the vault's cache answers the old password once more
            sim.closeConnections();
            assertThat(await(hv.listVms())).hasSize(2);
            // Basic: the Command refused, read again, sent again; then Receive and Signal. NTLM: the new connection's
            // handshake (the Receive's) refused, read again, authenticated with it.
            if (path.basic()) {
                assertThat(vault.reads.get() - before).isEqualTo(4);
                assertThat(refusals() - refused).as("the refused login").isEqualTo(1);
            } else {
                // The refused handshake (three 401s) and the good one (two), plus any further connection the pool opened
                // meanwhile on a loaded machine: two 401s and one read each.
                long extra = (refusals() - refused - 5) / 2;
                assertThat(refusals() - refused).as("the refused login and both handshakes' 401s").isGreaterThanOrEqualTo(5)
                        .isOdd();
                assertThat((long) (vault.reads.get() - before)).as("the refused read, the re-read, one per further handshake")
                        .isEqualTo(2 + extra);
            }
            assertThat(sim.count(HyperVSimulator.COMMAND) - commands).as("the command reached the host once").isEqualTo(1);
            assertThat(sim.scriptCount("list-vms")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aSupplierStillAnsweringTheOldPasswordFailsAfterExactlyOneReRead(Path path) throws Exception {
        start(path);
        Vault vault = new Vault(sim.password());
        try (Hypervisor hv = connect(path, Credentials.password(sim.username(), vault))) {
            await(hv.testConnection());
            int before = vault.reads.get();
            long refused = refusals();
            long creates = sim.count(HyperVSimulator.CREATE);

            String rotated = rotate();              // the host's password changed; the vault does not know yet
            sim.closeConnections();
            sim.dropShells();                       // the shell is gone too: NTLM logs in for a Create
            Throwable e = failure(hv.listVms());
            assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageContaining("read once more")
                    .hasMessageContaining(sim.username());
            assertThat(((AuthenticationException) e).serverCode()).hasValue("401");
            assertThat(vault.reads.get() - before).as("the login's read and one re-read").isEqualTo(2);
            assertThat(refusals() - refused).as("one refused login: nothing sent twice with the refused password")
                    .isEqualTo(path.basic() ? 1 : 3);
            assertThat(sim.scriptCount("list-vms")).isZero();

            vault.current.set(rotated);             // the vault catches up: the same connection carries on
            before = vault.reads.get();
            long refusedAfterFailure = refusals();
            assertThat(await(hv.listVms())).hasSize(2);
            // Basic: the kept shell's Command hears "shell not found"; Create, Command, Receive, Signal on a new one.
            // NTLM: one handshake.
            if (path.basic()) {
                assertThat(vault.reads.get() - before).isEqualTo(5);
            } else {
                assertThat((long) (vault.reads.get() - before)).as("one read per handshake the host saw")
                        .isEqualTo((refusals() - refusedAfterFailure) / 2).isGreaterThanOrEqualTo(1);
            }
            assertThat(sim.count(HyperVSimulator.CREATE) - creates).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aReReadPasswordTheHostRefusesTooEndsAfterTheOneResend(Path path) throws Exception {
        start(path);
        secrets.add("Also-Wrong");
        Vault vault = new Vault("Also-Wrong");
        vault.stale.add("Not-The-Password");
        secrets.add("Not-The-Password");
        try (Hypervisor hv = connect(path, Credentials.password(sim.username(), vault))) {
            Throwable e = failure(hv.testConnection());
            assertThat(e).isInstanceOf(AuthenticationException.class);
            assertThat(((AuthenticationException) e).serverCode()).hasValue("401");
            assertThat(vault.reads).as("the login's read and one re-read, however it ends").hasValue(2);
            assertThat(refusals()).as("two refused logins: the first and the one resend").isEqualTo(path.basic() ? 2 : 6);
            assertThat(sim.count(HyperVSimulator.CREATE)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aWrongPasswordFromTheStartIsRefusedOnceAndReadTwice(Path path) throws Exception {
        start(path);
        secrets.add("Not-The-Password");
        Vault vault = new Vault("Not-The-Password");
        try (Hypervisor hv = connect(path, Credentials.password(sim.username(), vault))) {
            Throwable e = failure(hv.testConnection());
            assertThat(e).isInstanceOf(AuthenticationException.class);
            assertThat(vault.reads).hasValue(2);
            assertThat(refusals()).isEqualTo(path.basic() ? 1 : 3);
            assertThat(sim.count(HyperVSimulator.CREATE)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aHeldPasswordTheHostRefusesIsNotSentTwice(Path path) throws Exception {
        start(path);
        secrets.add("Held-Wrong-Password");
        try (Hypervisor hv = connect(path, Credentials.password(sim.username(), "Held-Wrong-Password"))) {
            Throwable e = failure(hv.testConnection());
            assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageContaining("not sent again");
            assertThat(refusals()).isEqualTo(path.basic() ? 1 : 3);
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void aFailingSupplierFailsTheCallTypedAndTheConnectionRecovers(Path path) throws Exception {
        start(path);
        Vault vault = new Vault(sim.password());
        vault.failing.set(true);
        try (Hypervisor hv = connect(path, Credentials.password(sim.username(), vault))) {
            Throwable e = failure(hv.testConnection());
            assertThat(e).isInstanceOf(UnavailableException.class).hasMessageContaining("secret supplier")
                    .hasMessageNotContaining("vault sealed");
            assertThat(sim.count(HyperVSimulator.CREATE)).isZero();
            vault.failing.set(false);
            await(hv.testConnection());
            assertThat(await(hv.listVms())).hasSize(2);
        }
    }
}
