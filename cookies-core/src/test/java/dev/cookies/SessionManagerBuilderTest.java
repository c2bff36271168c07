package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.spi.ClientSideStore;
import dev.cookies.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionManagerBuilderTest {

    static final class NullClientStore implements ClientSideStore {
        @Override
        public Optional<Unsealed> open(String cookieValue) {
            return Optional.empty();
        }

        @Override
        public String seal(byte[] payload, Instant issuedAt) {
            return "x";
        }

        @Override
        public String description() {
            return "client";
        }
    }

    private static String failingSetting(Runnable r) {
        return assertThrows(SessionConfigException.class, r::run).setting();
    }

    @Test
    @DisplayName("an idle timeout or absolute lifetime over 400 days fails naming the setting")
    void lifetimeCap() {
        assertEquals("idleTimeout", failingSetting(() -> SessionManager.builder("s").idleTimeout(Duration.ofDays(401))));
        assertEquals("absoluteTimeout", failingSetting(() -> SessionManager.builder("s").absoluteTimeout(Duration.ofDays(401))));
        SessionManager.builder("s").idleTimeout(Duration.ofDays(400)).absoluteTimeout(Duration.ofDays(400))
                .store(new NullServerStore()).build();
    }

    @Test
    @DisplayName("zero, negative and sub-second timeouts fail naming the setting")
    void tooShort() {
        assertEquals("idleTimeout", failingSetting(() -> SessionManager.builder("s").idleTimeout(Duration.ZERO)));
        assertEquals("idleTimeout", failingSetting(() -> SessionManager.builder("s").idleTimeout(Duration.ofSeconds(-5))));
        assertEquals("absoluteTimeout", failingSetting(() -> SessionManager.builder("s").absoluteTimeout(Duration.ofMillis(10))));
    }

    @Test
    @DisplayName("an absolute lifetime shorter than the idle timeout fails at build time")
    void absoluteShorterThanIdle() {
        assertEquals("absoluteTimeout", failingSetting(() -> SessionManager.builder("s").store(new NullServerStore())
                .idleTimeout(Duration.ofHours(2)).absoluteTimeout(Duration.ofHours(1)).build()));
    }

    @Test
    @DisplayName("cookie settings given through the builder are checked there")
    void cookieChecks() {
        assertEquals("cookie.sameSite", failingSetting(() -> SessionManager.builder("s").cookie(c -> c.sameSite(SameSite.NONE))));
        assertEquals("cookie.name", failingSetting(() -> SessionManager.builder("s").cookie(CookieSettings.of("a;b"))));
        assertEquals("cookie.path", failingSetting(() -> SessionManager.builder("s").cookie(c -> c.path("/x\r\nSet-Cookie: evil=1"))));
    }

    @Test
    @DisplayName("the default cookie is the session name upper-cased")
    void defaultCookieName() {
        SessionManager m = SessionManager.builder("auth").store(new NullServerStore()).build();
        assertEquals("AUTH", m.cookie().name());
    }

    @Test
    @DisplayName("a missing store, a store set twice, and a bad name fail naming the setting")
    void storeAndName() {
        assertEquals("store", failingSetting(() -> SessionManager.builder("s").build()));
        assertEquals("store", failingSetting(() -> SessionManager.builder("s").store(new NullServerStore()).store(new NullServerStore())));
        assertEquals("name", failingSetting(() -> SessionManager.builder("bad name")));
        assertEquals("name", failingSetting(() -> SessionManager.builder("")));
    }

    @Test
    @DisplayName("a client-side store with mirrors fails naming mirrors")
    void clientSideWithMirrors() {
        assertEquals("mirrors", failingSetting(() -> SessionManager.builder("s").store(new NullClientStore())
                .mirror(new NullServerStore()).build()));
    }

    @Test
    @DisplayName("a store that is both kinds, or neither, is refused")
    void storeKinds() {
        class Both extends NullServerStore implements ClientSideStore {
            @Override
            public Optional<Unsealed> open(String cookieValue) {
                return Optional.empty();
            }

            @Override
            public String seal(byte[] payload, Instant issuedAt) {
                return "x";
            }
        }
        assertEquals("store", failingSetting(() -> SessionManager.builder("s").store(new Both())));
        SessionStore neither = () -> "neither";
        assertEquals("store", failingSetting(() -> SessionManager.builder("s").store(neither)));
    }

    @Test
    @DisplayName("an unknown store scheme names the module to add and lists the schemes found")
    void unknownScheme() {
        SessionConfigException e = assertThrows(SessionConfigException.class,
                () -> SessionManager.builder("s").store("redis://localhost:6379/0").build());
        assertEquals("store", e.setting());
        assertTrue(e.getMessage().contains("cookies-store-redis"), e.getMessage());
        assertTrue(e.getMessage().contains("Schemes found"), e.getMessage());
    }

    @Test
    @DisplayName("a malformed store URI fails naming store, without echoing credentials")
    void malformedUri() {
        SessionConfigException e = assertThrows(SessionConfigException.class,
                () -> SessionManager.builder("s").store("redis://user:secret@host:port:bad/").build());
        assertEquals("store", e.setting());
        assertTrue(!e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    @DisplayName("two managers with one name or one cookie cannot run side by side")
    void sessionsSideBySide() {
        SessionManager a = SessionManager.builder("a").store(new NullServerStore()).build();
        SessionManager a2 = SessionManager.builder("a").cookie(CookieSettings.of("OTHER")).store(new NullServerStore()).build();
        SessionManager b = SessionManager.builder("b").cookie(CookieSettings.of("A")).store(new NullServerStore()).build();
        assertEquals("sessions", assertThrows(SessionConfigException.class, () -> Sessions.of(a, a2)).setting());
        assertEquals("sessions", assertThrows(SessionConfigException.class, () -> Sessions.of(a, b)).setting());
        assertEquals("sessions", assertThrows(SessionConfigException.class, () -> Sessions.of()).setting());
    }

    @Test
    @DisplayName("a negative or very long lock wait fails naming lockWait")
    void lockWait() {
        assertEquals("lockWait", failingSetting(() -> SessionManager.builder("s").lockWait(Duration.ofMillis(-1))));
        assertEquals("lockWait", failingSetting(() -> SessionManager.builder("s").lockWait(Duration.ofHours(1))));
    }
}
