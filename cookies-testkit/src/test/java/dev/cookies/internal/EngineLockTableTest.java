package dev.cookies.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cookies.LockPolicy;
import dev.cookies.OpenSessions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.jdk.MapStore;
import dev.cookies.testkit.FakeCookieJar;
import dev.cookies.testkit.FakeRequestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The engine's shared lock table, seen from outside the core (same package, other module). */
class EngineLockTableTest {

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
        assertEquals(20_000, store.size());
        assertEquals(0, LockTable.SHARED.size());
    }
}
