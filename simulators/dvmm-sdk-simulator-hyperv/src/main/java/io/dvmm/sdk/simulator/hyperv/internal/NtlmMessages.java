package io.dvmm.sdk.simulator.hyperv.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The three NTLM messages of MS-NLMP §2.2.1: NEGOTIATE and AUTHENTICATE read, CHALLENGE written. */
final class NtlmMessages {

    static final int NEGOTIATE_UNICODE = 0x00000001;
    static final int NEGOTIATE_OEM = 0x00000002;
    static final int REQUEST_TARGET = 0x00000004;
    static final int NEGOTIATE_SIGN = 0x00000010;
    static final int NEGOTIATE_SEAL = 0x00000020;
    static final int NEGOTIATE_NTLM = 0x00000200;
    static final int NEGOTIATE_ALWAYS_SIGN = 0x00008000;
    static final int TARGET_TYPE_SERVER = 0x00020000;
    static final int NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x00080000;
    static final int NEGOTIATE_TARGET_INFO = 0x00800000;
    static final int NEGOTIATE_VERSION = 0x02000000;
    static final int NEGOTIATE_128 = 0x20000000;
    static final int NEGOTIATE_KEY_EXCH = 0x40000000;
    static final int NEGOTIATE_56 = 0x80000000;

    static final int AV_EOL = 0;
    static final int AV_NB_COMPUTER = 1;
    static final int AV_NB_DOMAIN = 2;
    static final int AV_DNS_COMPUTER = 3;
    static final int AV_DNS_DOMAIN = 4;
    static final int AV_FLAGS = 6;
    static final int AV_TIMESTAMP = 7;
    static final int AV_CHANNEL_BINDINGS = 10;

    private static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);

    /** A malformed message. */
    static final class Malformed extends Exception {
        Malformed(String why) {
            super(why, null, false, false);
        }
    }

    /** What the server reads from an AUTHENTICATE message. */
    record Authenticate(byte[] lmResponse, byte[] ntResponse, String domain, String user, String workstation,
                        byte[] encryptedRandomSessionKey, int flags, byte[] mic, int micOffset) {
    }

    private NtlmMessages() {
    }

    /** The negotiate flags of a NEGOTIATE message. */
    static int negotiateFlags(byte[] m) throws Malformed {
        header(m, 1, 32);
        return NtlmSession.littleEndian(m, 12);
    }

    /** The message type (1, 2 or 3) of an NTLMSSP token, or 0 when it is not one. */
    static int type(byte[] m) {
        if (m.length < 12 || !Arrays.equals(Arrays.copyOf(m, 8), SIGNATURE)) {
            return 0;
        }
        return NtlmSession.littleEndian(m, 8);
    }

    /**
     * A CHALLENGE answering a NEGOTIATE with {@code clientFlags}: the flags both support, the server challenge, the
     * host as target name and target info (with a timestamp, so clients add a MIC).
     */
    static byte[] challenge(int clientFlags, byte[] serverChallenge, String host, long fileTime) {
        int flags = REQUEST_TARGET | NEGOTIATE_NTLM | NEGOTIATE_ALWAYS_SIGN | TARGET_TYPE_SERVER | NEGOTIATE_TARGET_INFO
                | NEGOTIATE_VERSION;
        flags |= clientFlags & (NEGOTIATE_UNICODE | NEGOTIATE_SIGN | NEGOTIATE_SEAL | NEGOTIATE_EXTENDED_SESSIONSECURITY
                | NEGOTIATE_128 | NEGOTIATE_56 | NEGOTIATE_KEY_EXCH);
        if ((flags & NEGOTIATE_UNICODE) == 0) {
            flags |= NEGOTIATE_OEM;
        }
        byte[] target = (flags & NEGOTIATE_UNICODE) != 0 ? NtlmCrypto.utf16(host) : host.getBytes(StandardCharsets.US_ASCII);
        Map<Integer, byte[]> av = new LinkedHashMap<>();
        av.put(AV_NB_DOMAIN, NtlmCrypto.utf16(host));
        av.put(AV_NB_COMPUTER, NtlmCrypto.utf16(host));
        av.put(AV_DNS_DOMAIN, NtlmCrypto.utf16(host));
        av.put(AV_DNS_COMPUTER, NtlmCrypto.utf16(host));
        byte[] time = new byte[8];
        for (int i = 0; i < 8; i++) {
            time[i] = (byte) (fileTime >>> (8 * i));
        }
        av.put(AV_TIMESTAMP, time);
        byte[] info = avPairs(av);
        byte[] m = new byte[56 + target.length + info.length];
        System.arraycopy(SIGNATURE, 0, m, 0, 8);
        put32(m, 8, 2);
        fields(m, 12, target.length, 56);
        put32(m, 20, flags);
        System.arraycopy(serverChallenge, 0, m, 24, 8);
        fields(m, 40, info.length, 56 + target.length);
        // Version: Windows 10.0 build 20348 (Server 2022), NTLM revision 15.
        m[48] = 10;
        m[49] = 0;
        m[50] = (byte) 0x7c;
        m[51] = (byte) 0x4f;
        m[55] = 15;
        System.arraycopy(target, 0, m, 56, target.length);
        System.arraycopy(info, 0, m, 56 + target.length, info.length);
        return m;
    }

    static Authenticate authenticate(byte[] m) throws Malformed {
        header(m, 3, 64);
        int flags = NtlmSession.littleEndian(m, 60);
        boolean unicode = (flags & NEGOTIATE_UNICODE) != 0;
        int firstPayload = Integer.MAX_VALUE;
        for (int f = 12; f <= 52; f += 8) {
            if (length16(m, f) > 0) {
                firstPayload = Math.min(firstPayload, NtlmSession.littleEndian(m, f + 4));
            }
        }
        byte[] mic = null;
        if (firstPayload >= 88 && m.length >= 88) {
            mic = Arrays.copyOfRange(m, 72, 88);
        }
        return new Authenticate(field(m, 12), field(m, 20), string(field(m, 28), unicode), string(field(m, 36), unicode),
                string(field(m, 44), unicode), field(m, 52), flags, mic, 72);
    }

    /** The AV pairs of a target info or NTLMv2 client blob, by id (the last of a repeated id wins). */
    static Map<Integer, byte[]> parseAvPairs(byte[] b, int offset) throws Malformed {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        int o = offset;
        while (o + 4 <= b.length) {
            int id = (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
            int len = (b[o + 2] & 0xff) | (b[o + 3] & 0xff) << 8;
            if (id == AV_EOL) {
                return out;
            }
            if (o + 4 + len > b.length) {
                throw new Malformed("an AV pair runs past the end");
            }
            out.put(id, Arrays.copyOfRange(b, o + 4, o + 4 + len));
            o += 4 + len;
        }
        throw new Malformed("the AV pairs have no MsvAvEOL");
    }

    static byte[] avPairs(Map<Integer, byte[]> pairs) {
        int n = 4;
        for (byte[] v : pairs.values()) {
            n += 4 + v.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (Map.Entry<Integer, byte[]> e : pairs.entrySet()) {
            out[o] = (byte) (int) e.getKey();
            out[o + 1] = (byte) (e.getKey() >>> 8);
            out[o + 2] = (byte) e.getValue().length;
            out[o + 3] = (byte) (e.getValue().length >>> 8);
            System.arraycopy(e.getValue(), 0, out, o + 4, e.getValue().length);
            o += 4 + e.getValue().length;
        }
        return out;
    }

    private static void header(byte[] m, int type, int minLength) throws Malformed {
        if (m.length < minLength || type(m) != type) {
            throw new Malformed("not an NTLM type " + type + " message");
        }
    }

    private static int length16(byte[] m, int o) {
        return (m[o] & 0xff) | (m[o + 1] & 0xff) << 8;
    }

    private static byte[] field(byte[] m, int o) throws Malformed {
        int len = length16(m, o);
        int off = NtlmSession.littleEndian(m, o + 4);
        if (len == 0) {
            return new byte[0];
        }
        if (off < 0 || off + len > m.length) {
            throw new Malformed("a field runs past the end of the message");
        }
        return Arrays.copyOfRange(m, off, off + len);
    }

    private static String string(byte[] b, boolean unicode) {
        return new String(b, unicode ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
    }

    private static void fields(byte[] m, int o, int length, int offset) {
        m[o] = (byte) length;
        m[o + 1] = (byte) (length >>> 8);
        m[o + 2] = (byte) length;
        m[o + 3] = (byte) (length >>> 8);
        put32(m, o + 4, offset);
    }

    private static void put32(byte[] m, int o, int v) {
        System.arraycopy(NtlmSession.le(v), 0, m, o, 4);
    }
}
