package io.dvmm.sdk.simulator.hyperv.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;

/** The client half of NTLMv2 for the tests: NEGOTIATE, AUTHENTICATE (with MIC and key exchange) and client sealing. */
final class NtlmTestClient {

    static final int FLAGS = NtlmMessages.NEGOTIATE_UNICODE | NtlmMessages.REQUEST_TARGET | NtlmMessages.NEGOTIATE_SIGN
            | NtlmMessages.NEGOTIATE_SEAL | NtlmMessages.NEGOTIATE_NTLM | NtlmMessages.NEGOTIATE_ALWAYS_SIGN
            | NtlmMessages.NEGOTIATE_EXTENDED_SESSIONSECURITY | NtlmMessages.NEGOTIATE_TARGET_INFO
            | NtlmMessages.NEGOTIATE_VERSION | NtlmMessages.NEGOTIATE_128 | NtlmMessages.NEGOTIATE_KEY_EXCH
            | NtlmMessages.NEGOTIATE_56;

    byte[] negotiate;
    byte[] exportedSessionKey;
    int flags;

    byte[] negotiate() {
        negotiate = new byte[32];
        System.arraycopy("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII), 0, negotiate, 0, 8);
        negotiate[8] = 1;
        System.arraycopy(NtlmSession.le(FLAGS), 0, negotiate, 12, 4);
        return negotiate;
    }

    /** AUTHENTICATE for {@code challenge}; {@code tamperMic} spoils the MIC after computing it. */
    byte[] authenticate(byte[] challenge, String user, String domain, String password, boolean tamperMic) throws Exception {
        flags = NtlmSession.littleEndian(challenge, 20);
        byte[] serverChallenge = Arrays.copyOfRange(challenge, 24, 32);
        int infoLen = (challenge[40] & 0xff) | (challenge[41] & 0xff) << 8;
        int infoOff = NtlmSession.littleEndian(challenge, 44);
        Map<Integer, byte[]> av = NtlmMessages.parseAvPairs(Arrays.copyOfRange(challenge, infoOff, infoOff + infoLen), 0);
        Map<Integer, byte[]> mine = new LinkedHashMap<>(av);
        mine.put(NtlmMessages.AV_FLAGS, NtlmSession.le(2));
        byte[] clientChallenge = new byte[8];
        new SecureRandom().nextBytes(clientChallenge);
        long time = 0;
        byte[] ts = av.get(NtlmMessages.AV_TIMESTAMP);
        for (int i = 7; i >= 0; i--) {
            time = time << 8 | (ts[i] & 0xff);
        }
        byte[] temp = NtlmCrypto.temp(time, clientChallenge, NtlmMessages.avPairs(mine));
        byte[] ntowf = NtlmCrypto.ntowfV2(password, user, domain);
        byte[] proof = NtlmCrypto.ntProof(ntowf, serverChallenge, temp);
        byte[] nt = NtlmCrypto.concat(proof, temp);
        byte[] sessionBaseKey = NtlmCrypto.hmacMd5(ntowf, proof);
        exportedSessionKey = new byte[16];
        new SecureRandom().nextBytes(exportedSessionKey);
        byte[] encryptedKey = NtlmCrypto.rc4Once(sessionBaseKey, exportedSessionKey);
        byte[] lm = new byte[24];
        byte[] dom = NtlmCrypto.utf16(domain);
        byte[] usr = NtlmCrypto.utf16(user);
        byte[] ws = NtlmCrypto.utf16("TESTBOX");
        int off = 88;
        byte[] m = new byte[off + lm.length + nt.length + dom.length + usr.length + ws.length + encryptedKey.length];
        System.arraycopy("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII), 0, m, 0, 8);
        m[8] = 3;
        int o = off;
        o = field(m, 12, lm, o);
        o = field(m, 20, nt, o);
        o = field(m, 28, dom, o);
        o = field(m, 36, usr, o);
        o = field(m, 44, ws, o);
        field(m, 52, encryptedKey, o);
        System.arraycopy(NtlmSession.le(flags), 0, m, 60, 4);
        byte[] mic = NtlmCrypto.hmacMd5(exportedSessionKey, NtlmCrypto.concat(negotiate, challenge, m));
        if (tamperMic) {
            mic[0] ^= 1;
        }
        System.arraycopy(mic, 0, m, 72, 16);
        return m;
    }

    private static int field(byte[] m, int at, byte[] data, int offset) {
        m[at] = (byte) data.length;
        m[at + 1] = (byte) (data.length >>> 8);
        m[at + 2] = m[at];
        m[at + 3] = m[at + 1];
        System.arraycopy(NtlmSession.le(offset), 0, m, at + 4, 4);
        System.arraycopy(data, 0, m, offset, data.length);
        return offset + data.length;
    }

    Sealer sealer() {
        return new Sealer(exportedSessionKey, flags);
    }

    /** The client's sealing: client-to-server keys out, server-to-client keys in. */
    static final class Sealer {
        private final byte[] signOut;
        private final byte[] signIn;
        private final Cipher out;
        private final Cipher in;
        private int outSeq;
        private int inSeq;

        Sealer(byte[] key, int flags) {
            signOut = NtlmCrypto.md5(key, NtlmCrypto.magic("session key to client-to-server signing key magic constant"));
            signIn = NtlmCrypto.md5(key, NtlmCrypto.magic("session key to server-to-client signing key magic constant"));
            out = NtlmCrypto.rc4(NtlmCrypto.md5(key, NtlmCrypto.magic("session key to client-to-server sealing key magic constant")));
            in = NtlmCrypto.rc4(NtlmCrypto.md5(key, NtlmCrypto.magic("session key to server-to-client sealing key magic constant")));
        }

        byte[][] seal(byte[] plain) {
            int seq = outSeq++;
            byte[] sealed = out.update(plain);
            byte[] checksum = out.update(Arrays.copyOf(NtlmCrypto.hmacMd5(signOut, NtlmCrypto.concat(NtlmSession.le(seq), plain)), 8));
            return new byte[][] {sealed, NtlmCrypto.concat(new byte[] {1, 0, 0, 0}, checksum, NtlmSession.le(seq))};
        }

        byte[] unsealFromServer(byte[] sealed, byte[] signature) {
            byte[] plain = in.update(sealed);
            byte[] checksum = in.update(Arrays.copyOfRange(signature, 4, 12));
            byte[] expected = Arrays.copyOf(NtlmCrypto.hmacMd5(signIn, NtlmCrypto.concat(NtlmSession.le(inSeq++), plain)), 8);
            if (!MessageDigest.isEqual(expected, checksum)) {
                throw new AssertionError("the server's signature does not verify");
            }
            return plain;
        }
    }
}
