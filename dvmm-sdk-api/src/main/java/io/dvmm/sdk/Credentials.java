package io.dvmm.sdk;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a connection authenticates. Immutable; {@link #toString()} never shows a secret.
 *
 * <p>Credentials never come from the endpoint URI: put them here.
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

    private static final Credentials NONE = new Credentials(Kind.NONE, null, null, null, Map.of());

    private final Kind kind;
    private final String principal;
    private final String secret;
    private final String providerKind;
    private final Map<String, String> properties;

    private Credentials(Kind kind, String principal, String secret, String providerKind, Map<String, String> properties) {
        this.kind = kind;
        this.principal = principal;
        this.secret = secret;
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
        return new Credentials(Kind.PASSWORD, requireText(username, "username"), requireText(password, "password"), null, Map.of());
    }

    /**
     * @param tokenId the token's id, such as {@code root@pam!ci}
     * @param secret the token's secret
     * @return API token credentials
     */
    public static Credentials apiToken(String tokenId, String secret) {
        return new Credentials(Kind.API_TOKEN, requireText(tokenId, "tokenId"), requireText(secret, "secret"), null, Map.of());
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
        return new Credentials(Kind.PROVIDER_SPECIFIC, null, null, requireText(providerKind, "providerKind"),
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
     * The password or token secret. Handle with care: never log it.
     *
     * @return the secret; empty for {@link Kind#NONE} and {@link Kind#PROVIDER_SPECIFIC}
     */
    public Optional<String> secret() {
        return Optional.ofNullable(secret);
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
                && Objects.equals(secret, c.secret) && Objects.equals(providerKind, c.providerKind)
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
            case PASSWORD -> "Credentials[PASSWORD, username=" + principal + ", password=****]";
            case API_TOKEN -> "Credentials[API_TOKEN, tokenId=" + principal + ", secret=****]";
            case PROVIDER_SPECIFIC -> "Credentials[PROVIDER_SPECIFIC, kind=" + providerKind + ", keys=" + properties.keySet() + "]";
        };
    }
}
