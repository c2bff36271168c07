package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LockTableTest {

    @Test
    @DisplayName("the table holds only ids in use, never every id seen")
    void doesNotGrow() {
        LockTable table = new LockTable();
        for (int i = 0; i < 100_000; i++) {
            table.acquire("s", "id-" + i, Duration.ofSeconds(1)).release();
        }
        assertEquals(0, table.size());
    }

    @Test
    @DisplayName("a lock held on A does not block B; a second taker of A times out and leaves no entry behind")
    void perId() throws Exception {
        LockTable table = new LockTable();
        LockTable.Held a = table.acquire("s", "A", Duration.ofSeconds(1));
        CompletableFuture.runAsync(() -> table.acquire("s", "B", Duration.ZERO).release()).get(5, TimeUnit.SECONDS);
        Throwable thrown = CompletableFuture.runAsync(() -> table.acquire("s", "A", Duration.ofMillis(50)))
                .handle((ok, t) -> t == null ? null : t.getCause()).get(5, TimeUnit.SECONDS);
        SessionLockTimeoutException e = assertInstanceOf(SessionLockTimeoutException.class, thrown);
        assertEquals("s", e.sessionName());
        assertEquals(1, table.size());
        a.release();
        assertEquals(0, table.size());
    }

    @Test
    @DisplayName("locking an id twice on one thread is refused, not a silent re-entry")
    void noReentry() {
        LockTable table = new LockTable();
        LockTable.Held a = table.acquire("s", "A", Duration.ofSeconds(1));
        assertThrows(IllegalStateException.class, () -> table.acquire("s", "A", Duration.ofSeconds(1)));
        a.release();
        assertEquals(0, table.size());
    }
}
