package io.dvmm.sdk;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * How a connection authenticates. Immutable; {@link #toString()} never shows a secret.
 *
 * <p>Credentials never come from the endpoint URI: put them here.
 *
 * <p><b>Secrets that rotate.</b> {@link #password(String, Supplier)} and
 * {@link #apiToken(String, Supplier)} take the secret from a supplier (a vault lookup) instead of
 * holding it. Providers ask it at each login ({@link #secret()} calls it every time) and keep
 * nothing longer than the session needs; when the server refuses a login, a provider reads the
 * supplier once more and, if the secret changed since, logs in once more with the new one.
 */
public final class Credentials {

    /** The kind of credentials. */
    public enum Kind {
        /** No credentials (an embedded or anonymous endpoint). */
        NONE,
        /** A user name and password; the provider logs in and keeps a session or ticket. */
        PASSWORD,
        /** An API token: an id (such as {@code root@pam!ci}) and a secret. */
        API_TOKEN,
        /** Something only one provider understands, such as a Kerberos keytab; see the provider's docs. */
        PROVIDER_SPECIFIC
    }

    private static final Credentials NONE = new Credentials(Kind.NONE, null, null, null, null, Map.of());

    private final Kind kind;
    private final String principal;
    private final String secret;
    private final Supplier<String> secretSupplier;
    private final String providerKind;
    private final Map<String, String> properties;

    private Credentials(Kind kind, String principal, String secret, Supplier<String> secretSupplier, String providerKind,
                        Map<String, String> properties) {
        this.kind = kind;
        this.principal = principal;
        this.secret = secret;
        this.secretSupplier = secretSupplier;
        this.providerKind = providerKind;
        this.properties = properties;
    }

    /** @return credentials that authenticate nothing */
    public static Credentials none() {
        return NONE;
    }

    /**
     * @param username the user, such as {@code root@pam} or {@code administrator@vsphere.local}
     * @param password the password
     * @return password credentials
     */
    public static Credentials password(String username, String password) {
        return new Credentials(Kind.PASSWORD, requireText(username, "username"), requireText(password, "password"), null, null,
                Map.of());
    }

    /**
     * Password credentials whose password is read from {@code password} at each login, so that a
     * rotated password is picked up without a new connection. The supplier may block briefly (a
     * vault lookup); it is called on the connection's threads.
     *
     * @param username the user, such as {@code root@pam} or {@code administrator@vsphere.local}
     * @param password supplies the current password; a {@code null} or empty answer fails the
     *                 login with {@link AuthenticationException}
     * @return password credentials that rotate
     */
    public static Credentials password(String username, Supplier<String> password) {
        return new Credentials(Kind.PASSWORD, requireText(username, "username"), null,
                Objects.requireNonNull(password, "password"), null, Map.of());
    }

    /**
     * @param tokenId the token's id, such as {@code root@pam!ci}
     * @param secret the token's secret
     * @return API token credentials
     */
    public static Credentials apiToken(String tokenId, String secret) {
        return new Credentials(Kind.API_TOKEN, requireText(tokenId, "tokenId"), requireText(secret, "secret"), null, null,
                Map.of());
    }

    /**
     * API token credentials whose secret is read from {@code secret} when a connection first
     * needs it and again when the server refuses it, so that a rotated token is picked up without
     * a new connection.
     *
     * @param tokenId the token's id, such as {@code root@pam!ci}
     * @param secret supplies the token's current secret; a {@code null} or empty answer fails the
     *               request with {@link AuthenticationException}
     * @return API token credentials that rotate
     */
    public static Credentials apiToken(String tokenId, Supplier<String> secret) {
        return new Credentials(Kind.API_TOKEN, requireText(tokenId, "tokenId"), null, Objects.requireNonNull(secret, "secret"),
                null, Map.of());
    }

    /**
     * An API token given as one string, the way Proxmox VE shows it when the token is made
     * ({@code user@realm!tokenid=secret}): split at the first {@code =}. The error never shows
     * the secret.
     *
     * @param token the token's id and secret joined by {@code =}
     * @return API token credentials
     * @throws InvalidSpecException naming {@code credentials.token} when it has no {@code =}
     */
    public static Credentials apiToken(String token) {
        String t = requireText(token, "token");
        int eq = t.indexOf('=');
        if (eq <= 0 || eq == t.length() - 1) {
            throw new InvalidSpecException("credentials.token", "must be <token id>=<secret>, such as root@pam!ci=<uuid>");
        }
        return apiToken(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
    }

    /**
     * Credentials of a kind only one provider understands. Every value is treated as secret.
     *
     * @param providerKind the provider's name for the kind, such as {@code kerberos}
     * @param properties the values the provider needs
     * @return provider-specific credentials
     */
    public static Credentials providerSpecific(String providerKind, Map<String, String> properties) {
        return new Credentials(Kind.PROVIDER_SPECIFIC, null, null, null, requireText(providerKind, "providerKind"),
                Map.copyOf(new TreeMap<>(Objects.requireNonNull(properties, "properties"))));
    }

    private static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidSpecException("credentials." + field, "must not be empty");
        }
        return value;
    }

    /** @return the kind of credentials */
    public Kind kind() {
        return kind;
    }

    /** @return the user name or token id; empty for {@link Kind#NONE} and {@link Kind#PROVIDER_SPECIFIC} */
    public Optional<String> principal() {
        return Optional.ofNullable(principal);
    }

    /**
     * The password or token secret. Handle with care: never log it, and keep it no longer than the
     * session needs. For credentials that {@link #rotates() rotate}, every call asks the supplier.
     *
     * @return the secret; empty for {@link Kind#NONE} and {@link Kind#PROVIDER_SPECIFIC}
     * @throws AuthenticationException if the supplier answers {@code null} or an empty secret
     * @throws UnavailableException if the supplier fails (its message is not repeated: it might hold a secret)
     */
    public Optional<String> secret() {
        if (secretSupplier == null) {
            return Optional.ofNullable(secret);
        }
        String value;
        try {
            value = secretSupplier.get();
        } catch (HypervisorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnavailableException("the secret supplier of " + describePrincipal() + " failed ("
                    + e.getClass().getSimpleName() + ")", ErrorContext.EMPTY, e);
        }
        if (value == null || value.isEmpty()) {
            throw new AuthenticationException("the secret supplier of " + describePrincipal() + " answered no secret",
                    ErrorContext.EMPTY);
        }
        return Optional.of(value);
    }

    /** @return whether the secret comes from a supplier asked at each login, rather than being held */
    public boolean rotates() {
        return secretSupplier != null;
    }

    private String describePrincipal() {
        return (kind == Kind.API_TOKEN ? "token " : "user ") + principal;
    }

    /**
     * Whether a connection made with {@code other} would log in as these credentials do: the same
     * kind and principal, and the same held secret (two rotating secrets count as the same: each
     * supplier answers what is current). Never calls a supplier.
     */
    boolean sameLogin(Credentials other) {
        if (kind != other.kind || !Objects.equals(principal, other.principal) || !Objects.equals(providerKind, other.providerKind)
                || !properties.equals(other.properties) || rotates() != other.rotates()) {
            return false;
        }
        return rotates() || Objects.equals(secret, other.secret);
    }

    /** @return the provider's name for provider-specific credentials */
    public Optional<String> providerKind() {
        return Optional.ofNullable(providerKind);
    }

    /** @return the provider-specific values; every value is secret */
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && kind == c.kind && Objects.equals(principal, c.principal)
                && Objects.equals(secret, c.secret) && secretSupplier == c.secretSupplier && Objects.equals(providerKind, c.providerKind)
                && properties.equals(c.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, principal, providerKind);
    }

    /** @return a description with every secret replaced by {@code ****} */
    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "Credentials[NONE]";
            case PASSWORD -> "Credentials[PASSWORD, username=" + principal + ", password=****" + (rotates() ? " (rotating)" : "") + "]";
            case API_TOKEN -> "Credentials[API_TOKEN, tokenId=" + principal + ", secret=****" + (rotates() ? " (rotating)" : "") + "]";
            case PROVIDER_SPECIFIC -> "Credentials[PROVIDER_SPECIFIC, kind=" + providerKind + ", keys=" + properties.keySet() + "]";
        };
    }
}
