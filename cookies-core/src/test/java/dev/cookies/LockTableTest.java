package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    @DisplayName("threads racing to lock, release and re-lock a few ids: one holder per id at a time, nothing left behind")
    void racingHolders() throws Exception {
        LockTable table = new LockTable();
        int ids = 3;
        AtomicInteger[] inside = new AtomicInteger[ids];
        int[] counts = new int[ids]; // guarded by the id's lock only
        for (int i = 0; i < ids; i++) {
            inside[i] = new AtomicInteger();
        }
        AtomicInteger overlaps = new AtomicInteger();
        int threads = 8;
        int rounds = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            all.add(CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int r = 0; r < rounds; r++) {
                    int id = (r + seed) % ids;
                    LockTable.Held held = table.acquire("s", "id-" + id, Duration.ofSeconds(30));
                    try {
                        if (inside[id].incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        counts[id]++;
                        inside[id].decrementAndGet();
                    } finally {
                        held.release();
                    }
                }
            }, pool));
        }
        start.countDown();
        try {
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, overlaps.get(), "two threads held one id's lock at once");
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        assertEquals(threads * rounds, total, "an increment under the lock was lost");
        assertEquals(0, table.size());
    }
}
