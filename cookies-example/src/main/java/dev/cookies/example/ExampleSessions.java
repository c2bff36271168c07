package dev.cookies.example;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.ReferenceApp;
import java.time.Duration;

/** The two sessions of the reference app: {@code session} (cookie SESSION) and {@code auth} (cookie AUTH). */
final class ExampleSessions {

    private ExampleSessions() {
    }

    static Sessions create(ExampleConfig config) {
        return Sessions.of(manager(ReferenceApp.SESSION, config), manager(ReferenceApp.AUTH, config));
    }

    private static SessionManager manager(String name, ExampleConfig config) {
        SessionManager.Builder builder = SessionManager.builder(name)
                .store(config.store())
                .idleTimeout(Duration.ofMinutes(30));
        if (!config.mirror().isEmpty()) {
            builder.mirror(config.mirror());
        }
        if (!config.keys().isEmpty()) {
            builder.setting("cookies.keys", config.keys());
        }
        return builder.build();
    }
}
