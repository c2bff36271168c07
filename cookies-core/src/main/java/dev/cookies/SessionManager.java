package dev.cookies;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cookies.spi.ClientSideStore;
import dev.cookies.spi.ObjectStore;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.SessionIndex;
import dev.cookies.spi.SessionObserver;
import dev.cookies.spi.SessionCodec;
import dev.cookies.spi.SessionIdGenerator;
import dev.cookies.spi.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
public final class SessionManager implements AutoCloseable {

    /**
     * Starts a session manager.
     *
     * @param name the session's name: its request-attribute key, and, upper-cased, its default cookie
     *     name; letters, digits, {@code .}, {@code _} and {@code -}
     * @return a builder with the defaults documented on its methods
     * @throws SessionConfigException if the name is empty or has other characters
     * @throws NullPointerException if {@code name} is null
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    /** The observer of a manager that has none. */
    static final SessionObserver NO_OBSERVER = new SessionObserver() {
    };

    /** How many cookie values of one name are tried; a browser may send a name twice, not fifty times. */
    static final int MAX_CANDIDATES = 3;
    /** Longer values cannot be ours: ids are short and sealed cookies fit in 4096 bytes. */
    static final int MAX_COOKIE_VALUE = CookieSettings.MAX_HEADER_BYTES;

    /** The key, inside the metadata, of the name of the manager a session belongs to. */
    static final String OWNER = "n";

    private final ManagerConfig config;
    private final RateLimitedLog badInput;
    /** Warns of unlocked writes at most every 10 s per manager, not once per request. */
    final RateLimitedLog unlockedWriteLog = new RateLimitedLog(LOG);

    private final ServerSideStore observedStore;
    /** The name's UTF-8 bytes, to recognise this manager's compact sessions without decoding a string. */
    private final byte[] nameUtf8;

    private SessionManager(ManagerConfig config) {
        this.config = config;
        this.nameUtf8 = config.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        this.badInput = new RateLimitedLog(LOG);
        this.observedStore = config.master() instanceof ServerSideStore
                ? ObservedStore.of((ServerSideStore) config.master(), this) : null;
        if (config.master() instanceof ServerSideStore) {
            ((ServerSideStore) config.master()).onExpiry(new Expiries());
        }
    }

    /**
     * Returns the session's name.
     *
     * @return the name, which is also its request-attribute key
     */
    public String name() {
        return config.name();
    }

    /**
     * Returns the cookie settings.
     *
     * @return the settings
     */
    public CookieSettings cookie() {
        return config.cookie();
    }

    /**
     * Returns the idle timeout: a session not used for this long expires.
     *
     * @return the timeout
     */
    public Duration idleTimeout() {
        return config.idleTimeout();
    }

    /**
     * Returns the absolute lifetime: a session this old (counted from its creation, or from its latest
     * login) expires however much it is used. A remember-me login with a longer duration keeps its own.
     *
     * @return the lifetime; always finite
     */
    public Duration absoluteTimeout() {
        return config.absoluteTimeout();
    }

    /**
     * Returns whether the master store keeps the data in the cookie itself.
     *
     * @return {@code true} for a client-side store
     */
    public boolean isClientSide() {
        return config.master() instanceof ClientSideStore;
    }

    /**
     * Lists a user's sessions: the handle of each id, when it was created and last used. For an
     * administrator's view; a user's own is {@link AuthSession#sessions()}.
     *
     * @param principal the user's principal name, as {@link Builder#principal} makes it
     * @return the user's live sessions, oldest first
     * @throws IllegalStateException if the store keeps no index of sessions by user
     * @throws StoreUnavailableException if the store failed
     */
    public List<SessionInfo> sessions(String principal) {
        return sessions(Objects.requireNonNull(principal, "principal"), null);
    }

    /**
     * Signs a user out of every session, for an administrator (a password reset, a stolen device).
     * With a client-side store, every logged-in cookie of the user issued until now stops counting.
     *
     * @param principal the user's principal name
     * @throws IllegalStateException if the store keeps no index of sessions by user, or a client-side
     *     store has no revocation store configured
     * @throws StoreUnavailableException if a store failed
     * @throws SessionLockTimeoutException if a session's lock could not be had
     */
    public void signOutEverywhere(String principal) {
        signOutEverywhere(Objects.requireNonNull(principal, "principal"), null);
    }

    /** Closes the stores this manager created from URIs. Stores passed as instances are left open. */
    @Override
    public void close() {
        Each.run(config.ownedStores(), SessionStore::close);
    }

    @Override
    public String toString() {
        return "SessionManager[" + name() + ", cookie " + cookie().name() + ", " + config.master().description() + "]";
    }

    // ---- used by the sessions it opens

    AbstractSession open(List<String> cookieValues, boolean cookiePresent, AbstractSession.Via via) {
        if (cookiePresent && cookieValues.isEmpty()) {
            badInput("ignored an empty or oversized cookie value");
        }
        if (isClientSide()) {
            return new ClientSession(this, cookieValues.size() <= MAX_CANDIDATES ? cookieValues
                    : cookieValues.subList(0, MAX_CANDIDATES), cookiePresent);
        }
        List<String> candidates = new ArrayList<>(1);
        for (String v : cookieValues) {
            if (candidates.size() < MAX_CANDIDATES && config.idGenerator().isWellFormed(v) && !candidates.contains(v)) {
                candidates.add(v);
            }
        }
        if (candidates.size() < cookieValues.size()) {
            badInput("ignored a cookie value that is not a well-formed session id");
        }
        return new ServerSession(this, candidates, cookiePresent, via);
    }

    ManagerConfig config() {
        return config;
    }

    LockTable.Held lock(String id, Duration wait) {
        return LockTable.SHARED.acquire(name(), id, wait);
    }

    ServerSideStore serverStore() {
        return observedStore;
    }

    List<SessionInfo> sessions(String principal, String currentId) {
        SessionIndex index = requireIndex();
        List<SessionInfo> infos = new ArrayList<>();
        for (SessionIndex.Entry e : index.sessions(principal)) {
            infos.add(new SessionInfo(handle(e.id()), e.created(), e.lastUsed(), e.id().equals(currentId)));
        }
        return List.copyOf(infos);
    }

    /** Ends every session of a user but {@code keep}: each under its lock, so no request writes it back. */
    void signOutEverywhere(String principal, String keep) {
        if (isClientSide()) {
            revoke(principal, now());
            return;
        }
        for (SessionIndex.Entry e : requireIndex().sessions(principal)) {
            if (!e.id().equals(keep)) {
                end(principal, e.id());
            }
        }
    }

    /** Ends the least recently used sessions of a user over the cap, never {@code keep}. */
    void capSessions(String principal, int cap, String keep) {
        List<SessionIndex.Entry> entries = new ArrayList<>(requireIndex().sessions(principal));
        entries.sort(java.util.Comparator.comparing(SessionIndex.Entry::lastUsed));
        int over = entries.size() - cap;
        for (SessionIndex.Entry e : entries) {
            if (over <= 0) {
                break;
            }
            if (!e.id().equals(keep)) {
                end(principal, e.id());
                over--;
            }
        }
    }

    private void end(String principal, String id) {
        LockTable.Held held = lock(id, config.lockWait());
        try {
            try (dev.cookies.spi.StoreLock lock = serverStore().lock(id, idleTimeout(), config.lockWait())) {
                lock.delete();
            }
            deleteFromMirrors(id);
            SessionIndex index = requireIndex();
            if (!index.forgetsOnDelete()) {
                index.unindex(principal, id);
            }
            fire(SessionEvent.Kind.INVALIDATED, id, principal);
        } finally {
            held.release();
        }
    }

    private SessionIndex requireIndex() {
        return index().orElseThrow(() -> new IllegalStateException("session '" + name() + "': "
                + config.master().description() + " keeps no index of sessions by user, so a user's sessions cannot be "
                + (isClientSide() ? "listed; a client-side store can only sign users out everywhere, with "
                        + "SessionManager.Builder.revocations(...)" : "listed or signed out; use a store that keeps one "
                        + "(memory, Redis, JDBC)")));
    }

    /** The master's index of sessions by user, if it keeps one. */
    Optional<SessionIndex> index() {
        return config.master() instanceof SessionIndex ? Optional.of((SessionIndex) config.master()) : Optional.empty();
    }

    SessionObserver observer() {
        return config.observer();
    }

    /** Tells every listener, logging any that throws. */
    void fire(SessionEvent.Kind kind, String id, String principal) {
        if (config.listeners().isEmpty()) {
            return;
        }
        SessionEvent event = new SessionEvent(kind, name(), id == null ? "" : handle(id), Optional.ofNullable(principal), now());
        for (SessionListener listener : config.listeners()) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("session '{}': a SessionListener failed on {}; the request goes on", name(), kind, e);
            }
        }
    }

    /** A short, non-secret name of an id: the first 96 bits of its SHA-256, base64url. */
    static String handle(String id) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 12));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The id under which a user's "not valid before" time is kept in the revocation store: well-formed
     * like a session id (43 base64url characters of a SHA-256), and not the principal itself.
     */
    static String revocationKey(String principal) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("cookies-revoked:" + principal).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether a client-side session of a user, created or logged in at {@code created}, was revoked. */
    boolean revoked(String principal, long created) {
        ServerSideStore revocations = config.users().revocations();
        if (revocations == null) {
            return false;
        }
        return created < notValidBefore(revocations, principal);
    }

    /**
     * When a client-side session of a user logged in now is created: now, or, if the user signed out
     * everywhere within this second, the end of that second, so that the new session is not caught by
     * the revocation (times are whole seconds). Reads the revocation store only when one is set.
     */
    Instant issueTime(String principal) {
        Instant now = now();
        ServerSideStore revocations = config.users().revocations();
        if (principal == null || revocations == null) {
            return now;
        }
        long notValidBefore = notValidBefore(revocations, principal);
        return notValidBefore > now.getEpochSecond() ? Instant.ofEpochSecond(notValidBefore) : now;
    }

    private static long notValidBefore(ServerSideStore revocations, String principal) {
        Optional<byte[]> stored = revocations.load(revocationKey(principal), CookieSettings.MAX_LIFETIME);
        if (stored.isEmpty()) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(new String(stored.get(), java.nio.charset.StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** How far ahead of now repeated sign outs within one second may date the next logins. */
    private static final long MAX_ISSUE_AHEAD_SECONDS = 30;

    /**
     * Records that a user's client-side sessions issued so far are no longer valid. Times are whole
     * seconds, so the "not valid before" time is the next second: a cookie issued earlier in the same
     * second is revoked too, and a session logged in later that second is dated from the next one
     * ({@link #issueTime}). A second sign out within the same second moves it one more second ahead,
     * past the sessions dated by the first (at most {@value #MAX_ISSUE_AHEAD_SECONDS} s ahead of now).
     */
    void revoke(String principal, Instant now) {
        ServerSideStore revocations = config.users().revocations();
        if (revocations == null) {
            throw new IllegalStateException("session '" + name() + "' keeps its data in the cookie, so signing a user "
                    + "out everywhere needs a server-side store for revocations: set "
                    + "SessionManager.Builder.revocations(store or URI)");
        }
        long nowSeconds = now.getEpochSecond();
        long earlier = notValidBefore(revocations, principal);
        long notValidBefore = Math.max(nowSeconds + 1,
                earlier == Long.MIN_VALUE ? nowSeconds + 1 : Math.min(earlier + 1, nowSeconds + MAX_ISSUE_AHEAD_SECONDS));
        revocations.save(revocationKey(principal), Long.toString(notValidBefore)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII), CookieSettings.MAX_LIFETIME);
    }

    /** Hears a store's expiries, of sessions kept as bytes or as values. */
    private final class Expiries implements ServerSideStore.ExpiryListener {
        @Override
        public void expired(String id, Optional<byte[]> lastData) {
            expiredInStore(id, lastData.map(b -> b));
        }

        @Override
        public void expiredObject(String id, Object lastValue) {
            expiredInStore(id, Optional.of(lastValue));
        }
    }

    /** A session the store removed by its own expiry: report it, if it was this manager's. */
    private void expiredInStore(String id, Optional<Object> lastData) {
        String principal = null;
        if (lastData.isPresent()) {
            Decoded decoded = fromRaw(lastData.get(), now());
            if (decoded == null) {
                return; // another manager's session, or not a session at all
            }
            principal = decoded.meta().principal();
        }
        fire(SessionEvent.Kind.EXPIRED, id, principal);
    }

    ClientSideStore clientStore() {
        return (ClientSideStore) config.master();
    }

    Instant now() {
        return config.clock().instant();
    }

    void badInput(String message) {
        badInput.debug(message, name());
    }

    /** A decoded session: its data, frozen, and its bookkeeping. */
    record Decoded(Map<String, Object> data, Meta meta) {
    }

    /**
     * The master as a {@link dev.cookies.spi.ConditionalStore}, observed if an observer is set, or
     * {@code null} if it cannot compare-and-set (or keeps objects, whose in-process lock costs nothing).
     */
    dev.cookies.spi.ConditionalStore conditionalStore() {
        return config.master() instanceof dev.cookies.spi.ConditionalStore && !(config.master() instanceof ObjectStore)
                ? (dev.cookies.spi.ConditionalStore) observedStore : null;
    }

    /** The master as an {@link ObjectStore}, observed if an observer is set; empty for a store of bytes. */
    Optional<ObjectStore> objectStore() {
        return config.master() instanceof ObjectStore ? Optional.of((ObjectStore) observedStore) : Optional.empty();
    }

    /** Reads a session's stored form: bytes, or, from an object store, the core's value or bytes. */
    Optional<Object> loadRaw(String id, Duration ttl) {
        Optional<ObjectStore> objects = objectStore();
        if (objects.isPresent()) {
            return objects.get().loadObject(id, ttl);
        }
        return serverStore().load(id, ttl).map(b -> b);
    }

    /** Turns a stored form into a decoded session; {@code null} for anything not this manager's. */
    Decoded fromRaw(Object raw, Instant fallbackTime) {
        if (raw instanceof byte[] && Compact.isCompact((byte[]) raw)) {
            Compact.Read read;
            try {
                read = Compact.decode((byte[]) raw, name(), nameUtf8);
            } catch (RuntimeException e) {
                badInput("ignored a stored value that does not decode: " + e);
                return null;
            }
            if (!read.owner().equals(name())) {
                badInput("ignored a session that belongs to another session manager");
                return null;
            }
            return new Decoded(read.data(), read.meta());
        }
        if (raw instanceof byte[]) {
            return decode((byte[]) raw, fallbackTime);
        }
        badInput("ignored a stored value that is not one of this manager's sessions");
        return null;
    }

    /** The core's compact form of a session, for an object store; refused if over {@code maxSessionBytes}. */
    byte[] encodeCompact(Map<String, Object> data, Meta meta) {
        byte[] bytes = Compact.encode(name(), data, meta);
        if (bytes.length > config.maxSessionBytes()) {
            throw SessionTooLargeException.of(name(), "encoded session", bytes.length, config.maxSessionBytes());
        }
        return bytes;
    }

    /** Decodes stored or unsealed bytes; anything malformed is {@code null}, logged at debug. */
    Decoded decode(byte[] bytes, Instant fallbackTime) {
        Map<String, Object> data;
        try {
            data = config.codec().decode(bytes);
        } catch (IllegalArgumentException e) {
            badInput("ignored session data that does not decode: " + e.getMessage());
            return null;
        }
        Object rawMeta = data.remove(SessionData.RESERVED_KEY);
        if (rawMeta instanceof Map && ((Map<?, ?>) rawMeta).containsKey(OWNER)
                && !name().equals(((Map<?, ?>) rawMeta).get(OWNER))) {
            // Another manager's session (an AUTH id sent as the SESSION cookie, over a shared store or
            // shared keys): never adopt it, or one session's writes could land in the other.
            badInput("ignored a session that belongs to another session manager");
            return null;
        }
        Meta meta = Meta.fromMap(rawMeta, fallbackTime);
        Plain.freezeValues(data);
        return new Decoded(data, meta);
    }

    byte[] encode(Map<String, Object> data, Meta meta) {
        Map<String, Object> withMeta = new LinkedHashMap<>(data);
        Map<String, Object> metaMap = meta.toMap(!isClientSide());
        metaMap.put(OWNER, name());
        withMeta.put(SessionData.RESERVED_KEY, metaMap);
        byte[] bytes = config.codec().encode(withMeta);
        if (bytes.length > config.maxSessionBytes()) {
            throw SessionTooLargeException.of(name(), "encoded session", bytes.length, config.maxSessionBytes());
        }
        return bytes;
    }

    /** Converts a value for {@code put}; a failure names the session, the key and the value's type. */
    Object toPlain(String key, Object value) {
        try {
            return Plain.freeze(config.codec().toPlain(key, value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("session '" + name() + "': cannot store key '" + shorten(key) + "' ("
                    + value.getClass().getName() + "): " + e.getMessage(), e);
        }
    }

    private static String shorten(String key) {
        return key.length() <= 64 ? key : key.substring(0, 64) + "... (" + key.length() + " characters)";
    }

    <T> T fromPlain(String key, Object plain, java.lang.reflect.Type type) {
        try {
            return config.codec().fromPlain(plain, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("session '" + name() + "' key '" + key + "' does not convert to "
                    + type.getTypeName() + ": " + e.getMessage(), e);
        }
    }

    /** The session's own idle timeout: a login's duration, or the manager's. */
    Duration ttl(Meta meta) {
        return meta.ttlSeconds() > 0 ? Duration.ofSeconds(meta.ttlSeconds()) : config.idleTimeout();
    }

    boolean persistent(Meta meta) {
        return meta.persistent() >= 0 ? meta.persistent() == 1 : config.cookie().persistent();
    }

    /** How long the session may live from now: its idle timeout, cut short by its absolute lifetime. */
    Duration remaining(Meta meta, Instant now) {
        Duration ttl = ttl(meta);
        Duration absolute = absolute(meta);
        // The common case, in whole seconds and without a Duration: the absolute deadline is more than a
        // timeout away (age + ttl + 1 s < absolute, written so that it cannot overflow).
        long age = now.getEpochSecond() - meta.created();
        if (age >= 0 && absolute.getSeconds() - 1 - ttl.getSeconds() > age) {
            return ttl;
        }
        Duration left = Duration.between(now, Instant.ofEpochSecond(meta.created()).plus(absolute));
        if (left.compareTo(ttl) < 0) {
            return left.isNegative() ? Duration.ZERO : left;
        }
        return ttl;
    }

    /** The session's absolute lifetime: a remember-me login's own, or the manager's. */
    Duration absolute(Meta meta) {
        return meta.absoluteSeconds() > 0 ? Duration.ofSeconds(meta.absoluteSeconds()) : config.absoluteTimeout();
    }

    /**
     * Whether a session is past its absolute lifetime, or, with {@code checkIdle}, its idle timeout
     * counted from its last refresh (client-side sessions, whose store cannot expire them).
     */
    boolean isExpired(Meta meta, Instant now, boolean checkIdle) {
        long nowS = now.getEpochSecond();
        if (nowS >= meta.created() + absolute(meta).getSeconds()) {
            return true;
        }
        return checkIdle && nowS - meta.refreshed() >= ttl(meta).getSeconds();
    }

    /** Whether a quarter of the session's timeout has passed since its expiry was last refreshed. */
    boolean refreshDue(Meta meta, Instant now) {
        return now.getEpochSecond() - meta.refreshed() >= Math.max(1, ttl(meta).getSeconds() / 4);
    }

    boolean locksServerSide() {
        return !isClientSide() && config.lockPolicy() != LockPolicy.OFF;
    }

    void saveToMirrors(String id, byte[] bytes, Duration ttl) {
        for (ServerSideStore mirror : config.mirrors()) {
            try {
                mirror.save(id, bytes, ttl);
            } catch (RuntimeException e) {
                mirrorFailed(mirror, "save", e);
            }
        }
    }

    void deleteFromMirrors(String id) {
        for (ServerSideStore mirror : config.mirrors()) {
            try {
                mirror.delete(id);
            } catch (RuntimeException e) {
                mirrorFailed(mirror, "delete", e);
            }
        }
    }

    private void mirrorFailed(ServerSideStore mirror, String operation, RuntimeException e) {
        if (config.mirrorFailure() == MirrorFailurePolicy.LOG) {
            LOG.warn("session '{}': mirror {} failed to {}; the master store has the session", name(),
                    mirror.description(), operation, e);
            return;
        }
        if (e instanceof StoreUnavailableException) {
            throw e;
        }
        throw StoreUnavailableException.of(mirror.description(), operation, e);
    }

    /**
     * Builds a {@link SessionManager}. Each setter checks its value at once and names the setting in
     * the {@link SessionConfigException} it throws; {@link #build()} checks the settings together.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String name;
        private CookieSettings cookie;
        private Duration idleTimeout = Duration.ofMinutes(30);
        private Duration absoluteTimeout;

        /**
         * The absolute lifetime when none is set: long enough that a working day of use never meets
         * it, short enough that a copied cookie (which a cookie-store session cannot revoke) stops
         * working the same day. A longer idle timeout raises it to that timeout.
         */
        static final Duration DEFAULT_ABSOLUTE_TIMEOUT = Duration.ofHours(12);
        private Object store;
        private final List<Object> mirrors = new ArrayList<>();
        private MirrorFailurePolicy mirrorFailure = MirrorFailurePolicy.FAIL;
        private LockPolicy lockPolicy = LockPolicy.WARN;
        private Duration lockWait = Duration.ofSeconds(5);
        private SessionCodec codec = SessionCodec.json();
        private String codecSetting;
        private SessionIdGenerator idGenerator = SessionIdGenerator.secureRandom();
        private Clock clock = Clock.systemUTC();
        private int maxSessionBytes = 1024 * 1024;
        private String cacheControl = "private";
        private boolean vary = true;
        private IdTransport transport = IdTransport.cookie();
        private Function<Object, String> principal = Principals::of;
        private int maxSessionsPerUser;
        private Object revocations;
        private final List<SessionListener> listeners = new ArrayList<>();
        private SessionObserver observer = NO_OBSERVER;
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
         * Sets the absolute lifetime: a session expires this long after it was created (or after its
         * latest login), however much it is used. Default 12 hours, or the idle timeout if that is
         * longer; a remember-me login with a longer duration keeps its own. At least the idle timeout;
         * at most 400 days.
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
         * Replaces the codec. Default {@link SessionCodec#json()}: Jackson, with java.time and
         * {@code Optional}. Set one of {@code codec} and {@code objectMapper}, once.
         *
         * @param codec the codec
         * @return this builder
         * @throws SessionConfigException ({@code codec}) if a codec or mapper was already set
         */
        public Builder codec(SessionCodec codec) {
            Objects.requireNonNull(codec, "codec");
            return setCodec("codec", () -> codec);
        }

        /**
         * Uses the application's own Jackson mapper for session values, for its modules, naming and
         * features ({@link SessionCodec#json(ObjectMapper)}). The core works on a copy, with its own
         * bounds on what it reads and writes (nesting 64 deep, 8 MiB, and the lengths of strings,
         * numbers and keys) and no class names in the data; the mapper given is never changed.
         *
         * @param mapper the application's mapper
         * @return this builder
         * @throws SessionConfigException ({@code objectMapper}) if the mapper has default typing
         *     activated, or a codec or mapper was already set
         */
        public Builder objectMapper(ObjectMapper mapper) {
            Objects.requireNonNull(mapper, "objectMapper");
            return setCodec("objectMapper", () -> SessionCodec.json(mapper));
        }

        /**
         * Changes the default Jackson mapper, for example to add a module:
         * {@code objectMapper(m -> m.addModule(new MyModule()))} ({@link SessionCodec#json(Consumer)}).
         *
         * @param customizer changes the builder of the default mapper
         * @return this builder
         * @throws SessionConfigException ({@code objectMapper}) if the changes activate default typing,
         *     or a codec or mapper was already set
         */
        public Builder objectMapper(Consumer<JsonMapper.Builder> customizer) {
            Objects.requireNonNull(customizer, "objectMapper");
            return setCodec("objectMapper", () -> SessionCodec.json(customizer));
        }

        private Builder setCodec(String setting, java.util.function.Supplier<SessionCodec> make) {
            if (codecSetting != null) {
                throw SessionConfigException.of(setting, codecSetting + " was already set; set one of codec "
                        + "and objectMapper, once");
            }
            try {
                this.codec = make.get();
            } catch (IllegalArgumentException e) {
                throw SessionConfigException.of(setting, e.getMessage());
            }
            this.codecSetting = setting;
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
         * Sets the {@code Cache-Control} a response gets when it carries this session's cookie and the
         * handler set no {@code Cache-Control} of its own. Default {@code private}: a shared cache (a CDN,
         * a proxy) must not store one user's session cookie and hand it to another. {@code "no-store"}
         * keeps browsers from storing the response too; {@code ""} adds nothing.
         *
         * @param value a {@code Cache-Control} value such as {@code private} or {@code no-store}, or
         *     {@code ""} to turn it off
         * @return this builder
         */
        public Builder cacheControl(String value) {
            Objects.requireNonNull(value, "cacheControl");
            if (!value.matches("[A-Za-z0-9!#$%&'*+.^_`|~=\\-]*(, ?[A-Za-z0-9!#$%&'*+.^_`|~=\\-]+)*")) {
                throw SessionConfigException.of("cacheControl", "'" + value
                        + "' is not a Cache-Control value (directives separated by commas, for example private or no-store)");
            }
            this.cacheControl = value;
            return this;
        }

        /**
         * Sets how the session id travels: in the cookie (the default), in a request and response header
         * for API and mobile clients ({@link IdTransport#header(String)}), or either
         * ({@link IdTransport#headerOrCookie(String)}). A header needs a server-side store.
         *
         * @param transport the transport
         * @return this builder
         */
        public Builder transport(IdTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Sets how a logged-in user is named in the per-user session index
         * ({@link AuthSession#sessions()}, sign out everywhere, {@link #maxSessionsPerUser}). Given the
         * user object passed to {@code login}, it returns the principal name, or {@code null} for a user
         * not to index. Default: a string or number as it is; a record, bean or map by its
         * {@code username}, {@code name}, {@code email} or {@code id}, the first present.
         *
         * @param principal names a user
         * @return this builder
         */
        public Builder principal(Function<Object, String> principal) {
            this.principal = Objects.requireNonNull(principal, "principal");
            return this;
        }

        /**
         * Caps the sessions one user may have: a login that goes over the cap ends the user's least
         * recently used sessions. Default none. Needs a store that indexes sessions by user (memory,
         * Redis), checked at build.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxSessionsPerUser(int max) {
            if (max < 1) {
                throw SessionConfigException.of("maxSessionsPerUser", "must be at least 1, was " + max);
            }
            this.maxSessionsPerUser = max;
            return this;
        }

        /**
         * Keeps, for a client-side (cookie store) session, a per-user "not valid before" time in a
         * server-side store, so that {@link AuthSession#signOutEverywhere()} works without server-side
         * sessions: a logged-in cookie issued before the time no longer counts. Costs one read of that
         * store per request of a logged-in session. Default none.
         *
         * @param store a server-side store; the application closes it
         * @return this builder
         */
        public Builder revocations(ServerSideStore store) {
            this.revocations = requireKind("revocations", store);
            return this;
        }

        /**
         * Keeps client-side sessions' revocations in a store given by URI ({@link #revocations(ServerSideStore)}).
         *
         * @param uri the store URI, for example {@code redis://host:6379/0}
         * @return this builder
         */
        public Builder revocations(String uri) {
            this.revocations = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /**
         * Adds a listener told of sessions created, invalidated, expired, logged in, logged out and moved
         * to a new id.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(SessionListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Sets what sees store calls, lock waits, outages and sessions too large, for metrics
         * ({@code cookies-micrometer}). Default: nothing.
         *
         * @param observer the observer
         * @return this builder
         */
        public Builder observer(SessionObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Sets whether a response whose handler read or wrote this session gets {@code Vary: Cookie}, so
         * that a cache keys what it stores by the session cookie. Default on.
         *
         * @param vary {@code false} to leave {@code Vary} alone
         * @return this builder
         */
        public Builder vary(boolean vary) {
            this.vary = vary;
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
                ServerSideStore revocationStore = null;
                if (revocations != null) {
                    SessionStore r = resolve("revocations", revocations, owned);
                    if (!(r instanceof ServerSideStore)) {
                        throw SessionConfigException.of("revocations", "must be a server-side store, " + r.description()
                                + " is client-side");
                    }
                    if (!(master instanceof ClientSideStore)) {
                        throw SessionConfigException.of("revocations", "only a client-side store needs revocations; "
                                + "a server-side store signs users out by deleting their sessions");
                    }
                    revocationStore = (ServerSideStore) r;
                }
                if (maxSessionsPerUser > 0 && !(master instanceof SessionIndex)) {
                    throw SessionConfigException.of("maxSessionsPerUser", master.description()
                            + " keeps no index of sessions by user; use a store that does (memory, Redis, JDBC)");
                }
                if (master instanceof ClientSideStore && transport.headerName().isPresent()) {
                    throw SessionConfigException.of("transport", "a client-side store (" + master.description()
                            + ") keeps the session in its cookie; an id header needs a server-side store");
                }
                if (master instanceof ClientSideStore && !mirrorStores.isEmpty()) {
                    throw SessionConfigException.of("mirrors", "a client-side store (" + master.description()
                            + ") keeps the session in the cookie and cannot have mirrors");
                }
                ManagerConfig config = new ManagerConfig(name, currentCookie(), idleTimeout,
                        effectiveAbsolute(), master, List.copyOf(mirrorStores), mirrorFailure,
                        lockPolicy, lockWait, codec, idGenerator, clock, maxSessionBytes, cacheControl, vary, transport,
                        new ManagerConfig.Users(principal, maxSessionsPerUser, revocationStore), List.copyOf(listeners), observer,
                        List.copyOf(owned));
                return new SessionManager(config);
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

        private Duration effectiveAbsolute() {
            if (absoluteTimeout != null) {
                return absoluteTimeout;
            }
            return DEFAULT_ABSOLUTE_TIMEOUT.compareTo(idleTimeout) >= 0 ? DEFAULT_ABSOLUTE_TIMEOUT : idleTimeout;
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
            if (value.compareTo(CookieSettings.MAX_LIFETIME) > 0) {
                throw SessionConfigException.of(setting, "is " + value.toDays()
                        + " days; browsers cap cookie lifetimes at " + CookieSettings.MAX_LIFETIME.toDays()
                        + " days, so at most that");
            }
            return value;
        }
    }
}
