package io.dvmm.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What to set inside the guest on first boot: host name, user, SSH keys, DNS, cloud-init user
 * data. Providers apply it their own way (Proxmox cloud-init drive, vSphere customization spec
 * and {@code guestinfo}, Hyper-V answer files). Immutable; build with {@link #builder()}.
 */
public final class GuestCustomization {
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern SSH_KEY = Pattern.compile("(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\\S+|sk-\\S+) [A-Za-z0-9+/=]+( .*)?");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    private final String hostname;
    private final String domain;
    private final String username;
    private final List<String> sshKeys;
    private final List<String> dnsServers;
    private final List<String> searchDomains;
    private final String userData;

    private GuestCustomization(Builder b) {
        this.hostname = b.hostname;
        this.domain = b.domain;
        this.username = b.username;
        this.sshKeys = List.copyOf(b.sshKeys);
        this.dnsServers = List.copyOf(b.dnsServers);
        this.searchDomains = List.copyOf(b.searchDomains);
        this.userData = b.userData;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these values */
    public Builder toBuilder() {
        Builder b = new Builder().hostname(hostname).domain(domain).username(username).userData(userData);
        b.sshKeys.addAll(sshKeys);
        b.dnsServers.addAll(dnsServers);
        b.searchDomains.addAll(searchDomains);
        return b;
    }

    /** @return the guest host name, if set */
    public Optional<String> hostname() {
        return Optional.ofNullable(hostname);
    }

    /** @return the guest DNS domain, if set */
    public Optional<String> domain() {
        return Optional.ofNullable(domain);
    }

    /** @return the default user to create, if set */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** @return the SSH public keys to authorize */
    public List<String> sshKeys() {
        return sshKeys;
    }

    /** @return the DNS servers, as IP literals */
    public List<String> dnsServers() {
        return dnsServers;
    }

    /** @return the DNS search domains */
    public List<String> searchDomains() {
        return searchDomains;
    }

    /** @return cloud-init user data (the {@code #cloud-config} document), if set */
    public Optional<String> userData() {
        return Optional.ofNullable(userData);
    }

    /** @return whether anything beyond DHCP networking is asked of the guest */
    public boolean isEmpty() {
        return hostname == null && domain == null && username == null && sshKeys.isEmpty() && dnsServers.isEmpty()
                && searchDomains.isEmpty() && userData == null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestCustomization g && Objects.equals(hostname, g.hostname) && Objects.equals(domain, g.domain)
                && Objects.equals(username, g.username) && sshKeys.equals(g.sshKeys) && dnsServers.equals(g.dnsServers)
                && searchDomains.equals(g.searchDomains) && Objects.equals(userData, g.userData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hostname, domain, username, sshKeys, dnsServers);
    }

    @Override
    public String toString() {
        return "GuestCustomization[hostname=" + hostname + ", domain=" + domain + ", username=" + username
                + ", sshKeys=" + sshKeys.size() + ", dns=" + dnsServers + ", search=" + searchDomains
                + ", userData=" + (userData == null ? "none" : userData.length() + " chars") + "]";
    }

    /** Builds a {@link GuestCustomization}. Not thread-safe. */
    public static final class Builder {
        private String hostname;
        private String domain;
        private String username;
        private final List<String> sshKeys = new ArrayList<>();
        private final List<String> dnsServers = new ArrayList<>();
        private final List<String> searchDomains = new ArrayList<>();
        private String userData;

        private Builder() {
        }

        /**

         * @param value the guest host name (one DNS label)

         * @return this builder

         */
        public Builder hostname(String value) {
            this.hostname = value;
            return this;
        }

        /**

         * @param value the guest DNS domain

         * @return this builder

         */
        public Builder domain(String value) {
            this.domain = value;
            return this;
        }

        /**

         * @param value the default user to create

         * @return this builder

         */
        public Builder username(String value) {
            this.username = value;
            return this;
        }

        /**

         * @param key an SSH public key in OpenSSH format

         * @return this builder

         */
        public Builder sshKey(String key) {
            sshKeys.add(Objects.requireNonNull(key, "sshKey"));
            return this;
        }

        /**

         * @param ip a DNS server's IP literal

         * @return this builder

         */
        public Builder dnsServer(String ip) {
            dnsServers.add(Objects.requireNonNull(ip, "dnsServer"));
            return this;
        }

        /**

         * @param domainName a DNS search domain

         * @return this builder

         */
        public Builder searchDomain(String domainName) {
            searchDomains.add(Objects.requireNonNull(domainName, "searchDomain"));
            return this;
        }

        /**

         * @param cloudConfig cloud-init user data

         * @return this builder

         */
        public Builder userData(String cloudConfig) {
            this.userData = cloudConfig;
            return this;
        }

        /**
         * @return the customization
         * @throws InvalidSpecException naming the field when a value breaks a rule
         */
        public GuestCustomization build() {
            if (hostname != null && !HOST_LABEL.matcher(hostname).matches()) {
                throw new InvalidSpecException("guest.hostname",
                        "must be one DNS label: letters, digits and '-', 1 to 63 characters, not starting or ending with '-'");
            }
            if (domain != null && (domain.isBlank() || domain.length() > 253
                    || !domain.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?"))) {
                throw new InvalidSpecException("guest.domain", "must be a DNS domain name");
            }
            if (username != null && !USER.matcher(username).matches()) {
                throw new InvalidSpecException("guest.username", "must be a POSIX user name: [a-z_][a-z0-9_-]{0,31}");
            }
            for (int i = 0; i < sshKeys.size(); i++) {
                if (!SSH_KEY.matcher(sshKeys.get(i).strip()).matches()) {
                    throw new InvalidSpecException("guest.sshKeys[" + i + "]", "must be one OpenSSH public key line (type base64 [comment])");
                }
            }
            for (int i = 0; i < dnsServers.size(); i++) {
                String ip = dnsServers.get(i);
                if (!IpConfig.isIpv4(ip) && !IpConfig.isIpv6(ip)) {
                    throw new InvalidSpecException("guest.dnsServers[" + i + "]", "must be an IP literal, was '" + ip + "'");
                }
            }
            for (int i = 0; i < searchDomains.size(); i++) {
                String d = searchDomains.get(i);
                if (d.isBlank() || d.length() > 253 || !d.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
                    throw new InvalidSpecException("guest.searchDomains[" + i + "]", "must be a DNS domain name");
                }
            }
            if (userData != null) {
                for (int i = 0; i < userData.length(); i++) {
                    char c = userData.charAt(i);
                    if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                        throw new InvalidSpecException("guest.userData", "must not contain control characters other than "
                                + "line breaks and tabs (found \\u" + String.format("%04x", (int) c) + ")");
                    }
                }
            }
            if (userData != null && userData.length() > 64 * 1024) {
                throw new InvalidSpecException("guest.userData", "must be at most 64 KiB");
            }
            return new GuestCustomization(this);
        }
    }
}
