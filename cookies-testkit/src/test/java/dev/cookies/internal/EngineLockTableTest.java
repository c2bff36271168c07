package dev.cookies.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cookies.LockPolicy;
import dev.cookies.OpenSessions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.testkit.FakeCookieJar;
import dev.cookies.testkit.FakeRequestContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The engine's shared lock table, seen from outside the core (same package, other module). */
class EngineLockTableTest {

    /** Keeps data, ignores expiry: enough to create and lock many sessions. */
    static final class MapStore implements ServerSideStore {
        final Map<String, byte[]> data = new ConcurrentHashMap<>();

        @Override
        public Optional<byte[]> load(String id, Duration ttl) {
            return Optional.ofNullable(data.get(id));
        }

        @Override
        public void save(String id, byte[] bytes, Duration ttl) {
            data.put(id, bytes.clone());
        }

        @Override
        public void delete(String id) {
            data.remove(id);
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
    @DisplayName("locking 20 000 different sessions through the engine leaves the lock table empty")
    void lockTableDoesNotGrow() {
        MapStore store = new MapStore();
        Sessions sessions = Sessions.of(SessionManager.builder("session").store(store).lockPolicy(LockPolicy.STRICT).build());
        for (int i = 0; i < 20_000; i++) {
            OpenSessions open = sessions.open(FakeRequestContext.of("POST"));
            int n = i;
            open.session("session").update(s -> s.put("n", n));
            open.commit(new FakeCookieJar());
        }
        assertEquals(20_000, store.data.size());
        assertEquals(0, LockTable.SHARED.size());
    }
}
