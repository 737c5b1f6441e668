package io.dvmm.sdk.simulator.hyperv.internal;

/**
 * MD4 (RFC 1320), which NTLM needs for the NT hash of the password. The JDK has it only as an unregistered internal
 * class, so it is written out here: three rounds of sixteen steps over 512-bit blocks, little-endian.
 */
final class Md4 {

    private Md4() {
    }

    static byte[] digest(byte[] message) {
        int blocks = (message.length + 8) / 64 + 1;
        byte[] padded = new byte[blocks * 64];
        System.arraycopy(message, 0, padded, 0, message.length);
        padded[message.length] = (byte) 0x80;
        long bits = (long) message.length * 8;
        for (int i = 0; i < 8; i++) {
            padded[padded.length - 8 + i] = (byte) (bits >>> (8 * i));
        }
        int a = 0x67452301;
        int b = 0xefcdab89;
        int c = 0x98badcfe;
        int d = 0x10325476;
        int[] x = new int[16];
        for (int block = 0; block < blocks; block++) {
            for (int i = 0; i < 16; i++) {
                int o = block * 64 + i * 4;
                x[i] = (padded[o] & 0xff) | (padded[o + 1] & 0xff) << 8 | (padded[o + 2] & 0xff) << 16 | (padded[o + 3] & 0xff) << 24;
            }
            int aa = a;
            int bb = b;
            int cc = c;
            int dd = d;
            int[] s1 = {3, 7, 11, 19};
            for (int i = 0; i < 16; i++) {
                int f = (b & c) | (~b & d);
                int t = Integer.rotateLeft(a + f + x[i], s1[i % 4]);
                a = d;
                d = c;
                c = b;
                b = t;
            }
            int[] s2 = {3, 5, 9, 13};
            int[] order2 = {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15};
            for (int i = 0; i < 16; i++) {
                int g = (b & c) | (b & d) | (c & d);
                int t = Integer.rotateLeft(a + g + x[order2[i]] + 0x5a827999, s2[i % 4]);
                a = d;
                d = c;
                c = b;
                b = t;
            }
            int[] s3 = {3, 9, 11, 15};
            int[] order3 = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
            for (int i = 0; i < 16; i++) {
                int h = b ^ c ^ d;
                int t = Integer.rotateLeft(a + h + x[order3[i]] + 0x6ed9eba1, s3[i % 4]);
                a = d;
                d = c;
                c = b;
                b = t;
            }
            a += aa;
            b += bb;
            c += cc;
            d += dd;
        }
        byte[] out = new byte[16];
        int[] words = {a, b, c, d};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                out[i * 4 + j] = (byte) (words[i] >>> (8 * j));
            }
        }
        return out;
    }
}
