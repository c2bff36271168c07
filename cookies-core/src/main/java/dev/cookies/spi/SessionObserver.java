package dev.cookies.spi;

import java.time.Duration;

/**
 * Sees what the core does, for metrics (the {@code cookies-micrometer} module implements it): store
 * calls and their time, lock waits, outages, sessions too large. Registered on a manager's builder.
 *
 * <p>Called on the request's thread, right after the thing observed; every method has an empty default.
 * An observer must be quick and must not throw; one that throws is logged and otherwise ignored.
 *
 * @since 0.2
 */
public interface SessionObserver {

    /**
     * A call to a store finished.
     *
     * @param sessionName the manager's name
     * @param store the store's description, without credentials
     * @param operation {@code load}, {@code save}, {@code delete}, {@code touch}, {@code lock},
     *     {@code locked-save}, {@code locked-delete} or {@code release}
     * @param time how long it took
     * @param failed whether it threw
     */
    default void storeCall(String sessionName, String store, String operation, Duration time, boolean failed) {
    }

    /**
     * A request waited for a session's lock.
     *
     * @param sessionName the manager's name
     * @param waited how long
     * @param acquired {@code false} if the wait ran out ({@code SessionLockTimeoutException})
     */
    default void lockWait(String sessionName, Duration waited, boolean acquired) {
    }

    /**
     * A session could not be saved because it was too large (over {@code maxSessionBytes}, or a
     * {@code Set-Cookie} over 4096 bytes).
     *
     * @param sessionName the manager's name
     */
    default void tooLarge(String sessionName) {
    }

    /**
     * A request was answered 503 because a store was unavailable or a lock could not be had.
     *
     * @param sessionNames the managers of the request (the core does not always know which one failed)
     */
    default void unavailable(java.util.List<String> sessionNames) {
    }
}
