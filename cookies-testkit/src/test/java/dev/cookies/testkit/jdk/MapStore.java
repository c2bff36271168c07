package dev.cookies.testkit.jdk;

import dev.cookies.spi.ServerSideStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A map-backed server-side store. The test kit cannot depend on {@code cookies-store-memory} (that
 * module tests itself with the kit, and Maven forbids the cycle), so the kit's own adapter tests use
 * this. It ignores TTLs: no contract scenario waits for an expiry.
 */
public final class MapStore implements ServerSideStore {
    private final Map<String, byte[]> data = new ConcurrentHashMap<>();

    /**
     * Returns how many sessions are stored.
     *
     * @return the count
     */
    public int size() {
        return data.size();
    }

    @Override
    public String description() {
        return "map (test)";
    }

    @Override
    public Optional<byte[]> load(String id, Duration ttl) {
        return Optional.ofNullable(data.get(id)).map(byte[]::clone);
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
}
