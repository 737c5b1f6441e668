package io.dvmm.sdk.hyperv.internal;

import io.cloudsoft.winrm4j.client.PayloadEncryptionMode;
import io.cloudsoft.winrm4j.client.ntlm.NTCredentialsWithEncryption;
import io.cloudsoft.winrm4j.client.ntlm.NtlmMasqAsSpnegoScheme;
import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.UnavailableException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.apache.cxf.configuration.security.AuthorizationPolicy;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.message.Message;
import org.apache.cxf.transport.http.auth.HttpAuthSupplier;
import org.apache.http.Header;
import org.apache.http.HttpRequest;
import org.apache.http.auth.AuthSchemeProvider;
import org.apache.http.client.config.AuthSchemes;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.impl.auth.NTLMScheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logins of one connection: the password is read from the {@link Credentials} each time the host is to be shown
 * it and held no longer. Basic shows it with every request (the header is built per request, on the caller's
 * thread); NTLM at each handshake, which the host asks for once per new TCP connection (the NTLM response, Type 3,
 * is computed from the password read then, on the transport's I/O thread). winrm4j itself is given no password.
 *
 * <p>A refused login (HTTP 401: the host ran nothing) reads the password once more. If it changed since the refused
 * login read it (a rotation the vault knew before this connection did), the same request is sent once more with it:
 * CXF resends the cached request, with the new Basic header or into a new NTLM handshake. If it did not change, or the
 * credentials hold a fixed password, the call fails with {@link AuthenticationException} and nothing is sent twice
 * with a password the host refused (an account lockout counts every try). Only a SHA-256 digest of the password a
 * login used is kept, to tell.
 *
 * <p>It is the conduits' {@link HttpAuthSupplier} (every conduit of the connection's bus gets it) and, for NTLM, puts
 * its credentials and authentication schemes into each winrm4j client it is {@linkplain #install installed} in.
 */
final class WinRmLogin implements HttpAuthSupplier {
    private static final Logger LOG = LoggerFactory.getLogger(WinRmLogin.class);
    /** The message property holding the digest of the password a Basic request carries. */
    private static final String SENT = WinRmLogin.class.getName() + ".sent";
    private static final String CREDENTIALS = org.apache.http.auth.Credentials.class.getName();

    private final Credentials credentials;
    private final String user;
    private final String domain;
    private final boolean basic;
    private final boolean sealed;
    private final String host;

    /**
     * @param credentials the connection's credentials (password kind)
     * @param user the user as the host is shown it (without the domain for NTLM)
     * @param domain the NTLM domain, or {@code null}
     * @param basic Basic authentication, else NTLM
     * @param sealed NTLM with message encryption (a channel's credentials hold its keys)
     * @param host the host, for logs
     */
    WinRmLogin(Credentials credentials, String user, String domain, boolean basic, boolean sealed, String host) {
        this.credentials = credentials;
        this.user = user;
        this.domain = domain;
        this.basic = basic;
        this.sealed = sealed;
        this.host = host;
    }

    /** A refused login, or a password that could not be read; carries no secret. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient HypervisorException reading;

        Refused(String message, HypervisorException reading) {
            super(message, null, false, false);
            this.reading = reading;
        }

        /** @return the SDK's exception for this refusal, in {@code ctx} */
        HypervisorException toException(ErrorContext ctx) {
            if (reading instanceof UnavailableException) {
                return new UnavailableException(reading.getMessage(), ctx, reading);
            }
            if (reading != null) {
                return new AuthenticationException(reading.getMessage(), ctx, reading);
            }
            return new AuthenticationException(getMessage(), ctx.withServer("401", "Unauthorized"), null);
        }
    }

    /**
     * Puts this connection's NTLM credentials and schemes into a client winrm4j built (it made its own from the
     * password it was given, which is none). A sealed channel's credentials are its own, and hold its keys.
     */
    void install(Client cxf) {
        if (basic) {
            return;
        }
        PayloadEncryptionMode mode = sealed ? PayloadEncryptionMode.REQUIRED : PayloadEncryptionMode.OFF;
        Registry<AuthSchemeProvider> schemes = RegistryBuilder.<AuthSchemeProvider>create()
                .register(AuthSchemes.NTLM, context -> new Ntlm())
                .register(AuthSchemes.SPNEGO, context -> new NtlmInNegotiate(mode))
                .build();
        cxf.getRequestContext().put(AuthSchemeProvider.class.getName(), schemes);
        cxf.getRequestContext().put(CREDENTIALS, new SuppliedCredentials());
    }

    @Override
    public boolean requiresRequestCaching() {
        // A refused request is sent once more after the password changed: CXF resends it from its cache.
        return true;
    }

    @Override
    public String getAuthorization(AuthorizationPolicy policy, URI uri, Message message, String challenge) {
        if (!basic) {
            return ntlm(message, challenge);
        }
        if (challenge == null) {
            String password = read();
            message.put(SENT, digest(password));
            return basicHeader(password);
        }
        String again = readAgain((byte[]) message.get(SENT));
        message.put(SENT, digest(again));
        return basicHeader(again);
    }

    /**
     * NTLM: no header of CXF's (HttpClient does the handshake). Over HTTPS each request gets credentials of its own, so
     * that a refusal knows the password its own handshake used; a sealed channel keeps its one (its keys), its
     * requests going one at a time. After a refusal the password read again is handed to the handshake of the resend.
     */
    private String ntlm(Message message, String challenge) {
        if (challenge == null) {
            if (!sealed) {
                message.put(CREDENTIALS, new SuppliedCredentials());
            }
            return null;
        }
        if (!(message.getContextualProperty(CREDENTIALS) instanceof SuppliedCredentials c)) {
            throw new Refused("authentication failed: the host refused the NTLM login", null);
        }
        c.prime(readAgain(c.refused()));
        // null: CXF's asynchronous conduit resends the request, and HttpClient authenticates it afresh.
        return null;
    }

    /** @return the password now; a failure to read it is a {@link Refused} carrying the SDK's exception */
    private String read() {
        try {
            return credentials.secret().orElseThrow();
        } catch (HypervisorException e) {
            throw new Refused(e.getMessage(), e);
        }
    }

    /**
     * After a refused login: the password read once more when it rotates and changed since {@code refused} (the
     * digest of what the refused login used; {@code null} when unknown); else the refusal stands.
     */
    private String readAgain(byte[] refused) {
        if (!credentials.rotates()) {
            throw new Refused("authentication failed: the host refused the password of " + credentials.principal().orElse("")
                    + " (not sent again)", null);
        }
        String again = read();
        if (refused != null && MessageDigest.isEqual(refused, digest(again))) {
            throw new Refused("authentication failed: the host refused the password of " + credentials.principal().orElse("")
                    + ", and the credentials' supplier, read once more, answers the same one (not sent again)", null);
        }
        LOG.info("WinRM login to {} as {} refused; the password changed since it was read, logging in once more", host,
                credentials.principal().orElse(""));
        return again;
    }

    private String basicHeader(String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] digest(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Thrown from {@link SuppliedCredentials#getPassword()} on the I/O thread; the scheme makes it HttpClient's own. */
    private static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreadable() {
            super("the password could not be read", null, false, false);
        }
    }

    /**
     * NTLM credentials (winrm4j's kind, which holds the sealing keys of a handshake) whose password is read when the
     * handshake computes its response, or is the one a refusal read again; never held.
     */
    private final class SuppliedCredentials extends NTCredentialsWithEncryption {
        private String primed;
        private byte[] used;
        private HypervisorException failure;

        SuppliedCredentials() {
            super(user, "", null, domain);
        }

        @Override
        public synchronized String getPassword() {
            String p = primed;
            primed = null;
            if (p == null) {
                try {
                    p = credentials.secret().orElseThrow();
                } catch (HypervisorException e) {
                    failure = e;
                    throw new Unreadable();
                }
            }
            failure = null;
            used = digest(p);
            return p;
        }

        /** @return the digest of the password of the last handshake; a failure to read it is thrown as {@link Refused} */
        synchronized byte[] refused() {
            if (failure != null) {
                throw new Refused(failure.getMessage(), failure);
            }
            return used;
        }

        synchronized void prime(String password) {
            primed = password;
        }

        @Override
        public String toString() {
            return "NTCredentials[" + getUserPrincipal() + ", password read per handshake]";
        }
    }

    /** HttpClient's NTLM, failing the handshake as HttpClient expects when the password cannot be read. */
    private static final class Ntlm extends NTLMScheme {
        @Override
        public Header authenticate(org.apache.http.auth.Credentials c, HttpRequest request)
                throws org.apache.http.auth.AuthenticationException {
            try {
                return super.authenticate(c, request);
            } catch (Unreadable e) {
                throw new org.apache.http.auth.AuthenticationException(e.getMessage());
            }
        }
    }

    /** winrm4j's NTLM inside Negotiate (the scheme that seals), failing likewise. */
    private static final class NtlmInNegotiate extends NtlmMasqAsSpnegoScheme {
        NtlmInNegotiate(PayloadEncryptionMode mode) {
            super(mode);
        }

        @Override
        public Header authenticate(org.apache.http.auth.Credentials c, HttpRequest request)
                throws org.apache.http.auth.AuthenticationException {
            try {
                return super.authenticate(c, request);
            } catch (Unreadable e) {
                throw new org.apache.http.auth.AuthenticationException(e.getMessage());
            }
        }
    }
}
