package dev.cookies.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Debug logging for bad client input, at most once per interval, so a flood of garbage cookies cannot
 * flood the logs. Never given a cookie value.
 */
final class RateLimitedLog {
    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final Logger log;
    private final AtomicLong next = new AtomicLong(System.nanoTime());
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log) {
        this.log = log;
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
