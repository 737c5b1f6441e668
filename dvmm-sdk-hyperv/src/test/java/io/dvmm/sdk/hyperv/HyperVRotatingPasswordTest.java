package io.dvmm.sdk.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.simulator.hyperv.HyperVSimulator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rotating password on WinRM: the winrm4j client is built with the password read at connect time; when the host
 * refuses it (a 401, so nothing ran), the password is read again and, if it changed, a client with the new one
 * sends the command once more. Against the simulator over Basic, as the contract suite runs (every request carries
 * the password, so the first one after the rotation is refused); NTLM takes the same path when a new socket's
 * handshake is refused.
 */
class HyperVRotatingPasswordTest {
    private final HyperVSimulator sim = HyperVSimulator.builder().scripts(HyperVContractTest.catalog()).basic(true).build().start();

    @AfterEach
    void stop() {
        sim.close();
    }

    private HypervisorConfig config(String auth, Supplier<String> password) {
        return HypervisorConfig.builder(sim.sdkUri()).credentials(Credentials.password(sim.username(), password))
                .tls(TlsOptions.pinSha256(sim.certificateSha256()))
                .property(HyperVProvider.TEMPLATES_PATH, HyperVSimulator.TEMPLATES_FOLDER)
                .property(HyperVProvider.VM_ROOT, HyperVSimulator.VM_ROOT)
                .property(HyperVProvider.AUTH, auth).build();
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic"})
    void aRotatedPasswordIsPickedUpWhenTheHostRefusesTheOldOne(String auth) throws Exception {
        AtomicReference<String> current = new AtomicReference<>(sim.password());
        AtomicInteger reads = new AtomicInteger();
        Supplier<String> vault = () -> {
            reads.incrementAndGet();
            return current.get();
        };
        try (Hypervisor hv = Hypervisors.connect(config(auth, vault))) {
            await(hv.testConnection());
            await(hv.listVms());
            int afterLogin = reads.get();
            assertThat(afterLogin).as("one read for the one login").isEqualTo(1);

            sim.changePassword("Rotated-" + System.nanoTime());
            sim.dropShells();
            current.set(sim.password());
            await(hv.listVms());
            assertThat(reads).as("the next request is refused; read again once").hasValue(afterLogin + 1);
            await(hv.listVms());
            assertThat(reads).as("the new client carries on").hasValue(afterLogin + 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic"})
    void anUnchangedPasswordFailsTheCall(String auth) throws Exception {
        AtomicInteger reads = new AtomicInteger();
        try (Hypervisor hv = Hypervisors.connect(config(auth, () -> {
            reads.incrementAndGet();
            return "Not-The-Password";
        }))) {
            try {
                await(hv.testConnection());
                throw new AssertionError("the wrong password must fail");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(AuthenticationException.class).hasMessageNotContaining("Not-The-Password");
            }
            assertThat(reads).hasValue(2);
        }
    }
}
