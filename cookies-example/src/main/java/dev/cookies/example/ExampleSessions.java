package dev.cookies.example;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import java.time.Duration;

/** The two sessions of the app: {@code session} (cookie SESSION) and {@code auth} (cookie AUTH). */
final class ExampleSessions {

    /** The name (and request-attribute key) of the counter's session; its cookie is {@code SESSION}. */
    static final String SESSION = "session";

    /** The name of the session that holds the login; its cookie is {@code AUTH}. */
    static final String AUTH = "auth";

    private ExampleSessions() {
    }

    static Sessions create(ExampleConfig config) {
        return Sessions.of(manager(SESSION, config), manager(AUTH, config));
    }

    private static SessionManager manager(String name, ExampleConfig config) {
        SessionManager.Builder builder = SessionManager.builder(name)
                .store(config.store())
                .idleTimeout(Duration.ofMinutes(30))
                // A working day, said explicitly rather than left to the library's default: a session in
                // use all day stays, a copied cookie stops working the same evening, and with the cookie
                // store (which cannot revoke a cookie at logout) that bound is the only one. Remember-me
                // logins ask for their own duration and keep it.
                .absoluteTimeout(Duration.ofHours(8));
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
        return builder.build();
    }
}
