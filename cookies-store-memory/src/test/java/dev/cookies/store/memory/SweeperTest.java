package dev.cookies.store.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.testkit.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SweeperTest {

    @Test
    @DisplayName("a sweeper removes expired entries by itself, and stops when asked")
    void sweepsUntilStopped() {
        AtomicLong now = new AtomicLong();
        SessionTable table = new SessionTable(1L << 20, 100, now::get, Instant.EPOCH);
        table.put("a", new byte[] {1}, false, 10);
        table.put("b", new byte[] {2}, false, 1_000);
        Sweeper sweeper = Sweeper.start(table);
        now.set(500);
        Await.until(Duration.ofSeconds(20), "the sweeper to remove the expired entry", () -> table.size() == 1);
        assertFalse(sweeper.stopped());
        sweeper.stop();
        assertTrue(sweeper.stopped());
        now.set(5_000);
        assertEquals(1, table.size(), "nothing reads the table, and no sweeper should run");
    }

    @Test
    @DisplayName("a store dropped without being closed is collected, and its sweeper stops by itself")
    void droppedTableStopsItsSweeper() {
        Sweeper sweeper = Sweeper.start(new SessionTable(1L << 20, 100, System::nanoTime, Instant.EPOCH));
        Await.until(Duration.ofSeconds(30), "the sweeper to notice its table was collected", () -> {
            System.gc();
            return sweeper.stopped();
        });
    }
}
