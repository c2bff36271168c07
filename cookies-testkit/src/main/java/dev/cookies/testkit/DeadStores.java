package dev.cookies.testkit;

import dev.cookies.SessionManager;
import dev.cookies.StoreUnavailableException;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.SessionStoreProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Stores that are down, for the store-down scenario of {@link AdapterContract}.
 *
 * <p>{@link #configureDown} prefers a real outage: when a store provider for the {@code redis} scheme
 * is on the classpath, it points the manager at a Redis URI on a loopback port where nothing listens,
 * so every call fails the way a stopped Redis fails (connection refused). Only when no Redis store is
 * available (as in the test kit's own tests, which cannot depend on a store module) does it fall back
 * to {@link #unavailable()}, a store whose every call throws {@link StoreUnavailableException}.
 *
 * @since 0.1
 */
public final class DeadStores {

    /** The store timeout of {@link #hungRedisUri()}: the client waits far longer. */
    public static final Duration HUNG_TIMEOUT = Duration.ofMillis(300);

    private static ServerSocket blackHole;

    private DeadStores() {
    }

    /**
     * Sets a store that accepts connections but never answers on a manager being built, if one is
     * available: {@link #hungRedisUri()}.
     *
     * @param builder the builder
     * @return whether one was set
     */
    public static boolean configureHung(SessionManager.Builder builder) {
        Optional<String> redis = hungRedisUri();
        redis.ifPresent(builder::store);
        return redis.isPresent();
    }

    /**
     * Returns a Redis URI, with a {@link #HUNG_TIMEOUT} timeout, at a loopback port that accepts
     * connections and never answers (a socket that is listening but never accepted: a hung server), if
     * a {@code redis} store provider is on the classpath. The socket stays open until the JVM exits.
     *
     * @return the URI, or empty
     */
    public static synchronized Optional<String> hungRedisUri() {
        if (!hasScheme("redis")) {
            return Optional.empty();
        }
        if (blackHole == null) {
            try {
                blackHole = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.of("redis://127.0.0.1:" + blackHole.getLocalPort() + "/0?timeout=" + HUNG_TIMEOUT.toMillis() + "ms");
    }

    /**
     * Sets a store that is down on a manager being built.
     *
     * @param builder the builder
     */
    public static void configureDown(SessionManager.Builder builder) {
        Optional<String> redis = deadRedisUri();
        if (redis.isPresent()) {
            builder.store(redis.get());
        } else {
            builder.store(unavailable());
        }
    }

    /**
     * Returns a Redis URI on a loopback port where nothing listens, if a {@code redis} store provider
     * is on the classpath.
     *
     * @return for example {@code redis://127.0.0.1:40123/0}, or empty
     */
    public static Optional<String> deadRedisUri() {
        if (!hasScheme("redis")) {
            return Optional.empty();
        }
        return Optional.of("redis://127.0.0.1:" + closedPort() + "/0");
    }

    /**
     * Returns a loopback port where nothing listens: one the system just handed out and that was closed
     * again at once.
     *
     * @return the port
     */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns a server-side store whose every call fails with {@link StoreUnavailableException}, as a
     * store that cannot be reached does. A last resort for when no real store can be taken down.
     *
     * @return the store
     */
    public static ServerSideStore unavailable() {
        return new ServerSideStore() {
            @Override
            public String description() {
                return "unavailable (test)";
            }

            @Override
            public Optional<byte[]> load(String id, Duration ttl) {
                throw down("load");
            }

            @Override
            public void save(String id, byte[] data, Duration ttl) {
                throw down("save");
            }

            @Override
            public void delete(String id) {
                throw down("delete");
            }

            @Override
            public void touch(String id, Duration ttl) {
                throw down("touch");
            }

            private StoreUnavailableException down(String operation) {
                return StoreUnavailableException.of(description(), operation, new ConnectException("Connection refused"));
            }
        };
    }

    private static boolean hasScheme(String scheme) {
        var it = ServiceLoader.load(SessionStoreProvider.class, DeadStores.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return false;
                }
                if (it.next().schemes().contains(scheme)) {
                    return true;
                }
            } catch (ServiceConfigurationError e) {
                // a broken provider is not a Redis store we can use
            }
        }
    }
}
