package dev.cookies;

import java.time.Instant;
import java.util.Objects;

/**
 * One of a user's sessions, as {@link AuthSession#sessions()} lists them: enough to show "where you
 * are signed in", nothing of the session's data or id.
 *
 * @param handle a short, non-secret name of the session's id (as in {@link SessionEvent#handle()})
 * @param created when the session was created or its user last logged in
 * @param lastUsed when the session was last used, as closely as the store can tell (on Redis, from the
 *     remaining time to live, to the second)
 * @param current whether it is the session of the request that asked
 * @since 0.2
 */
public record SessionInfo(String handle, Instant created, Instant lastUsed, boolean current) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if a field is null
     */
    public SessionInfo {
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(lastUsed, "lastUsed");
    }
}
