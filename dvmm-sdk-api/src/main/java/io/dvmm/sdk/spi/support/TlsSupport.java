package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@link TlsOptions} into an {@link SSLContext} for one connection. Never touches JVM-wide
 * defaults ({@code HttpsURLConnection.setDefault...}, {@code SSLContext.setDefault}).
 */
public final class TlsSupport {
    private static final Logger LOG = LoggerFactory.getLogger(TlsSupport.class);

    private TlsSupport() {
    }

    /**
     * What a transport needs to open verified TLS connections.
     *
     * @param sslContext the context for this connection only
     * @param trustManager its trust manager (OkHttp wants it separately)
     * @param verifyHostname whether the transport must check the host name; {@code false} when a
     *                       pin identifies the certificate exactly, or under the insecure opt-in
     */
    public record Material(SSLContext sslContext, X509TrustManager trustManager, boolean verifyHostname) {
    }

    /**
     * @param options the TLS options
     * @param provider the provider type, for errors and the insecure WARN
     * @param endpoint the endpoint, for the insecure WARN
     * @return the material
     * @throws InvalidSpecException if the trust store cannot be read
     */
    public static Material create(TlsOptions options, String provider, Object endpoint) {
        try {
            return switch (options.mode()) {
                case SYSTEM -> build(defaultTrustManager(null), true);
                case TRUST_STORE -> build(defaultTrustManager(loadTrustStore(options)), true);
                case PINNED -> build(new PinningTrustManager(options.pinnedSha256().orElseThrow()), false);
                case INSECURE -> {
                    LOG.warn("TLS certificate verification is DISABLED for {} ({}) by explicit opt-in: anyone on the "
                            + "network path can read the credentials. Pin the certificate instead.", endpoint, provider);
                    yield build(new AcceptAnyTrustManager(), false);
                }
            };
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidSpecException("tls", "cannot set up TLS: " + e.getMessage(), ErrorContext.of(provider, "connect"));
        }
    }

    private static Material build(X509TrustManager tm, boolean verifyHostname) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {tm}, null);
        return new Material(ctx, tm, verifyHostname);
    }

    private static KeyStore loadTrustStore(TlsOptions options) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(options.trustStoreType().orElse("PKCS12"));
        try (InputStream in = Files.newInputStream(options.trustStorePath().orElseThrow())) {
            ks.load(in, options.trustStorePassword().map(String::toCharArray).orElse(null));
        }
        return ks;
    }

    private static X509TrustManager defaultTrustManager(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager available");
    }

    /**
     * @param certificate a certificate
     * @return the SHA-256 fingerprint of its DER encoding: 64 lowercase hex digits
     */
    public static String sha256Fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts exactly the server certificate whose SHA-256 fingerprint is pinned. */
    static final class PinningTrustManager extends X509ExtendedTrustManager {
        private final String pin;

        PinningTrustManager(String pin) {
            this.pin = pin;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("server sent no certificate");
            }
            String actual = sha256Fingerprint(chain[0]);
            if (!MessageDigest.isEqual(actual.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new CertificateException("server certificate SHA-256 " + actual + " does not match the pinned " + pin);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** The insecure opt-in: accepts any server certificate. Only reachable through {@link TlsOptions#insecure()}. */
    static final class AcceptAnyTrustManager extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Explicit opt-in: TlsOptions.insecure(), warned about when the connection was made.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // Explicit opt-in, see above.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // Explicit opt-in, see above.
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
