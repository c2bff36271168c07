package dev.cookies;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logging at most once per interval, so a flood of garbage cookies or a store outage under load cannot
 * flood the logs. Never given a cookie value.
 */
final class RateLimitedLog {
    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Logger log;
    private final AtomicLong next = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * Creates a rate-limited log.
     *
     * @param log where to write
     */
    RateLimitedLog(Logger log) {
        this.log = log;
    }

    /**
     * Logs at warn level at most once per interval, and at debug level otherwise.
     *
     * @param message the message, without secrets
     */
    void warn(String message) {
        long now = System.nanoTime();
        long due = next.get();
        if (now - due >= 0 && next.compareAndSet(due, now + INTERVAL_NANOS)) {
            log.warn("{} (logged at most every 10 s; {} similar messages went to debug)", message, suppressed.getAndSet(0));
        } else {
            suppressed.incrementAndGet();
            log.debug(message);
        }
    }

    void debug(String message, String sessionName) {
        if (!log.isDebugEnabled()) {
            return;
        }
        long now = System.nanoTime();
        long due = next.get();
        if (now - due >= 0 && next.compareAndSet(due, now + INTERVAL_NANOS)) {
            log.debug("session '{}': {} ({} similar messages suppressed)", sessionName, message, suppressed.getAndSet(0));
        } else {
            suppressed.incrementAndGet();
        }
    }
}
