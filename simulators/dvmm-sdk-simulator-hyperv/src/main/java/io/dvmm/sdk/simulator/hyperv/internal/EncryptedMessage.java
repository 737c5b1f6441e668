package io.dvmm.sdk.simulator.hyperv.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code multipart/encrypted} body of MS-WSMV §2.2.9.1.1 (HTTP-SPNEGO-session-encrypted) that carries a
 * sealed SOAP envelope over plain HTTP: a part naming the original type and length, then a part holding the 4-byte
 * signature length, the NTLM signature and the sealed envelope.
 */
final class EncryptedMessage {

    static final String PROTOCOL = "application/HTTP-SPNEGO-session-encrypted";
    static final String CONTENT_TYPE = "multipart/encrypted;protocol=\"" + PROTOCOL + "\";boundary=\"Encrypted Boundary\"";
    private static final String BOUNDARY = "--Encrypted Boundary\r\n";
    private static final String END = "--Encrypted Boundary--\r\n";
    private static final String OCTETS = "\tContent-Type: application/octet-stream\r\n";
    private static final Pattern LENGTH = Pattern.compile("Length=(\\d+)");

    /** A body that is not a well-formed encrypted message, or does not verify. */
    static final class Unreadable extends Exception {
        Unreadable(String why) {
            super(why, null, false, false);
        }
    }

    private EncryptedMessage() {
    }

    static boolean isEncrypted(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/encrypted");
    }

    /** The SOAP envelope inside {@code body}, unsealed and verified. */
    static byte[] open(byte[] body, NtlmSession session) throws Unreadable {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        if (!text.startsWith(BOUNDARY)) {
            throw new Unreadable("the body does not start with --Encrypted Boundary");
        }
        int second = text.indexOf(BOUNDARY, BOUNDARY.length());
        if (second < 0) {
            throw new Unreadable("no second part");
        }
        String head = text.substring(BOUNDARY.length(), second);
        if (!head.contains(PROTOCOL)) {
            throw new Unreadable("the first part is not " + PROTOCOL);
        }
        Matcher m = LENGTH.matcher(head);
        if (!m.find()) {
            throw new Unreadable("the first part has no OriginalContent Length");
        }
        int length = Integer.parseInt(m.group(1));
        int start = second + BOUNDARY.length();
        if (!text.startsWith(OCTETS, start)) {
            throw new Unreadable("the second part is not application/octet-stream");
        }
        int o = start + OCTETS.length();
        if (o + 4 > body.length) {
            throw new Unreadable("truncated");
        }
        int sigLength = NtlmSession.littleEndian(body, o);
        o += 4;
        if (sigLength != 16 || o + sigLength + length > body.length) {
            throw new Unreadable("the signature or the sealed message runs past the body");
        }
        byte[] signature = Arrays.copyOfRange(body, o, o + sigLength);
        byte[] sealed = Arrays.copyOfRange(body, o + sigLength, o + sigLength + length);
        if (!text.startsWith(END, o + sigLength + length)) {
            throw new Unreadable("the sealed message is not followed by --Encrypted Boundary--");
        }
        try {
            return session.unseal(sealed, signature);
        } catch (NtlmSession.BadSignature e) {
            throw new Unreadable(e.getMessage());
        }
    }

    /** {@code soap} sealed for the client, framed as Windows frames it. */
    static byte[] wrap(byte[] soap, NtlmSession session) {
        byte[][] sealed = session.seal(soap);
        ByteArrayOutputStream out = new ByteArrayOutputStream(soap.length + 256);
        ascii(out, BOUNDARY + "\tContent-Type: " + PROTOCOL + "\r\n"
                + "\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=" + soap.length + "\r\n"
                + BOUNDARY + OCTETS);
        out.writeBytes(NtlmSession.le(sealed[1].length));
        out.writeBytes(sealed[1]);
        out.writeBytes(sealed[0]);
        ascii(out, END);
        return out.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
