package io.dvmm.sdk.simulator.proxmox.internal;

import io.dvmm.sdk.simulator.SimRequest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Authentication as pve-access-control does it: API tokens ({@code PVEAPIToken=user@realm!id=secret},
 * {@code =} or a space after the prefix, URI-unescaped), tickets from {@code POST /access/ticket}
 * (renewable with the ticket as password, with a lifetime) sent as {@code PVEAuthCookie}, the
 * {@code CSRFPreventionToken} on every non-GET, and every 401 delayed like the real server.
 */
final class PveAuth {

    private record Ticket(String user, String csrf, long issuedMillis) {
    }

    private final String tokenId;
    private volatile String tokenSecret;
    private final String username;
    private volatile String password;
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    /** Further API tokens (privilege-separated ones of tests): id to secret. */
    private final Map<String, String> extraTokens = new ConcurrentHashMap<>();
    private final List<String> expired = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private volatile long ticketLifetimeMillis;
    private final long failureDelayMillis;

    PveAuth(String tokenId, String tokenSecret, String username, String password, Duration ticketLifetime,
            Duration failureDelay) {
        this.tokenId = tokenId;
        this.tokenSecret = tokenSecret;
        this.username = username;
        this.password = password;
        this.ticketLifetimeMillis = ticketLifetime.toMillis();
        this.failureDelayMillis = failureDelay.toMillis();
    }

    /** A rotation of the user's password: issued tickets stay valid, as on PVE. */
    void changePassword(String newPassword) {
        password = newPassword;
    }

    /** A rotation of the token's secret: requests with the old one are refused from now on. */
    void changeTokenSecret(String newSecret) {
        tokenSecret = newSecret;
    }

    void addToken(String id, String secret) {
        extraTokens.put(id, secret);
    }

    void ticketLifetime(Duration d) {
        ticketLifetimeMillis = d.toMillis();
    }

    /** Every ticket and CSRF token issued so far, for tests that prove they never leak. */
    List<String> issuedSecrets() {
        List<String> out = new ArrayList<>();
        tickets.forEach((k, v) -> {
            out.add(k);
            out.add(v.csrf());
        });
        out.addAll(expired);
        return out;
    }

    void expireTickets() {
        tickets.forEach((k, v) -> {
            expired.add(k);
            expired.add(v.csrf());
        });
        tickets.clear();
    }

    /** {@code POST /access/ticket}: a new ticket for the password or a still valid ticket. */
    Map<String, Object> login(Map<String, String> p) {
        String user = p.getOrDefault("username", "");
        if (p.containsKey("realm") && !user.contains("@")) {
            user = user + "@" + p.get("realm");
        }
        String secret = p.getOrDefault("password", "");
        boolean ok = username.equals(user) && password.equals(secret);
        if (!ok && secret.startsWith("PVE:")) {
            Ticket renewed = tickets.get(secret);
            ok = renewed != null && renewed.user().equals(user) && fresh(renewed);
        }
        if (!ok) {
            throw refused("authentication failure");
        }
        long now = System.currentTimeMillis();
        byte[] sig = new byte[32];
        random.nextBytes(sig);
        String stamp = Long.toHexString(now / 1000).toUpperCase(Locale.ROOT);
        String ticket = "PVE:" + user + ":" + stamp + "::" + Base64.getEncoder().encodeToString(sig);
        byte[] csrfSig = new byte[16];
        random.nextBytes(csrfSig);
        String csrf = stamp + ":" + HexFormat.of().formatHex(csrfSig);
        tickets.put(ticket, new Ticket(user, csrf, now));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", user);
        m.put("ticket", ticket);
        m.put("CSRFPreventionToken", csrf);
        m.put("cap", Map.of("vms", Map.of("VM.Allocate", 1, "VM.PowerMgmt", 1)));
        return m;
    }

    private boolean fresh(Ticket t) {
        return System.currentTimeMillis() - t.issuedMillis() < ticketLifetimeMillis;
    }

    /** The authenticated user ({@code user@realm!tokenid} for tokens), or a 401 after the failure delay. */
    String authenticate(SimRequest request) {
        String auth = request.header("authorization");
        if (auth != null && auth.startsWith("PVEAPIToken")) {
            String rest = auth.substring("PVEAPIToken".length());
            if (!rest.isEmpty() && (rest.charAt(0) == '=' || rest.charAt(0) == ' ')) {
                String value = PveForms.percentDecode(rest.substring(1).trim(), false);
                int bang = value.indexOf('!');
                int eq = bang < 0 ? -1 : value.indexOf('=', bang);
                if (eq > 0 && value.substring(0, eq).equals(tokenId) && value.substring(eq + 1).equals(tokenSecret)) {
                    return tokenId;
                }
                if (eq > 0 && value.substring(eq + 1).equals(extraTokens.get(value.substring(0, eq)))) {
                    return value.substring(0, eq);
                }
            }
            throw refused("invalid token value!");
        }
        String ticketValue = null;
        for (String cookieHeader : request.headers().getOrDefault("cookie", List.of())) {
            for (String c : cookieHeader.split(";")) {
                String t = c.trim();
                if (t.startsWith("PVEAuthCookie=")) {
                    ticketValue = PveForms.percentDecode(t.substring("PVEAuthCookie=".length()), false);
                }
            }
        }
        if (ticketValue == null) {
            throw refused("No ticket");
        }
        Ticket t = tickets.get(ticketValue);
        if (t == null || !fresh(t)) {
            throw refused("permission denied - invalid PVE ticket");
        }
        if (!"GET".equals(request.method()) && !t.csrf().equals(request.header("csrfpreventiontoken"))) {
            throw refused("permission denied - invalid csrf token");
        }
        return t.user();
    }

    /** The real server answers every 401 after a delay (3 s), slowing down guessing. */
    private PveError refused(String message) {
        if (failureDelayMillis > 0) {
            try {
                Thread.sleep(failureDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new PveError(401, message);
    }
}
