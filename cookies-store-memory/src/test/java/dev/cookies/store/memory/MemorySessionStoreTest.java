package dev.cookies.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.SessionConfigException;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.SessionIdGenerator;
import dev.cookies.spi.StoreContext;
import dev.cookies.testkit.Await;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MemorySessionStoreTest {

    private static final SessionIdGenerator IDS = SessionIdGenerator.secureRandom();

    @Test
    @DisplayName("expired entries are removed in the background, without any read or write touching the store")
    void backgroundExpiry() {
        MemorySessionStore store = MemorySessionStore.create();
        for (int i = 0; i < 100; i++) {
            store.save(IDS.newId(), new byte[] {1}, Duration.ofMillis(200));
        }
        String keeper = IDS.newId();
        store.save(keeper, new byte[] {2}, Duration.ofMinutes(10));
        assertEquals(101, store.estimatedSize());
        // estimatedSize counts entries not yet removed; only the background clean-up can bring it down
        // here, because nothing calls the store while we wait.
        Await.until(Duration.ofSeconds(20), "the scheduler to remove expired entries", () -> store.estimatedSize() == 1);
        assertTrue(store.load(keeper, Duration.ofMinutes(10)).isPresent());
    }

    @Test
    @DisplayName("the clean-up removes entries at the expiry a load slid forward or a touch brought closer")
    void cleanUpFollowsMovedExpiries() {
        MutableClock clock = MutableClock.now();
        MemorySessionStore store = MemorySessionStore.builder().clock(clock).build();
        String slid = IDS.newId();
        String untouched = IDS.newId();
        String shortened = IDS.newId();
        store.save(slid, new byte[] {1}, Duration.ofMinutes(1));
        store.save(untouched, new byte[] {2}, Duration.ofMinutes(1));
        store.save(shortened, new byte[] {3}, Duration.ofMinutes(10));
        clock.advance(Duration.ofSeconds(50));
        assertTrue(store.load(slid, Duration.ofMinutes(1)).isPresent());
        store.touch(shortened, Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(40));
        store.cleanUp();
        // estimatedSize counts what is stored, expired or not: only the clean-up changes it here.
        assertEquals(1, store.estimatedSize(), "the slid entry alone should remain");
        clock.advance(Duration.ofSeconds(30));
        store.cleanUp();
        assertEquals(0, store.estimatedSize());
        assertEquals(0, store.usedBytes());
        store.close();
    }

    @Test
    @DisplayName("the size bound evicts")
    void sizeBound() {
        MemorySessionStore store = MemorySessionStore.builder().maximumSize(100).build();
        for (int i = 0; i < 1_000; i++) {
            store.save(IDS.newId(), new byte[] {1}, Duration.ofMinutes(10));
        }
        store.cleanUp();
        assertTrue(store.estimatedSize() <= 100, "size " + store.estimatedSize());
    }

    @Test
    @DisplayName("the URI memory: configures the store; an unknown parameter or a bad maximumSize is refused")
    void fromUri() {
        SessionManager m = SessionManager.builder("session").store("memory:?maximumSize=5").build();
        FakeBrowser browser = new FakeBrowser(Sessions.of(m));
        browser.request("POST", open -> open.session("session").update(s -> s.put("a", 1)));
        browser.request("GET", open -> assertEquals(1, open.session("session").get("a", Integer.class).orElseThrow()));
        m.close();
        assertEquals("store", assertThrows(SessionConfigException.class,
                () -> SessionManager.builder("s").store("memory:?size=5").build()).setting());
        assertEquals("store", assertThrows(SessionConfigException.class,
                () -> SessionManager.builder("s").store("memory:?maximumSize=lots").build()).setting());
        assertEquals("maximumSize", assertThrows(SessionConfigException.class,
                () -> SessionManager.builder("s").store("memory:?maximumSize=0").build()).setting());
    }

    private static MemorySessionStore fromUri(String uri) {
        return (MemorySessionStore) new MemoryStoreProvider().create(
                StoreContext.of(URI.create(uri), Clock.systemUTC(), Map.of()));
    }

    @Test
    @DisplayName("maximumBytes in the URI takes bytes or k, m, g in any case; maximumSize sits beside it")
    void maximumBytesFromUri() {
        try (MemorySessionStore store = fromUri("memory:?maximumBytes=256m&maximumSize=1000")) {
            assertEquals(256L << 20, store.maximumBytes());
            assertEquals(1000, store.maximumSize());
            assertEquals("memory (maximumBytes 268435456, maximumSize 1000)", store.description());
        }
        try (MemorySessionStore store = fromUri("memory:?maximumBytes=2G")) {
            assertEquals(2L << 30, store.maximumBytes());
            assertEquals(MemorySessionStore.DEFAULT_MAXIMUM_SIZE, store.maximumSize());
        }
        try (MemorySessionStore store = fromUri("memory:?maximumBytes=4096k")) {
            assertEquals(4L << 20, store.maximumBytes());
        }
        try (MemorySessionStore store = fromUri("memory:?maximumBytes=1048576")) {
            assertEquals(1L << 20, store.maximumBytes());
        }
        try (MemorySessionStore store = fromUri("memory:/")) {
            assertEquals(MemorySessionStore.defaultMaximumBytes(), store.maximumBytes());
        }
    }

    @Test
    @DisplayName("a bad maximumBytes fails the build naming it: unreadable values as the store URI, small ones as maximumBytes")
    void badMaximumBytes() {
        for (String unreadable : new String[] {"lots", "", "m", "-5m", "+5m", "1.5g", "5t", "5 m", "9999999999g"}) {
            SessionConfigException e = assertThrows(SessionConfigException.class,
                    () -> SessionManager.builder("s").store("memory:?maximumBytes=" + unreadable).build(), unreadable);
            assertEquals("store", e.setting(), unreadable);
            assertTrue(e.getMessage().contains("maximumBytes must be a number of bytes"), e.getMessage());
        }
        for (String tooSmall : new String[] {"0", "1023k", "1048575"}) {
            SessionConfigException e = assertThrows(SessionConfigException.class,
                    () -> SessionManager.builder("s").store("memory:?maximumBytes=" + tooSmall).build(), tooSmall);
            assertEquals("maximumBytes", e.setting(), tooSmall);
            assertTrue(e.getMessage().contains("must be at least 1048576"), e.getMessage());
        }
        SessionConfigException unknown = assertThrows(SessionConfigException.class,
                () -> SessionManager.builder("s").store("memory:?maxBytes=1g").build());
        assertEquals("store", unknown.setting());
        assertTrue(unknown.getMessage().contains("maximumBytes and maximumSize"), unknown.getMessage());
    }

    @Test
    @DisplayName("the builder refuses a byte bound under 1 MiB and a size bound under 1, naming the setting")
    void builderBounds() {
        assertEquals("maximumBytes", assertThrows(SessionConfigException.class,
                () -> MemorySessionStore.builder().maximumBytes(MemorySessionStore.MINIMUM_BYTES - 1)).setting());
        assertEquals("maximumBytes", assertThrows(SessionConfigException.class,
                () -> MemorySessionStore.builder().maximumBytes(-1)).setting());
        assertEquals("maximumSize", assertThrows(SessionConfigException.class,
                () -> MemorySessionStore.builder().maximumSize(0)).setting());
        try (MemorySessionStore store = MemorySessionStore.builder().maximumBytes(MemorySessionStore.MINIMUM_BYTES)
                .maximumSize(1).build()) {
            assertEquals(MemorySessionStore.MINIMUM_BYTES, store.maximumBytes());
            assertEquals(1, store.maximumSize());
        }
    }
}
