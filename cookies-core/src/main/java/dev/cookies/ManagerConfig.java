package dev.cookies;

import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.SessionCodec;
import dev.cookies.spi.SessionIdGenerator;
import dev.cookies.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A session manager's checked settings, as the builder hands them over. */
record ManagerConfig(String name, CookieSettings cookie, Duration idleTimeout, Duration absoluteTimeout,
                     SessionStore master, List<ServerSideStore> mirrors, MirrorFailurePolicy mirrorFailure,
                     LockPolicy lockPolicy, Duration lockWait, SessionCodec codec, SessionIdGenerator idGenerator,
                     Clock clock, int maxSessionBytes, String cacheControl, boolean vary, IdTransport transport,
                     List<SessionStore> ownedStores) {
}
