package dev.cookies.internal;

import dev.cookies.CookieSettings;
import dev.cookies.LockPolicy;
import dev.cookies.MirrorFailurePolicy;
import dev.cookies.Session;
import dev.cookies.SessionData;
import dev.cookies.SessionManager;
import dev.cookies.SessionTooLargeException;
import dev.cookies.StoreUnavailableException;
import dev.cookies.spi.ClientSideStore;
import dev.cookies.spi.RequestContext;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.spi.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The session manager: settings plus the rules shared by every session it opens. */
public final class DefaultSessionManager implements SessionManager {

    static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    /** How many cookie values of one name are tried; a browser may send a name twice, not fifty times. */
    static final int MAX_CANDIDATES = 3;
    /** Longer values cannot be ours: ids are short and sealed cookies fit in 4096 bytes. */
    static final int MAX_COOKIE_VALUE = 4096;

    /** The key, inside the metadata, of the name of the manager a session belongs to. */
    static final String OWNER = "n";

    private final ManagerConfig config;
    private final RateLimitedLog badInput;

    /**
     * Creates a manager from checked settings.
     *
     * @param config the settings
     */
    public DefaultSessionManager(ManagerConfig config) {
        this.config = config;
        this.badInput = new RateLimitedLog(LOG);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public CookieSettings cookie() {
        return config.cookie();
    }

    @Override
    public Duration idleTimeout() {
        return config.idleTimeout();
    }

    @Override
    public Optional<Duration> absoluteTimeout() {
        return config.absoluteTimeout();
    }

    @Override
    public boolean isClientSide() {
        return config.master() instanceof ClientSideStore;
    }

    @Override
    public Session session(Object request) {
        Objects.requireNonNull(request, "request");
        RequestContext context = RequestContexts.of(request).orElseThrow(() -> new IllegalStateException(
                "no Cookies adapter on the classpath knows requests of type " + request.getClass().getName()));
        return context.attribute(name())
                .filter(Session.class::isInstance)
                .map(Session.class::cast)
                .orElseThrow(() -> new IllegalStateException("session '" + name()
                        + "' is not open on this request: is the Cookies adapter installed in front of this handler?"));
    }

    @Override
    public void close() {
        Each.run(config.ownedStores(), SessionStore::close);
    }

    @Override
    public String toString() {
        return "SessionManager[" + name() + ", cookie " + cookie().name() + ", " + config.master().description() + "]";
    }

    // ---- used by the sessions it opens

    AbstractSession open(List<String> cookieValues, boolean cookiePresent) {
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
        return new ServerSession(this, candidates, cookiePresent);
    }

    ManagerConfig config() {
        return config;
    }

    LockTable.Held lock(String id, Duration wait) {
        return LockTable.SHARED.acquire(name(), id, wait);
    }

    ServerSideStore serverStore() {
        return (ServerSideStore) config.master();
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

    Object toPlain(Object value) {
        return Plain.freeze(config.codec().toPlain(value));
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
        if (config.absoluteTimeout().isPresent()) {
            Duration left = Duration.between(now, Instant.ofEpochSecond(meta.created()).plus(config.absoluteTimeout().get()));
            if (left.compareTo(ttl) < 0) {
                return left.isNegative() ? Duration.ZERO : left;
            }
        }
        return ttl;
    }

    /**
     * Whether a session is past its absolute lifetime, or, with {@code checkIdle}, its idle timeout
     * counted from its last refresh (client-side sessions, whose store cannot expire them).
     */
    boolean isExpired(Meta meta, Instant now, boolean checkIdle) {
        long nowS = now.getEpochSecond();
        if (config.absoluteTimeout().isPresent()
                && nowS >= meta.created() + config.absoluteTimeout().get().getSeconds()) {
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
}
