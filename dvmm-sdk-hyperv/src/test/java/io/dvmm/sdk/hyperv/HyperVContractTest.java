package io.dvmm.sdk.hyperv;

import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.hyperv.internal.scripts.HyperVScript;
import io.dvmm.sdk.simulator.hyperv.HyperVSimulator;
import io.dvmm.sdk.simulator.hyperv.ScriptCatalog;
import io.dvmm.sdk.testkit.contract.HypervisorContract;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole contract suite against the WinRM simulator over HTTPS with its certificate pinned, Basic authentication,
 * fed the provider's own scripts ({@link HyperVSealedNtlmContractTest} runs it again with NTLM message encryption over
 * plain HTTP). After the run, no request may have broken a WS-Management rule or sent a script that is not one of the
 * provider's with only its argument filled in.
 */
class HyperVContractTest extends HypervisorContract {

    static ScriptCatalog catalog() {
        return ScriptCatalog.of(Arrays.stream(HyperVScript.values()).collect(Collectors.toMap(HyperVScript::operation,
                HyperVScript::template)));
    }

    final HyperVSimulator sim = simulator().build().start();

    /** @return the simulator this suite runs against (called once, while the instance is made) */
    HyperVSimulator.Builder simulator() {
        return HyperVSimulator.builder().scripts(catalog()).basic(true);
    }

    /** @return the connection's transport and authentication */
    HypervisorConfig.Builder transport(HypervisorConfig.Builder b) {
        return b.tls(TlsOptions.pinSha256(sim.certificateSha256())).property(HyperVProvider.AUTH, "basic");
    }

    @Override
    protected HypervisorConfig config() {
        return transport(HypervisorConfig.builder(sim.sdkUri()).credentials(Credentials.password(sim.username(), sim.password())))
                .property(HyperVProvider.TEMPLATES_PATH, HyperVSimulator.TEMPLATES_FOLDER)
                .property(HyperVProvider.VM_ROOT, HyperVSimulator.VM_ROOT)
                .property(HyperVProvider.POLL_INITIAL, "50").property(HyperVProvider.POLL_MAX, "300")
                .build();
    }

    @Override
    protected HypervisorConfig untrustedTlsConfig() {
        return config().toBuilder().tls(TlsOptions.systemTrust()).build();
    }

    @Override
    protected String forbiddenName() {
        return "ends-with-a-dot.";
    }

    @Override
    protected String templateName() {
        return "ubuntu-24.04";
    }

    @Override
    protected String networkName() {
        return HyperVSimulator.DEFAULT_SWITCH;
    }

    @Override
    protected String datastoreName() {
        return HyperVSimulator.VM_ROOT;
    }

    @Override
    protected long requestCount() {
        return sim.counts().values().stream().mapToLong(Long::longValue).sum();
    }

    @AfterAll
    void noRequestBrokeARuleThenStop() {
        try {
            if (!sim.violations().isEmpty()) {
                throw new AssertionError("WS-Man/script violations: " + sim.violations().list());
            }
        } finally {
            sim.close();
        }
    }
}
