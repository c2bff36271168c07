package dev.cookies.example;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what the app answered with an error, so that a client sending garbage all day costs a few log
 * lines, not a line (or a stack trace) per request: each kind of {@link Problem} is logged in one line
 * at most once every 10 seconds, saying how many like it were not logged. A handler that fails (a bug,
 * not the client's doing) is logged with its stack trace, under the same limit.
 */
final class ProblemLog {

    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Logger LOG = LoggerFactory.getLogger(ProblemLog.class);
    private static final int KINDS = Problem.values().length;
    private static final ProblemLog SHARED = new ProblemLog();

    /** Per kind: when it may be logged next, and how many were left out since it last was. */
    private final AtomicLongArray next = new AtomicLongArray(KINDS);
    private final AtomicLongArray skipped = new AtomicLongArray(KINDS);

    private ProblemLog() {
        long now = System.nanoTime();
        for (int i = 0; i < KINDS; i++) {
            next.set(i, now);
        }
    }

    /**
     * Logs that a client was answered with a problem.
     *
     * @param problem what was answered
     * @param route the route as the app names it ({@code "POST /login"}), never text from the request
     */
    static void answered(Problem problem, String route) {
        long left = SHARED.due(problem);
        if (left >= 0) {
            LOG.info("{} answered {} ({}){}", route, problem.status(), problem.message(), note(left));
        }
    }

    /**
     * Logs that a handler failed and was answered {@code 500}.
     *
     * @param failure what the handler threw
     * @param route the route as the app names it, never text from the request
     */
    static void failed(Throwable failure, String route) {
        long left = SHARED.due(Problem.SERVER_ERROR);
        if (left >= 0) {
            LOG.error("{} failed and was answered 500{}", route, note(left), failure);
        }
    }

    /** Returns how many of this kind were skipped since the last line if one may be logged now, else -1. */
    private long due(Problem problem) {
        int i = problem.ordinal();
        long now = System.nanoTime();
        long at = next.get(i);
        if (now - at >= 0 && next.compareAndSet(i, at, now + INTERVAL_NANOS)) {
            return skipped.getAndSet(i, 0);
        }
        skipped.incrementAndGet(i);
        return -1;
    }

    private static String note(long left) {
        return left == 0 ? "" : "; " + left + " more like it in the last 10 s were not logged";
    }
}
