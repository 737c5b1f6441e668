package io.dvmm.sdk.simulator.hyperv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * MD4 against RFC 1320 and the NTLMv2 computations against the worked example of MS-NLMP §4.2.4 (user "User", domain
 * "Domain", password "Password", server challenge 0123456789abcdef, client challenge aa×8, time 0, random session key
 * 55×16, flags with extended session security, key exchange and 128-bit).
 */
class NtlmCryptoTest {

    static final HexFormat HEX = HexFormat.of();
    static final byte[] SERVER_CHALLENGE = HEX.parseHex("0123456789abcdef");
    static final byte[] CLIENT_CHALLENGE = HEX.parseHex("aaaaaaaaaaaaaaaa");
    /** MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL. */
    static final byte[] AV_PAIRS = HEX.parseHex("02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000");
    static final byte[] RANDOM_SESSION_KEY = HEX.parseHex("55555555555555555555555555555555");
    static final int FLAGS = NtlmMessages.NEGOTIATE_EXTENDED_SESSIONSECURITY | NtlmMessages.NEGOTIATE_KEY_EXCH
            | NtlmMessages.NEGOTIATE_128 | NtlmMessages.NEGOTIATE_SEAL | NtlmMessages.NEGOTIATE_SIGN;

    @Test
    void md4MatchesRfc1320() {
        assertThat(HEX.formatHex(Md4.digest(new byte[0]))).isEqualTo("31d6cfe0d16ae931b73c59d7e0c089c0");
        assertThat(HEX.formatHex(Md4.digest("abc".getBytes(StandardCharsets.US_ASCII)))).isEqualTo("a448017aaf21d8525fc10ae87aa6729d");
        assertThat(HEX.formatHex(Md4.digest("message digest".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("d9130a8164549fe818874806e1c7014b");
        assertThat(HEX.formatHex(Md4.digest(("12345678901234567890123456789012345678901234567890123456789012345678901234567890")
                .getBytes(StandardCharsets.US_ASCII)))).isEqualTo("e33b4ddc9c38f2199c3e7b164fcc0536");
    }

    @Test
    void ntowfV1AndV2() {
        assertThat(HEX.formatHex(NtlmCrypto.ntowfV1("Password"))).isEqualTo("a4f49c406510bdcab6824ee7c30fd852");
        assertThat(HEX.formatHex(NtlmCrypto.ntowfV2("Password", "User", "Domain"))).isEqualTo("0c868a403bfd7a93a3001ef22ef02e3f");
        assertThat(NtlmCrypto.ntowfV2("Password", "user", "Domain")).as("the user name is upper-cased")
                .isEqualTo(NtlmCrypto.ntowfV2("Password", "USER", "Domain"));
    }

    @Test
    void ntProofStrSessionKeyAndEncryptedRandomSessionKey() {
        byte[] ntowf = NtlmCrypto.ntowfV2("Password", "User", "Domain");
        byte[] proof = NtlmCrypto.ntProof(ntowf, SERVER_CHALLENGE, NtlmCrypto.temp(0, CLIENT_CHALLENGE, AV_PAIRS));
        assertThat(HEX.formatHex(proof)).isEqualTo("68cd0ab851e51c96aabc927bebef6a1c");
        byte[] sessionBaseKey = NtlmCrypto.hmacMd5(ntowf, proof);
        assertThat(HEX.formatHex(sessionBaseKey)).isEqualTo("8de40ccadbc14a82f15cb0ad0de95ca3");
        assertThat(HEX.formatHex(NtlmCrypto.rc4Once(sessionBaseKey, RANDOM_SESSION_KEY)))
                .isEqualTo("c5dad2544fc9799094ce1ce90bc9d03e");
    }

    @Test
    void theServerUnsealsTheSpecificationsSealedMessage() throws Exception {
        NtlmSession server = new NtlmSession(RANDOM_SESSION_KEY, FLAGS);
        byte[] plain = server.unseal(HEX.parseHex("54e50165bf1936dc996020c1811b0f06fb5f"),
                HEX.parseHex("010000007fb38ec5c55d497600000000"));
        assertThat(new String(plain, StandardCharsets.UTF_16LE)).isEqualTo("Plaintext");
    }

    @Test
    void aTamperedOrReplayedMessageDoesNotVerify() {
        NtlmSession server = new NtlmSession(RANDOM_SESSION_KEY, FLAGS);
        assertThatThrownBy(() -> server.unseal(HEX.parseHex("54e50165bf1936dc996020c1811b0f06fb5e"),
                HEX.parseHex("010000007fb38ec5c55d497600000000"))).isInstanceOf(NtlmSession.BadSignature.class);
        NtlmSession other = new NtlmSession(RANDOM_SESSION_KEY, FLAGS);
        assertThatThrownBy(() -> other.unseal(HEX.parseHex("54e50165bf1936dc996020c1811b0f06fb5f"),
                HEX.parseHex("010000007fb38ec5c55d497601000000"))).as("sequence number 1 first")
                .isInstanceOf(NtlmSession.BadSignature.class);
    }

    @Test
    void whatTheServerSealsTheClientSideOpens() throws Exception {
        NtlmSession server = new NtlmSession(RANDOM_SESSION_KEY, FLAGS);
        NtlmTestClient.Sealer client = new NtlmTestClient.Sealer(RANDOM_SESSION_KEY, FLAGS);
        for (int i = 0; i < 3; i++) {
            byte[][] sealed = server.seal(("reply " + i).getBytes(StandardCharsets.UTF_8));
            assertThat(NtlmSession.littleEndian(sealed[1], 12)).isEqualTo(i);
            assertThat(new String(client.unsealFromServer(sealed[0], sealed[1]), StandardCharsets.UTF_8)).isEqualTo("reply " + i);
        }
    }
}
