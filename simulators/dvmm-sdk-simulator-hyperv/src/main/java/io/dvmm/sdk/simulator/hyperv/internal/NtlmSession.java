package io.dvmm.sdk.simulator.hyperv.internal;

import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * The server side of NTLM session security with extended session security (MS-NLMP §3.4.4.2, §3.4.5): the signing
 * and sealing keys of both directions, their running RC4 handles and sequence numbers. One per authenticated
 * connection; messages must arrive in order, as WinRM sends them.
 */
final class NtlmSession {

    /** Thrown when a sealed message does not verify. */
    static final class BadSignature extends Exception {
        BadSignature(String why) {
            super(why, null, false, false);
        }
    }

    private final boolean keyExchange;
    private final byte[] clientSignKey;
    private final byte[] serverSignKey;
    private final Cipher clientHandle;
    private final Cipher serverHandle;
    private int receiveSequence;
    private int sendSequence;

    NtlmSession(byte[] exportedSessionKey, int flags) {
        this.keyExchange = (flags & NtlmMessages.NEGOTIATE_KEY_EXCH) != 0;
        this.clientSignKey = NtlmCrypto.md5(exportedSessionKey,
                NtlmCrypto.magic("session key to client-to-server signing key magic constant"));
        this.serverSignKey = NtlmCrypto.md5(exportedSessionKey,
                NtlmCrypto.magic("session key to server-to-client signing key magic constant"));
        byte[] sealBase = sealKeyBase(exportedSessionKey, flags);
        this.clientHandle = NtlmCrypto.rc4(NtlmCrypto.md5(sealBase,
                NtlmCrypto.magic("session key to client-to-server sealing key magic constant")));
        this.serverHandle = NtlmCrypto.rc4(NtlmCrypto.md5(sealBase,
                NtlmCrypto.magic("session key to server-to-client sealing key magic constant")));
    }

    private static byte[] sealBase(byte[] key, int length) {
        return Arrays.copyOf(key, length);
    }

    private static byte[] sealKeyBase(byte[] key, int flags) {
        if ((flags & NtlmMessages.NEGOTIATE_128) != 0) {
            return sealBase(key, 16);
        }
        return (flags & NtlmMessages.NEGOTIATE_56) != 0 ? sealBase(key, 7) : sealBase(key, 5);
    }

    /** Unseals a message from the client and checks its 16-byte signature (version, checksum, sequence number). */
    synchronized byte[] unseal(byte[] sealed, byte[] signature) throws BadSignature {
        if (signature.length != 16 || signature[0] != 1 || signature[1] != 0 || signature[2] != 0 || signature[3] != 0) {
            throw new BadSignature("the signature is not a 16-byte NTLMSSP_MESSAGE_SIGNATURE version 1");
        }
        byte[] plain = update(clientHandle, sealed);
        byte[] checksum = Arrays.copyOfRange(signature, 4, 12);
        if (keyExchange) {
            checksum = update(clientHandle, checksum);
        }
        int seq = littleEndian(signature, 12);
        if (seq != receiveSequence) {
            throw new BadSignature("sequence number " + seq + ", expected " + receiveSequence);
        }
        byte[] expected = Arrays.copyOf(NtlmCrypto.hmacMd5(clientSignKey, NtlmCrypto.concat(le(seq), plain)), 8);
        if (!MessageDigest.isEqual(expected, checksum)) {
            throw new BadSignature("the message checksum does not verify");
        }
        receiveSequence++;
        return plain;
    }

    /** Seals a message to the client: the sealed bytes and their signature. */
    synchronized byte[][] seal(byte[] plain) {
        int seq = sendSequence++;
        byte[] sealed = update(serverHandle, plain);
        byte[] checksum = Arrays.copyOf(NtlmCrypto.hmacMd5(serverSignKey, NtlmCrypto.concat(le(seq), plain)), 8);
        if (keyExchange) {
            checksum = update(serverHandle, checksum);
        }
        return new byte[][] {sealed, NtlmCrypto.concat(new byte[] {1, 0, 0, 0}, checksum, le(seq))};
    }

    private static byte[] update(Cipher handle, byte[] data) {
        byte[] out = handle.update(data);
        return out == null ? new byte[0] : out;
    }

    static byte[] le(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    static int littleEndian(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }
}
