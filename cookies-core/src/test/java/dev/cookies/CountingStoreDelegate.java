package dev.cookies;

import dev.cookies.spi.ServerSideStore;
import java.time.Duration;
import java.util.Optional;

/** Passes every call to a CountingStore, so a test can change one method. */
class CountingStoreDelegate implements ServerSideStore {
    private final CountingStore inner;

    CountingStoreDelegate(CountingStore inner) {
        this.inner = inner;
    }

    @Override
    public Optional<byte[]> load(String id, Duration ttl) {
        return inner.load(id, ttl);
    }

    @Override
    public void save(String id, byte[] data, Duration ttl) {
        inner.save(id, data, ttl);
    }

    @Override
    public void delete(String id) {
        inner.delete(id);
    }

    @Override
    public void touch(String id, Duration ttl) {
        inner.touch(id, ttl);
    }

    @Override
    public String description() {
        return inner.description();
    }
}
