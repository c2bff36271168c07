package dev.cookies.store.cookie;

import static dev.cookies.store.cookie.Fixtures.COOKIE;
import static dev.cookies.store.cookie.Fixtures.KEY1;
import static dev.cookies.store.cookie.Fixtures.KEY2;
import static dev.cookies.store.cookie.Fixtures.SESSION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.SessionConfigException;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.SessionStore;
import dev.cookies.spi.StoreContext;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code cookie:} scheme, through the core's store registry (ServiceLoader) and the provider directly. */
class CookieStoreProviderTest {

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));

    @AfterEach
    void clearProperty() {
        System.clearProperty("cookies.keys");
    }

    private SessionManager.Builder builder(String uri) {
        return SessionManager.builder(SESSION).store(uri).clock(clock);
    }

    private static void assertNoKeyIn(SessionConfigException e) {
        for (String key : new String[] {KEY1, KEY2}) {
            assertFalse(e.getMessage().contains(key.substring(0, 12)), "the message repeats a key: " + e.getMessage());
        }
    }

    @Test
    @DisplayName("cookie: with keys in a setting gives a client-side manager that seals with the first key")
    void fromSetting() {
        SessionManager manager = builder("cookie:").setting("cookies.keys", KEY1 + ", " + KEY2).build();
        assertTrue(manager.isClientSide());
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
        browser.request("POST", open -> open.session(SESSION).update(s -> s.put("user", "alice")));
        String cookie = browser.cookie(COOKIE).orElseThrow();
        assertTrue(Fixtures.store(clock, KEY1).open(cookie).isPresent());
        assertTrue(Fixtures.store(clock, KEY2).open(cookie).isEmpty());
        assertTrue(manager.toString().contains("cookie (Fernet, 2 keys)"), manager.toString());
        manager.close();
    }

    @Test
    @DisplayName("cookie: reads the system property cookies.keys, and uses the manager's clock")
    void fromSystemProperty() {
        System.setProperty("cookies.keys", KEY2);
        SessionManager manager = builder("cookie:").build();
        CookieSessionStore byKey2 = Fixtures.store(clock, KEY2);
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
        // 61 s ahead of the manager's (mutable) clock: rejected only if the store judges by that clock.
        browser.setCookie(COOKIE, byKey2.seal(Fixtures.utf8("{\"a\":1}"), clock.instant().plusSeconds(61)));
        assertEquals(true, Fixtures.read(browser, s -> s.isNew()));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Map.of("a", 1), Fixtures.read(browser, s -> s.asMap()));
    }

    @Test
    @DisplayName("an explicit setting wins over the system property")
    void settingWins() {
        System.setProperty("cookies.keys", KEY2);
        SessionManager manager = builder("cookie:").setting("cookies.keys", KEY1).build();
        FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
        browser.request("POST", open -> open.session(SESSION).update(s -> s.put("n", 1)));
        assertTrue(Fixtures.store(clock, KEY1).open(browser.cookie(COOKIE).orElseThrow()).isPresent());
    }

    @Test
    @DisplayName("cookie:?resealOnRead=true turns re-seal on read on")
    void resealOnReadParameter() {
        StoreContext context = StoreContext.of(URI.create("cookie:/?resealOnRead=true"), clock, Map.of("cookies.keys", KEY1 + "," + KEY2));
        CookieSessionStore store = (CookieSessionStore) new CookieStoreProvider().create(context);
        assertEquals("cookie (Fernet, 2 keys, re-seal on read)", store.description());
        assertTrue(store.open(Fixtures.store(clock, KEY2).seal(new byte[] {'{', '}'}, clock.instant())).orElseThrow().reseal());
    }

    @Test
    @DisplayName("missing keys fail at build time, naming cookies.keys, COOKIES_KEYS and how to make a key")
    void missingKeys() {
        // Only meaningful where the environment does not set COOKIES_KEYS.
        if (System.getenv("COOKIES_KEYS") != null) {
            assertTrue(builder("cookie:").build().isClientSide());
            return;
        }
        SessionConfigException e = assertThrows(SessionConfigException.class, () -> builder("cookie:").build());
        assertEquals("cookies.keys", e.setting());
        assertTrue(e.getMessage().contains("COOKIES_KEYS"), e.getMessage());
        assertTrue(e.getMessage().contains("java -jar cookies-store-cookie.jar"), e.getMessage());
    }

    @Test
    @DisplayName("malformed keys fail at build time, naming cookies.keys and the key's position, never the key")
    void malformedKeys() {
        String standard = java.util.Base64.getEncoder().encodeToString(java.util.Base64.getUrlDecoder().decode(KEY2));
        for (String keys : new String[] {KEY1 + "," + KEY2.substring(0, 30), KEY1 + ",", KEY1 + "," + standard, " ", KEY1 + ";" + KEY2}) {
            SessionConfigException e = assertThrows(SessionConfigException.class,
                    () -> builder("cookie:").setting("cookies.keys", keys).build(), keys);
            assertEquals("cookies.keys", e.setting());
            assertTrue(e.getMessage().matches("(?s).*key #\\d of \\d.*"), e.getMessage());
            assertNoKeyIn(e);
        }
    }

    @Test
    @DisplayName("key material in the URI is refused, without repeating it")
    void keysInUri() {
        for (String uri : new String[] {"cookie:?key=" + KEY1, "cookie:?keys=" + KEY1 + "," + KEY2, "cookie:?secret=" + KEY1,
                "cookie:?Key=" + KEY1, "cookie:?" + KEY1, "cookie:" + KEY1, "cookie://" + KEY1, "cookie:/" + KEY1}) {
            SessionConfigException e = assertThrows(SessionConfigException.class,
                    () -> builder(uri).setting("cookies.keys", KEY2).build(), uri);
            assertEquals("store", e.setting(), e.getMessage());
            assertNoKeyIn(e);
            assertTrue(e.getMessage().contains("cookies.keys"), e.getMessage());
        }
    }

    @Test
    @DisplayName("an unknown parameter or a bad resealOnRead value is refused")
    void badParameters() {
        SessionConfigException unknown = assertThrows(SessionConfigException.class,
                () -> builder("cookie:?maxAge=10").setting("cookies.keys", KEY1).build());
        assertTrue(unknown.getMessage().contains("unknown parameter 'maxAge'"), unknown.getMessage());
        assertThrows(SessionConfigException.class, () -> builder("cookie:?resealOnRead=yes").setting("cookies.keys", KEY1).build());
    }

    /** The smallest real server-side store, only to be offered as a mirror. */
    private static final class MapStore implements ServerSideStore {
        private final Map<String, byte[]> map = new ConcurrentHashMap<>();

        @Override
        public Optional<byte[]> load(String id, Duration ttl) {
            return Optional.ofNullable(map.get(id));
        }

        @Override
        public void save(String id, byte[] data, Duration ttl) {
            map.put(id, data.clone());
        }

        @Override
        public void delete(String id) {
            map.remove(id);
        }

        @Override
        public void touch(String id, Duration ttl) {
        }

        @Override
        public String description() {
            return "map";
        }
    }

    @Test
    @DisplayName("a cookie store with mirrors fails at build time, by instance or by URI")
    void noMirrors() {
        SessionConfigException byInstance = assertThrows(SessionConfigException.class, () -> SessionManager.builder(SESSION)
                .store(Fixtures.store(clock, KEY1)).mirror(new MapStore()).build());
        assertEquals("mirrors", byInstance.setting());
        SessionConfigException byUri = assertThrows(SessionConfigException.class,
                () -> builder("cookie:").setting("cookies.keys", KEY1).mirror(new MapStore()).build());
        assertEquals("mirrors", byUri.setting());
        assertTrue(byUri.getMessage().contains("cannot have mirrors"), byUri.getMessage());
        SessionConfigException asMirror = assertThrows(SessionConfigException.class, () -> SessionManager.builder(SESSION)
                .store(new MapStore()).mirror("cookie:").setting("cookies.keys", KEY1).build());
        assertEquals("mirrors", asMirror.setting());
    }

    @Test
    @DisplayName("the provider serves exactly the scheme cookie and creates a fresh store each time")
    void provider() {
        CookieStoreProvider provider = new CookieStoreProvider();
        assertEquals(java.util.Set.of("cookie"), provider.schemes());
        StoreContext context = StoreContext.of(URI.create("cookie:/"), clock, Map.of("cookies.keys", KEY1));
        SessionStore a = provider.create(context);
        SessionStore b = provider.create(context);
        assertTrue(a != b);
        assertEquals("cookie (Fernet, 1 key)", a.description());
    }
}
