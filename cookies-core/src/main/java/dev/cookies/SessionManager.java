package dev.cookies;

import dev.cookies.internal.DefaultSessionManager;
import dev.cookies.internal.ManagerConfig;
import dev.cookies.internal.StoreRegistry;
import dev.cookies.spi.ClientSideStore;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.SessionCodec;
import dev.cookies.spi.SessionIdGenerator;
import dev.cookies.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One named session: its cookie, its store (a master plus write-through mirrors), its timeouts and its
 * locking. Immutable and thread-safe; build it once at start-up.
 *
 * <pre>{@code
 * SessionManager sessions = SessionManager.builder("session")
 *         .store("redis://localhost:6379/0")
 *         .idleTimeout(Duration.ofMinutes(30))
 *         .cookie(c -> c.secure(true))
 *         .build();
 * }</pre>
 *
 * <p>An application usually runs several side by side, each with its own cookie, through
 * {@link Sessions#of(SessionManager...)}; each request then finds each session as a request attribute
 * under the manager's name.
 *
 * @since 0.1
 */
public interface SessionManager extends AutoCloseable {

    /**
     * Starts a session manager.
     *
     * @param name the session's name: its request-attribute key, and, upper-cased, its default cookie
     *     name; letters, digits, {@code .}, {@code _} and {@code -}
     * @return a builder with the defaults documented on its methods
     * @throws SessionConfigException if the name is empty or has other characters
     * @throws NullPointerException if {@code name} is null
     */
    static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Returns the session's name.
     *
     * @return the name, which is also its request-attribute key
     */
    String name();

    /**
     * Returns the cookie settings.
     *
     * @return the settings
     */
    CookieSettings cookie();

    /**
     * Returns the idle timeout: a session not used for this long expires.
     *
     * @return the timeout
     */
    Duration idleTimeout();

    /**
     * Returns the absolute lifetime, if one is set: a session this old expires however much it is used.
     *
     * @return the lifetime, or empty
     */
    Optional<Duration> absoluteTimeout();

    /**
     * Returns whether the master store keeps the data in the cookie itself.
     *
     * @return {@code true} for a client-side store
     */
    boolean isClientSide();

    /**
     * Returns this session for a request that an adapter opened.
     *
     * @param request the framework's request object (an {@code HttpServletRequest}, a Javalin
     *     {@code Context}, an Undertow {@code HttpServerExchange}) or a {@link dev.cookies.spi.RequestContext}
     * @return the request's session
     * @throws IllegalStateException if no adapter opened sessions on this request, or none on the
     *     classpath knows the request's type
     * @throws NullPointerException if {@code request} is null
     */
    Session session(Object request);

    /** Closes the stores this manager created from URIs. Stores passed as instances are left open. */
    @Override
    void close();

    /**
     * Builds a {@link SessionManager}. Each setter checks its value at once and names the setting in
     * the {@link SessionConfigException} it throws; {@link #build()} checks the settings together.
     *
     * @since 0.1
     */
    final class Builder {
        private static final Duration MAX_LIFETIME = Duration.ofDays(400);

        private final String name;
        private CookieSettings cookie;
        private Duration idleTimeout = Duration.ofMinutes(30);
        private Duration absoluteTimeout;
        private Object store;
        private final List<Object> mirrors = new ArrayList<>();
        private MirrorFailurePolicy mirrorFailure = MirrorFailurePolicy.FAIL;
        private LockPolicy lockPolicy = LockPolicy.WARN;
        private Duration lockWait = Duration.ofSeconds(5);
        private SessionCodec codec = SessionCodec.json();
        private SessionIdGenerator idGenerator = SessionIdGenerator.secureRandom();
        private Clock clock = Clock.systemUTC();
        private int maxSessionBytes = 1024 * 1024;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || !name.matches("[A-Za-z0-9._-]+")) {
                throw SessionConfigException.of("name", "'" + name
                        + "' is not a valid session name (letters, digits, '.', '_' and '-')");
            }
            this.name = name;
        }

        /**
         * Sets the cookie settings. Default: {@link CookieSettings#of(String)} with the session's name
         * upper-cased ({@code "session"} gives cookie {@code SESSION}).
         *
         * @param cookie the settings
         * @return this builder
         */
        public Builder cookie(CookieSettings cookie) {
            this.cookie = Objects.requireNonNull(cookie, "cookie");
            return this;
        }

        /**
         * Changes the cookie settings from the current ones (or the defaults).
         *
         * @param change edits a builder holding the current settings
         * @return this builder
         * @throws SessionConfigException if the result is invalid
         */
        public Builder cookie(Consumer<CookieSettings.Builder> change) {
            CookieSettings.Builder b = currentCookie().toBuilder();
            change.accept(b);
            this.cookie = b.build();
            return this;
        }

        /**
         * Sets the idle timeout: the store forgets a session unused for this long, and a persistent
         * cookie's {@code Max-Age} is this long, refreshed when a quarter of it has passed. Default 30
         * minutes; at most 400 days.
         *
         * @param idleTimeout the timeout
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = lifetime("idleTimeout", idleTimeout);
            return this;
        }

        /**
         * Sets the absolute lifetime: a session expires this long after it was created, however much it
         * is used. Default none; at most 400 days.
         *
         * @param absoluteTimeout the lifetime
         * @return this builder
         */
        public Builder absoluteTimeout(Duration absoluteTimeout) {
            this.absoluteTimeout = lifetime("absoluteTimeout", absoluteTimeout);
            return this;
        }

        /**
         * Sets the master store. Required, once.
         *
         * @param store a {@link ServerSideStore} or a {@link ClientSideStore}; the application closes it
         * @return this builder
         */
        public Builder store(SessionStore store) {
            requireStoreUnset();
            this.store = requireKind("store", store);
            return this;
        }

        /**
         * Sets the master store by URI, for example {@code memory:}, {@code redis://host:6379/0} or
         * {@code cookie:}. The store's module must be on the classpath; the manager closes the store.
         *
         * @param uri the store URI
         * @return this builder
         */
        public Builder store(String uri) {
            requireStoreUnset();
            this.store = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * Adds a mirror: a server-side store that receives every save and delete after the master, but
         * is never read from.
         *
         * @param mirror the store; the application closes it
         * @return this builder
         */
        public Builder mirror(ServerSideStore mirror) {
            mirrors.add(requireKind("mirrors", mirror));
            return this;
        }

        /**
         * Adds a mirror by URI.
         *
         * @param uri the store URI
         * @return this builder
         */
        public Builder mirror(String uri) {
            mirrors.add(Objects.requireNonNull(uri, "uri"));
            return this;
        }

        /**
         * Sets what a failed mirror write does. Default {@link MirrorFailurePolicy#FAIL}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder mirrorFailure(MirrorFailurePolicy policy) {
            this.mirrorFailure = Objects.requireNonNull(policy, "mirrorFailure");
            return this;
        }

        /**
         * Sets what an unlocked write does. Default {@link LockPolicy#WARN}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder lockPolicy(LockPolicy policy) {
            this.lockPolicy = Objects.requireNonNull(policy, "lockPolicy");
            return this;
        }

        /**
         * Sets how long to wait for a session's lock before {@link SessionLockTimeoutException}.
         * Default 5 seconds; zero means do not wait.
         *
         * @param wait the wait, at most 5 minutes
         * @return this builder
         */
        public Builder lockWait(Duration wait) {
            Objects.requireNonNull(wait, "lockWait");
            if (wait.isNegative() || wait.compareTo(Duration.ofMinutes(5)) > 0) {
                throw SessionConfigException.of("lockWait", "must be between 0 and 5 minutes, was " + wait);
            }
            this.lockWait = wait;
            return this;
        }

        /**
         * Replaces the codec. Default {@link SessionCodec#json()}.
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder codec(SessionCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Replaces the id generator. Default {@link SessionIdGenerator#secureRandom()}.
         *
         * @param idGenerator the generator
         * @return this builder
         */
        public Builder idGenerator(SessionIdGenerator idGenerator) {
            this.idGenerator = Objects.requireNonNull(idGenerator, "idGenerator");
            return this;
        }

        /**
         * Sets the clock for every time rule. Default {@link Clock#systemUTC()}; tests pass a
         * controllable one.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the largest encoded session that may be saved. Default 1 MiB.
         *
         * @param bytes at least 1024
         * @return this builder
         */
        public Builder maxSessionBytes(int bytes) {
            if (bytes < 1024) {
                throw SessionConfigException.of("maxSessionBytes", "must be at least 1024, was " + bytes);
            }
            this.maxSessionBytes = bytes;
            return this;
        }

        /**
         * Sets a configuration value for stores created from URIs (for example the cookie store's
         * {@code cookies.keys}). Values set here win over system properties and the environment.
         *
         * @param key a dotted key
         * @param value the value
         * @return this builder
         */
        public Builder setting(String key, String value) {
            settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Checks the settings together, creates stores given by URI, and returns the manager.
         *
         * @return the manager
         * @throws SessionConfigException naming the setting at fault
         */
        public SessionManager build() {
            if (store == null) {
                throw SessionConfigException.of("store", "no store set; call store(\"memory:\") or store(SessionStore)");
            }
            if (absoluteTimeout != null && absoluteTimeout.compareTo(idleTimeout) < 0) {
                throw SessionConfigException.of("absoluteTimeout", "is " + absoluteTimeout
                        + ", shorter than idleTimeout " + idleTimeout + "; make it at least as long");
            }
            if (!idGenerator.isWellFormed(idGenerator.newId())) {
                throw SessionConfigException.of("idGenerator", "rejects the ids it makes");
            }
            List<SessionStore> owned = new ArrayList<>();
            try {
                SessionStore master = resolve("store", store, owned);
                List<ServerSideStore> mirrorStores = new ArrayList<>();
                for (int i = 0; i < mirrors.size(); i++) {
                    SessionStore mirror = resolve("mirrors", mirrors.get(i), owned);
                    if (!(mirror instanceof ServerSideStore)) {
                        throw SessionConfigException.of("mirrors", "a mirror must be a server-side store, "
                                + mirror.description() + " is client-side");
                    }
                    mirrorStores.add((ServerSideStore) mirror);
                }
                if (master instanceof ClientSideStore && !mirrorStores.isEmpty()) {
                    throw SessionConfigException.of("mirrors", "a client-side store (" + master.description()
                            + ") keeps the session in the cookie and cannot have mirrors");
                }
                ManagerConfig config = new ManagerConfig(name, currentCookie(), idleTimeout,
                        Optional.ofNullable(absoluteTimeout), master, List.copyOf(mirrorStores), mirrorFailure,
                        lockPolicy, lockWait, codec, idGenerator, clock, maxSessionBytes, List.copyOf(owned));
                return new DefaultSessionManager(config);
            } catch (RuntimeException e) {
                for (SessionStore s : owned) {
                    try {
                        s.close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private CookieSettings currentCookie() {
            return cookie != null ? cookie : CookieSettings.of(name.toUpperCase(Locale.ROOT));
        }

        private SessionStore resolve(String setting, Object spec, List<SessionStore> owned) {
            if (spec instanceof SessionStore) {
                return (SessionStore) spec;
            }
            SessionStore created = StoreRegistry.create(setting, (String) spec, clock, settings,
                    SessionManager.class.getClassLoader());
            owned.add(created);
            return requireKind(setting, created);
        }

        private void requireStoreUnset() {
            if (store != null) {
                throw SessionConfigException.of("store", "was already set to " + describe(store)
                        + "; add other stores as mirrors");
            }
        }

        private static String describe(Object spec) {
            return spec instanceof SessionStore ? ((SessionStore) spec).description()
                    : StoreRegistry.redact(String.valueOf(spec));
        }

        private static <S extends SessionStore> S requireKind(String setting, S store) {
            Objects.requireNonNull(store, setting);
            boolean server = store instanceof ServerSideStore;
            boolean client = store instanceof ClientSideStore;
            if (server == client) {
                throw SessionConfigException.of(setting, store.getClass().getName()
                        + " must implement exactly one of ServerSideStore and ClientSideStore");
            }
            return store;
        }

        private static Duration lifetime(String setting, Duration value) {
            Objects.requireNonNull(value, setting);
            if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw SessionConfigException.of(setting, "must be at least one second, was " + value);
            }
            if (value.compareTo(MAX_LIFETIME) > 0) {
                throw SessionConfigException.of(setting, "is " + value.toDays()
                        + " days; browsers cap cookie lifetimes at 400 days, so at most 400 days");
            }
            return value;
        }
    }
}
