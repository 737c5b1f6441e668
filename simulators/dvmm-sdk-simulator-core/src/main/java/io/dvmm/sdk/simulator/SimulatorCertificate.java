package io.dvmm.sdk.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost}, made in process by
 * okhttp-tls ({@code HeldCertificate}, EC P-256), with what a client needs to trust it: the
 * SHA-256 pin or a trust store.
 *
 * <pre>{@code
 * TlsOptions.pinSha256(cert.sha256())
 * TlsOptions.trustStore(cert.writeTrustStore(dir.resolve("sim.p12"), "changeit"), "changeit", "PKCS12")
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SimulatorCertificate {

    private static volatile SimulatorCertificate shared;

    private final HeldCertificate held;
    private final HandshakeCertificates serverSide;

    private SimulatorCertificate(HeldCertificate held) {
        this.held = held;
        this.serverSide = new HandshakeCertificates.Builder().heldCertificate(held).build();
    }

    /**
     * A new certificate with a new key pair, valid for ten years.
     *
     * @return the certificate
     */
    public static SimulatorCertificate create() {
        return new SimulatorCertificate(new HeldCertificate.Builder()
                .commonName("127.0.0.1")
                .organizationalUnit("DVMM SDK simulator")
                .addSubjectAlternativeName("127.0.0.1")
                .addSubjectAlternativeName("localhost")
                .duration(3650, TimeUnit.DAYS)
                .ecdsa256()
                .build());
    }

    /**
     * One certificate for every simulator in this JVM, made on first use (making a key pair is the
     * slow part of starting an HTTPS simulator).
     *
     * @return the JVM's shared certificate
     */
    public static SimulatorCertificate shared() {
        SimulatorCertificate c = shared;
        if (c == null) {
            synchronized (SimulatorCertificate.class) {
                c = shared;
                if (c == null) {
                    c = create();
                    shared = c;
                }
            }
        }
        return c;
    }

    /**
     * The certificate itself.
     *
     * @return the self-signed X.509 certificate the server presents
     */
    public X509Certificate certificate() {
        return held.certificate();
    }

    /**
     * The certificate's pin.
     *
     * @return SHA-256 of the DER encoding: 64 lower-case hex digits, as {@code TlsOptions.pinSha256} takes it
     */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The certificate in PEM, without its key.
     *
     * @return the {@code -----BEGIN CERTIFICATE-----} block
     */
    public String pem() {
        return held.certificatePem();
    }

    /**
     * A trust store that trusts this certificate and nothing else.
     *
     * @return a new PKCS12 key store in memory holding only this certificate
     */
    public KeyStore trustStore() {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("dvmm-simulator", certificate());
            return ts;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@link #trustStore()} as a PKCS12 file.
     *
     * @param file where to write it; an existing file is replaced
     * @param password the store's password
     * @return {@code file}
     * @throws UncheckedIOException if the file cannot be written
     */
    public Path writeTrustStore(Path file, String password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            trustStore().store(out, password.toCharArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@link #pem()} to a file, in ASCII.
     *
     * @param file where to write it; an existing file is replaced
     * @return {@code file}
     * @throws UncheckedIOException if the file cannot be written
     */
    public Path writePem(Path file) {
        try {
            return Files.writeString(file, pem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SSLSocketFactory serverSocketFactory() {
        return serverSide.sslSocketFactory();
    }

    /**
     * @return a client TLS context that trusts exactly this certificate, for test clients that
     *         talk to a simulator without trusting anything else
     */
    public javax.net.ssl.SSLContext clientContext() {
        try {
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context for " + this, e);
        }
    }

    /**
     * Writes the certificate with its private key as a PKCS12 key store, for servers configured
     * from a file (the fault proxy's Jetty).
     *
     * @param file where to write it
     * @param password the store's and the key's password
     * @return {@code file}
     */
    public Path writeKeyStore(Path file, String password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("simulator", held.keyPair().getPrivate(), password.toCharArray(),
                    new java.security.cert.Certificate[] {held.certificate()});
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
                ks.store(out, password.toCharArray());
            }
            return file;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the key store " + file, e);
        }
    }

    @Override
    public String toString() {
        return "SimulatorCertificate[" + certificate().getSubjectX500Principal() + ", sha256=" + sha256() + "]";
    }
}
