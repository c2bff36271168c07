package dev.cookies.store.cookie;

import static dev.cookies.store.cookie.Fixtures.KEY1;
import static dev.cookies.store.cookie.Fixtures.KEY2;
import static dev.cookies.store.cookie.Fixtures.KEY3;
import static dev.cookies.store.cookie.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.SessionConfigException;
import dev.cookies.testkit.MutableClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The store on its own: keys, which key seals, the re-seal flag, and its time checks. */
class CookieSessionStoreTest {

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final byte[] payload = utf8("{\"user\":\"alice\"}");

    @Test
    @DisplayName("the first key seals: the value opens under the first key alone, not under the second alone")
    void firstKeySeals() {
        String sealed = Fixtures.store(clock, KEY1, KEY2).seal(payload, clock.instant());
        assertTrue(Fixtures.store(clock, KEY1).open(sealed).isPresent());
        assertTrue(Fixtures.store(clock, KEY2).open(sealed).isEmpty());
    }

    @Test
    @DisplayName("every key opens; re-seal is asked only for a non-first key with resealOnRead on")
    void everyKeyOpens() {
        String byKey2 = Fixtures.store(clock, KEY2).seal(payload, clock.instant());
        String byKey1 = Fixtures.store(clock, KEY1).seal(payload, clock.instant());
        CookieSessionStore lazy = Fixtures.store(clock, KEY1, KEY2);
        CookieSessionStore eager = CookieSessionStore.builder().keys(KEY1, KEY2).resealOnRead(true).clock(clock).build();

        assertArrayEquals(payload, lazy.open(byKey2).orElseThrow().payload());
        assertFalse(lazy.open(byKey2).orElseThrow().reseal(), "re-seal on read is off by default");
        assertTrue(eager.open(byKey2).orElseThrow().reseal(), "an older key opened it and re-seal on read is on");
        assertFalse(eager.open(byKey1).orElseThrow().reseal(), "the first key opened it");
        assertTrue(Fixtures.store(clock, KEY1, KEY3).open(byKey2).isEmpty(), "an unlisted key's value opened");
    }

    @Test
    @DisplayName("the token's timestamp is issuedAt in whole seconds, and open returns it")
    void timestamp() {
        Instant issued = Instant.parse("2026-03-01T11:45:30.987Z");
        String sealed = Fixtures.store(clock, KEY1).seal(payload, issued);
        byte[] raw = Fixtures.decode(sealed);
        assertEquals(0x80, raw[0] & 0xff);
        assertEquals(issued.getEpochSecond(), ByteBuffer.wrap(raw, 1, 8).getLong());
        assertEquals(Instant.parse("2026-03-01T11:45:30Z"), Fixtures.store(clock, KEY1).open(sealed).orElseThrow().issuedAt());
    }

    @Test
    @DisplayName("a token up to 60 s in the future opens; 61 s does not")
    void clockSkew() {
        CookieSessionStore store = Fixtures.store(clock, KEY1);
        assertTrue(store.open(store.seal(payload, clock.instant().plusSeconds(60))).isPresent());
        assertTrue(store.open(store.seal(payload, clock.instant().plusSeconds(61))).isEmpty());
        clock.advance(Duration.ofSeconds(1));
        String sealedAhead = store.seal(payload, clock.instant().plusSeconds(61));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(store.open(sealedAhead).isPresent(), "the skew is judged by the store's clock");
    }

    @Test
    @DisplayName("timestamps are unsigned: one with the top bit set is far in the future, not in 1970")
    void unsignedTimestamp() {
        Fernet fernet = Fernet.fromKey(KEY1);
        for (long ts : new long[] {-1L, Long.MIN_VALUE, 0x8000_0000_0000_0001L, clock.instant().getEpochSecond() | Long.MIN_VALUE}) {
            String token = fernet.encrypt(payload, ts);
            assertTrue(Fixtures.store(clock, KEY1).open(token).isEmpty(), "timestamp " + Long.toUnsignedString(ts));
            assertTrue(fernet.decrypt(token, clock.instant().getEpochSecond(), 60).isEmpty());
            assertTrue(fernet.decrypt(token, clock.instant().getEpochSecond(), -1).isEmpty());
        }
        String epoch = fernet.encrypt(payload, 0);
        assertEquals(Instant.EPOCH, Fixtures.store(clock, KEY1).open(epoch).orElseThrow().issuedAt(),
                "a very old token opens; its age is the engine's concern");
    }

    @Test
    @DisplayName("seal refuses a time before 1970, which a Fernet timestamp cannot hold")
    void sealBeforeEpoch() {
        CookieSessionStore store = Fixtures.store(clock, KEY1);
        assertThrows(IllegalArgumentException.class, () -> store.seal(payload, Instant.parse("1969-12-31T23:59:59Z")));
        assertThrows(NullPointerException.class, () -> store.seal(null, clock.instant()));
        assertThrows(NullPointerException.class, () -> store.seal(payload, null));
    }

    @Test
    @DisplayName("open of null is empty")
    void openNull() {
        assertTrue(Fixtures.store(clock, KEY1).open(null).isEmpty());
    }

    @Test
    @DisplayName("a value over 4096 characters is refused before any crypto, even if it is a valid token")
    void tooLong() {
        Fernet fernet = Fernet.fromKey(KEY1);
        String big = fernet.encrypt(new byte[3100], clock.instant().getEpochSecond());
        assertTrue(big.length() > 4096);
        assertTrue(fernet.decrypt(big, clock.instant().getEpochSecond(), -1).isEmpty());
        String fits = fernet.encrypt(new byte[3000], clock.instant().getEpochSecond());
        assertTrue(fits.length() <= 4096);
        assertTrue(Fixtures.store(clock, KEY1).open(fits).isPresent());
    }

    @Test
    @DisplayName("generateKey makes distinct 44-character url-safe keys that the builder accepts")
    void generateKey() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String key = CookieSessionStore.generateKey();
            assertTrue(key.matches("[A-Za-z0-9_-]{43}="), key);
            assertEquals(32, Base64.getUrlDecoder().decode(key).length);
            keys.add(key);
        }
        assertEquals(100, keys.size());
        CookieSessionStore store = CookieSessionStore.builder().keys(List.copyOf(keys)).clock(clock).build();
        assertTrue(store.open(store.seal(payload, clock.instant())).isPresent());
    }

    @Test
    @DisplayName("the builder needs a key, and names the setting and the key's position, never the key")
    void builderErrors() {
        SessionConfigException none = assertThrows(SessionConfigException.class, () -> CookieSessionStore.builder().build());
        assertEquals("keys", none.setting());
        assertTrue(none.getMessage().contains("java -jar cookies-store-cookie.jar"), none.getMessage());
        assertEquals("keys", assertThrows(SessionConfigException.class, () -> CookieSessionStore.builder().keys()).setting());
        assertEquals("keys", assertThrows(SessionConfigException.class,
                () -> CookieSessionStore.builder().keys(List.of())).setting());

        String standardAlphabet = Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(KEY2));
        assertTrue(standardAlphabet.contains("/"), "test precondition: KEY2 has '_' in url-safe form");
        List<String> bad = List.of(
                standardAlphabet,
                KEY1.substring(0, 43),                 // padding missing
                KEY1.substring(0, 40),                 // too short
                KEY1 + "AAAA",                         // too long
                Base64.getUrlEncoder().encodeToString(new byte[16]),
                "not a key at all, but long enough!!!!!!!!!!",
                KEY1.substring(0, 20) + " " + KEY1.substring(21),
                KEY1.substring(0, 42) + "B=",          // non-canonical last character
                "");
        for (String key : bad) {
            SessionConfigException e = assertThrows(SessionConfigException.class,
                    () -> CookieSessionStore.builder().keys(KEY1, key), "accepted a malformed key");
            assertEquals("keys", e.setting());
            assertTrue(e.getMessage().contains("key #2 of 2"), e.getMessage());
            if (key.length() > 8) {
                assertFalse(e.getMessage().contains(key.substring(0, 8)), "the message repeats the key: " + e.getMessage());
            }
            assertFalse(e.getMessage().contains(KEY1.substring(0, 8)), "the message repeats a key");
        }
        assertThrows(NullPointerException.class, () -> CookieSessionStore.builder().keys((List<String>) null));
        assertThrows(NullPointerException.class, () -> CookieSessionStore.builder().clock(null));
    }

    @Test
    @DisplayName("surrounding whitespace around a key is ignored")
    void keyWhitespace() {
        CookieSessionStore store = CookieSessionStore.builder().keys("  " + KEY1 + "\n").clock(clock).build();
        assertTrue(Fixtures.store(clock, KEY1).open(store.seal(payload, clock.instant())).isPresent());
    }

    @Test
    @DisplayName("the description counts keys and shows none")
    void description() {
        CookieSessionStore store = CookieSessionStore.builder().keys(KEY1, KEY2).resealOnRead(true).build();
        assertEquals("cookie (Fernet, 2 keys, re-seal on read)", store.description());
        assertEquals("cookie (Fernet, 1 key)", Fixtures.store(clock, KEY1).description());
        assertFalse(store.toString().contains(KEY1.substring(0, 10)));
    }
}
