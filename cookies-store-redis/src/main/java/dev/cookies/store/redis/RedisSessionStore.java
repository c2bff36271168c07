package dev.cookies.store.redis;

import dev.cookies.SessionConfigException;
import dev.cookies.SessionLockTimeoutException;
import dev.cookies.StoreUnavailableException;
import dev.cookies.spi.ConditionalStore;
import dev.cookies.spi.SessionIndex;
import dev.cookies.spi.StoreLock;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultRedisCredentials;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.Pool;

/**
 * A server-side session store in Redis, on Jedis 8: standalone (plain or TLS), Sentinel or Cluster,
 * with a lock that holds across application instances.
 *
 * <pre>{@code
 * RedisSessionStore store = RedisSessionStore.builder()
 *         .uri("rediss://app:secret@redis.internal:6379/0?prefix=shop:session:")
 *         .build();
 * // or, with a client the application already has (RedisClient, RedisClusterClient, RedisSentinelClient):
 * RedisSessionStore store = RedisSessionStore.builder().client(jedis).build();
 * }</pre>
 *
 * <h2>Keys</h2>
 * A session's data lives under {@code <prefix>{<id>}} and its lock under {@code <prefix>{<id>}:lock}
 * (default prefix {@code cookies:session:}). The braces are a Cluster hash tag: both keys of a session
 * share one slot, so every script names only keys of one slot, and no command crosses slots (a new id
 * is written under its own key and the old key deleted; there is no {@code RENAME}).
 *
 * <h2>Round trips</h2>
 * <ul>
 *   <li>{@link #load}: one {@code GETEX key PX ttl}, which reads and slides the expiry at once;</li>
 *   <li>{@link #save}, {@link #delete}, {@link #touch}: one {@code SET ... PX}, {@code DEL},
 *       {@code PEXPIRE};</li>
 *   <li>{@link #lock}: one script per attempt that takes the lock ({@code SET NX PX} under a random
 *       token) and reads the data ({@code GETEX}); its {@link StoreLock#save} and
 *       {@link StoreLock#delete} are one script each that checks the token, writes and releases. A
 *       locked read-modify-write is therefore two round trips;</li>
 *   <li>{@link #replace}: one script that writes only onto the bytes the request read and only while
 *       nobody holds the lock. The core uses it when a request that has read its session then updates
 *       it, so a read followed by an update is two round trips too, not three: the read, and the
 *       replace. Only if another request changed or locked the session meanwhile does the update take
 *       the lock and run again (two more).</li>
 * </ul>
 * Scripts go out as {@code EVALSHA}; only a server that answers {@code NOSCRIPT} (after a restart or a
 * failover) gets the script's text once, by {@code EVAL}.
 *
 * <h2>Sessions by user</h2>
 * The store is a {@link SessionIndex}. A user's sessions are a hash under
 * {@code <prefix>user:{<principal hash>}} (SHA-256 of the principal, base64url: no user name appears
 * in a key), of session id to the time it was created and the idle timeout it had then. The hash tag
 * is the user's, not a session's, so on a Cluster the index usually sits in another slot than the
 * sessions it lists; nothing needs both in one command. Costs, none of them on a read or an ordinary
 * write:
 * <ul>
 *   <li>{@link #index}: one script ({@code HSET}, and {@code PEXPIRE} to keep the key at least as
 *       long as the session can live);</li>
 *   <li>{@link #unindex}: one script ({@code HDEL});</li>
 *   <li>{@link #sessions}: {@code HGETALL}, then one pipeline of {@code PTTL}s of the sessions (one
 *       round trip per node), then, only if some are gone, one script that forgets them. {@code PTTL}
 *       does not slide the expiry it reads.</li>
 * </ul>
 * Expired sessions are forgotten lazily, with no scan and no background job: when {@link #sessions}
 * finds them gone, and when a login takes a user's index past the size at which it is next pruned
 * (first 64 sessions, then twice the sessions found alive at the last prune): that login checks every
 * entry as {@code sessions} does, two more round trips. So the index of a user who logs in a million
 * times and never logs out holds at most 65 entries, or one more than twice the sessions alive at its
 * last prune, and each login costs amortized O(1). The index key expires by itself when the longest-lived session it recorded
 * can no longer be alive ({@link Builder#maxSessionLifetime}).
 *
 * <p>A session's last use is not written anywhere (that would cost a command per read): every read
 * slides the session's expiry back to its idle timeout, so {@link #sessions} reports
 * {@code now - (idle timeout - PTTL)}, to the millisecond by Redis's clock, with {@code now} from the
 * store's {@link Builder#clock clock}. It is exact when the session slides by the time to live it was
 * indexed with; a session whose expiry is held short by its absolute lifetime (its last stretch, or a
 * remember-me login whose duration is its whole lifetime) looks used earlier than it was, at the
 * earliest at its creation, and one indexed with less than its idle timeout (an id rotated in its last
 * stretch) looks used later, at the latest now.
 *
 * <h2>Expiry events</h2>
 * With {@link Builder#expiryEvents(boolean) expiryEvents}, the listeners given to {@link #onExpiry}
 * hear each session Redis expires, with its id and no data (Redis has dropped it), through keyspace
 * notifications: a connection and a thread per master subscribed to {@code __keyevent@<db>__:expired}.
 * Redis must publish them ({@code notify-keyspace-events} including {@code E} and {@code x}); the
 * store checks it on every connection and logs a warning if not, but never changes a server's
 * configuration. Notifications are fire-and-forget: those published while the subscription is down
 * are lost.
 *
 * <h2>The lock</h2>
 * Only the token's owner can release it or write through it. A lock that is held is retried with
 * capped, jittered exponential backoff until the caller's wait runs out, then
 * {@link SessionLockTimeoutException}. Two durations bound it:
 * <ul>
 *   <li>the <b>lease</b> ({@link Builder#lockLease(Duration) lockLease}, default 30 s): how long a lock
 *       is held at most. If it ran out before the final write (the locked block took longer), another
 *       instance may have taken the lock, so the write is not made and {@link StoreUnavailableException}
 *       is thrown (operation {@code "save"} or {@code "delete"});</li>
 *   <li>the <b>keep-alive</b> ({@link Builder#lockKeepAlive(Duration) lockKeepAlive}, default three
 *       read timeouts, 6 s): the lock key's own expiry. A request holding the lock renews it by token
 *       every third of the keep-alive, never past the lease, from one background thread per store. So
 *       a lock that nobody holds any more frees itself within the keep-alive, not the lease: an
 *       instance that died, or an acquire that Redis ran after its caller had timed out. A request
 *       shorter than a third of the keep-alive, nearly every request, sends no renewal.</li>
 * </ul>
 *
 * <h2>When Redis stalls</h2>
 * A command that timed out on the client may still run when Redis catches up. For the lock that means
 * a token nobody will use: an acquire that took the lock after its caller gave up, or a final write that
 * never reached Redis and so never released it. The store remembers such tokens (at most 1024, each for
 * at most the lease) and releases them by token (compare-and-delete) as soon as Redis answers again:
 * on the next reply any caller gets, or else from the background thread, retrying with backoff from
 * 0.5 s to 2 s and stopping by itself. Each is released a second time unless the first release found
 * it, so that the release runs after the stalled command did when that command had reached the hung
 * server (Redis runs all it has read in one pass of its event loop before it writes any reply); a
 * token released before its command ran does no harm, tokens are never reused. What this cannot
 * release (the store closed, more than 1024 waiting, a command held up in the network for longer than
 * the lease) expires within the keep-alive of when Redis ran it. A locked request, a
 * logout, a login's rotation on that session therefore work again as soon as Redis answers. A save
 * that timed out (the caller got {@link StoreUnavailableException}, a 503) may still be applied when
 * Redis runs it: only if its lock is then still held under its token, that is if Redis caught up within
 * the keep-alive of the lock's last renewal and before the token was released. The next read shows
 * which happened. None of this adds a command to a request: a reply costs one volatile read.
 *
 * <h2>Failures</h2>
 * Every Jedis failure (connection refused, timeout, pool exhausted, an error reply) becomes a
 * {@link StoreUnavailableException} naming the store without its password and the operation. Every
 * write is one atomic command or script, so a failure never leaves a session half written. Calls are
 * bounded by the connect and read timeouts (default 2 s each); a store built from a URI also waits at
 * most the read timeout for a pooled connection. When a pooled connection of a {@link RedisClient}
 * turns out dead (Redis was restarted) but the failure was not a timeout, idle connections are dropped
 * and the command is tried once more on a new connection, which is safe because every command and
 * script here is idempotent or token-guarded; so the same store serves again as soon as Redis is back.
 * (A Cluster client retries by itself.)
 *
 * <p>Needs Redis 6.2 or later ({@code GETEX}). Thread-safe. Redis keeps expiry by its own clock; the
 * store's {@link java.time.Clock} only dates the index's entries.
 *
 * @since 0.1
 */
public final class RedisSessionStore implements ConditionalStore, SessionIndex {

    /** The largest expected session {@link #replace} sends whole; larger ones go as their SHA-1. */
    static final int REPLACE_INLINE_BYTES = 4096;
    private static final byte[] ONE = {'1'};
    private static final byte[] ZERO = {'0'};

    /** The default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "cookies:session:";
    /** The default connect timeout of a store built from a URI. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The default read (socket) timeout of a store built from a URI. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(2);
    /** The default lock lease. */
    public static final Duration DEFAULT_LOCK_LEASE = Duration.ofSeconds(30);
    /** The shortest default keep-alive; otherwise it is three read timeouts. */
    static final Duration MIN_DEFAULT_KEEP_ALIVE = Duration.ofSeconds(1);
    /** The default most connections per Redis node of a store built from a URI. */
    public static final int DEFAULT_POOL_SIZE = 16;
    /**
     * The default longest lifetime of a session: 400 days, the most a session manager allows (browsers
     * cap cookies there).
     */
    public static final Duration DEFAULT_MAX_SESSION_LIFETIME = Duration.ofDays(400);
    /** A user's index is first pruned when it holds more sessions than this. */
    static final int FIRST_PRUNE = 64;
    /** The field of a user's index that holds its next prune size; no session id has a space. */
    static final String PRUNE_AT_FIELD = " prune-at";

    private static final Logger LOG = LoggerFactory.getLogger(RedisSessionStore.class);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final byte[] LOCK_SUFFIX = ":lock".getBytes(StandardCharsets.UTF_8);
    private static final String LOCK_LABEL_SUFFIX = " (distributed lock)";

    private final UnifiedJedis client;
    /**
     * Whether the client sends a failed command again by itself (a Cluster client does, after a timeout
     * too), so that a call's first attempt may have run although it answers from a second one.
     */
    private final boolean clientRetries;
    private final boolean ownsClient;
    private final Pool<Connection> pool;
    private final String description;
    private final String keyPrefix;
    private final Duration lockLease;
    private final Duration lockKeepAlive;
    /** The lock key's expiry when taken: the keep-alive, which held locks renew up to the lease. */
    private final byte[] keepAliveMillis;
    private final LockKeeper keeper;
    /** Unique per store instance; with the counter it makes every lock token unique across instances. */
    private final String tokenPrefix;
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Clock clock;
    private final Duration maxSessionLifetime;
    private final List<ExpiryListener> expiryListeners = new CopyOnWriteArrayList<>();
    /** Makes the expiry events' subscriber, or null if they were not asked for. */
    private final Supplier<ExpiryEvents> expiryEventsFactory;
    private final ReentrantLock expiryEventsLock = new ReentrantLock();
    /** Guarded by {@link #expiryEventsLock}; started with the first listener. */
    private ExpiryEvents expiryEvents;

    private RedisSessionStore(UnifiedJedis client, boolean ownsClient, String description, Builder b) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.clientRetries = client instanceof RedisClusterClient || client instanceof JedisCluster;
        this.pool = poolOf(client);
        this.description = description;
        this.keyPrefix = b.keyPrefix;
        this.lockLease = b.lockLease;
        this.lockKeepAlive = b.effectiveKeepAlive();
        this.keepAliveMillis = millisArg(lockKeepAlive);
        this.keeper = new LockKeeper(description, lockKeepAlive.toNanos(), lockLease.toNanos(),
                (operation, script, keys, args) -> call(operation, () -> eval(script, keys, args)));
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        this.tokenPrefix = HexFormat.of().formatHex(nonce) + ":";
        this.clock = b.clock;
        this.maxSessionLifetime = b.maxSessionLifetime;
        if (b.expiryEvents) {
            JedisClientConfig subscriberConfig = b.clientConfig().resp2().build();
            int database = b.uri.database;
            Supplier<List<HostAndPort>> masters = mastersOf(client, b.uri);
            this.expiryEventsFactory = () -> new ExpiryEvents(description, subscriberConfig, database, keyPrefix, masters,
                    this::expired);
        } else {
            this.expiryEventsFactory = null;
        }
    }

    /**
     * Starts a store. Give it {@link Builder#uri(String)} or {@link Builder#client(UnifiedJedis)}.
     *
     * @return a builder with the defaults documented on its methods
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a store from a URI with the default settings; the store owns its client and closes it.
     *
     * @param uri for example {@code redis://localhost:6379/0}; see {@link Builder#uri(String)}
     * @return the store
     * @throws SessionConfigException if the URI is invalid, naming the part at fault
     * @throws NullPointerException if {@code uri} is null
     */
    public static RedisSessionStore create(String uri) {
        return builder().uri(uri).build();
    }

    // ---- the store SPI

    @Override
    public Optional<byte[]> load(String id, Duration ttl) {
        byte[] key = dataKey(id);
        GetExParams px = GetExParams.getExParams().px(millis(ttl));
        return Optional.ofNullable(call("load", () -> client.getEx(key, px)));
    }

    @Override
    public void save(String id, byte[] data, Duration ttl) {
        Objects.requireNonNull(data, "data");
        byte[] key = dataKey(id);
        SetParams px = SetParams.setParams().px(millis(ttl));
        call("save", () -> client.set(key, data, px));
    }

    /**
     * {@inheritDoc}
     *
     * <p>One script ({@code EXISTS} of the lock, {@code GET}, {@code SET ... PX}) in the session's slot.
     * Expected bytes of up to {@value #REPLACE_INLINE_BYTES} bytes are sent as they are and compared
     * exactly; larger ones as their SHA-1, which Redis compares with {@code redis.sha1hex} of what it
     * holds, to keep the upload to one copy of the session. A replace that timed out on the client
     * (a 503) may still be applied when Redis catches up, but only onto the bytes it expected and with
     * no lock held, so it never overwrites a change it did not see. On a Cluster client, which sends a
     * failed command again by itself, the compare-and-set runs under the session's token lock instead
     * (two round trips), since the script is not safe to send twice.
     */
    @Override
    public boolean replace(String id, byte[] expected, byte[] data, Duration ttl) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(data, "data");
        if (clientRetries) {
            return replaceUnderLock(id, expected, data, ttl);
        }
        byte[] dataKey = dataKey(id);
        List<byte[]> keys = List.of(dataKey, lockKey(id));
        boolean hashed = expected.length > REPLACE_INLINE_BYTES;
        List<byte[]> args = List.of(hashed ? Script.sha1Hex(expected) : expected, data, millisArg(ttl),
                hashed ? ONE : ZERO);
        // Not tried again after a failure that may have reached Redis: a replace that ran finds its own
        // bytes there the second time and answers "changed", and the core would then apply the change twice.
        return Long.valueOf(1L).equals(call("replace", false, () -> eval(Script.REPLACE, keys, args)));
    }

    /**
     * {@link #replace} for a client that retries by itself: a {@code REPLACE} script that ran but whose
     * reply was lost would, sent again, find its own bytes and answer "changed", and the core would apply
     * the change twice. The token lock is safe to retry (taking it again under the same token counts as
     * taking it; a save whose first attempt ran finds its token gone and fails, never writes twice), so the
     * compare-and-set runs under it: acquire and read, then save and release, or release. One more round
     * trip than the script, only on such clients.
     */
    private boolean replaceUnderLock(String id, byte[] expected, byte[] data, Duration ttl) {
        StoreLock lock;
        try {
            lock = lock(id, ttl, Duration.ZERO);
        } catch (SessionLockTimeoutException held) {
            return false;
        }
        try (lock) {
            Optional<byte[]> current = lock.data();
            if (current.isEmpty() || !Arrays.equals(current.get(), expected)) {
                return false;
            }
            lock.save(data, ttl);
            return true;
        }
    }

    @Override
    public void delete(String id) {
        byte[] key = dataKey(id);
        call("delete", () -> client.del(key));
    }

    @Override
    public void touch(String id, Duration ttl) {
        byte[] key = dataKey(id);
        long ms = millis(ttl);
        call("touch", () -> client.pexpire(key, ms));
    }

    /**
     * Takes this session's distributed lock and reads the session in the same script, retrying with
     * backoff while another holder has it.
     *
     * @param id a well-formed session id
     * @param ttl the session's idle timeout, to which the read slides its expiry
     * @param wait how long to wait for the lock at most; zero tries once
     * @return the held lock, with the value read under it
     * @throws SessionLockTimeoutException if the lock was not had within {@code wait}
     * @throws StoreUnavailableException if Redis failed or could not be reached
     */
    @Override
    public StoreLock lock(String id, Duration ttl, Duration wait) {
        Objects.requireNonNull(wait, "wait");
        byte[] dataKey = dataKey(id);
        byte[] lockKey = lockKey(id);
        byte[] token = (tokenPrefix + tokens.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
        List<byte[]> keys = List.of(dataKey, lockKey);
        List<byte[]> args = List.of(token, keepAliveMillis, millisArg(ttl));
        long start = System.nanoTime();
        long deadline = start + saturatedNanos(wait);
        long backoff = MIN_BACKOFF_NANOS;
        while (true) {
            long sentAt = System.nanoTime();
            List<?> reply;
            try {
                reply = (List<?>) call("lock", () -> eval(Script.ACQUIRE, keys, args));
            } catch (StoreUnavailableException e) {
                // A timed-out acquire may still run when Redis wakes, and take the lock for a token
                // that this call drops now: release that token once Redis answers again.
                if (mayHaveReachedRedis(e)) {
                    keeper.strand(lockKey, token);
                }
                throw e;
            }
            if (((Long) reply.get(0)) == 1L) {
                return new RedisLock(dataKey, lockKey, token, Optional.ofNullable((byte[]) reply.get(1)),
                        keeper.hold(lockKey, token, sentAt));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw SessionLockTimeoutException.of(description + LOCK_LABEL_SUFFIX, wait);
            }
            // Sleep a jittered backoff, but not past the holder's lease nor past our own deadline.
            long holderLeft = TimeUnit.MILLISECONDS.toNanos(Math.max(1L, (Long) reply.get(1)));
            long pause = Math.min(Math.min(jitter(backoff), holderLeft), left);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
            LockSupport.parkNanos(pause);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw SessionLockTimeoutException.of(description + LOCK_LABEL_SUFFIX,
                        Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }

    // ---- the index of sessions by user

    /**
     * Records a session in its user's index: one script, which also keeps the index key alive at least
     * as long as this session can live, and, when the index has grown past its next prune size, two
     * more round trips that forget the sessions gone from it.
     *
     * @param principal the user's principal name; any string
     * @param id the session's id
     * @param created when the session was created or logged in
     * @param ttl the session's idle timeout
     * @throws StoreUnavailableException if Redis failed or could not be reached
     */
    @Override
    public void index(String principal, String id, Instant created, Duration ttl) {
        Objects.requireNonNull(created, "created");
        byte[] key = userKey(principal);
        byte[] field = Objects.requireNonNull(id, "id").getBytes(StandardCharsets.UTF_8);
        long ttlMillis = millis(ttl);
        long createdMillis = created.toEpochMilli();
        // Alive at most for the longer of its idle timeout (a remember-me login's whole lifetime) and the
        // longest lifetime, counted from its creation; the index key must outlive it.
        long lifetime = Math.max(ttlMillis, maxSessionLifetime.toMillis());
        long age = Math.max(0, clock.millis() - createdMillis);
        long keep = Math.max(ttlMillis, lifetime - age);
        List<byte[]> args = List.of(field, ascii(createdMillis + " " + ttlMillis), ascii(Long.toString(keep)),
                ascii(Integer.toString(FIRST_PRUNE)));
        Object reply = call("index", () -> eval(Script.INDEX, List.of(key), args));
        if (reply instanceof List) {
            try {
                List<String> ids = new ArrayList<>();
                for (Object f : (List<?>) reply) {
                    String name = new String((byte[]) f, StandardCharsets.UTF_8);
                    if (!name.equals(PRUNE_AT_FIELD)) {
                        ids.add(name);
                    }
                }
                List<Long> pttls = pttls(ids);
                List<String> gone = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    if (pttls.get(i) == -2L) {
                        gone.add(ids.get(i));
                    }
                }
                forget(key, gone, ids.size() - gone.size());
            } catch (StoreUnavailableException e) {
                // The session is indexed; the next login or listing prunes.
                LOG.debug("Could not prune a user's session index in {}; the next login or listing does", description, e);
            }
        }
    }

    /**
     * Forgets a session of a user: one script ({@code HDEL}, and the key goes with the user's last
     * session). Forgetting an unknown pair does nothing.
     *
     * @param principal the user's principal name
     * @param id the session's id
     * @throws StoreUnavailableException if Redis failed or could not be reached
     */
    @Override
    public void unindex(String principal, String id) {
        byte[] key = userKey(principal);
        byte[] field = Objects.requireNonNull(id, "id").getBytes(StandardCharsets.UTF_8);
        call("unindex", () -> eval(Script.UNINDEX, List.of(key), List.of(field)));
    }

    /**
     * Lists a user's live sessions, oldest first, and forgets those Redis no longer has. Reads the index
     * ({@code HGETALL}) and each session's remaining time ({@code PTTL}, pipelined; it does not slide the
     * expiry), then, only if some are gone, forgets them in one script. Each entry's last use is
     * {@code now - (idle timeout - PTTL)}: see the class documentation for its precision.
     *
     * @param principal the user's principal name
     * @return the live sessions; empty if none
     * @throws StoreUnavailableException if Redis failed or could not be reached
     */
    @Override
    public List<Entry> sessions(String principal) {
        byte[] key = userKey(principal);
        Map<byte[], byte[]> all = call("sessions", () -> client.hgetAll(key));
        List<String> ids = new ArrayList<>();
        List<long[]> recorded = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : all.entrySet()) {
            String id = new String(e.getKey(), StandardCharsets.UTF_8);
            long[] value = entry(e.getValue());
            if (!id.equals(PRUNE_AT_FIELD) && value != null) {
                ids.add(id);
                recorded.add(value);
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Long> pttls = pttls(ids);
        long now = clock.millis();
        List<Entry> live = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            long pttl = pttls.get(i);
            if (pttl == -2L) {
                gone.add(ids.get(i));
                continue;
            }
            long created = recorded.get(i)[0];
            long ttl = recorded.get(i)[1];
            // A read slides the expiry back to the idle timeout: what is gone of it has passed since.
            long lastUsed = pttl < 0 ? created : Math.min(now, now - (ttl - pttl));
            live.add(new Entry(ids.get(i), Instant.ofEpochMilli(created), Instant.ofEpochMilli(Math.max(created, lastUsed))));
        }
        if (!gone.isEmpty()) {
            try {
                forget(key, gone, live.size());
            } catch (StoreUnavailableException e) {
                // The list is right all the same; the next listing or login forgets them.
                LOG.debug("Could not prune a user's session index in {}; the next login or listing does", description, e);
            }
        }
        live.sort(Comparator.comparing(Entry::created).thenComparing(Entry::id));
        return List.copyOf(live);
    }

    /**
     * Registers a listener for the sessions Redis expires, if this store was built with
     * {@link Builder#expiryEvents(boolean) expiryEvents}: the first one starts the subscription (a
     * connection and a thread per master). Each listener is called with the session's id and no data,
     * on the subscription's thread. Without expiry events, or once the store is closed, does nothing.
     *
     * @param listener told of each expired session
     * @throws NullPointerException if {@code listener} is null
     */
    @Override
    public void onExpiry(ExpiryListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (expiryEventsFactory == null) {
            return;
        }
        expiryEventsLock.lock();
        try {
            if (closed.get()) {
                return;
            }
            expiryListeners.add(listener);
            if (expiryEvents == null) {
                expiryEvents = expiryEventsFactory.get();
                expiryEvents.start();
            }
        } finally {
            expiryEventsLock.unlock();
        }
    }

    @Override
    public String description() {
        return description;
    }

    /**
     * Returns the prefix of every key this store writes.
     *
     * @return for example {@code cookies:session:}
     */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * Returns how long a lock is held at most before another instance may take it over.
     *
     * @return the lease
     */
    public Duration lockLease() {
        return lockLease;
    }

    /**
     * Returns how long a lock outlives the last sign of life of its holder: the lock key's expiry,
     * which a held lock renews up to its {@link #lockLease() lease}. A lock nobody renews (its instance
     * died, or a timed-out command set it after its caller gave up) frees itself within this.
     *
     * @return the keep-alive, at most the lease
     */
    public Duration lockKeepAlive() {
        return lockKeepAlive;
    }

    /**
     * Stops renewing held locks and forgets tokens waiting to be released (their locks expire within
     * the keep-alive), then closes the Jedis client if this store created it from a URI; a client given
     * to {@link Builder#client(UnifiedJedis)} is left open for the application to close. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            expiryEventsLock.lock();
            try {
                if (expiryEvents != null) {
                    expiryEvents.close();
                }
            } finally {
                expiryEventsLock.unlock();
            }
            keeper.close();
            if (ownsClient) {
                client.close();
            }
        }
    }

    /** The expiry events' subscriber, if started; for tests. */
    ExpiryEvents expiryEvents() {
        expiryEventsLock.lock();
        try {
            return expiryEvents;
        } finally {
            expiryEventsLock.unlock();
        }
    }

    /** How many tokens wait to be released by the keeper; for tests. */
    int strandedLocks() {
        return keeper.strandedCount();
    }

    @Override
    public String toString() {
        return "RedisSessionStore[" + description + ", prefix " + keyPrefix + "]";
    }

    // ---- keys and arguments

    byte[] dataKey(String id) {
        return (keyPrefix + "{" + Objects.requireNonNull(id, "id") + "}").getBytes(StandardCharsets.UTF_8);
    }

    byte[] lockKey(String id) {
        byte[] data = dataKey(id);
        byte[] key = new byte[data.length + LOCK_SUFFIX.length];
        System.arraycopy(data, 0, key, 0, data.length);
        System.arraycopy(LOCK_SUFFIX, 0, key, data.length, LOCK_SUFFIX.length);
        return key;
    }

    /**
     * The key of a user's index: the principal hashed (any string, never shown in a key name), in braces
     * as the hash tag, so that the index is one slot of its own whatever its sessions' slots.
     */
    byte[] userKey(String principal) {
        Objects.requireNonNull(principal, "principal");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(principal.getBytes(StandardCharsets.UTF_8));
            return (keyPrefix + "user:{" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest) + "}")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** An index entry's created and ttl milliseconds, or null if it is not one of ours. */
    private static long[] entry(byte[] value) {
        String text = new String(value, StandardCharsets.US_ASCII);
        int space = text.indexOf(' ');
        try {
            return space < 0 ? null : new long[] {Long.parseLong(text.substring(0, space)), Long.parseLong(text.substring(space + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The remaining time of each session, or -2 for one that is gone; one pipeline, one round trip per node. */
    private List<Long> pttls(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return call("sessions", () -> {
            try (AbstractPipeline pipeline = client.pipelined()) {
                List<Response<Long>> replies = new ArrayList<>(ids.size());
                for (String id : ids) {
                    replies.add(pipeline.pttl(dataKey(id)));
                }
                pipeline.sync();
                List<Long> pttls = new ArrayList<>(ids.size());
                for (Response<Long> r : replies) {
                    pttls.add(r.get());
                }
                return pttls;
            }
        });
    }

    /** Forgets sessions found gone from an index, and sets its next prune size from those alive. */
    private void forget(byte[] key, List<String> gone, int alive) {
        List<byte[]> args = new ArrayList<>(gone.size() + 1);
        args.add(ascii(Long.toString(Math.max(FIRST_PRUNE, 2L * alive))));
        for (String id : gone) {
            args.add(id.getBytes(StandardCharsets.UTF_8));
        }
        call("sessions", () -> eval(Script.PRUNE, List.of(key), args));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Tells the listeners of a session Redis expired. Called on a subscriber thread. */
    private void expired(String id) {
        for (ExpiryListener l : expiryListeners) {
            try {
                l.expired(id, Optional.empty());
            } catch (RuntimeException e) {
                LOG.warn("An expiry listener of {} failed; the others are told all the same", description, e);
            }
        }
    }

    /** Where the keys expire: the server, the Sentinel's current master, or each Cluster master. */
    private static Supplier<List<HostAndPort>> mastersOf(UnifiedJedis client, RedisUri uri) {
        switch (uri.kind) {
            case SENTINEL:
                return () -> List.of(((RedisSentinelClient) client).getCurrentMaster());
            case CLUSTER:
                return () -> clusterMasters(client);
            default:
                List<HostAndPort> node = List.of(uri.nodes.get(0));
                return () -> node;
        }
    }

    /** The masters of a Cluster, from {@code CLUSTER SLOTS}: the first node of each slot range. */
    private static List<HostAndPort> clusterMasters(UnifiedJedis cluster) {
        Object reply = cluster.sendCommand(ascii("cookies"), Protocol.Command.CLUSTER, ascii("SLOTS"));
        Set<HostAndPort> masters = new LinkedHashSet<>();
        for (Object range : (List<?>) reply) {
            List<?> r = (List<?>) range;
            if (r.size() < 3) {
                continue;
            }
            List<?> master = (List<?>) r.get(2);
            String host = new String((byte[]) master.get(0), StandardCharsets.UTF_8);
            if (!host.isEmpty() && !host.equals("?")) {
                masters.add(new HostAndPort(host, ((Long) master.get(1)).intValue()));
            }
        }
        return List.copyOf(masters);
    }

    /** Milliseconds for PX, at least 1: Redis refuses 0, and a ttl of zero means "expire now". */
    private static long millis(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            return 1;
        }
        try {
            return Math.max(1, ttl.toMillis());
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    private static byte[] millisArg(Duration ttl) {
        return Long.toString(millis(ttl)).getBytes(StandardCharsets.US_ASCII);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.isNegative() ? 0 : d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    private static long jitter(long backoff) {
        return backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    }

    // ---- calling Redis

    private Object eval(Script script, List<byte[]> keys, List<byte[]> args) {
        try {
            return client.evalsha(script.sha, keys, args);
        } catch (JedisNoScriptException e) {
            return client.eval(script.source, keys, args);
        } catch (JedisDataException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
                return client.eval(script.source, keys, args);
            }
            throw e;
        }
    }

    /**
     * Runs one command (or script), turning every Jedis failure into a StoreUnavailableException. A
     * connection failure that was not a timeout is typically a pooled connection that died with a
     * restarted server: idle connections are dropped and the command runs once more on a new one.
     */
    private <T> T call(String operation, Supplier<T> command) {
        return call(operation, true, command);
    }

    /**
     * Runs a command, once more on a new connection when a pooled one turns out dead, unless
     * {@code idempotent} is false and the first attempt may have reached Redis.
     */
    private <T> T call(String operation, boolean idempotent, Supplier<T> command) {
        try {
            T reply = command.get();
            keeper.answered();
            return reply;
        } catch (JedisConnectionException e) {
            if (pool != null && !idempotent && mayHaveReachedRedis(e)) {
                // It may have run: trying again could report "changed" for our own write.
                pool.clear();
                throw unavailable(operation, e);
            }
            if (pool != null && !timedOut(e) && !closed.get()) {
                try {
                    pool.clear();
                    T reply = command.get();
                    keeper.answered();
                    return reply;
                } catch (JedisException | IllegalStateException again) {
                    again.addSuppressed(e);
                    throw unavailable(operation, again);
                }
            }
            throw unavailable(operation, e);
        } catch (JedisException | IllegalStateException e) {
            // IllegalStateException: Jedis' pool after close().
            throw unavailable(operation, e);
        }
    }

    private StoreUnavailableException unavailable(String operation, Throwable cause) {
        return StoreUnavailableException.of(description, operation, cause);
    }

    /**
     * Whether a failed command may have reached Redis, and so may still run there: false only when no
     * connection was had (refused, pool exhausted, pool closed).
     */
    private static boolean mayHaveReachedRedis(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoSuchElementException || t instanceof IllegalStateException) {
                return false;
            }
        }
        return true;
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static Pool<Connection> poolOf(UnifiedJedis client) {
        if (client instanceof RedisClient) {
            try {
                return ((RedisClient) client).getPool();
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /** The lock on one id, held under one token until saved, deleted or closed. */
    private final class RedisLock implements StoreLock {
        private final byte[] dataKey;
        private final byte[] lockKey;
        private final byte[] token;
        private final Optional<byte[]> data;
        /** Keeps the lock key alive while this is held; null when the keep-alive is the whole lease. */
        private final LockKeeper.Renewal renewal;
        private final AtomicBoolean held = new AtomicBoolean(true);

        RedisLock(byte[] dataKey, byte[] lockKey, byte[] token, Optional<byte[]> data, LockKeeper.Renewal renewal) {
            this.dataKey = dataKey;
            this.lockKey = lockKey;
            this.token = token;
            this.data = data;
            this.renewal = renewal;
        }

        @Override
        public Optional<byte[]> data() {
            return data;
        }

        @Override
        public void save(byte[] bytes, Duration ttl) {
            Objects.requireNonNull(bytes, "data");
            finish("save", Script.SAVE_AND_RELEASE, List.of(token, bytes, millisArg(ttl)));
        }

        @Override
        public void delete() {
            finish("delete", Script.DELETE_AND_RELEASE, List.of(token));
        }

        private void finish(String operation, Script script, List<byte[]> args) {
            if (!held.compareAndSet(true, false)) {
                throw new IllegalStateException("this lock was already saved, deleted or closed");
            }
            // No renewal from here on: if this write times out, the lock must not be kept alive for it.
            endRenewal();
            Object done;
            try {
                done = call(operation, () -> eval(script, List.of(dataKey, lockKey), args));
            } catch (StoreUnavailableException e) {
                if (e.getCause() instanceof JedisDataException) {
                    // Redis answered but refused (out of memory, read-only replica): the lock is still
                    // ours, so give it back now rather than when it expires.
                    releaseQuietly();
                } else {
                    // The write may not have reached Redis, or may run when Redis wakes; either way the
                    // lock may still be held under this token, which nobody would release.
                    keeper.strand(lockKey, token);
                }
                throw e;
            }
            if (((Long) done) != 1L) {
                throw StoreUnavailableException.of(description, operation, new IllegalStateException(
                        "the lock expired before this " + operation + " (its lease of " + lockLease
                                + " ran out, or Redis could not be reached to renew it within its keep-alive of "
                                + lockKeepAlive + "), so another request may hold the lock now; nothing was"
                                + " written. Keep locked blocks shorter than lockLease, or raise it"));
            }
        }

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                endRenewal();
                releaseQuietly();
            }
        }

        private void endRenewal() {
            if (renewal != null) {
                renewal.end();
            }
        }

        /**
         * Releases the lock if this token still holds it. A failure is logged, not thrown: nothing was
         * to be written, and the keeper releases the token once Redis answers, or the lock expires.
         */
        private void releaseQuietly() {
            try {
                call("unlock", () -> eval(Script.RELEASE, List.of(lockKey), List.of(token)));
            } catch (StoreUnavailableException e) {
                keeper.strand(lockKey, token);
                LOG.warn("Could not release a session lock in {}; it is released once Redis answers, and"
                        + " expires within {} at the latest", description, lockKeepAlive, e);
            }
        }
    }

    /**
     * Builds a {@link RedisSessionStore}. Give it either a {@link #uri(String) URI}, from which it
     * creates (and later closes) its own Jedis client, or a {@link #client(UnifiedJedis) client} the
     * application already has. Each setter checks its value at once and names the setting in the
     * {@link SessionConfigException} it throws. Later calls win over earlier ones, including the
     * parameters a URI carries.
     *
     * @since 0.1
     */
    public static final class Builder {
        private RedisUri uri;
        private UnifiedJedis client;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration lockLease = DEFAULT_LOCK_LEASE;
        /** Null: three read timeouts, at least {@link #MIN_DEFAULT_KEEP_ALIVE}. */
        private Duration lockKeepAlive;
        private int poolSize = DEFAULT_POOL_SIZE;
        private String clientName;
        private String user;
        private String password;
        private SSLSocketFactory sslSocketFactory;
        private Clock clock = Clock.systemUTC();
        private Duration maxSessionLifetime = DEFAULT_MAX_SESSION_LIFETIME;
        private boolean expiryEvents;
        /** Settings that only a store with its own client can apply. */
        private final Set<String> clientSettings = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Sets where Redis is; the store creates its own client from it and closes it in
         * {@link RedisSessionStore#close()}. Forms:
         * <ul>
         *   <li>{@code redis://[[user]:password@]host[:port][/database]} (port 6379, database 0 by
         *       default);</li>
         *   <li>{@code rediss://...} the same over TLS (the JVM's default trust store);</li>
         *   <li>{@code redis-sentinel://[[user]:password@]sentinel[:port][,sentinel[:port]...][/database]?master=name}
         *       (sentinel port 26379 by default; the credentials are the master's);</li>
         *   <li>{@code redis-cluster://[[user]:password@]host[:port][,host[:port]...]}; add
         *       {@code ssl=true} for TLS with Sentinel or Cluster.</li>
         * </ul>
         * Query parameters, each the same as the builder method of that name: {@code prefix}
         * ({@link #keyPrefix}), {@code timeout}, {@code connectTimeout}, {@code readTimeout},
         * {@code lockLease}, {@code lockKeepAlive}, {@code maxSessionLifetime} (durations: {@code 500ms},
         * {@code 2s}, {@code 1m}, {@code 12h}, {@code 30d}, a bare number of milliseconds, or ISO-8601 such
         * as {@code PT2S}), {@code poolSize}, {@code clientName}, {@code expiryEvents} ({@code true} or
         * {@code false}), {@code ssl}, {@code master}. Percent-encode reserved characters in a password.
         *
         * @param uri the URI
         * @return this builder
         * @throws SessionConfigException if the URI or one of its parameters is invalid, or a client was
         *     already set
         * @throws NullPointerException if {@code uri} is null
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            if (client != null) {
                throw SessionConfigException.of("uri", "a client was already set; give a URI or a client, not both");
            }
            RedisUri parsed = RedisUri.parse(uri);
            this.uri = parsed;
            if (parsed.user != null) {
                this.user = parsed.user;
            }
            if (parsed.password != null) {
                this.password = parsed.password;
            }
            applyParameters(parsed);
            return this;
        }

        private void applyParameters(RedisUri parsed) {
            for (var p : parsed.parameters.entrySet()) {
                String v = p.getValue();
                switch (p.getKey()) {
                    case "prefix":
                        keyPrefix(v);
                        break;
                    case "timeout":
                        timeout(RedisUri.duration("timeout", v));
                        break;
                    case "connectTimeout":
                        connectTimeout(RedisUri.duration("connectTimeout", v));
                        break;
                    case "readTimeout":
                        readTimeout(RedisUri.duration("readTimeout", v));
                        break;
                    case "lockLease":
                        lockLease(RedisUri.duration("lockLease", v));
                        break;
                    case "lockKeepAlive":
                        lockKeepAlive(RedisUri.duration("lockKeepAlive", v));
                        break;
                    case "poolSize":
                        poolSize(RedisUri.integer("poolSize", v));
                        break;
                    case "clientName":
                        clientName(v);
                        break;
                    case "maxSessionLifetime":
                        maxSessionLifetime(RedisUri.duration("maxSessionLifetime", v));
                        break;
                    case "expiryEvents":
                        expiryEvents(RedisUri.bool("expiryEvents", v));
                        break;
                    default:
                        // ssl and master are part of the parsed target
                        break;
                }
            }
        }

        /**
         * Uses a Jedis client the application already has: a {@link RedisClient}, a
         * {@link RedisClusterClient}, a {@link RedisSentinelClient}, or any other {@link UnifiedJedis}.
         * Its own configuration (timeouts, pool, TLS, credentials) applies; the store never closes it.
         * Bound its timeouts and its pool's {@code maxWait}, or calls may wait as long as it lets them.
         *
         * @param client the client
         * @return this builder
         * @throws SessionConfigException if a URI was already set
         * @throws NullPointerException if {@code client} is null
         */
        public Builder client(UnifiedJedis client) {
            Objects.requireNonNull(client, "client");
            if (uri != null) {
                throw SessionConfigException.of("client", "a URI was already set (" + uri.description()
                        + "); give a URI or a client, not both");
            }
            this.client = client;
            return this;
        }

        /**
         * Sets the prefix of every key. Default {@value RedisSessionStore#DEFAULT_KEY_PREFIX}. Give each
         * application (or each session manager sharing one Redis database) its own.
         *
         * @param keyPrefix at most 256 characters, without <code>{</code> or <code>}</code> (the store
         *     adds the hash tag itself); may be empty
         * @return this builder
         * @throws SessionConfigException if it has braces or is too long
         * @throws NullPointerException if {@code keyPrefix} is null
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
                throw SessionConfigException.of("keyPrefix", "'" + keyPrefix + "' has a brace; the store puts the"
                        + " session id in braces itself, as the Cluster hash tag");
            }
            if (keyPrefix.length() > 256) {
                throw SessionConfigException.of("keyPrefix", "is " + keyPrefix.length() + " characters, at most 256");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Sets both the connect and the read timeout. URI-built stores only.
         *
         * @param timeout between 1 ms and 5 minutes
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder timeout(Duration timeout) {
            connectTimeout(timeout);
            readTimeout(timeout);
            clientSettings.add("timeout");
            return this;
        }

        /**
         * Sets how long opening a connection may take. Default 2 seconds. URI-built stores only.
         *
         * @param connectTimeout between 1 ms and 5 minutes
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = timeoutSetting("connectTimeout", connectTimeout);
            clientSettings.add("connectTimeout");
            return this;
        }

        /**
         * Sets how long a reply may take, and how long to wait for a free pooled connection. Default 2
         * seconds. URI-built stores only.
         *
         * @param readTimeout between 1 ms and 5 minutes
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = timeoutSetting("readTimeout", readTimeout);
            clientSettings.add("readTimeout");
            return this;
        }

        private static Duration timeoutSetting(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(Duration.ofMinutes(5)) > 0) {
                throw SessionConfigException.of(name, "must be between 1 ms and 5 minutes, was " + d);
            }
            return d;
        }

        /**
         * Sets the lock's lease: how long a lock is held at most before another instance may take it
         * over. Longer than any locked block must be; a block that outlives it fails its write.
         * Default 30 seconds.
         *
         * @param lockLease between 100 ms and 1 hour
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder lockLease(Duration lockLease) {
            Objects.requireNonNull(lockLease, "lockLease");
            if (lockLease.compareTo(Duration.ofMillis(100)) < 0 || lockLease.compareTo(Duration.ofHours(1)) > 0) {
                throw SessionConfigException.of("lockLease", "must be between 100 ms and 1 hour, was " + lockLease);
            }
            this.lockLease = lockLease;
            return this;
        }

        /**
         * Sets the lock's keep-alive: the lock key expires this long after it was taken or last renewed,
         * and a request holding the lock renews it every third of this, by token, until the lease is
         * over. It bounds how long a lock outlives its holder: an instance that died, or an acquire that
         * timed out on the client but that Redis ran when it caught up. Longer than a renewal may take
         * (about the read timeout); shorter than your {@code lockWait}, so that a request can wait out a
         * stranded lock. Default three times the read timeout (6 s with the defaults; for a store given a
         * client, three times {@link RedisSessionStore#DEFAULT_READ_TIMEOUT}), at least 1 s. Never more
         * than the lease: with a keep-alive as long as the lease, nothing is renewed.
         *
         * @param lockKeepAlive between 100 ms and 1 hour
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder lockKeepAlive(Duration lockKeepAlive) {
            Objects.requireNonNull(lockKeepAlive, "lockKeepAlive");
            if (lockKeepAlive.compareTo(Duration.ofMillis(100)) < 0 || lockKeepAlive.compareTo(Duration.ofHours(1)) > 0) {
                throw SessionConfigException.of("lockKeepAlive", "must be between 100 ms and 1 hour, was " + lockKeepAlive);
            }
            this.lockKeepAlive = lockKeepAlive;
            return this;
        }

        Duration effectiveKeepAlive() {
            Duration k = lockKeepAlive;
            if (k == null) {
                k = readTimeout.multipliedBy(3);
                if (k.compareTo(MIN_DEFAULT_KEEP_ALIVE) < 0) {
                    k = MIN_DEFAULT_KEEP_ALIVE;
                }
            }
            return k.compareTo(lockLease) > 0 ? lockLease : k;
        }

        /**
         * Sets the most connections per Redis node. Default 16. URI-built stores only.
         *
         * @param poolSize between 1 and 1024
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1 || poolSize > 1024) {
                throw SessionConfigException.of("poolSize", "must be between 1 and 1024, was " + poolSize);
            }
            this.poolSize = poolSize;
            clientSettings.add("poolSize");
            return this;
        }

        /**
         * Sets the name the connections give themselves ({@code CLIENT SETNAME}), to find them in
         * {@code CLIENT LIST}. Default none. URI-built stores only.
         *
         * @param clientName letters, digits and punctuation, no spaces
         * @return this builder
         * @throws SessionConfigException if empty or it has spaces or control characters
         */
        public Builder clientName(String clientName) {
            Objects.requireNonNull(clientName, "clientName");
            if (clientName.isEmpty() || !clientName.chars().allMatch(c -> c > ' ' && c < 127)) {
                throw SessionConfigException.of("clientName", "'" + clientName
                        + "' must be non-empty printable ASCII without spaces");
            }
            this.clientName = clientName;
            clientSettings.add("clientName");
            return this;
        }

        /**
         * Sets the user and password to log in with, so that the password need not sit in the URI
         * (a URI given later with its own credentials replaces them). URI-built stores only.
         *
         * @param user the ACL user, or {@code null} for the default user
         * @param password the password
         * @return this builder
         * @throws NullPointerException if {@code password} is null
         */
        public Builder credentials(String user, String password) {
            this.user = user == null || user.isEmpty() ? null : user;
            this.password = Objects.requireNonNull(password, "password");
            clientSettings.add("credentials");
            return this;
        }

        /**
         * Sets the socket factory for TLS ({@code rediss://}, or {@code ssl=true}), for a trust store
         * other than the JVM's default. Whatever the factory, the server's certificate must match the
         * host name or IP address the client connects to. URI-built stores only.
         *
         * @param sslSocketFactory for example {@code sslContext.getSocketFactory()}
         * @return this builder
         * @throws NullPointerException if {@code sslSocketFactory} is null
         */
        public Builder sslSocketFactory(SSLSocketFactory sslSocketFactory) {
            this.sslSocketFactory = Objects.requireNonNull(sslSocketFactory, "sslSocketFactory");
            clientSettings.add("sslSocketFactory");
            return this;
        }

        /**
         * Sets the clock that dates the per-user index: a session's age when it is indexed, and
         * {@code now} in its last use as {@link RedisSessionStore#sessions} reports it. Give it the session
         * manager's clock (a store created from a URI by the manager gets it). Redis keeps expiry by its
         * own clock whatever this is. Default the system clock.
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
         * Sets the longest a session of this store can live after its login: at least the
         * {@code absoluteTimeout} of every session manager using the store (a remember-me login longer
         * than that keeps its own, which the index is told). A user's index key expires this long after
         * the user's latest login, so that the keys of users who never come back go away by themselves.
         * Set too short, the index forgets sessions still alive, and signing out everywhere misses them.
         * Default 400 days ({@link RedisSessionStore#DEFAULT_MAX_SESSION_LIFETIME}), the most a session
         * manager allows.
         *
         * @param maxSessionLifetime between 1 second and 400 days
         * @return this builder
         * @throws SessionConfigException if out of range
         * @throws NullPointerException if {@code maxSessionLifetime} is null
         */
        public Builder maxSessionLifetime(Duration maxSessionLifetime) {
            Objects.requireNonNull(maxSessionLifetime, "maxSessionLifetime");
            if (maxSessionLifetime.compareTo(Duration.ofSeconds(1)) < 0
                    || maxSessionLifetime.compareTo(DEFAULT_MAX_SESSION_LIFETIME) > 0) {
                throw SessionConfigException.of("maxSessionLifetime", "must be between 1 second and 400 days, was "
                        + maxSessionLifetime);
            }
            this.maxSessionLifetime = maxSessionLifetime;
            return this;
        }

        /**
         * Reports sessions that Redis expires to the listeners registered with
         * {@link RedisSessionStore#onExpiry} (a session manager's {@code EXPIRED} events), through keyspace
         * notifications. Costs a connection and a thread per master (one for a standalone server or
         * Sentinel), started with the first listener, plus one supervising thread; Redis pushes every
         * expiry of the database to it, not only sessions'. Redis must have {@code notify-keyspace-events}
         * including {@code E} and {@code x} (for example {@code CONFIG SET notify-keyspace-events Ex}, on
         * every master of a Cluster): the store checks and logs a warning, but does not change the
         * server's configuration. Notifications published while the subscription is down (Redis
         * restarting, a network outage) are lost. Default off. URI-built stores only.
         *
         * @param expiryEvents {@code true} to subscribe
         * @return this builder
         */
        public Builder expiryEvents(boolean expiryEvents) {
            this.expiryEvents = expiryEvents;
            if (expiryEvents) {
                clientSettings.add("expiryEvents");
            } else {
                clientSettings.remove("expiryEvents");
            }
            return this;
        }

        /**
         * Creates the store. A store built from a URI creates its client here; a Cluster or Sentinel
         * client connects at once to learn the topology.
         *
         * @return the store
         * @throws SessionConfigException if neither a URI nor a client was given, or a URI-only setting
         *     was given with a client
         * @throws StoreUnavailableException if a Cluster or Sentinel client cannot reach any node
         */
        public RedisSessionStore build() {
            if (uri == null && client == null) {
                throw SessionConfigException.of("uri", "no Redis given; call uri(\"redis://host:6379/0\") or client(jedis)");
            }
            if (client != null) {
                if (!clientSettings.isEmpty()) {
                    String s = clientSettings.iterator().next();
                    throw SessionConfigException.of(s, "applies only to a store built from a URI; configure it on"
                            + " the client given to client(...)");
                }
                return new RedisSessionStore(client, false, "redis (" + client.getClass().getSimpleName() + ")", this);
            }
            String description = uri.description();
            UnifiedJedis created;
            try {
                created = createClient();
            } catch (JedisException | IllegalArgumentException e) {
                if (e instanceof JedisException) {
                    throw StoreUnavailableException.of(description, "connect", e);
                }
                throw SessionConfigException.of("uri", "Jedis refused the configuration of " + description + ": "
                        + e.getMessage());
            }
            return new RedisSessionStore(created, true, description, this);
        }

        /** How the store's connections connect: timeouts, TLS, credentials, name. */
        private DefaultJedisClientConfig.Builder clientConfig() {
            DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                    .connectionTimeoutMillis(intMillis(connectTimeout))
                    .socketTimeoutMillis(intMillis(readTimeout));
            tls(config);
            if (password != null) {
                config.credentials(new DefaultRedisCredentials(user, password));
            }
            if (clientName != null) {
                config.clientName(clientName);
            }
            return config;
        }

        private UnifiedJedis createClient() {
            DefaultJedisClientConfig.Builder config = clientConfig();
            ConnectionPoolConfig pool = new ConnectionPoolConfig();
            pool.setMaxTotal(poolSize);
            pool.setMaxIdle(poolSize);
            pool.setMinIdle(0);
            pool.setBlockWhenExhausted(true);
            pool.setMaxWait(readTimeout);
            pool.setJmxEnabled(false);
            switch (uri.kind) {
                case CLUSTER:
                    return RedisClusterClient.builder()
                            .nodes(new LinkedHashSet<>(uri.nodes))
                            .clientConfig(config.build())
                            .poolConfig(pool)
                            .maxAttempts(3)
                            .maxTotalRetriesDuration(connectTimeout.plus(readTimeout))
                            .build();
                case SENTINEL: {
                    // Sentinel's listener threads use the plain Jedis class, which only speaks RESP2.
                    DefaultJedisClientConfig.Builder sentinel = DefaultJedisClientConfig.builder()
                            .connectionTimeoutMillis(intMillis(connectTimeout))
                            .socketTimeoutMillis(intMillis(readTimeout))
                            .autoNegotiateProtocol(false);
                    tls(sentinel);
                    return RedisSentinelClient.builder()
                            .masterName(uri.master)
                            .sentinels(new LinkedHashSet<HostAndPort>(uri.nodes))
                            .clientConfig(config.database(uri.database).build())
                            .sentinelClientConfig(sentinel.build())
                            .poolConfig(pool)
                            .build();
                }
                default:
                    return RedisClient.builder()
                            .hostAndPort(uri.nodes.get(0))
                            .clientConfig(config.database(uri.database).build())
                            .poolConfig(pool)
                            .build();
            }
        }

        // Jedis 8 deprecates ssl(), sslParameters() and sslSocketFactory() in favour of SslOptions,
        // which builds its own SSLContext from trust store files and cannot take an application's
        // SSLSocketFactory; these still work in Jedis 8.
        @SuppressWarnings("deprecation")
        private void tls(DefaultJedisClientConfig.Builder config) {
            if (!uri.ssl) {
                return;
            }
            config.ssl(true);
            // Host-name verification made explicit rather than left to a library default: TLS without it
            // does not authenticate the server.
            SSLParameters verify = new SSLParameters();
            verify.setEndpointIdentificationAlgorithm("HTTPS");
            config.sslParameters(verify);
            if (sslSocketFactory != null) {
                config.sslSocketFactory(sslSocketFactory);
            }
        }

        private static int intMillis(Duration d) {
            return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
        }
    }
}
