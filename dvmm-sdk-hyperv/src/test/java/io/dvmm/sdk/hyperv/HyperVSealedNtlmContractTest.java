package io.dvmm.sdk.hyperv;

import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.simulator.hyperv.HyperVSimulator;

/**
 * The contract suite a second time: NTLM over plain HTTP ({@code hyperv://127.0.0.1:<port>}, {@code http}), every
 * message sealed with NTLM message encryption, against a simulator that refuses unencrypted SOAP over HTTP
 * (AllowUnencrypted=false, as Windows) and has Basic off. No TLS here, so no untrusted-certificate case.
 */
class HyperVSealedNtlmContractTest extends HyperVContractTest {

    @Override
    HyperVSimulator.Builder simulator() {
        return HyperVSimulator.builder().scripts(catalog()).tls(false).basic(false).ntlm(true).allowUnencrypted(false);
    }

    @Override
    HypervisorConfig.Builder transport(HypervisorConfig.Builder b) {
        return b.property(HyperVProvider.TRANSPORT, "http").property(HyperVProvider.AUTH, "ntlm");
    }

    @Override
    protected HypervisorConfig untrustedTlsConfig() {
        return null;
    }
}
