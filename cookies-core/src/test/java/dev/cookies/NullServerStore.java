package dev.cookies;

import dev.cookies.spi.ServerSideStore;
import java.time.Duration;
import java.util.Optional;

/** The smallest server-side store: nothing is kept. Enough for builder and discovery checks. */
class NullServerStore implements ServerSideStore {
    @Override
    public Optional<byte[]> load(String id, Duration ttl) {
        return Optional.empty();
    }

    @Override
    public void save(String id, byte[] data, Duration ttl) {
    }

    @Override
    public void delete(String id) {
    }

    @Override
    public void touch(String id, Duration ttl) {
    }

    @Override
    public String description() {
        return "null";
    }
}
