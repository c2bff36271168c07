package dev.cookies.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.AuthSession;
import dev.cookies.LockPolicy;
import dev.cookies.LoginOptions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.SessionStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Scenarios through the engine that every kind of store runs, server-side and client-side alike. */
final class ContractScenarios {

    /** A user as applications model one: a record. */
    record ContractUser(String name, List<String> roles, int level) {
    }

    /** An application's enum. */
    enum Tier { FREE, PRO }

    /** A record of every value type the default codec must carry, nested and in collections. */
    record Everything(Instant instant, LocalDate date, LocalDateTime dateTime, Duration duration, ZonedDateTime zoned,
                      Optional<String> present, Optional<String> absent, UUID uuid, BigDecimal money, Tier tier,
                      ContractUser user, List<Instant> instants, Map<String, LocalDate> dates,
                      List<Map<String, ContractUser>> nested, BigDecimal huge) {
    }

    private ContractScenarios() {
    }

    /** A value of every type listed in {@link Everything}, with edge values (a zone in DST, nanoseconds). */
    static Everything everything() {
        return new Everything(Instant.parse("2026-11-30T10:15:30.123456789Z"), LocalDate.of(2024, 2, 29),
                LocalDateTime.of(2026, 11, 30, 23, 59, 1, 500), Duration.ofHours(36).plusMillis(5),
                ZonedDateTime.of(2026, 3, 29, 3, 30, 0, 0, ZoneId.of("Europe/Paris")), Optional.of("here"), Optional.empty(),
                UUID.fromString("3f1c8a64-2d5e-4f3b-9a7c-0e1d2c3b4a59"), new BigDecimal("12345678901234567890.000000001"),
                Tier.PRO, new ContractUser("bob", List.of("a"), 2),
                List.of(Instant.EPOCH, Instant.parse("2000-01-01T00:00:00Z")), Map.of("leap", LocalDate.of(2000, 2, 29)),
                List.of(Map.of("k", new ContractUser("deep", List.of(), 0))), new BigDecimal("1e999"));
    }

    /** Stores a record of every value type with the default codec, and reads it back typed in the next request. */
    static void appTypesRoundTrip(SessionStore store, Clock clock) {
        Sessions sessions = Sessions.of(SessionManager.builder("session").clock(clock).lockPolicy(LockPolicy.STRICT)
                .store(store).build());
        FakeBrowser browser = new FakeBrowser(sessions);
        Everything value = everything();
        browser.request("POST", open -> open.session("session").update(s -> s.put("everything", value)));
        assertTrue(browser.cookie("SESSION").isPresent(), "no cookie was sent");
        browser.request("GET", open -> assertEquals(value,
                open.session("session").get("everything", Everything.class).orElseThrow(), "read back typed"));
        browser.request("POST", open -> open.session("session").update(s -> s.put("again", 1)));
        browser.request("GET", open -> assertEquals(value,
                open.session("session").get("everything", Everything.class).orElseThrow(), "after another save"));
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
