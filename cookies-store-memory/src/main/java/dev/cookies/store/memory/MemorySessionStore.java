package dev.cookies.store.memory;

import dev.cookies.SessionConfigException;
import dev.cookies.spi.ObjectStore;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.SessionIndex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server-side session store in this process's memory.
 *
 * <ul>
 *   <li>Each save sets its entry's own expiry; a load slides it.</li>
 *   <li>Two bounds, both always in force: the bytes the sessions take on the heap
 *       ({@link Builder#maximumBytes}, by default an eighth of the heap) and the number of sessions
 *       ({@link Builder#maximumSize}, by default 1,000,000). A write that takes the store over either
 *       one first drops expired sessions, then evicts the least recently used (read or written)
 *       sessions until both hold. The session just written is always kept, unless it alone weighs more
 *       than the byte bound: then it is not kept at all (see {@link #save}).</li>
 *   <li>The bounds hold at every moment: eviction happens within the write that calls for it, not in
 *       later maintenance.</li>
 *   <li>Expired entries are removed in the background, on one daemon thread shared by every memory
 *       store, without a request touching them.</li>
 *   <li>Entries are copies: changing an array after saving it, or one returned by a load, does not
 *       change the stored session.</li>
 *   <li>It keeps an index of sessions by user ({@link SessionIndex}), inside the same bounds (see
 *       below).</li>
 *   <li>It tells the listeners registered with {@link #onExpiry} of every session it removes because
 *       it expired (see below).</li>
 * </ul>
 *
 * <p>A session's weight is its encoded bytes plus what keeping it costs, as laid out by a 64-bit JVM
 * with compressed pointers: the array header, the id string, and 144 bytes of the store's own
 * bookkeeping. Under G1, an array of half a region or more is counted in whole regions, as G1
 * allocates it. A 200-byte session weighs 448 bytes.
 *
 * <p>Eviction is least-recently-used on purpose: a session store must never drop the session a login
 * just wrote in favour of idle old ones. (Caffeine's bounded caches, which this store used before,
 * admit new entries by frequency and do drop them; their weight bound is also enforced in deferred
 * maintenance, which a burst of large writes outruns.)
 *
 * <p><b>The index by user.</b> A logged-in session's entry in the index belongs to the session: it
 * leaves the index when the session leaves the store, however it leaves (logout, deletion, expiry,
 * eviction), under the same lock and in the same step. The index therefore never holds a session the
 * store does not, nor a principal without a session, and no dead entry waits to be cleaned up: it
 * holds at most one entry per stored session, so at most {@link Builder#maximumSize} entries. Its
 * weight is counted in the byte bound with the sessions': 112 bytes per indexed session, and 208
 * bytes plus the name for each principal with a session. A write or a login that takes the store
 * over the bound evicts the least recently used sessions, and their index entries with them. A
 * session that, with its index entry and its principal, weighs more than the whole bound is not kept
 * (a write) or not indexed (a login, logged as a warning). Reads and writes of a session that is
 * not indexed do no index work; those of an indexed session record the time of use, which
 * {@link #sessions} reports as {@link SessionIndex.Entry#lastUsed()}.
 *
 * <p><b>Expiry events.</b> A session removed because its idle timeout ran out (found by the
 * background clean-up, by {@link #cleanUp()}, by a read, by a write that needed room, or by
 * {@link #sessions}) is reported to every listener, with its last bytes, after the store's lock is
 * released, on the thread that found it. A listener that throws is logged at warn; the others are
 * still told, and the store and its clean-up go on. Sessions evicted for a bound, deleted, replaced, or
 * dropped by {@link #close()} are not reported: they did not expire. An eviction means the store ran
 * out of room, not that the user went idle for the session's timeout, so an {@code EXPIRED} event for
 * it would be false; and a flood of writes that evicts thousands of sessions must not turn into
 * thousands of events to decode. An evicted session is simply not found by its next request, as
 * after an expiry; watch {@link #usedBytes()} against {@link #maximumBytes()} to see evictions
 * coming.
 *
 * <p>Sessions live only as long as the process and are not shared between instances; use the Redis
 * store for that. Thread-safe.
 *
 * @since 0.1
 */
public final class MemorySessionStore implements ObjectStore, SessionIndex {

    /** The default size bound, in sessions. */
    public static final long DEFAULT_MAXIMUM_SIZE = 1_000_000;

    private static final int DEFAULT_HEAP_DIVISOR = 8;

    /** The smallest byte bound accepted, 1 MiB: anything less is almost certainly a unit mistake. */
    public static final long MINIMUM_BYTES = 1L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(MemorySessionStore.class);
    private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final SessionTable table;
    private final Sweeper sweeper;
    private final long maximumSize;
    private final long maximumBytes;
    private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());
    private final AtomicLong notKept = new AtomicLong();
    private final AtomicLong nextIndexWarning = new AtomicLong(System.nanoTime());
    private final AtomicLong notIndexed = new AtomicLong();

    private MemorySessionStore(Builder builder) {
        this.maximumSize = builder.maximumSize;
        this.maximumBytes = builder.maximumBytes > 0 ? builder.maximumBytes : defaultMaximumBytes();
        Instant origin = builder.clock == null ? Instant.now() : builder.clock.instant();
        this.table = new SessionTable(maximumBytes, maximumSize, ticker(builder.clock, origin), origin);
        this.sweeper = Sweeper.start(table);
    }

    /**
     * Returns a store with the defaults: at most an eighth of the heap and 1,000,000 sessions, the
     * system clock.
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

    /**
     * Returns the default byte bound: an eighth of the most heap this JVM may use
     * ({@link Runtime#maxMemory()}), at least {@link #MINIMUM_BYTES}.
     *
     * <p>Why an eighth: an application usually runs two memory stores (a session and an auth session),
     * which then take a quarter of the heap at most, and this bound counts the heap the sessions really
     * occupy (G1's region rounding included). That leaves three quarters for the application and for
     * the requests in flight, each of which holds a few copies of its session while decoding and
     * encoding it (the request body, the parsed value, the encoded bytes, the store's copy): several
     * megabytes for a 1 MiB session. With a 1 GiB heap each store keeps at most 128 MiB, so sessions
     * alone cannot exhaust the heap however many a client creates.
     *
     * @return bytes
     */
    public static long defaultMaximumBytes() {
        return Math.max(MINIMUM_BYTES, Runtime.getRuntime().maxMemory() / DEFAULT_HEAP_DIVISOR);
    }

    @Override
    public Optional<byte[]> load(String id, Duration ttl) {
        byte[] data = table.get(id, nanos(ttl), false);
        return data == null ? Optional.empty() : Optional.of(data.clone());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Hands back the very value saved, without a copy: the core never changes it.
     */
    @Override
    public Optional<Object> loadObject(String id, Duration ttl) {
        return Optional.ofNullable(table.get(id, nanos(ttl), true));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Keeps the core's compact form as it is, weighed like bytes of its length. Bounds, eviction and
     * a value too heavy to keep are as for {@link #save}.
     *
     * @throws IllegalArgumentException if {@code value} is not the core's form (a byte array)
     */
    @Override
    public void saveObject(String id, Object value, long weight, Duration ttl) {
        if (!(value instanceof byte[])) {
            throw new IllegalArgumentException("the memory store keeps the core's compact form, a byte array, not "
                    + value.getClass().getName());
        }
        byte[] data = (byte[]) value;
        if (!table.put(id, data, true, nanos(ttl))) {
            warnNotKept(data.length);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Evicts the least recently used sessions if the store goes over a bound. A session that alone
     * weighs more than the byte bound is not kept: the id's previous value is removed (as the write
     * would have replaced it), the next load finds nothing, as after an eviction, and a warning is
     * logged at most once a minute. Keep {@code maximumBytes} well above the session manager's
     * {@code maxSessionBytes} (1 MiB by default) so that this happens only to hostile clients.
     */
    @Override
    public void save(String id, byte[] data, Duration ttl) {
        if (!table.put(id, data.clone(), false, nanos(ttl))) {
            warnNotKept(data.length);
        }
    }

    @Override
    public void delete(String id) {
        table.remove(id);
    }

    @Override
    public void touch(String id, Duration ttl) {
        table.touch(id, nanos(ttl));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each listener is called once for each session this store removes because it expired, after
     * the store's lock is released; evicted, deleted and replaced sessions are not reported (see the
     * class description). Several managers may register on one store: each listener is told.
     *
     * @throws NullPointerException if {@code listener} is null
     */
    @Override
    public void onExpiry(ExpiryListener listener) {
        table.onExpiry(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Does nothing if the session is no longer stored (it expired or was evicted since its save).
     * The entry then lives exactly as long as the session: {@code ttl} is not needed. A session indexed
     * under another principal moves to this one. Counts as a use of the session. If the session, its
     * index entry and the principal's record together weigh more than the whole byte bound, the
     * session is kept but not indexed, and a warning is logged at most once a minute.
     *
     * @throws NullPointerException if an argument is null
     */
    @Override
    public void index(String principal, String id, Instant created, Duration ttl) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(ttl, "ttl");
        if (!table.index(principal, id, created)) {
            long count = notIndexed.incrementAndGet();
            if (warningDue(nextIndexWarning)) {
                notIndexed.addAndGet(-count);
                LOG.warn("memory store: a principal of {} characters is too heavy to index within the bound of {}"
                        + " bytes (maximumBytes); its session is kept but not listed, capped or signed out"
                        + " everywhere; {} such login(s) since the last warning", principal.length(), maximumBytes,
                        count);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if an argument is null
     */
    @Override
    public void unindex(String principal, String id) {
        table.unindex(Objects.requireNonNull(principal, "principal"), Objects.requireNonNull(id, "id"));
    }

    /**
     * {@code true}: a session's entry leaves the index with the session, so the core makes no
     * {@link #unindex} call after a delete.
     *
     * @return {@code true}
     */
    @Override
    public boolean forgetsOnDelete() {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@link SessionIndex.Entry#lastUsed()} is the session's latest read, write, touch or indexing
     * by this store's clock: the moment that places it in the least-recently-used order. Sessions created at
     * the same instant are listed in the order they were indexed. Listing is not a use: it neither
     * slides a session's expiry nor protects it from eviction. Expired sessions found here are removed
     * and reported as expired.
     *
     * @throws NullPointerException if {@code principal} is null
     */
    @Override
    public List<Entry> sessions(String principal) {
        List<Entry> entries = new ArrayList<>(table.sessions(Objects.requireNonNull(principal, "principal")));
        entries.sort(Comparator.comparing(Entry::created));
        return List.copyOf(entries);
    }

    /**
     * Returns the number of entries, which may include expired ones not yet removed. The background
     * clean-up runs every second, so for a gauge of active sessions this is at most a second behind.
     * Constant time.
     *
     * @return the number of entries
     */
    public long estimatedSize() {
        return table.size();
    }

    /**
     * Returns the number of principals with at least one session in the index by user: the users
     * signed in, counting those whose last session expired and was not yet removed. Constant time.
     *
     * @return the count, at most {@link #estimatedSize()}
     */
    public long indexedPrincipals() {
        return table.principals();
    }

    /**
     * Returns the summed weight of the stored sessions and of the index by user (see the class
     * description). It never exceeds {@link #maximumBytes()}.
     *
     * @return bytes
     */
    public long usedBytes() {
        return table.usedBytes();
    }

    /**
     * Returns the byte bound.
     *
     * @return bytes
     */
    public long maximumBytes() {
        return maximumBytes;
    }

    /**
     * Returns the size bound.
     *
     * @return sessions
     */
    public long maximumSize() {
        return maximumSize;
    }

    /** Removes expired entries now rather than in the background. */
    public void cleanUp() {
        table.sweep();
    }

    @Override
    public String description() {
        return "memory (maximumBytes " + maximumBytes + ", maximumSize " + maximumSize + ")";
    }

    /** Removes every session and stops the background clean-up. */
    @Override
    public void close() {
        sweeper.stop();
        table.clear();
    }

    /** For tests: weighs the contents again and checks the bookkeeping. */
    long recount() {
        return table.recount();
    }

    /** For tests: the number of sessions in the index by user. */
    long indexedSessions() {
        return table.indexedEntries();
    }

    /** For tests: the weight of the index by user, counted in {@link #usedBytes()}. */
    long indexBytes() {
        return table.indexBytes();
    }

    /** For tests: how many times the index by user was worked on. */
    long indexWork() {
        return table.indexWork();
    }

    private void warnNotKept(int length) {
        long count = notKept.incrementAndGet();
        if (warningDue(nextWarning)) {
            notKept.addAndGet(-count);
            LOG.warn("memory store: a session of {} bytes weighs more than the whole bound of {} bytes"
                    + " (maximumBytes) and was not kept; {} such session(s) since the last warning."
                    + " Raise maximumBytes, or lower the session manager's maxSessionBytes", length,
                    maximumBytes, count);
        }
    }

    /** Whether a once-a-minute warning is due, claiming it if so. */
    private static boolean warningDue(AtomicLong next) {
        long now = System.nanoTime();
        long due = next.get();
        return now - due >= 0 && next.compareAndSet(due, now + WARN_EVERY_NANOS);
    }

    private static LongSupplier ticker(Clock clock, Instant origin) {
        if (clock == null) {
            long start = System.nanoTime();
            return () -> System.nanoTime() - start;
        }
        return () -> saturatedNanos(Duration.between(origin, clock.instant()));
    }

    private static long nanos(Duration ttl) {
        return ttl.isNegative() ? 0 : saturatedNanos(ttl);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * Builds a {@link MemorySessionStore}.
     *
     * @since 0.1
     */
    public static final class Builder {
        private long maximumSize = DEFAULT_MAXIMUM_SIZE;
        private long maximumBytes;
        private Clock clock;

        private Builder() {
        }

        /**
         * Sets the most sessions kept; beyond it, the least recently used are evicted. Default
         * 1,000,000. The byte bound applies as well: whichever is reached first evicts.
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
         * Sets the most heap the sessions may take, by their weight (see the class description);
         * beyond it, the least recently used are evicted. Default
         * {@link MemorySessionStore#defaultMaximumBytes()}, an eighth of the heap. The size bound
         * applies as well: whichever is reached first evicts.
         *
         * @param maximumBytes at least {@link MemorySessionStore#MINIMUM_BYTES} (1 MiB)
         * @return this builder
         * @throws SessionConfigException if less than 1 MiB
         */
        public Builder maximumBytes(long maximumBytes) {
            if (maximumBytes < MINIMUM_BYTES) {
                throw SessionConfigException.of("maximumBytes", "must be at least " + MINIMUM_BYTES
                        + " (1 MiB), was " + maximumBytes + "; in a URI write for example maximumBytes=256m");
            }
            this.maximumBytes = maximumBytes;
            return this;
        }

        /**
         * Sets the clock expiry is measured by. Default: the system's monotonic ticker. Tests pass a
         * controllable clock.
         *
         * @param clock the clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Creates the store and starts its background clean-up.
         *
         * @return the store
         */
        public MemorySessionStore build() {
            return new MemorySessionStore(this);
        }
    }
}
