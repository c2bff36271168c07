package dev.cookies.store.memory;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes expired entries of a {@link SessionTable} in the background, at a fixed delay, on one
 * daemon thread shared by every memory store in the JVM.
 *
 * <p>The task holds its table weakly: a store that is dropped without being closed is still
 * collected, and its task then cancels itself.
 */
final class Sweeper implements Runnable {

    /** The delay between two sweeps of one table. */
    static final Duration PERIOD = Duration.ofSeconds(1);

    private static final class Shared {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "cookies-memory-store-sweeper");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            // The thread goes away while no store is open.
            executor.setKeepAliveTime(PERIOD.toMillis() * 10, TimeUnit.MILLISECONDS);
            executor.allowCoreThreadTimeOut(true);
            return executor;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(MemorySessionStore.class);

    private final WeakReference<SessionTable> table;
    private volatile ScheduledFuture<?> future;

    private Sweeper(SessionTable table) {
        this.table = new WeakReference<>(table);
    }

    /**
     * Starts sweeping a table.
     *
     * @param table the table
     * @return the running sweeper, to {@link #stop()}
     */
    static Sweeper start(SessionTable table) {
        Sweeper sweeper = new Sweeper(table);
        long period = PERIOD.toMillis();
        sweeper.future = Shared.EXECUTOR.scheduleWithFixedDelay(sweeper, period, period, TimeUnit.MILLISECONDS);
        return sweeper;
    }

    @Override
    public void run() {
        SessionTable current = table.get();
        if (current == null) {
            stop();
            return;
        }
        try {
            current.sweep();
        } catch (RuntimeException e) {
            // The executor never runs again a task that threw: expired sessions would then wait for a
            // request to find them.
            LOG.warn("memory store: a background clean-up failed; the next one runs as planned", e);
        }
    }

    /**
     * Returns whether this sweeper has stopped, by {@link #stop()} or because its table was collected.
     *
     * @return {@code true} once stopped
     */
    boolean stopped() {
        ScheduledFuture<?> running = future;
        return running != null && running.isCancelled();
    }

    /** Stops sweeping; a sweep under way finishes. */
    void stop() {
        ScheduledFuture<?> running = future;
        if (running != null) {
            running.cancel(false);
        }
    }
}
