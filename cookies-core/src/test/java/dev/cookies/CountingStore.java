package dev.cookies;

import dev.cookies.spi.ServerSideStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small but complete in-memory server-side store for the engine's tests: it keeps data with expiry by
 * the given clock, counts every call, remembers the TTL of each save, and can be taken down.
 */
final class CountingStore implements ServerSideStore {

    private record Entry(byte[] data, Instant expires, Duration ttl) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final String name;
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger saves = new AtomicInteger();
    final AtomicInteger deletes = new AtomicInteger();
    final AtomicInteger touches = new AtomicInteger();
    volatile boolean down;

    CountingStore(Clock clock) {
        this(clock, "counting");
    }

    CountingStore(Clock clock, String name) {
        this.clock = clock;
        this.name = name;
    }

    int calls() {
        return loads.get() + saves.get() + deletes.get() + touches.get();
    }

    void resetCounts() {
        loads.set(0);
        saves.set(0);
        deletes.set(0);
        touches.set(0);
    }

    boolean contains(String id) {
        Entry e = entries.get(id);
        return e != null && clock.instant().isBefore(e.expires());
    }

    /** The live bytes of an entry, without counting a load or sliding its expiry. */
    Optional<byte[]> peek(String id) {
        return contains(id) ? Optional.of(entries.get(id).data().clone()) : Optional.empty();
    }

    Duration ttlOf(String id) {
        return entries.get(id).ttl();
    }

    int size() {
        return (int) entries.keySet().stream().filter(this::contains).count();
    }

    private void checkUp(String operation) {
        if (down) {
            throw StoreUnavailableException.of(name, operation, null);
        }
    }

    @Override
    public Optional<byte[]> load(String id, Duration ttl) {
        loads.incrementAndGet();
        checkUp("load");
        Entry e = entries.computeIfPresent(id, (k, v) -> clock.instant().isBefore(v.expires())
                ? new Entry(v.data(), clock.instant().plus(ttl), v.ttl()) : null);
        return e == null ? Optional.empty() : Optional.of(e.data().clone());
    }

    @Override
    public void save(String id, byte[] data, Duration ttl) {
        saves.incrementAndGet();
        checkUp("save");
        entries.put(id, new Entry(data.clone(), clock.instant().plus(ttl), ttl));
    }

    @Override
    public void delete(String id) {
        deletes.incrementAndGet();
        checkUp("delete");
        entries.remove(id);
    }

    @Override
    public void touch(String id, Duration ttl) {
        touches.incrementAndGet();
        checkUp("touch");
        entries.computeIfPresent(id, (k, v) -> new Entry(v.data(), clock.instant().plus(ttl), ttl));
    }

    @Override
    public String description() {
        return name;
    }
}
