package dev.cookies.store.redis;

import dev.cookies.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds how long a distributed lock can outlive the request that took it. One per store; the store
 * calls {@link #hold} when a lock is taken, {@link Renewal#end()} when its final write starts or it is
 * closed, {@link #strand} when a command carrying a token failed, and {@link #answered()} after every
 * reply from Redis.
 *
 * <p><b>Keep-alive.</b> A lock key expires after the keep-alive (a few seconds), not after the lease.
 * While a request holds the lock, this renews it every third of the keep-alive, by token, never past
 * the lease. A lock that nobody renews (its instance died, or a timed-out acquire set it after its
 * caller gave up) therefore frees itself within the keep-alive. Requests shorter than a third of the
 * keep-alive, which is nearly all of them, send no renewal: only a scheduled task is queued and
 * cancelled.
 *
 * <p><b>Stranded tokens.</b> A command that timed out may still run when Redis wakes: an acquire then
 * takes the lock under a token its caller has dropped, and a final write that never reached Redis
 * leaves the lock held. Such tokens are remembered (at most {@value #MAX_STRANDED}, for at most the
 * lease) and released by token ({@link Script#RELEASE}, compare-and-delete) as soon as Redis answers.
 * Each is released twice unless the first release found it: Redis runs the commands readable in one
 * pass of its event loop before it writes any reply, so a release sent after a reply from that server
 * runs after a command that reached it before the first release did. A release that did run first
 * is harmless: a token is never reused.
 *
 * <p>All of it runs on one daemon thread, started when first needed and ended after 30 s with nothing
 * to do. The work queued is one task per held lock plus one, bounded by the requests in flight.
 * Blocking sections use {@link ReentrantLock}, never {@code synchronized}, for virtual threads.
 */
final class LockKeeper {

    /** Runs one script through the store, failing with {@link StoreUnavailableException}. */
    @FunctionalInterface
    interface Scripts {
        Object run(String operation, Script script, List<byte[]> keys, List<byte[]> args);
    }

    /** At most this many stranded tokens are remembered; beyond it, the oldest is left to expire. */
    static final int MAX_STRANDED = 1024;
    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long MAX_RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Logger LOG = LoggerFactory.getLogger(LockKeeper.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String description;
    private final long keepAliveNanos;
    private final long leaseNanos;
    private final Scripts redis;
    private final ScheduledThreadPoolExecutor scheduler;

    private final ReentrantLock lock = new ReentrantLock();
    /** Stranded tokens by token text, oldest first. Guarded by {@link #lock}. */
    private final Map<String, Stranded> stranded = new LinkedHashMap<>();
    /** Whether any token is stranded: the one check every reply pays. */
    private volatile boolean anyStranded;
    /** The scheduled release pass, or null. Guarded by {@link #lock}. */
    private ScheduledFuture<?> releasePass;
    private long releasePassAt;
    private boolean releasing;
    private long retryNanos = FIRST_RETRY_NANOS;
    private long forgotten;
    private boolean closed;

    LockKeeper(String description, long keepAliveNanos, long leaseNanos, Scripts redis) {
        this.description = description;
        this.keepAliveNanos = keepAliveNanos;
        this.leaseNanos = leaseNanos;
        this.redis = redis;
        this.scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            // No inherited thread locals from whichever request thread happens to start it.
            Thread t = new Thread(null, task, "cookies-redis-locks-" + THREADS.incrementAndGet(), 0, false);
            t.setDaemon(true);
            t.setContextClassLoader(LockKeeper.class.getClassLoader());
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setKeepAliveTime(30, TimeUnit.SECONDS);
        scheduler.allowCoreThreadTimeOut(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    // ---- keep-alive

    /**
     * Starts keeping a lock just taken alive. Called by the store right after an acquire succeeded.
     *
     * @param lockKey the lock's key
     * @param token the lock's token
     * @param sentAt {@link System#nanoTime()} just before the acquire was sent, which is no later
     *     than when Redis set the key: the lease is counted from here
     * @return the renewal to end when the lock's final write starts, or null when the keep-alive is the
     *     whole lease and nothing needs renewing
     */
    Renewal hold(byte[] lockKey, byte[] token, long sentAt) {
        if (keepAliveNanos >= leaseNanos) {
            return null;
        }
        Renewal r = new Renewal(lockKey, token, sentAt + leaseNanos);
        r.next(keepAliveNanos / 3);
        return r;
    }

    /** Renews one held lock until it ends or its lease is over. */
    final class Renewal implements Runnable {
        private final byte[] lockKey;
        private final byte[] token;
        private final long leaseEnd;
        private volatile boolean ended;
        private volatile ScheduledFuture<?> scheduled;

        private Renewal(byte[] lockKey, byte[] token, long leaseEnd) {
            this.lockKey = lockKey;
            this.token = token;
            this.leaseEnd = leaseEnd;
        }

        /** Stops renewing. Called when the lock's final write starts, or when it is closed. */
        void end() {
            ended = true;
            ScheduledFuture<?> f = scheduled;
            if (f != null) {
                f.cancel(false);
            }
        }

        @Override
        public void run() {
            if (ended) {
                return;
            }
            long left = leaseEnd - System.nanoTime();
            if (left <= 0) {
                return; // the lease is over: the key expires by itself, and a late write is refused
            }
            long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(keepAliveNanos, left)));
            try {
                Object renewed = redis.run("renew", Script.RENEW, List.of(lockKey),
                        List.of(token, Long.toString(millis).getBytes(StandardCharsets.US_ASCII)));
                if (!Long.valueOf(1L).equals(renewed)) {
                    // Lost (Redis stalled past the keep-alive, or was flushed): the holder's final
                    // write is refused by its token check; nothing to keep alive any more.
                    LOG.debug("A session lock in {} was lost before its holder finished", description);
                    return;
                }
                next(keepAliveNanos / 3);
            } catch (StoreUnavailableException e) {
                // Try again sooner; if Redis stays away past the keep-alive, the lock is lost.
                next(keepAliveNanos / 6);
            }
        }

        private void next(long delayNanos) {
            ScheduledFuture<?> f = schedule(this, delayNanos);
            scheduled = f;
            // end() may have run between the check in run() and here; it then missed this future.
            if (ended && f != null) {
                f.cancel(false);
            }
        }
    }

    // ---- stranded tokens

    /**
     * Remembers a token whose lock may be held in Redis with nobody left to release it: its acquire
     * failed in a way that may have reached Redis, or its final write or release failed. Called by the
     * store on the request's thread; returns at once.
     */
    void strand(byte[] lockKey, byte[] token) {
        Stranded s = new Stranded(lockKey, token, System.nanoTime());
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (stranded.size() >= MAX_STRANDED) {
                Iterator<Stranded> eldest = stranded.values().iterator();
                eldest.next();
                eldest.remove();
                if (Long.bitCount(++forgotten) == 1) { // 1st, 2nd, 4th, 8th... time: a rate-limited warning
                    LOG.warn("{} session locks in {} were left to expire after their keep-alive rather than"
                            + " released: more than {} were waiting for Redis to answer", forgotten, description,
                            MAX_STRANDED);
                }
            }
            stranded.put(s.key(), s);
            anyStranded = true;
            if (releasePass == null && !releasing) {
                scheduleReleasePass(retryNanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by the store after every reply from Redis: if tokens are waiting, Redis answers again, so
     * the release pass runs now instead of after its backoff. Costs one volatile read otherwise.
     */
    void answered() {
        if (!anyStranded) {
            return;
        }
        lock.lock();
        try {
            if (closed || releasing || stranded.isEmpty()) {
                return;
            }
            if (releasePass == null) {
                scheduleReleasePass(0);
            } else if (releasePassAt - System.nanoTime() > 0 && releasePass.cancel(false)) {
                scheduleReleasePass(0);
            }
        } finally {
            lock.unlock();
        }
    }

    private void scheduleReleasePass(long delayNanos) {
        releasePassAt = System.nanoTime() + delayNanos;
        releasePass = schedule(this::releaseStranded, delayNanos);
    }

    /** One pass over the stranded tokens, on the keeper's thread. */
    private void releaseStranded() {
        List<Stranded> batch;
        lock.lock();
        try {
            releasePass = null;
            if (closed) {
                return;
            }
            releasing = true;
            long now = System.nanoTime();
            // Past the lease, stop trying: whatever such a token set expires within the keep-alive.
            stranded.values().removeIf(s -> now - s.since > leaseNanos);
            batch = new ArrayList<>(stranded.values());
        } finally {
            lock.unlock();
        }
        boolean failed = false;
        for (Stranded s : batch) {
            try {
                Object released = redis.run("unlock", Script.RELEASE, List.of(s.lockKey), List.of(s.token));
                if (Long.valueOf(1L).equals(released) || s.answeredBefore) {
                    forget(s);
                } else {
                    s.answeredBefore = true; // the next release of it is sure to run after its command
                }
            } catch (StoreUnavailableException e) {
                failed = true;
                break;
            }
        }
        lock.lock();
        try {
            releasing = false;
            if (closed) {
                return;
            }
            if (stranded.isEmpty()) {
                anyStranded = false;
                retryNanos = FIRST_RETRY_NANOS;
            } else if (failed) {
                scheduleReleasePass(retryNanos);
                retryNanos = Math.min(retryNanos * 2, MAX_RETRY_NANOS);
            } else {
                retryNanos = FIRST_RETRY_NANOS;
                scheduleReleasePass(0); // the second release of tokens the first did not find
            }
        } finally {
            lock.unlock();
        }
    }

    private void forget(Stranded s) {
        lock.lock();
        try {
            stranded.remove(s.key(), s);
        } finally {
            lock.unlock();
        }
    }

    /** How many tokens wait to be released; for tests. */
    int strandedCount() {
        lock.lock();
        try {
            return stranded.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether nothing is scheduled or running: no renewal, no release pass; for tests. */
    boolean idle() {
        lock.lock();
        try {
            return releasePass == null && !releasing && scheduler.getQueue().isEmpty() && scheduler.getActiveCount() == 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops all renewals and forgets stranded tokens: their locks expire within the keep-alive. Called
     * by the store's close(), before it closes its client. Idempotent.
     */
    void close() {
        lock.lock();
        try {
            closed = true;
            stranded.clear();
            anyStranded = false;
        } finally {
            lock.unlock();
        }
        scheduler.shutdownNow();
    }

    private ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null; // closed
        }
    }

    /** A token whose lock may be held in Redis by nobody. */
    private static final class Stranded {
        final byte[] lockKey;
        final byte[] token;
        final long since;
        /** A release of it was answered already. Only the keeper's thread reads and writes it. */
        boolean answeredBefore;

        Stranded(byte[] lockKey, byte[] token, long since) {
            this.lockKey = lockKey;
            this.token = token;
            this.since = since;
        }

        String key() {
            return new String(token, StandardCharsets.US_ASCII);
        }
    }
}
