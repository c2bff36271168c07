package dev.cookies.testkit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds or a deadline passes: for effects that happen in the background
 * (an entry expiring, a server starting), where there is no event to wait on.
 *
 * @since 0.1
 */
public final class Await {
    private Await() {
    }

    /**
     * Waits until a condition holds.
     *
     * @param timeout the deadline
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @throws AssertionError if the deadline passes first
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }
}
