package io.dvmm.sdk;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a connection verifies the server's certificate. Applies to that connection only, never
 * to JVM-wide state. The default is the JVM's system trust with host name verification.
 */
public final class TlsOptions {

    /** How the server certificate is trusted. */
    public enum Mode {
        /** The JVM's default trust store and host name verification. */
        SYSTEM,
        /** A caller-supplied trust store and host name verification. */
        TRUST_STORE,
        /** Exactly the certificate whose SHA-256 fingerprint is pinned, whatever its issuer or name. */
        PINNED,
        /** Anything. Only by explicit opt-in; every connection made this way logs a WARN. */
        INSECURE
    }

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final TlsOptions SYSTEM = new TlsOptions(Mode.SYSTEM, null, null, null, null);

    private final Mode mode;
    private final Path trustStore;
    private final String trustStorePassword;
    private final String trustStoreType;
    private final String pinnedSha256;

    private TlsOptions(Mode mode, Path trustStore, String trustStorePassword, String trustStoreType, String pinnedSha256) {
        this.mode = mode;
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
        this.trustStoreType = trustStoreType;
        this.pinnedSha256 = pinnedSha256;
    }

    /** @return verification against the JVM's default trust store (the default) */
    public static TlsOptions systemTrust() {
        return SYSTEM;
    }

    /**
     * @param path a PKCS12 or JKS trust store holding the CA or server certificate
     * @param password the store's password, or {@code null}
     * @param type the store type ({@code PKCS12}, {@code JKS}), or {@code null} for PKCS12
     * @return verification against that store
     */
    public static TlsOptions trustStore(Path path, String password, String type) {
        return new TlsOptions(Mode.TRUST_STORE, Objects.requireNonNull(path, "trustStore"), password,
                type == null ? "PKCS12" : type, null);
    }

    /**
     * Pins the server's leaf certificate. Self-signed Proxmox and ESXi certificates are the norm;
     * a pin is the safe way to trust one.
     *
     * @param fingerprint the SHA-256 fingerprint of the DER certificate, hex, with or without colons
     * @return verification that accepts exactly that certificate
     * @throws InvalidSpecException if the fingerprint is not 32 bytes of hex
     */
    public static TlsOptions pinSha256(String fingerprint) {
        String normalized = Objects.requireNonNull(fingerprint, "fingerprint").replace(":", "").trim().toLowerCase(Locale.ROOT);
        if (!SHA256_HEX.matcher(normalized).matches()) {
            throw new InvalidSpecException("tls.pinnedSha256", "must be 64 hex digits (colons allowed)");
        }
        return new TlsOptions(Mode.PINNED, null, null, null, normalized);
    }

    /**
     * Trusts any certificate. For throwaway labs only: it allows anyone on the path to read your
     * credentials. Each connection made with it logs a WARN.
     *
     * @return options that verify nothing
     */
    public static TlsOptions insecure() {
        return new TlsOptions(Mode.INSECURE, null, null, null, null);
    }

    /** @return how the certificate is trusted */
    public Mode mode() {
        return mode;
    }

    /** @return the trust store for {@link Mode#TRUST_STORE} */
    public Optional<Path> trustStorePath() {
        return Optional.ofNullable(trustStore);
    }

    /** @return the trust store's password, if any */
    public Optional<String> trustStorePassword() {
        return Optional.ofNullable(trustStorePassword);
    }

    /** @return the trust store's type for {@link Mode#TRUST_STORE} */
    public Optional<String> trustStoreType() {
        return Optional.ofNullable(trustStoreType);
    }

    /** @return the pinned fingerprint (64 lowercase hex digits) for {@link Mode#PINNED} */
    public Optional<String> pinnedSha256() {
        return Optional.ofNullable(pinnedSha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsOptions t && mode == t.mode && Objects.equals(trustStore, t.trustStore)
                && Objects.equals(trustStoreType, t.trustStoreType) && Objects.equals(pinnedSha256, t.pinnedSha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, trustStore, pinnedSha256);
    }

    @Override
    public String toString() {
        return switch (mode) {
            case SYSTEM -> "TlsOptions[SYSTEM]";
            case TRUST_STORE -> "TlsOptions[TRUST_STORE, " + trustStore + " (" + trustStoreType + ")]";
            case PINNED -> "TlsOptions[PINNED, sha256=" + pinnedSha256 + "]";
            case INSECURE -> "TlsOptions[INSECURE]";
        };
    }
}
