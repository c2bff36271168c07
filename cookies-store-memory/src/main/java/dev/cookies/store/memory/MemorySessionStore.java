package dev.cookies.store.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.cookies.SessionConfigException;
import dev.cookies.spi.ServerSideStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A server-side session store in this process's memory, on Caffeine.
 *
 * <ul>
 *   <li>Each save sets its entry's own expiry; a load slides it.</li>
 *   <li>A size bound evicts the least valuable entries when exceeded (default 1,000,000 sessions).</li>
 *   <li>Expired entries are removed in the background, on Caffeine's system scheduler, without a
 *       request touching them.</li>
 *   <li>Entries are copies: changing an array after saving it, or one returned by a load, does not
 *       change the stored session.</li>
 * </ul>
 *
 * <p>Sessions live only as long as the process and are not shared between instances; use the Redis
 * store for that. Thread-safe.
 *
 * @since 0.1
 */
public final class MemorySessionStore implements ServerSideStore {

    /** The default size bound. */
    public static final long DEFAULT_MAXIMUM_SIZE = 1_000_000;

    private record Entry(byte[] data, long ttlNanos) {
    }

    private final Cache<String, Entry> cache;
    private final long maximumSize;

    private MemorySessionStore(Builder builder) {
        this.maximumSize = builder.maximumSize;
        Caffeine<Object, Object> caffeine = Caffeine.newBuilder()
                .maximumSize(builder.maximumSize)
                .scheduler(Scheduler.systemScheduler());
        if (builder.clock != null) {
            Clock clock = builder.clock;
            caffeine.ticker(() -> {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            });
        } else {
            caffeine.ticker(Ticker.systemTicker());
        }
        this.cache = caffeine.expireAfter(new Expiry<String, Entry>() {
            @Override
            public long expireAfterCreate(String key, Entry entry, long currentTime) {
                return entry.ttlNanos();
            }

            @Override
            public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
                return entry.ttlNanos();
            }

            @Override
            public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build();
    }

    /**
     * Returns a store with the defaults: 1,000,000 sessions at most, the system clock.
     *
     * @return a new store
     */
    public static MemorySessionStore create() {
        return builder().build();
    }

    /**
     * Starts a store.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<byte[]> load(String id, Duration ttl) {
        long ttlNanos = nanos(ttl);
        // computeIfPresent replaces the entry with one carrying the new TTL, which Caffeine's
        // expireAfterUpdate applies: read and slide in one atomic step.
        Entry entry = cache.asMap().computeIfPresent(id, (k, e) -> new Entry(e.data(), ttlNanos));
        return entry == null ? Optional.empty() : Optional.of(entry.data().clone());
    }

    @Override
    public void save(String id, byte[] data, Duration ttl) {
        cache.put(id, new Entry(data.clone(), nanos(ttl)));
    }

    @Override
    public void delete(String id) {
        cache.invalidate(id);
    }

    @Override
    public void touch(String id, Duration ttl) {
        long ttlNanos = nanos(ttl);
        cache.asMap().computeIfPresent(id, (k, e) -> new Entry(e.data(), ttlNanos));
    }

    /**
     * Returns the approximate number of entries, which may include expired ones not yet removed.
     *
     * @return the estimated size
     */
    public long estimatedSize() {
        return cache.estimatedSize();
    }

    /** Runs pending maintenance (expiry, eviction) now rather than in the background. */
    public void cleanUp() {
        cache.cleanUp();
    }

    @Override
    public String description() {
        return "memory (maximumSize " + maximumSize + ")";
    }

    @Override
    public void close() {
        cache.invalidateAll();
        cache.cleanUp();
    }

    private static long nanos(Duration ttl) {
        return ttl.isNegative() ? 0 : saturatedNanos(ttl);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Builds a {@link MemorySessionStore}.
     *
     * @since 0.1
     */
    public static final class Builder {
        private long maximumSize = DEFAULT_MAXIMUM_SIZE;
        private Clock clock;

        private Builder() {
        }

        /**
         * Sets the most sessions kept; beyond it, Caffeine evicts. Default 1,000,000.
         *
         * @param maximumSize at least 1
         * @return this builder
         * @throws SessionConfigException if not positive
         */
        public Builder maximumSize(long maximumSize) {
            if (maximumSize < 1) {
                throw SessionConfigException.of("maximumSize", "must be at least 1, was " + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /**
         * Sets the clock expiry is measured by. Default: the system's monotonic ticker. Tests pass a
         * controllable clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Creates the store.
         *
         * @return the store
         */
        public MemorySessionStore build() {
            return new MemorySessionStore(this);
        }
    }
}
