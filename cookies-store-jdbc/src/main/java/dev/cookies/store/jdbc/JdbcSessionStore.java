package dev.cookies.store.jdbc;

import dev.cookies.SessionConfigException;
import dev.cookies.SessionLockTimeoutException;
import dev.cookies.StoreUnavailableException;
import dev.cookies.spi.ConditionalStore;
import dev.cookies.spi.SessionIndex;
import dev.cookies.spi.StoreLock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server-side session store in a relational database, on plain JDBC: PostgreSQL (9.5 or later) or
 * H2 (2.x), with a lock that holds across application instances.
 *
 * <pre>{@code
 * // with the application's own pool (HikariCP, or any DataSource):
 * JdbcSessionStore store = JdbcSessionStore.builder().dataSource(hikari).build();
 * // or from a URI, with the store's own small pool (the driver must be on the class path):
 * JdbcSessionStore store = JdbcSessionStore.create("jdbc:postgresql://db.internal/app?user=app&password=secret");
 * }</pre>
 *
 * <h2>The table</h2>
 * One row per session in the table {@code cookies_session} (the {@link Builder#table(String) table}
 * setting), with an index on {@code expires_at} and one on {@code principal_hash}; the schema files are
 * in this jar ({@link Database#schemaResource()}). The store checks the table when it is built and fails
 * with a {@link SessionConfigException} for {@code createTable} when it is missing;
 * {@link Builder#createTable(boolean) createTable(true)} creates it instead. A table created before the
 * index of sessions by user fails with one for {@code table} that gives the {@code ALTER TABLE}
 * statements to add its columns. Time is the database's ({@code CURRENT_TIMESTAMP}), so application
 * instances whose clocks are apart still agree on expiry and on leases; the store's
 * {@link Builder#clock(Clock) clock} only dates the last use that {@link #sessions} reports.
 *
 * <h2>Statements</h2>
 * Every statement is one round trip in auto-commit mode, on a connection borrowed for that statement
 * alone:
 * <ul>
 *   <li>{@link #load}: one statement that reads the session and slides its expiry (PostgreSQL: an
 *       {@code UPDATE ... RETURNING} in a {@code WITH}, H2: {@code SELECT ... FROM FINAL TABLE (UPDATE
 *       ...)}). The expiry is moved only when that moves it by more than a hundredth of the timeout (at
 *       most the {@link Builder#slideSlack(Duration) slide slack}, a minute by default): on PostgreSQL
 *       most reads then write nothing;</li>
 *   <li>{@link #save}, {@link #delete}, {@link #touch}: one upsert, {@code DELETE}, {@code UPDATE};</li>
 *   <li>{@link #lock}: one upsert per attempt that takes the lease and returns the session; its
 *       {@link StoreLock#save} and {@link StoreLock#delete} are one statement each that checks the token,
 *       writes and releases. A locked read-modify-write is therefore two statements;</li>
 *   <li>{@link #replace}: one {@code UPDATE} that writes only onto the bytes the request read and only
 *       while no lease is held. The core uses it when a request that has read its session then updates
 *       it, so a read followed by an update is two statements too, not three. Only if another request
 *       changed or locked the session meanwhile does the update take the lease and run again.</li>
 * </ul>
 *
 * <h2>Sessions by user</h2>
 * The store is a {@link SessionIndex}, kept in three columns of the session's own row:
 * {@code principal_hash} (SHA-256 of the user's principal name, so that no user name sits in an indexed
 * column, and any principal fits 32 bytes), {@code created_at} and {@code ttl_ms}, with an index on
 * {@code principal_hash} (on PostgreSQL a partial one, without anonymous sessions). Nothing of it is
 * read or written on a read or an ordinary write; a login adds one {@code UPDATE} ({@link #index}), a
 * logout nothing (its delete takes the entry, see {@link #forgetsOnDelete()}), and listing a user's
 * sessions is one {@code SELECT} ({@link #sessions}).
 * Deleting a row, or the clean-up deleting an expired one, takes its entry with it; an expired row
 * drops out of the listing at once. No scan, no clean-up of its own. The last use a listing reports is
 * derived from the expiry, as precise as the {@link Builder#slideSlack(Duration) slide slack} (see
 * {@link #sessions}).
 *
 * <h2>The lock: a lease row, not a row lock</h2>
 * A session's lock is two columns of its row, {@code lock_token} and {@code lock_until}: a random token
 * of the holder and the end of its lease ({@link Builder#lockLease(Duration) lockLease}, default
 * 10 s). Taking it is one atomic upsert that succeeds only when the lease
 * is free or over, and reads the session in the same statement; the final write checks the token and the
 * lease, writes and frees the lock in one statement. An id with no session gets a row that holds only
 * the lock. No connection and no transaction is held while the application's locked block runs, so a
 * slow block can neither exhaust the pool nor hold a database lock; an instance that dies holding a lock
 * blocks that one session for at most the lease. A block that outlives its lease may have lost the lock
 * to another instance, so its write is refused ({@link StoreUnavailableException}, operation
 * {@code "save"} or {@code "delete"}) and nothing is written. A lock that is held is retried with capped,
 * jittered exponential backoff until the caller's wait runs out, then
 * {@link SessionLockTimeoutException}.
 *
 * <p>(A {@code SELECT ... FOR UPDATE} held for the block was the other choice. It frees itself when an
 * instance dies, but it pins a pooled connection and an open transaction for as long as the block runs,
 * needs a row to exist before it can lock an id, and costs a {@code COMMIT} on top: three round trips for
 * a locked write where the lease takes two.)
 *
 * <h2>Expiry and clean-up</h2>
 * Rows whose {@code expires_at} has passed are never served: every read checks it. A background thread
 * per store deletes them every {@link Builder#cleanupInterval(Duration) cleanupInterval} (default 1
 * minute), at most {@link Builder#cleanupBatch(int) cleanupBatch} rows (default 500) per
 * {@code DELETE}, found through the {@code expires_at} index, and at most
 * 10 such statements per pass. It passes over rows whose lock is held. It
 * stops on {@link #close()}. Every application instance runs its own; on PostgreSQL they skip the rows
 * another is deleting ({@code SKIP LOCKED}).
 *
 * <h2>Failures</h2>
 * Every {@link SQLException} becomes a {@link StoreUnavailableException} naming the store without
 * credentials and the operation. Every write is one statement, so a failure never leaves a session half
 * written. A store built from a URI bounds every call: at most {@link Builder#queryTimeout(Duration)
 * queryTimeout} to get a pooled connection, {@link Builder#connectTimeout(Duration) connectTimeout} to
 * open one, and {@code queryTimeout} for the statement's reply (the connection's network timeout). A
 * store on a {@link DataSource} gets connections within that pool's own bounds (HikariCP's
 * {@code connectionTimeout}) and sets the network timeout of each connection it borrows to
 * {@code queryTimeout}. After an outage nothing needs restarting: the store's own pool checks a
 * connection idle for more than half a second before using it, and drops its idle connections when
 * one fails; a statement whose pooled connection turned out dead is tried once more on a fresh one
 * (every statement is idempotent or token-guarded), but never after a timeout, and a final write
 * through a lock only when the server said it had ended the connection itself.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class JdbcSessionStore implements ConditionalStore, SessionIndex {

    /** The default table name. */
    public static final String DEFAULT_TABLE = Sql.DEFAULT_TABLE;
    /** The default time to open a connection, for a store built from a URI. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The default time for a statement's reply, and for a free pooled connection. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(2);
    /** The default lock lease. */
    public static final Duration DEFAULT_LOCK_LEASE = Duration.ofSeconds(10);
    /** The default most connections of a store built from a URI. */
    public static final int DEFAULT_POOL_SIZE = 10;
    /** The default pause between two clean-up passes. */
    public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofMinutes(1);
    /** The default most rows one clean-up statement deletes. */
    public static final int DEFAULT_CLEANUP_BATCH = 500;
    /** The most clean-up statements in one pass. */
    static final int MAX_BATCHES_PER_PASS = 10;
    /** The default most a read's slide may fall short of the timeout (a hundredth of it, at most this). */
    public static final Duration DEFAULT_SLIDE_SLACK = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionStore.class);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int CONFLICT_ATTEMPTS = 3;
    private static final long MAX_TTL_MILLIS = Duration.ofDays(36_500).toMillis();

    private final Connections connections;
    private final String description;
    private final Sql sql;
    private final Duration lockLease;
    private final long slideSlackMillis;
    private final Clock clock;
    private final int cleanupBatch;
    private final ScheduledExecutorService cleaner;
    private final String tokenPrefix;
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean cleanupFailing = new AtomicBoolean();

    private JdbcSessionStore(Connections connections, String description, Sql sql, Builder b) {
        this.connections = connections;
        this.description = description;
        this.sql = sql;
        this.lockLease = b.lockLease;
        this.slideSlackMillis = b.slideSlack.toMillis();
        this.clock = b.clock;
        this.cleanupBatch = b.cleanupBatch;
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        this.tokenPrefix = HexFormat.of().formatHex(nonce) + ":";
        if (b.cleanup) {
            this.cleaner = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cookies-jdbc-cleanup " + description);
                t.setDaemon(true);
                return t;
            });
        } else {
            this.cleaner = null;
        }
    }

    /**
     * Starts a store. Give it {@link Builder#uri(String)} or {@link Builder#dataSource(DataSource)}.
     *
     * @return a builder with the defaults documented on its methods
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a store from a URI with the default settings; the store owns its connections and closes
     * them.
     *
     * @param uri for example {@code jdbc:postgresql://localhost/app?user=app&password=secret}; see
     *     {@link Builder#uri(String)}
     * @return the store
     * @throws SessionConfigException if the URI is invalid, naming the part at fault, or the table is missing
     * @throws NullPointerException if {@code uri} is null
     */
    public static JdbcSessionStore create(String uri) {
        return builder().uri(uri).build();
    }

    // ---- the store SPI

    /**
     * Reads a session and slides its expiry to {@code ttl} from now, in one statement. The expiry is
     * moved only when that moves it by more than a hundredth of {@code ttl}, at most the
     * {@link Builder#slideSlack(Duration) slide slack} (a minute by default); an expiry already further
     * away is left as it is.
     *
     * @param id a well-formed session id
     * @param ttl the idle timeout
     * @return the stored bytes, or empty if the id is unknown or expired
     * @throws StoreUnavailableException if the database failed or could not be reached
     */
    @Override
    public Optional<byte[]> load(String id, Duration ttl) {
        Objects.requireNonNull(id, "id");
        long ms = millis(ttl);
        long due = due(ms);
        return run("load", Retry.ANY, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.load)) {
                if (sql.database == Database.POSTGRESQL) {
                    ps.setLong(1, ms);
                    ps.setString(2, id);
                    ps.setLong(3, due);
                    ps.setString(4, id);
                } else {
                    ps.setLong(1, due);
                    ps.setLong(2, ms);
                    ps.setString(3, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    @Override
    public void save(String id, byte[] data, Duration ttl) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(data, "data");
        long ms = millis(ttl);
        run("save", Retry.ANY, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.save)) {
                ps.setString(1, id);
                ps.setBytes(2, data);
                ps.setLong(3, ms);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code UPDATE} whose {@code WHERE} compares the stored bytes with the expected ones and
     * checks that no lease is held and the session is live. Tried again after a serialization conflict
     * (it rolled back) or when the server ended the connection itself (it ran nothing), never after a
     * failure that may have run it: a second attempt would find its own bytes and answer "changed".
     */
    @Override
    public boolean replace(String id, byte[] expected, byte[] data, Duration ttl) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(data, "data");
        long ms = millis(ttl);
        return run("replace", Retry.FINAL_WRITE, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.replace)) {
                ps.setBytes(1, data);
                ps.setLong(2, ms);
                ps.setString(3, id);
                ps.setBytes(4, expected);
                return ps.executeUpdate();
            }
        }) == 1;
    }

    /**
     * Deletes a session's row, with any lock on it: a holder's later write through that lock is then
     * refused and writes nothing. The core deletes without the lock only sessions it found expired.
     *
     * @param id a well-formed session id
     * @throws StoreUnavailableException if the database failed or could not be reached
     */
    @Override
    public void delete(String id) {
        Objects.requireNonNull(id, "id");
        run("delete", Retry.ANY, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.delete)) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void touch(String id, Duration ttl) {
        Objects.requireNonNull(id, "id");
        long ms = millis(ttl);
        run("touch", Retry.ANY, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.touch)) {
                ps.setLong(1, ms);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Takes this session's lease and reads the session in the same statement, retrying with backoff
     * while another holder has it. The read slides the expiry as {@link #load} does.
     *
     * @param id a well-formed session id
     * @param ttl the session's idle timeout
     * @param wait how long to wait for the lock at most; zero tries once
     * @return the held lock, with the value read under it
     * @throws SessionLockTimeoutException if the lock was not had within {@code wait}
     * @throws StoreUnavailableException if the database failed or could not be reached
     */
    @Override
    public StoreLock lock(String id, Duration ttl, Duration wait) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(wait, "wait");
        String token = tokenPrefix + tokens.incrementAndGet();
        long ms = millis(ttl);
        long due = due(ms);
        long leaseMs = lockLease.toMillis();
        long start = System.nanoTime();
        long deadline = start + saturatedNanos(wait);
        long backoff = MIN_BACKOFF_NANOS;
        while (true) {
            Acquired got = run("lock", Retry.DEAD_CONNECTION, c -> {
                try (PreparedStatement ps = c.prepareStatement(sql.acquire)) {
                    ps.setString(1, id);
                    ps.setString(2, token);
                    ps.setLong(3, leaseMs);
                    ps.setLong(4, due);
                    ps.setLong(5, ms);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? new Acquired(true, rs.getBytes(1)) : Acquired.HELD;
                    }
                } catch (SQLException e) {
                    if (Sql.conflict(e.getSQLState())) {
                        // Two instances inserting the first row of one id at once: one of them has it.
                        return Acquired.HELD;
                    }
                    throw e;
                }
            });
            if (got.taken) {
                return new JdbcLock(id, token, Optional.ofNullable(got.data));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw SessionLockTimeoutException.of(description + " (lock)", wait);
            }
            long pause = Math.min(jitter(backoff), left);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
            LockSupport.parkNanos(pause);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw SessionLockTimeoutException.of(description + " (lock)", Duration.ofNanos(System.nanoTime() - start));
            }
        }
    }

    // ---- the index of sessions by user

    /**
     * Records a session's user on the session's own row: one {@code UPDATE} that sets the row's
     * {@code principal_hash} (SHA-256 of the principal), {@code created_at} and {@code ttl_ms}. A row
     * that holds no session (gone, or only a lock) is left as it is: there is nothing to list.
     *
     * @param principal the user's principal name; any string
     * @param id the session's id
     * @param created when the session was created or its user logged in
     * @param ttl the idle timeout the session's expiry slides by
     * @throws StoreUnavailableException if the database failed or could not be reached
     */
    @Override
    public void index(String principal, String id, Instant created, Duration ttl) {
        byte[] hash = principalHash(principal);
        Objects.requireNonNull(id, "id");
        OffsetDateTime at = OffsetDateTime.ofInstant(Objects.requireNonNull(created, "created"), ZoneOffset.UTC);
        long ms = millis(ttl);
        run("index", Retry.ANY, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.index)) {
                ps.setBytes(1, hash);
                ps.setObject(2, at);
                ps.setLong(3, ms);
                ps.setString(4, id);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Forgets a session's user: one {@code UPDATE} that clears the row's three index columns, only if
     * the row still names this principal. Forgetting an unknown pair, or a session whose row is gone
     * (deleting a row takes its entry with it), matches no row and does nothing.
     *
     * @param principal the user's principal name
     * @param id the session's id
     * @throws StoreUnavailableException if the database failed or could not be reached
     */
    @Override
    public void unindex(String principal, String id) {
        byte[] hash = principalHash(principal);
        Objects.requireNonNull(id, "id");
        run("unindex", Retry.ANY, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.unindex)) {
                ps.setString(1, id);
                ps.setBytes(2, hash);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * {@code true}: the entry is three columns of the session's row, so deleting the row forgets it, and
     * the core makes no {@link #unindex} call after a delete (which would match no row).
     *
     * @return {@code true}
     */
    @Override
    public boolean forgetsOnDelete() {
        return true;
    }

    /**
     * Lists a user's live sessions, oldest first: one {@code SELECT} of the rows naming the principal
     * whose session has not expired, through the {@code principal_hash} index. It writes nothing and
     * does not slide an expiry. Expired rows drop out of it at once and are deleted by the clean-up;
     * nothing needs forgetting.
     *
     * <p>A session's last use is not written anywhere (that would cost a write per read). A read slides
     * the expiry back to the idle timeout, so what is gone of it has passed since the last use: the last
     * use is this store's {@link Builder#clock(Clock) clock}'s now less ({@code ttl_ms} less the time
     * left before {@code expires_at} by the database's clock), kept between the session's creation and
     * now. A read that did not move the expiry (it would have moved it by less than the
     * {@link Builder#slideSlack(Duration) slide slack}) does not show, so the last use may read up to
     * the slack early; it also reads early when the expiry was held short by the session's absolute
     * lifetime, and late when the session was indexed with less than its idle timeout.
     *
     * @param principal the user's principal name
     * @return the live sessions; empty if none
     * @throws StoreUnavailableException if the database failed or could not be reached
     */
    @Override
    public List<Entry> sessions(String principal) {
        byte[] hash = principalHash(principal);
        List<Listed> rows = run("sessions", Retry.ANY, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.sessions)) {
                ps.setBytes(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    List<Listed> read = new ArrayList<>();
                    while (rs.next()) {
                        read.add(new Listed(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getLong(3),
                                rs.getLong(4)));
                    }
                    return read;
                }
            }
        });
        long now = clock.millis();
        List<Entry> live = new ArrayList<>(rows.size());
        for (Listed row : rows) {
            // A read slides the expiry back to the idle timeout: what is gone of it has passed since.
            Instant last = Instant.ofEpochMilli(Math.min(now, now - (row.ttlMillis - row.leftMillis)));
            Instant created = row.created == null ? last : row.created.toInstant();
            live.add(new Entry(row.id, created, last.isBefore(created) ? created : last));
        }
        return List.copyOf(live);
    }

    /** SHA-256 of a principal's UTF-8 bytes: what {@code principal_hash} holds. */
    static byte[] principalHash(String principal) {
        Objects.requireNonNull(principal, "principal");
        try {
            return MessageDigest.getInstance("SHA-256").digest(principal.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String description() {
        return description;
    }

    /**
     * Returns the database this store speaks to.
     *
     * @return its database
     */
    public Database database() {
        return sql.database;
    }

    /**
     * Returns the table this store keeps its sessions in.
     *
     * @return for example {@code cookies_session}
     */
    public String table() {
        return sql.table;
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
     * Deletes expired rows now, as one pass of the scheduled clean-up does: {@code DELETE} statements of
     * at most {@code cleanupBatch} rows each, found through the {@code expires_at} index, until one
     * deletes fewer or 10 have run. Rows whose lock is held are left. For
     * applications that turned the schedule off ({@code cleanup=false}) and run it from their own.
     *
     * @return how many rows were deleted
     * @throws StoreUnavailableException if the database failed or could not be reached
     */
    public int deleteExpired() {
        int total = 0;
        for (int i = 0; i < MAX_BATCHES_PER_PASS; i++) {
            int deleted = run("cleanup", Retry.ANY, c -> {
                try (PreparedStatement ps = c.prepareStatement(sql.cleanUp)) {
                    ps.setInt(1, cleanupBatch);
                    return ps.executeUpdate();
                }
            });
            total += deleted;
            if (deleted < cleanupBatch) {
                break;
            }
        }
        return total;
    }

    /**
     * Stops the clean-up, then closes the store's own connections if it was built from a URI; a
     * {@link DataSource} given to {@link Builder#dataSource(DataSource)} is left open for the
     * application to close. Locks still held are freed by their lease. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (cleaner != null) {
                cleaner.shutdownNow();
                try {
                    cleaner.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            connections.close();
        }
    }

    /** Whether the clean-up thread is still alive; for tests. */
    boolean cleanupRunning() {
        return cleaner != null && !cleaner.isTerminated();
    }

    /** The statements; for tests. */
    Sql sql() {
        return sql;
    }

    /** The pool of a store built from a URI, or null; for tests. */
    ConnectionPool pool() {
        return connections instanceof ConnectionPool ? (ConnectionPool) connections : null;
    }

    @Override
    public String toString() {
        return "JdbcSessionStore[" + description + ", table " + sql.table + "]";
    }

    // ---- start-up

    private void prepareTable(boolean create) {
        Connection c;
        try {
            c = connections.borrow();
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("28")) {
                throw SessionConfigException.of("credentials", "the database " + description + " refused the user or"
                        + " password (" + e.getMessage() + "); set them in the URI (user=, password=), with"
                        + " credentials(...), or in cookies.jdbc.user and cookies.jdbc.password");
            }
            if (create) {
                throw StoreUnavailableException.of(description, "createTable", e);
            }
            LOG.warn("Could not reach {} to check the table {}; the store serves once the database answers",
                    description, sql.table, e);
            return;
        }
        boolean broken = false;
        try {
            if (create) {
                for (String statement : sql.schema(schemaFile())) {
                    try (Statement s = c.createStatement()) {
                        s.execute(statement);
                    } catch (SQLException e) {
                        // A table from before the index of sessions by user lacks principal_hash; the probe
                        // below says which columns to add, and how.
                        if (!(Sql.missingTable(e.getSQLState()) && statement.contains(sql.principalIndex))) {
                            throw e;
                        }
                    }
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.probe)) {
                rs.next();
            }
            List<String> missing = missingIndexColumns(c);
            if (!missing.isEmpty()) {
                throw SessionConfigException.of("table", "the table " + sql.table + " in " + description
                        + " lacks the column" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                        + " that the index of sessions by user keeps (the table was created before it); add "
                        + (missing.size() == 1 ? "it" : "them") + " and the index: "
                        + String.join("; ", sql.upgrade(missing)) + " (docs/jdbc-store.md, \"Upgrading a table\")."
                        + " createTable=true creates a missing table, it does not change an existing one");
            }
        } catch (SQLException e) {
            broken = Sql.connectionFailure(e.getSQLState());
            if (Sql.missingTable(e.getSQLState())) {
                throw SessionConfigException.of("createTable", "the table " + sql.table + " (or one of its columns) is"
                        + " missing in " + description + " (" + e.getMessage() + "). Create it from "
                        + sql.database.schemaResource() + " in cookies-store-jdbc's jar (docs/jdbc-store.md shows it),"
                        + " or set createTable=true to have the store create it on start");
            }
            throw StoreUnavailableException.of(description, create ? "createTable" : "check table", e);
        } finally {
            connections.giveBack(c, broken);
        }
    }

    /** The columns of the index of sessions by user that the table lacks: probed together, then one by one. */
    private List<String> missingIndexColumns(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.probeIndex)) {
            rs.next();
            return List.of();
        } catch (SQLException e) {
            if (!Sql.missingTable(e.getSQLState())) {
                throw e;
            }
        }
        List<String> missing = new ArrayList<>();
        for (String column : Sql.INDEX_COLUMNS) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT " + column + " FROM " + sql.table + " WHERE 1 = 0")) {
                rs.next();
            } catch (SQLException e) {
                if (!Sql.missingTable(e.getSQLState())) {
                    throw e;
                }
                missing.add(column);
            }
        }
        return missing;
    }

    private String schemaFile() {
        try (InputStream in = JdbcSessionStore.class.getResourceAsStream(sql.database.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException(sql.database.schemaResource() + " is missing from cookies-store-jdbc's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + sql.database.schemaResource(), e);
        }
    }

    private void startCleanup(Duration interval) {
        if (cleaner == null) {
            return;
        }
        long ms = interval.toMillis();
        // Instances started together should not all clean at the same moment.
        long first = ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1);
        cleaner.scheduleWithFixedDelay(this::cleanupQuietly, first, ms, TimeUnit.MILLISECONDS);
    }

    private void cleanupQuietly() {
        try {
            int deleted = deleteExpired();
            cleanupFailing.set(false);
            LOG.debug("Clean-up of {} deleted {} expired rows", description, deleted);
        } catch (RuntimeException e) {
            // One warning per run of failures: an outage would otherwise log once per interval.
            if (cleanupFailing.compareAndSet(false, true)) {
                LOG.warn("Clean-up of expired sessions in {} failed; it is tried again every interval", description, e);
            }
        }
    }

    // ---- running statements

    /** One statement's work on a borrowed connection. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** A row of a user's sessions as read: the time left is by the database's clock. */
    private record Listed(String id, OffsetDateTime created, long ttlMillis, long leftMillis) {
    }

    private record Acquired(boolean taken, byte[] data) {
        static final Acquired HELD = new Acquired(false, null);
    }

    /** What a statement may be tried again after, which decides {@link #run}'s retries. */
    private enum Retry {
        /** Idempotent (reads, upserts, deletes, releases): after a conflict, and after a dead connection. */
        ANY,
        /** Taking a lease: idempotent for its own token; a conflict is the caller's to handle. */
        DEAD_CONNECTION,
        /**
         * A final write: checks and clears the token, so if a first attempt did run, a second finds the
         * lease gone. Tried again after a conflict, and after a dead connection only when the server said
         * it ended the connection itself (it ran nothing more on it).
         */
        FINAL_WRITE
    }

    /**
     * Runs one statement on a borrowed connection, turning every failure into a
     * StoreUnavailableException. Some failures are tried once or twice more, as {@code retry} allows: a
     * conflict between concurrent writers of one row (H2), and a pooled connection that turned out
     * dead (the database was restarted since it was last used; the pool then drops the other idle
     * ones too), but never a timeout, after which the statement may still be running.
     */
    private <T> T run(String operation, Retry retry, Work<T> work) {
        if (closed.get()) {
            throw StoreUnavailableException.of(description, operation, new IllegalStateException("the store is closed"));
        }
        boolean retriedDead = false;
        for (int attempt = 1; ; attempt++) {
            Connection c;
            try {
                c = connections.borrow();
            } catch (SQLException e) {
                throw unavailable(operation, e);
            }
            boolean broken = false;
            try {
                return work.run(c);
            } catch (SQLException e) {
                String state = e.getSQLState();
                broken = Sql.connectionFailure(state) || isClosed(c);
                if (retry != Retry.DEAD_CONNECTION && attempt < CONFLICT_ATTEMPTS && Sql.conflict(state)) {
                    continue;
                }
                if (broken && !retriedDead && !timedOut(e)
                        && (retry != Retry.FINAL_WRITE || Sql.serverEnded(state))) {
                    retriedDead = true;
                    continue;
                }
                throw unavailable(operation, e);
            } finally {
                connections.giveBack(c, broken);
            }
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException || t instanceof java.sql.SQLTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private StoreUnavailableException unavailable(String operation, SQLException e) {
        if (Sql.missingTable(e.getSQLState())) {
            return StoreUnavailableException.of(description, operation, new SQLException("the table " + sql.table
                    + " (or one of its columns) is missing: " + e.getMessage() + ". Create it from "
                    + sql.database.schemaResource() + ", or set createTable=true", e.getSQLState(), e));
        }
        return StoreUnavailableException.of(description, operation, e);
    }

    /**
     * The expiry a read must find closer than this, in milliseconds from now, to move it to
     * {@code ttlMillis}: a hundredth of the timeout short of it, at most the slide slack.
     */
    private long due(long ttlMillis) {
        return ttlMillis - Math.min(ttlMillis / 100, slideSlackMillis);
    }

    /** Milliseconds of a time to live, 0 for zero or negative (expire now), capped at a century. */
    private static long millis(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            return 0;
        }
        return ttl.compareTo(Duration.ofMillis(MAX_TTL_MILLIS)) > 0 ? MAX_TTL_MILLIS : ttl.toMillis();
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

    /** The lease on one id, held under one token until saved, deleted or closed. */
    private final class JdbcLock implements StoreLock {
        private final String id;
        private final String token;
        private final Optional<byte[]> data;
        private final AtomicBoolean held = new AtomicBoolean(true);

        JdbcLock(String id, String token, Optional<byte[]> data) {
            this.id = id;
            this.token = token;
            this.data = data;
        }

        @Override
        public Optional<byte[]> data() {
            return data.map(byte[]::clone);
        }

        @Override
        public void save(byte[] bytes, Duration ttl) {
            Objects.requireNonNull(bytes, "data");
            long ms = millis(ttl);
            finish("save", c -> {
                try (PreparedStatement ps = c.prepareStatement(sql.saveAndRelease)) {
                    ps.setBytes(1, bytes);
                    ps.setLong(2, ms);
                    ps.setString(3, id);
                    ps.setString(4, token);
                    return ps.executeUpdate();
                }
            });
        }

        @Override
        public void delete() {
            finish("delete", c -> {
                try (PreparedStatement ps = c.prepareStatement(sql.deleteAndRelease)) {
                    ps.setString(1, id);
                    ps.setString(2, token);
                    return ps.executeUpdate();
                }
            });
        }

        private void finish(String operation, Work<Integer> write) {
            if (!held.compareAndSet(true, false)) {
                throw new IllegalStateException("this lock was already saved, deleted or closed");
            }
            int rows;
            try {
                rows = run(operation, Retry.FINAL_WRITE, write);
            } catch (StoreUnavailableException e) {
                if (e.getCause() instanceof SQLException && !Sql.connectionFailure(((SQLException) e.getCause()).getSQLState())) {
                    // The database answered but refused the write: the lease is still ours, give it back
                    // now rather than when it runs out.
                    releaseQuietly();
                }
                throw e;
            }
            if (rows != 1) {
                throw StoreUnavailableException.of(description, operation, new IllegalStateException(
                        "the lock's lease of " + lockLease + " ran out before this " + operation + " (or the row was"
                                + " deleted meanwhile), so another request may hold the lock now; nothing was written."
                                + " Keep locked blocks shorter than lockLease, or raise it"));
            }
        }

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                releaseQuietly();
            }
        }

        /** Frees the lease if this token still holds it; a failure is logged, and the lease runs out. */
        private void releaseQuietly() {
            try {
                run("unlock", Retry.ANY, c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql.release)) {
                        ps.setString(1, id);
                        ps.setString(2, token);
                        return ps.executeUpdate();
                    }
                });
            } catch (StoreUnavailableException e) {
                LOG.warn("Could not release a session lock in {}; it is free again when its lease of {} runs out",
                        description, lockLease, e);
            }
        }
    }

    /**
     * Builds a {@link JdbcSessionStore}. Give it either the application's {@link #dataSource(DataSource)
     * DataSource}, or a {@link #uri(String) URI}, from which the store opens (and later closes) a small
     * pool of its own. Each setter checks its value at once and names the setting in the
     * {@link SessionConfigException} it throws. Later calls win over earlier ones, including the
     * parameters a URI carries.
     *
     * @since 0.1
     */
    public static final class Builder {
        private JdbcUri uri;
        private DataSource dataSource;
        private Database database;
        private String table = DEFAULT_TABLE;
        private boolean createTable;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;
        private Duration lockLease = DEFAULT_LOCK_LEASE;
        private Duration slideSlack = DEFAULT_SLIDE_SLACK;
        private Clock clock = Clock.systemUTC();
        private int poolSize = DEFAULT_POOL_SIZE;
        private boolean cleanup = true;
        private Duration cleanupInterval = DEFAULT_CLEANUP_INTERVAL;
        private int cleanupBatch = DEFAULT_CLEANUP_BATCH;
        private String user;
        private String password;
        /** Settings that only a store with its own pool can apply. */
        private final Set<String> poolSettings = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Sets the database by JDBC URL; the store opens its own connections with the driver on the
         * class path and closes them in {@link JdbcSessionStore#close()}. Forms:
         * <ul>
         *   <li>{@code jdbc:postgresql://host[:port]/database[?parameters]}, and every other form the
         *       PostgreSQL driver takes (several hosts, {@code sslmode=verify-full}, ...);</li>
         *   <li>{@code jdbc:h2:mem:name;DB_CLOSE_DELAY=-1[?parameters]}, {@code jdbc:h2:file:/path[...]}:
         *       H2's settings after {@code ;}, this store's after {@code ?}. An in-memory database
         *       needs {@code DB_CLOSE_DELAY=-1}, or it vanishes with its last connection.</li>
         * </ul>
         * This store's query parameters, each the same as the builder method of that name:
         * {@code table}, {@code createTable}, {@code timeout}, {@code connectTimeout},
         * {@code queryTimeout}, {@code lockLease}, {@code slideSlack}, {@code poolSize}, {@code cleanup},
         * {@code cleanupInterval}, {@code cleanupBatch}. Durations carry their unit: {@code 500ms},
         * {@code 2s}, {@code 1m}, {@code 1h}, or ISO-8601 such as {@code PT2S}. {@code user} and
         * {@code password} are taken out of the URL and given to the driver as properties; every other
         * parameter is the driver's and stays in the URL (on PostgreSQL, the store refuses one the
         * driver does not know). Percent-encode reserved characters in a password.
         *
         * @param uri the URI
         * @return this builder
         * @throws SessionConfigException if the URI or one of its parameters is invalid, or a data source
         *     was already set
         * @throws NullPointerException if {@code uri} is null
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            if (dataSource != null) {
                throw SessionConfigException.of("uri", "a DataSource was already set; give a URI or a DataSource, not both");
            }
            JdbcUri parsed = JdbcUri.parse(uri);
            this.uri = parsed;
            if (parsed.user != null) {
                this.user = parsed.user;
            }
            if (parsed.password != null) {
                this.password = parsed.password;
            }
            for (var p : parsed.parameters.entrySet()) {
                String v = p.getValue();
                switch (p.getKey()) {
                    case "table":
                        table(v);
                        break;
                    case "createTable":
                        createTable(JdbcUri.bool("createTable", v));
                        break;
                    case "timeout":
                        timeout(JdbcUri.duration("timeout", v));
                        break;
                    case "connectTimeout":
                        connectTimeout(JdbcUri.duration("connectTimeout", v));
                        break;
                    case "queryTimeout":
                        queryTimeout(JdbcUri.duration("queryTimeout", v));
                        break;
                    case "lockLease":
                        lockLease(JdbcUri.duration("lockLease", v));
                        break;
                    case "slideSlack":
                        slideSlack(JdbcUri.duration("slideSlack", v));
                        break;
                    case "poolSize":
                        poolSize(JdbcUri.integer("poolSize", v));
                        break;
                    case "cleanup":
                        cleanup(JdbcUri.bool("cleanup", v));
                        break;
                    case "cleanupInterval":
                        cleanupInterval(JdbcUri.duration("cleanupInterval", v));
                        break;
                    case "cleanupBatch":
                        cleanupBatch(JdbcUri.integer("cleanupBatch", v));
                        break;
                    default:
                        throw new IllegalStateException("unhandled parameter " + p.getKey());
                }
            }
            return this;
        }

        /**
         * Uses the application's data source (HikariCP's {@code HikariDataSource}, or any other). Its own
         * bounds apply to getting a connection; the store borrows one per statement, gives it back at
         * once, and never closes the data source. Prefer a pool in auto-commit mode: the store switches
         * a connection to auto-commit for its statement otherwise.
         *
         * @param dataSource the data source
         * @return this builder
         * @throws SessionConfigException if a URI was already set
         * @throws NullPointerException if {@code dataSource} is null
         */
        public Builder dataSource(DataSource dataSource) {
            Objects.requireNonNull(dataSource, "dataSource");
            if (uri != null) {
                throw SessionConfigException.of("dataSource", "a URI was already set (" + uri.description
                        + "); give a URI or a DataSource, not both");
            }
            this.dataSource = dataSource;
            return this;
        }

        /**
         * Says which database a {@link #dataSource(DataSource) data source} reaches, so that the store
         * can be built while the database is down. Without it, the store asks the database when it is
         * built. A URI says it itself.
         *
         * @param database the database
         * @return this builder
         * @throws NullPointerException if {@code database} is null
         */
        public Builder database(Database database) {
            this.database = Objects.requireNonNull(database, "database");
            return this;
        }

        /**
         * Sets the table. Default {@value JdbcSessionStore#DEFAULT_TABLE}; its index is named after it,
         * {@code <table>_expires_at}.
         *
         * @param table an unquoted identifier of letters, digits and underscores (at most 63), optionally
         *     qualified by a schema: {@code sessions.cookies_session}
         * @return this builder
         * @throws SessionConfigException if it is not such a name
         * @throws NullPointerException if {@code table} is null
         */
        public Builder table(String table) {
            Objects.requireNonNull(table, "table");
            if (!Sql.TABLE_NAME.matcher(table).matches()) {
                throw SessionConfigException.of("table", "'" + table + "' is not a table name: letters, digits and"
                        + " underscores, not starting with a digit, at most 63, optionally schema.table");
            }
            this.table = table;
            return this;
        }

        /**
         * Sets whether the store creates its table and index when it is built, if they do not exist
         * ({@code CREATE ... IF NOT EXISTS}, from the schema file of its database). Default
         * {@code false}: the table is the application's, created by its migrations, and a missing one
         * fails the build with a {@link SessionConfigException} for {@code createTable}.
         *
         * @param createTable whether to create the table on start
         * @return this builder
         */
        public Builder createTable(boolean createTable) {
            this.createTable = createTable;
            return this;
        }

        /**
         * Sets both the connect and the query timeout.
         *
         * @param timeout between 1 ms and 5 minutes
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder timeout(Duration timeout) {
            connectTimeout(timeout);
            queryTimeout(timeout);
            return this;
        }

        /**
         * Sets how long opening a connection may take. Default 2 seconds. URI-built stores only. The
         * PostgreSQL driver counts it in whole seconds, rounded up.
         *
         * @param connectTimeout between 1 ms and 5 minutes
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = timeoutSetting("connectTimeout", connectTimeout);
            poolSettings.add("connectTimeout");
            return this;
        }

        /**
         * Sets how long a statement's reply may take (the connection's network timeout), and how long
         * to wait for a free pooled connection. Default 2 seconds.
         *
         * @param queryTimeout between 1 ms and 5 minutes
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder queryTimeout(Duration queryTimeout) {
            this.queryTimeout = timeoutSetting("queryTimeout", queryTimeout);
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
         * over, and so how long a session stays locked after its holder died. Longer than any locked
         * block must be; a block that outlives it fails its write. Default 10 seconds.
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
         * Sets how far a read may leave a session's expiry short of its idle timeout, to spare writing
         * the row. A read moves the expiry only when that moves it by more than a hundredth of the idle
         * timeout, or by more than this slack if that is less. So a session lives between its idle
         * timeout less the slack and its idle timeout after its last read, and most reads write nothing
         * (on PostgreSQL, no row version, no index entry, no WAL). The last use that
         * {@link JdbcSessionStore#sessions(String) sessions} reports is as precise as the slack: a read
         * that did not move the expiry does not show in it, so {@code maxSessionsPerUser} may end a
         * session used within the slack of the one it keeps. Default 1 minute. Zero moves the expiry
         * on every read: exact idle timeouts and last uses, for a write of the row per read.
         *
         * @param slideSlack between zero and 1 hour
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder slideSlack(Duration slideSlack) {
            Objects.requireNonNull(slideSlack, "slideSlack");
            if (slideSlack.isNegative() || slideSlack.compareTo(Duration.ofHours(1)) > 0) {
                throw SessionConfigException.of("slideSlack", "must be between 0 and 1 hour, was " + slideSlack);
            }
            this.slideSlack = slideSlack;
            return this;
        }

        /**
         * Sets the clock that dates the last use {@link JdbcSessionStore#sessions(String) sessions}
         * reports: the database measures how long ago a session was last used, and this clock says when
         * that was, so that it compares with the session's creation, which the session manager dates by
         * its own clock. Give it the session manager's clock (the store registry does, for a store made
         * from a URI). Expiry and leases always follow the database's clock. Default the system clock.
         *
         * @param clock the application's clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the most connections the store's own pool opens. Default 10. URI-built stores only.
         *
         * @param poolSize between 1 and 256
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1 || poolSize > 256) {
                throw SessionConfigException.of("poolSize", "must be between 1 and 256, was " + poolSize);
            }
            this.poolSize = poolSize;
            poolSettings.add("poolSize");
            return this;
        }

        /**
         * Sets whether a background thread deletes expired rows. Default {@code true}. Turn it off only
         * where something else runs {@link JdbcSessionStore#deleteExpired()} or an equivalent; expired
         * rows are never served either way.
         *
         * @param cleanup whether to clean up on a schedule
         * @return this builder
         */
        public Builder cleanup(boolean cleanup) {
            this.cleanup = cleanup;
            return this;
        }

        /**
         * Sets the pause between two clean-up passes. Default 1 minute.
         *
         * @param cleanupInterval between 100 ms and 1 day
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder cleanupInterval(Duration cleanupInterval) {
            Objects.requireNonNull(cleanupInterval, "cleanupInterval");
            if (cleanupInterval.compareTo(Duration.ofMillis(100)) < 0 || cleanupInterval.compareTo(Duration.ofDays(1)) > 0) {
                throw SessionConfigException.of("cleanupInterval", "must be between 100 ms and 1 day, was " + cleanupInterval);
            }
            this.cleanupInterval = cleanupInterval;
            return this;
        }

        /**
         * Sets the most rows one clean-up statement deletes. Default 500; a pass runs at most
         * 10 such statements.
         *
         * @param cleanupBatch between 1 and 100000
         * @return this builder
         * @throws SessionConfigException if out of range
         */
        public Builder cleanupBatch(int cleanupBatch) {
            if (cleanupBatch < 1 || cleanupBatch > 100_000) {
                throw SessionConfigException.of("cleanupBatch", "must be between 1 and 100000, was " + cleanupBatch);
            }
            this.cleanupBatch = cleanupBatch;
            return this;
        }

        /**
         * Sets the user and password to connect with, so that the password need not sit in the URI (a
         * URI given later with its own credentials replaces them). URI-built stores only.
         *
         * @param user the database user, or {@code null} for the driver's default
         * @param password the password
         * @return this builder
         * @throws NullPointerException if {@code password} is null
         */
        public Builder credentials(String user, String password) {
            this.user = user == null || user.isEmpty() ? null : user;
            this.password = Objects.requireNonNull(password, "password");
            poolSettings.add("credentials");
            return this;
        }

        /**
         * Creates the store, checks its table (creating it if {@link #createTable(boolean)} asked) and
         * starts its clean-up. If the database cannot be reached, a store that need not create its table
         * is built all the same, and serves once the database answers.
         *
         * @return the store
         * @throws SessionConfigException if neither a URI nor a data source was given, a URI-only setting
         *     was given with a data source, no driver on the class path takes the URI, the driver does not
         *     know a parameter, or the table is missing (setting {@code createTable})
         * @throws StoreUnavailableException if {@code createTable} was asked and the database cannot be
         *     reached, or a data source's database must be asked which it is and cannot be reached
         */
        public JdbcSessionStore build() {
            if (uri == null && dataSource == null) {
                throw SessionConfigException.of("uri", "no database given; call uri(\"jdbc:postgresql://host/db\")"
                        + " or dataSource(dataSource)");
            }
            Connections connections;
            Database db;
            String description;
            if (dataSource != null) {
                if (!poolSettings.isEmpty()) {
                    String s = poolSettings.iterator().next();
                    throw SessionConfigException.of(s, "applies only to a store built from a URI; configure it on"
                            + " the DataSource given to dataSource(...)");
                }
                db = database != null ? database : detect(dataSource);
                description = "jdbc:" + db.subprotocol() + " (" + dataSource.getClass().getSimpleName() + ")";
                int networkTimeout = (int) queryTimeout.toMillis();
                DataSource ds = dataSource;
                connections = Connections.of(ds, networkTimeout);
            } else {
                db = uri.database;
                if (database != null && database != db) {
                    throw SessionConfigException.of("database", database + " contradicts the URI " + uri.description);
                }
                description = uri.description;
                Driver driver = driver(uri);
                connections = new ConnectionPool(driver, uri.driverUrl, properties(driver), poolSize, queryTimeout,
                        queryTimeout);
            }
            JdbcSessionStore store = new JdbcSessionStore(connections, description, new Sql(db, table), this);
            try {
                store.prepareTable(createTable);
            } catch (RuntimeException | Error e) {
                store.close();
                throw e;
            }
            store.startCleanup(cleanupInterval);
            return store;
        }

        private static Database detect(DataSource dataSource) {
            try (Connection c = dataSource.getConnection()) {
                String product = c.getMetaData().getDatabaseProductName();
                Database db = Database.ofProductName(product);
                if (db == null) {
                    throw SessionConfigException.of("dataSource", "the DataSource reaches " + product
                            + "; this store speaks PostgreSQL and H2");
                }
                return db;
            } catch (SQLException e) {
                throw StoreUnavailableException.of("jdbc (" + dataSource.getClass().getSimpleName() + ")",
                        "connect (to learn which database it is; set database(...) to build without a connection)", e);
            }
        }

        private static Driver driver(JdbcUri uri) {
            try {
                return DriverManager.getDriver(uri.driverUrl);
            } catch (SQLException e) {
                String artifact = uri.database == Database.POSTGRESQL ? "org.postgresql:postgresql" : "com.h2database:h2";
                throw SessionConfigException.of("uri", "no JDBC driver on the class path takes " + uri.description
                        + "; add " + artifact);
            }
        }

        private Properties properties(Driver driver) {
            Properties p = new Properties();
            if (user != null) {
                p.setProperty("user", user);
            }
            if (password != null) {
                p.setProperty("password", password);
            }
            if (uri.database == Database.POSTGRESQL) {
                Set<String> known = new LinkedHashSet<>();
                try {
                    for (DriverPropertyInfo info : driver.getPropertyInfo(uri.driverUrl, new Properties())) {
                        known.add(info.name.toLowerCase(Locale.ROOT));
                    }
                } catch (SQLException e) {
                    known.clear();
                }
                for (String name : uri.driverParameters) {
                    if (!known.isEmpty() && !known.contains(name.toLowerCase(Locale.ROOT))) {
                        throw SessionConfigException.of("uri", "unknown parameter '" + name + "': neither this store's ("
                                + String.join(", ", JdbcUri.PARAMETERS) + ") nor the PostgreSQL driver's");
                    }
                }
                String seconds = Long.toString(Math.max(1, (connectTimeout.toMillis() + 999) / 1000));
                if (!uri.driverParameters.contains("connectTimeout")) {
                    p.setProperty("connectTimeout", seconds);
                }
                if (!uri.driverParameters.contains("loginTimeout")) {
                    p.setProperty("loginTimeout", seconds);
                }
                if (!uri.driverParameters.contains("ApplicationName")) {
                    p.setProperty("ApplicationName", "cookies-store-jdbc");
                }
            }
            return p;
        }
    }
}
