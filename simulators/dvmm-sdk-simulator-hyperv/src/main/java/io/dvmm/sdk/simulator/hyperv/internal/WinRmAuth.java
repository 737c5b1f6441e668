package io.dvmm.sdk.simulator.hyperv.internal;

import io.dvmm.sdk.simulator.SimRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Basic and NTLM authentication as the WinRM service does them. Basic is checked on every request (clients send it
 * pre-emptively). NTLM (offered as {@code Negotiate}, accepted under {@code Negotiate} or {@code NTLM}) authenticates
 * the TCP connection: NEGOTIATE gets a CHALLENGE, AUTHENTICATE is verified (NTLMv2 only: NTProofStr with the
 * configured password, the MIC when the client announces one, channel bindings over TLS when sent), and later
 * requests on that connection need no header; a new connection starts again.
 */
final class WinRmAuth {

    private static final int MAX_CONNECTIONS = 4096;
    private static final long FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000L;

    private static final class NtlmConnection {
        byte[] negotiate;
        byte[] challenge;
        byte[] serverChallenge;
        String user;
        NtlmSession session;
    }

    private volatile Account account;
    private final boolean basic;
    private final boolean ntlm;
    private final X509Certificate certificate;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, NtlmConnection> connections = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, NtlmConnection> eldest) {
            return size() > MAX_CONNECTIONS;
        }
    };

    /** @param certificate the TLS certificate (for channel bindings), null over HTTP */
    WinRmAuth(Account account, boolean basic, boolean ntlm, X509Certificate certificate, Clock clock) {
        this.account = account;
        this.basic = basic;
        this.ntlm = ntlm;
        this.certificate = certificate;
        this.clock = clock;
    }

    /** A rotation of the account's password: requests (Basic) and handshakes (NTLM) need the new one from now on. */
    void changePassword(String newPassword) {
        Account a = account;
        account = new Account(a.user(), newPassword, a.host());
    }

    /**
     * The {@code WWW-Authenticate} value of a 401 without a challenge. Windows sends one header per scheme; the
     * simulator core's responses hold one value per header name, and clients such as Apache HttpClient (under winrm4j)
     * do not read a comma-joined list, so one scheme is offered: Basic to a request that tried Basic, else Negotiate
     * when NTLM is on.
     */
    String offered(SimRequest r) {
        String auth = r.header("Authorization");
        boolean triedBasic = auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6);
        return ntlm && !(basic && triedBasic) ? "Negotiate" : "Basic realm=\"WSMAN\"";
    }

    AuthOutcome authenticate(SimRequest r) {
        String auth = r.header("Authorization");
        if (auth == null) {
            synchronized (connections) {
                NtlmConnection c = connections.get(r.connection());
                if (c != null && c.user != null) {
                    return new AuthOutcome.Granted(c.user, c.session);
                }
            }
            return new AuthOutcome.Refused(null, "no credentials");
        }
        int space = auth.indexOf(' ');
        String scheme = space < 0 ? auth : auth.substring(0, space);
        if (scheme.equalsIgnoreCase("Basic")) {
            return basic(r);
        }
        if (scheme.equalsIgnoreCase("Negotiate") || scheme.equalsIgnoreCase("NTLM")) {
            if (!ntlm || space < 0) {
                return new AuthOutcome.Refused(null, scheme + " is not enabled");
            }
            byte[] token;
            try {
                token = Base64.getDecoder().decode(auth.substring(space + 1).trim());
            } catch (IllegalArgumentException e) {
                return new AuthOutcome.Refused(null, "the " + scheme + " token is not base64");
            }
            return ntlm(r.connection(), scheme, token);
        }
        return new AuthOutcome.Refused(null, "unsupported scheme " + scheme);
    }

    private AuthOutcome basic(SimRequest r) {
        if (!basic) {
            return new AuthOutcome.Refused(null, "Basic is not enabled");
        }
        return r.basicCredentials()
                .filter(c -> account.match(c.username(), null) != null && MessageDigest.isEqual(
                        c.password().getBytes(StandardCharsets.UTF_8), account.password().getBytes(StandardCharsets.UTF_8)))
                .<AuthOutcome>map(c -> new AuthOutcome.Granted(account.user(), null))
                .orElse(new AuthOutcome.Refused(null, "wrong Basic credentials"));
    }

    private AuthOutcome ntlm(int connection, String scheme, byte[] token) {
        synchronized (connections) {
            switch (NtlmMessages.type(token)) {
                case 1 -> {
                    NtlmConnection c = new NtlmConnection();
                    c.negotiate = token;
                    c.serverChallenge = new byte[8];
                    random.nextBytes(c.serverChallenge);
                    try {
                        c.challenge = NtlmMessages.challenge(NtlmMessages.negotiateFlags(token), c.serverChallenge,
                                account.host(), (clock.millis() + FILETIME_EPOCH_OFFSET_MS) * 10_000L);
                    } catch (NtlmMessages.Malformed e) {
                        return new AuthOutcome.Refused(null, e.getMessage());
                    }
                    connections.put(connection, c);
                    return new AuthOutcome.Refused(scheme + " " + Base64.getEncoder().encodeToString(c.challenge), "challenge");
                }
                case 3 -> {
                    NtlmConnection c = connections.remove(connection);
                    if (c == null || c.challenge == null) {
                        return new AuthOutcome.Refused(null, "AUTHENTICATE without a CHALLENGE on this connection");
                    }
                    try {
                        c.session = verify(c, NtlmMessages.authenticate(token), token);
                    } catch (NtlmMessages.Malformed | SecurityException e) {
                        return new AuthOutcome.Refused(null, "NTLM: " + e.getMessage());
                    }
                    c.user = account.user();
                    connections.put(connection, c);
                    return new AuthOutcome.Granted(c.user, c.session);
                }
                default -> {
                    return new AuthOutcome.Refused(null, "the " + scheme + " token is not an NTLMSSP message");
                }
            }
        }
    }

    private NtlmSession verify(NtlmConnection c, NtlmMessages.Authenticate a, byte[] raw) throws NtlmMessages.Malformed {
        if (a.ntResponse().length == 24) {
            throw new SecurityException("NTLMv1 responses are refused");
        }
        if (a.ntResponse().length < 16 + 28 + 4) {
            throw new SecurityException("no NTLMv2 response");
        }
        if (account.match(a.user(), a.domain()) == null) {
            throw new SecurityException("unknown user " + a.domain() + "\\" + a.user());
        }
        byte[] proof = Arrays.copyOf(a.ntResponse(), 16);
        byte[] temp = Arrays.copyOfRange(a.ntResponse(), 16, a.ntResponse().length);
        byte[] ntowf = NtlmCrypto.ntowfV2(account.password(), a.user(), a.domain());
        if (!MessageDigest.isEqual(proof, NtlmCrypto.ntProof(ntowf, c.serverChallenge, temp))) {
            throw new SecurityException("the NTLMv2 response does not verify (wrong password)");
        }
        Map<Integer, byte[]> av = NtlmMessages.parseAvPairs(temp, 28);
        byte[] sessionBaseKey = NtlmCrypto.hmacMd5(ntowf, proof);
        byte[] exported = (a.flags() & NtlmMessages.NEGOTIATE_KEY_EXCH) != 0 && a.encryptedRandomSessionKey().length == 16
                ? NtlmCrypto.rc4Once(sessionBaseKey, a.encryptedRandomSessionKey()) : sessionBaseKey;
        byte[] avFlags = av.get(NtlmMessages.AV_FLAGS);
        if (avFlags != null && avFlags.length == 4 && (NtlmSession.littleEndian(avFlags, 0) & 0x2) != 0) {
            if (a.mic() == null) {
                throw new SecurityException("MsvAvFlags announces a MIC but the message has none");
            }
            byte[] zeroed = raw.clone();
            Arrays.fill(zeroed, a.micOffset(), a.micOffset() + 16, (byte) 0);
            byte[] mic = NtlmCrypto.hmacMd5(exported, NtlmCrypto.concat(c.negotiate, c.challenge, zeroed));
            if (!MessageDigest.isEqual(mic, a.mic())) {
                throw new SecurityException("the MIC does not verify");
            }
        }
        byte[] bindings = av.get(NtlmMessages.AV_CHANNEL_BINDINGS);
        if (bindings != null && !Arrays.equals(bindings, new byte[16])) {
            if (certificate == null || !MessageDigest.isEqual(bindings, channelBindings(certificate))) {
                throw new SecurityException("the channel bindings do not match this TLS channel");
            }
        }
        return new NtlmSession(exported, a.flags());
    }

    /** MD5 of gss_channel_bindings_struct with RFC 5929 {@code tls-server-end-point} application data. */
    static byte[] channelBindings(X509Certificate cert) {
        try {
            String alg = cert.getSigAlgName().toUpperCase(java.util.Locale.ROOT);
            String hash = alg.contains("SHA384") ? "SHA-384" : alg.contains("SHA512") ? "SHA-512" : "SHA-256";
            byte[] app = NtlmCrypto.concat("tls-server-end-point:".getBytes(StandardCharsets.US_ASCII),
                    MessageDigest.getInstance(hash).digest(cert.getEncoded()));
            return NtlmCrypto.md5(new byte[16], NtlmSession.le(app.length), app);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
