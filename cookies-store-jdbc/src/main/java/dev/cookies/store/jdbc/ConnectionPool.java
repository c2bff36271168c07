package dev.cookies.store.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The small, bounded connection pool of a store built from a URI, so that such a store needs no
 * pool library. At most {@code size} connections exist; a borrower waits at most {@code wait} for one
 * and then fails. A connection that sat idle for longer than {@link #VALIDATE_AFTER_IDLE} is checked
 * with {@link Connection#isValid} before it is handed out (a database restarted meanwhile leaves only
 * dead connections behind); one that failed is closed, and so are all idle connections older than the
 * failure, since a server that dropped one has usually dropped them all. {@link #close()} closes idle
 * connections at once and borrowed ones as they come back.
 */
final class ConnectionPool implements Connections {

    /** Idle longer than this, a connection is validated before use; a busy pool never validates. */
    static final Duration VALIDATE_AFTER_IDLE = Duration.ofMillis(500);

    private final Driver driver;
    private final String url;
    private final Properties properties;
    private final int size;
    private final long waitNanos;
    private final int networkTimeoutMillis;
    private final int validationSeconds;
    private final Semaphore permits;
    private final ReentrantLock lock = new ReentrantLock();
    /** Most recently returned first, so that a lightly loaded pool keeps reusing the same few. */
    private final Deque<Idle> idle = new ArrayDeque<>();
    /** Bumped when a connection fails: idle connections opened before it are not trusted. */
    private long generation;
    private boolean closed;

    /** Each borrowed connection, with the generation it was opened in. */
    private final Map<Connection, Long> born = new IdentityHashMap<>();

    private record Idle(Connection connection, long generation, long since) {
    }

    ConnectionPool(Driver driver, String url, Properties properties, int size, Duration wait, Duration networkTimeout) {
        this.driver = driver;
        this.url = url;
        this.properties = properties;
        this.size = size;
        this.waitNanos = wait.toNanos();
        this.networkTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, networkTimeout.toMillis()));
        this.validationSeconds = (int) Math.max(1, (networkTimeout.toMillis() + 999) / 1000);
        this.permits = new Semaphore(size, true);
    }

    @Override
    public Connection borrow() throws SQLException {
        boolean permitted;
        try {
            permitted = permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a pooled connection", "08001", e);
        }
        if (!permitted) {
            throw new SQLTransientConnectionException("all " + size + " pooled connections were busy for "
                    + Duration.ofNanos(waitNanos) + " (poolSize=" + size + ")", "08001");
        }
        try {
            while (true) {
                Idle candidate;
                long current;
                lock.lock();
                try {
                    if (closed) {
                        throw new SQLNonTransientConnectionException("the store is closed", "08003");
                    }
                    candidate = idle.pollFirst();
                    current = generation;
                    if (candidate == null) {
                        break;
                    }
                } finally {
                    lock.unlock();
                }
                Connection c = candidate.connection();
                if (candidate.generation() != current) {
                    Connections.closeQuietly(c);
                    continue;
                }
                if (System.nanoTime() - candidate.since() > VALIDATE_AFTER_IDLE.toNanos() && !valid(c)) {
                    Connections.closeQuietly(c);
                    continue;
                }
                track(c, candidate.generation());
                return c;
            }
            long openedIn = generationNow();
            Connection c = open();
            track(c, openedIn);
            return c;
        } catch (SQLException | RuntimeException | Error e) {
            permits.release();
            throw e;
        }
    }

    private boolean valid(Connection c) {
        try {
            return c.isValid(validationSeconds);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private long generationNow() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    private void track(Connection c, long gen) {
        lock.lock();
        try {
            born.put(c, gen);
        } finally {
            lock.unlock();
        }
    }

    private Connection open() throws SQLException {
        Connection c = driver.connect(url, properties);
        if (c == null) {
            throw new SQLNonTransientConnectionException("the JDBC driver " + driver.getClass().getName()
                    + " does not accept the URL", "08001");
        }
        try {
            c.setAutoCommit(true);
            c.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
        } catch (SQLException | RuntimeException e) {
            Connections.closeQuietly(c);
            throw e;
        }
        return c;
    }

    @Override
    public void giveBack(Connection connection, boolean broken) {
        boolean keep;
        lock.lock();
        try {
            Long gen = born.remove(connection);
            if (broken) {
                generation++;
            }
            keep = !broken && !closed && gen != null && gen == generation;
            if (keep) {
                idle.addFirst(new Idle(connection, gen, System.nanoTime()));
            }
        } finally {
            lock.unlock();
        }
        try {
            if (!keep) {
                Connections.closeQuietly(connection);
            }
        } finally {
            permits.release();
        }
    }

    /** How many connections are open now, idle or borrowed; for tests. */
    int openCount() {
        lock.lock();
        try {
            return idle.size() + born.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Deque<Idle> toClose;
        lock.lock();
        try {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        } finally {
            lock.unlock();
        }
        for (Idle i : toClose) {
            Connections.closeQuietly(i.connection());
        }
    }
}
