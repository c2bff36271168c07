package dev.cookies;

import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.SessionCodec;
import dev.cookies.spi.SessionIdGenerator;
import dev.cookies.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import dev.cookies.spi.SessionObserver;
import java.util.List;
import java.util.function.Function;

/** A session manager's checked settings, as the builder hands them over. */
record ManagerConfig(String name, CookieSettings cookie, Duration idleTimeout, Duration absoluteTimeout,
                     SessionStore master, List<ServerSideStore> mirrors, MirrorFailurePolicy mirrorFailure,
                     LockPolicy lockPolicy, Duration lockWait, SessionCodec codec, SessionIdGenerator idGenerator,
                     Clock clock, int maxSessionBytes, String cacheControl, boolean vary, IdTransport transport,
                     Users users, List<SessionListener> listeners, SessionObserver observer,
                     List<SessionStore> ownedStores) {

    /**
     * What the core knows of users: how to name one, how many sessions one may have, and where a
     * client-side session's user revocations are kept.
     *
     * @param principal names the user given to a login, or returns {@code null} for none
     * @param maxSessions the most sessions one user may have; 0 for no cap
     * @param revocations a server-side store of per-user "not valid before" times, or {@code null}
     */
    record Users(Function<Object, String> principal, int maxSessions, ServerSideStore revocations) {
    }
}
