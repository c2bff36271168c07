package dev.cookies.example;

import dev.cookies.IdTransport;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import java.time.Clock;
import java.time.Duration;

/** The two sessions of the app: {@code session} (cookie SESSION) and {@code auth} (cookie AUTH). */
final class ExampleSessions {

    /** The name (and request-attribute key) of the counter's session; its cookie is {@code SESSION}. */
    static final String SESSION = "session";

    /** The name of the session that holds the login; its cookie is {@code AUTH}. */
    static final String AUTH = "auth";

    /** The header that carries the {@code session} id with {@code --transport header}. */
    static final String SESSION_HEADER = "X-Session-Token";

    /** The header that carries the {@code auth} id with {@code --transport header}. */
    static final String AUTH_HEADER = "X-Auth-Token";

    private ExampleSessions() {
    }

    static Sessions create(ExampleConfig config) {
        return create(config, Clock.systemUTC());
    }

    /** The sessions on a given clock, which tests move instead of waiting. */
    static Sessions create(ExampleConfig config, Clock clock) {
        SessionManager session = manager(SESSION, SESSION_HEADER, config, clock).build();
        SessionManager.Builder auth = manager(AUTH, AUTH_HEADER, config, clock);
        if (!config.revocations().isEmpty()) {
            // The cookie store: sign out everywhere notes, per user, a time before which that user's
            // logged-in cookies no longer count (one read of this store per logged-in request).
            auth.revocations(config.revocations());
        }
        try {
            return Sessions.of(session, auth.build());
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static SessionManager.Builder manager(String name, String header, ExampleConfig config, Clock clock) {
        SessionManager.Builder builder = SessionManager.builder(name)
                .store(config.store())
                .clock(clock)
                .idleTimeout(Duration.ofMinutes(30))
                // A working day, said explicitly rather than left to the library's default: a session in
                // use all day stays, a copied cookie stops working the same evening, and with the cookie
                // store (which cannot revoke a cookie at logout) that bound is the only one. Remember-me
                // logins ask for their own duration and keep it.
                .absoluteTimeout(Duration.ofHours(8));
        if (config.headerTransport()) {
            // For API clients that keep no cookies; a server-side store only (the core refuses the cookie store).
            builder.transport(IdTransport.header(header));
        }
        if (!config.mirror().isEmpty()) {
            builder.mirror(config.mirror());
        }
        int maxSessionBytes = config.loginLimits().maxSessionBytes();
        if (name.equals(AUTH) && maxSessionBytes > 0) {
            // Logins larger than --max-body-bytes' default: the session must hold what the app accepts.
            builder.maxSessionBytes(maxSessionBytes);
        }
        if (!config.keys().isEmpty()) {
            builder.setting(ExampleConfig.KEYS_SETTING, config.keys());
        }
        return builder;
    }
}
