package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The engine's shared lock table stays empty however many sessions were locked. */
class EngineLockTableTest {

    @Test
    @DisplayName("locking 20 000 different sessions through the engine leaves the lock table empty")
    void lockTableDoesNotGrow() {
        CountingStore store = new CountingStore(java.time.Clock.systemUTC());
        Sessions sessions = Sessions.of(SessionManager.builder("session").store(store).lockPolicy(LockPolicy.STRICT).build());
        for (int i = 0; i < 20_000; i++) {
            OpenSessions open = sessions.open(new FakeExchange("POST"));
            int n = i;
            open.session("session").update(s -> s.put("n", n));
            open.beforeCommit();
        }
        assertEquals(20_000, store.size());
        assertEquals(0, LockTable.SHARED.size());
    }
}
