package dev.cookies.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.AuthSession;
import dev.cookies.LockPolicy;
import dev.cookies.LoginOptions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Scenarios through the engine that every kind of store runs, server-side and client-side alike. */
final class ContractScenarios {

    /** A user as applications model one: a record. */
    record ContractUser(String name, List<String> roles, int level) {
    }

    private ContractScenarios() {
    }

    /** Logs a record user in with remember-me, reads it back typed and as plain JSON, logs out. */
    static void recordUserRoundTrips(SessionStore store, Clock clock) {
        SessionManager.Builder builder = SessionManager.builder("auth").clock(clock).lockPolicy(LockPolicy.STRICT);
        Sessions sessions = Sessions.of(builder.store(store).build());
        FakeBrowser browser = new FakeBrowser(sessions);
        ContractUser alice = new ContractUser("alice", List.of("admin", "ops"), 3);
        FakeBrowser.Response login = browser.request("POST", open -> AuthSession.of(open.session("auth"))
                .login(alice, LoginOptions.rememberMe(Duration.ofDays(7))));
        assertTrue(login.cookie("AUTH").isPresent(), "login sent no cookie");
        browser.request("GET", open -> {
            AuthSession auth = AuthSession.of(open.session("auth"));
            assertEquals(alice, auth.user(ContractUser.class).orElseThrow());
            assertEquals(Map.of("name", "alice", "roles", List.of("admin", "ops"), "level", 3), auth.user().orElseThrow());
        });
        browser.request("POST", open -> AuthSession.of(open.session("auth")).logout());
        browser.request("GET", open -> assertTrue(AuthSession.of(open.session("auth")).user().isEmpty()));
    }
}
