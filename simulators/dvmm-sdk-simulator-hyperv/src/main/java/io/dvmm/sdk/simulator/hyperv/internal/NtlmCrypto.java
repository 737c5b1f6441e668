package io.dvmm.sdk.simulator.hyperv.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The NTLMv2 computations of MS-NLMP §3.3.2 and §3.4.5 a server needs: NTOWFv2, the NTProofStr, the session keys and
 * the RC4 handles of message sealing. HMAC-MD5, MD5 and RC4 are the JDK's; MD4 is {@link Md4}.
 */
final class NtlmCrypto {

    private NtlmCrypto() {
    }

    static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    /** NTOWFv1: MD4 of the UTF-16LE password (the "NT hash"). */
    static byte[] ntowfV1(String password) {
        return Md4.digest(utf16(password));
    }

    /** NTOWFv2 = HMAC_MD5(NTOWFv1(password), UNICODE(Uppercase(user) + domain)). */
    static byte[] ntowfV2(String password, String user, String domain) {
        return hmacMd5(ntowfV1(password), utf16(user.toUpperCase(Locale.ROOT) + domain));
    }

    /** NTProofStr = HMAC_MD5(NTOWFv2, serverChallenge + temp), where temp is the client's blob. */
    static byte[] ntProof(byte[] ntowfV2, byte[] serverChallenge, byte[] temp) {
        return hmacMd5(ntowfV2, concat(serverChallenge, temp));
    }

    /** The temp blob of an NTLMv2 response (MS-NLMP §3.3.2): version, time, client challenge, AV pairs. */
    static byte[] temp(long time, byte[] clientChallenge, byte[] avPairs) {
        byte[] t = new byte[28 + avPairs.length + 4];
        t[0] = 1;
        t[1] = 1;
        for (int i = 0; i < 8; i++) {
            t[8 + i] = (byte) (time >>> (8 * i));
        }
        System.arraycopy(clientChallenge, 0, t, 16, 8);
        System.arraycopy(avPairs, 0, t, 28, avPairs.length);
        return t;
    }

    static byte[] hmacMd5(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] md5(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stateful RC4 handle: each {@code update} continues the key stream, as NTLM sealing needs. */
    static Cipher rc4(byte[] key) {
        try {
            Cipher c = Cipher.getInstance("ARCFOUR");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no RC4 (ARCFOUR) cipher", e);
        }
    }

    /** RC4 of one message with a fresh key (EncryptedRandomSessionKey). */
    static byte[] rc4Once(byte[] key, byte[] data) {
        return rc4(key).update(data);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static byte[] magic(String constant) {
        return (constant + "\0").getBytes(StandardCharsets.US_ASCII);
    }
}
