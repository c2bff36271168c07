package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.spi.ObjectStore;
import dev.cookies.spi.SessionCodec;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A store that keeps the core's values instead of bytes: no encoding or decoding per request, the same rules. */
class ObjectStoreTest {

    /** Keeps what it is given; counts object and byte calls apart. */
    static final class ValueStore implements ObjectStore {
        final Map<String, Object> entries = new ConcurrentHashMap<>();
        final AtomicInteger byteCalls = new AtomicInteger();
        long lastWeight;

        @Override public Optional<Object> loadObject(String id, Duration ttl) { return Optional.ofNullable(entries.get(id)); }
        @Override public void saveObject(String id, Object value, long weight, Duration ttl) {
            lastWeight = weight;
            entries.put(id, value);
        }
        @Override public Optional<byte[]> load(String id, Duration ttl) {
            byteCalls.incrementAndGet();
            return Optional.empty();
        }
        @Override public void save(String id, byte[] data, Duration ttl) { byteCalls.incrementAndGet(); }
        @Override public void delete(String id) { entries.remove(id); }
        @Override public void touch(String id, Duration ttl) { }
        @Override public String description() { return "values"; }
    }

    /** The default codec, counting encodes and decodes. */
    static final class CountingCodec implements SessionCodec {
        final AtomicInteger encodes = new AtomicInteger();
        final AtomicInteger decodes = new AtomicInteger();

        @Override public byte[] encode(Map<String, Object> data) {
            encodes.incrementAndGet();
            return SessionCodec.json().encode(data);
        }
        @Override public Map<String, Object> decode(byte[] bytes) {
            decodes.incrementAndGet();
            return SessionCodec.json().decode(bytes);
        }
        @Override public Object toPlain(Object value) { return SessionCodec.json().toPlain(value); }
        @Override public <T> T fromPlain(Object plain, Type type) { return SessionCodec.json().fromPlain(plain, type); }
    }

    @Test
    @DisplayName("a read and a locked write neither encode nor decode, and keep every rule: isolation, delta writes, rotation, size")
    void noCodecPerRequest() {
        ValueStore store = new ValueStore();
        CountingCodec codec = new CountingCodec();
        Sessions sessions = Sessions.of(SessionManager.builder("session").store(store).codec(codec)
                .lockPolicy(LockPolicy.OFF).maxSessionBytes(2048).build());
        FakeBrowser browser = new FakeBrowser(sessions);
        browser.request("POST", open -> open.session("session").update(s -> s.put("items", List.of("a"))));
        for (int i = 0; i < 5; i++) {
            browser.request("POST", open -> {
                Session s = open.session("session");
                s.get("items");
                s.update(d -> d.put("n", d.get("n", Integer.class).orElse(0) + 1));
            });
        }
        browser.request("GET", open -> assertEquals(Optional.of(5), open.session("session").get("n", Integer.class)));
        assertEquals(0, codec.encodes.get() + codec.decodes.get(), "the codec ran");
        assertEquals(0, store.byteCalls.get(), "the byte methods were used");
        assertTrue(store.lastWeight > 20 && store.lastWeight < 100, "weight " + store.lastWeight);

        FakeBrowser other = new FakeBrowser(sessions);
        other.setCookie("SESSION", browser.cookie("SESSION").orElseThrow());
        Object before = store.entries.get(browser.cookie("SESSION").orElseThrow());
        other.request("POST", open -> open.session("session").put("other", true));   // an unlocked write, merged
        browser.request("GET", open -> {
            assertEquals(Optional.of(true), open.session("session").get("other"));
            assertEquals(Optional.of(5), open.session("session").get("n", Integer.class));
        });
        assertFalse(before == store.entries.get(browser.cookie("SESSION").orElseThrow()), "a save makes a new value");
        assertTrue(before instanceof byte[] && Compact.isCompact((byte[]) before), "the core's compact form");
        byte[] copy = ((byte[]) before).clone();
        browser.request("POST", open -> open.session("session").update(s -> s.put("n", 99)));
        assertTrue(java.util.Arrays.equals(copy, (byte[]) before), "a kept value is never changed in place");

        String old = browser.cookie("SESSION").orElseThrow();
        browser.request("POST", open -> AuthSession.of(open.session("session")).login("alice"));
        assertFalse(store.entries.containsKey(old), "login deleted the old id");
        browser.fails(SessionTooLargeException.class, "POST", open -> open.session("session").put("big", "x".repeat(3000)));
        browser.request("GET", open -> assertEquals(Optional.empty(), open.session("session").get("big")));
    }

    @Test
    @DisplayName("another manager's value in a shared object store is never adopted")
    void ownership() {
        ValueStore store = new ValueStore();
        Sessions a = Sessions.of(SessionManager.builder("a").store(store).lockPolicy(LockPolicy.OFF).build());
        Sessions b = Sessions.of(SessionManager.builder("b").store(store).lockPolicy(LockPolicy.OFF)
                .cookie(c -> c.persistent(true)).build());
        FakeBrowser browser = new FakeBrowser(a);
        browser.request("POST", open -> open.session("a").put("secret", 1));
        FakeBrowser intruder = new FakeBrowser(b);
        intruder.setCookie("B", browser.cookie("A").orElseThrow());
        intruder.request("GET", open -> assertTrue(open.session("b").isNew()));
        assertSame(store.entries.size(), 1);
    }
}
