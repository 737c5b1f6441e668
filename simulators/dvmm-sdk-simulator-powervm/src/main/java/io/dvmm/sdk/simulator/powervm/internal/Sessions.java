package io.dvmm.sdk.simulator.powervm.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** API sessions: {@code X-API-Session} tokens issued by logon, with idle expiry. Thread-safe. */
public final class Sessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Settings settings;
    private final String user;
    private final String password;
    private final Map<String, Session> live = new ConcurrentHashMap<>();
    private final List<String> issued = new ArrayList<>();

    public Sessions(Settings settings, String user, String password) {
        this.settings = settings;
        this.user = user;
        this.password = password;
    }

    /** One API session. */
    public static final class Session {
        private final String token;
        private volatile Instant lastUsed = Instant.now();

        Session(String token) {
            this.token = token;
        }

        public String token() {
            return token;
        }
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A new token for the right credentials, empty otherwise. */
    public Optional<String> logon(String userId, String pass) {
        if (!user.equals(userId) || !password.equals(pass)) {
            return Optional.empty();
        }
        byte[] raw = new byte[144];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        live.put(token, new Session(token));
        synchronized (issued) {
            issued.add(token);
        }
        return Optional.of(token);
    }

    /** The live session of a token (refreshing its idle time), empty when unknown or expired. */
    public Optional<Session> lookup(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Session s = live.get(token);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        if (s.lastUsed.plus(settings.sessionIdleTimeout).isBefore(now)) {
            live.remove(token);
            return Optional.empty();
        }
        s.lastUsed = now;
        return Optional.of(s);
    }

    public boolean logoff(String token) {
        return token != null && live.remove(token) != null;
    }

    public void expireAll() {
        live.clear();
    }

    public int liveCount() {
        return live.size();
    }

    /** Every token ever issued, for tests proving none leaks into logs. */
    public List<String> issuedTokens() {
        synchronized (issued) {
            return List.copyOf(issued);
        }
    }
}
