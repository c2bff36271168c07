package dev.cookies;

/**
 * Told of what happens to sessions: created, invalidated, expired, logged in, logged out, id changed.
 * Registered on a manager's builder ({@link SessionManager.Builder#listener(SessionListener)}).
 *
 * <p>Called on the thread that caused the event (a request's, or a store's for an expiry it reports),
 * after the change was made. A listener that throws never fails the request or loses data: the failure
 * is logged and the next listener is called. Keep listeners quick; hand slow work to an executor.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface SessionListener {

    /**
     * Receives one event.
     *
     * @param event what happened
     */
    void onEvent(SessionEvent event);
}
