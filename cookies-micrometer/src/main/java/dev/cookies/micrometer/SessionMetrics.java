package dev.cookies.micrometer;

import dev.cookies.SessionEvent;
import dev.cookies.SessionListener;
import dev.cookies.spi.SessionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.noop.NoopCounter;
import io.micrometer.core.instrument.noop.NoopTimer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micrometer meters for Cookies sessions: one object that is both the {@link SessionObserver} and the
 * {@link SessionListener} of the session managers it is given to.
 *
 * <pre>{@code
 * SessionMetrics metrics = SessionMetrics.of(registry);
 * Sessions sessions = Sessions.of(
 *         SessionManager.builder("session").store(store).observer(metrics).listener(metrics).build(),
 *         SessionManager.builder("auth").store("redis://localhost:6379/0").observer(metrics).listener(metrics).build());
 * metrics.gaugeActive("session", store, MemorySessionStore::estimatedSize);
 * }</pre>
 *
 * <p>The meters, named in Micrometer's lower-case dot notation (a registry renames them for its
 * backend: Prometheus shows {@code cookies.store.calls} as {@code cookies_store_calls_seconds}):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>counts</th></tr>
 *   <tr><td>{@code cookies.sessions.created}</td><td>counter</td><td>{@code session}</td>
 *       <td>sessions saved (or sealed) for the first time</td></tr>
 *   <tr><td>{@code cookies.sessions.invalidated}</td><td>counter</td><td>{@code session}</td>
 *       <td>sessions deleted by the application: invalidated, emptied, logged out,
 *       signed out everywhere (an id rotation that keeps the data is not one)</td></tr>
 *   <tr><td>{@code cookies.sessions.expired}</td><td>counter</td><td>{@code session}</td>
 *       <td>sessions found expired by a request, or reported expired by a store that can tell</td></tr>
 *   <tr><td>{@code cookies.sessions.logged.in}</td><td>counter</td><td>{@code session}</td>
 *       <td>logins</td></tr>
 *   <tr><td>{@code cookies.sessions.logged.out}</td><td>counter</td><td>{@code session}</td>
 *       <td>logouts of a logged-in session</td></tr>
 *   <tr><td>{@code cookies.sessions.id.changed}</td><td>counter</td><td>{@code session}</td>
 *       <td>sessions moved to a new id (a login, or {@code rotateId()})</td></tr>
 *   <tr><td>{@code cookies.sessions.too.large}</td><td>counter</td><td>{@code session}</td>
 *       <td>requests answered 500 because a session was over {@code maxSessionBytes} or its cookie over
 *       4096 bytes</td></tr>
 *   <tr><td>{@code cookies.store.calls}</td><td>timer</td>
 *       <td>{@code session}, {@code store}, {@code operation}, {@code outcome}</td>
 *       <td>calls to a server-side master store; {@code operation} is {@code load}, {@code save},
 *       {@code delete}, {@code touch}, {@code lock}, {@code locked-save}, {@code locked-delete} or
 *       {@code release}; {@code outcome} is {@code success} or {@code failure}</td></tr>
 *   <tr><td>{@code cookies.lock.wait}</td><td>timer</td><td>{@code session}, {@code outcome}</td>
 *       <td>waits for a session's lock; {@code outcome} is {@code acquired} or {@code timeout}</td></tr>
 *   <tr><td>{@code cookies.requests.unavailable}</td><td>counter</td><td>none</td>
 *       <td>requests answered 503: a store could not be reached or a lock not had in time</td></tr>
 *   <tr><td>{@code cookies.sessions.active}</td><td>gauge</td><td>{@code session}</td>
 *       <td>sessions in a store, where the application registers a count with
 *       {@link #gaugeActive(String, Object, ToLongFunction)}</td></tr>
 * </table>
 *
 * <p>Tag values are bounded: {@code session} is a manager's name, {@code store} its store's
 * description (fixed when the manager is built, without credentials) and {@code operation} one of the
 * core's fixed names. No meter is tagged with a session id, a handle or a principal. The counters and
 * lock timers of a session are registered, at zero, the first time it is seen; the store timers of an
 * operation the first time it is called. After that, each call looks its meters up in one to three
 * hash maps and records: no meter or tag list is built per call, and nothing blocks.
 *
 * <p>Use one instance for all the managers of an application: a request answered 503 is counted once
 * per distinct observer of its managers. If the registry refuses a meter (for example, Prometheus when
 * the application already registered the same name with other tags), that meter is replaced by one
 * that records nothing and a warning is logged once; no method of this class throws into a request.
 *
 * <p>Thread-safe.
 *
 * @since 0.2
 */
public final class SessionMetrics implements SessionObserver, SessionListener {

    /** The name of the counter of sessions created. */
    public static final String SESSIONS_CREATED = "cookies.sessions.created";
    /** The name of the counter of sessions invalidated. */
    public static final String SESSIONS_INVALIDATED = "cookies.sessions.invalidated";
    /** The name of the counter of sessions expired. */
    public static final String SESSIONS_EXPIRED = "cookies.sessions.expired";
    /** The name of the counter of logins. */
    public static final String SESSIONS_LOGGED_IN = "cookies.sessions.logged.in";
    /** The name of the counter of logouts. */
    public static final String SESSIONS_LOGGED_OUT = "cookies.sessions.logged.out";
    /** The name of the counter of sessions moved to a new id. */
    public static final String SESSIONS_ID_CHANGED = "cookies.sessions.id.changed";
    /** The name of the counter of requests that failed because a session was too large. */
    public static final String SESSIONS_TOO_LARGE = "cookies.sessions.too.large";
    /** The name of the gauge of sessions in a store. */
    public static final String SESSIONS_ACTIVE = "cookies.sessions.active";
    /** The name of the timer of store calls. */
    public static final String STORE_CALLS = "cookies.store.calls";
    /** The name of the timer of lock waits. */
    public static final String LOCK_WAIT = "cookies.lock.wait";
    /** The name of the counter of requests answered 503. */
    public static final String REQUESTS_UNAVAILABLE = "cookies.requests.unavailable";

    private static final Logger LOG = LoggerFactory.getLogger(SessionMetrics.class);

    private static final SessionEvent.Kind[] KINDS = SessionEvent.Kind.values();

    private final MeterRegistry registry;
    private final Counter unavailable;
    private final Map<String, PerSession> sessions = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    private SessionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.unavailable = counter(REQUESTS_UNAVAILABLE, Tags.empty(), "requests",
                "Requests answered 503 because a session store was unavailable or a session lock was not had in time");
    }

    /**
     * Returns metrics that record into a registry. Give the result to each session manager's builder
     * as both its observer and a listener.
     *
     * @param registry where the meters go
     * @return new metrics; {@code cookies.requests.unavailable} is registered at once, the other meters
     *     as sessions and stores are first seen
     * @throws NullPointerException if {@code registry} is null
     */
    public static SessionMetrics of(MeterRegistry registry) {
        return new SessionMetrics(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Registers the gauge {@code cookies.sessions.active} for a session, read from an object that can
     * count its sessions: for the memory store,
     * {@code gaugeActive("session", store, MemorySessionStore::estimatedSize)}. The gauge holds the
     * object weakly, as Micrometer's gauges do: it reads nothing once the object is gone, and does not
     * keep a closed store alive.
     *
     * <p>The count is read only when the registry publishes, on the registry's thread; it should be
     * quick (the memory store's is). A store that cannot count cheaply (Redis, where that is a scan of
     * the keyspace; the cookie store, which keeps nothing) is better left without this gauge; the
     * counters of sessions created, invalidated and expired give the trend.
     *
     * @param sessionName the manager's name, the value of the {@code session} tag
     * @param source what to count, for example the store
     * @param count how to count it
     * @param <T> the type of {@code source}
     * @return the gauge
     * @throws NullPointerException if an argument is null
     */
    public <T> Gauge gaugeActive(String sessionName, T source, ToLongFunction<T> count) {
        Objects.requireNonNull(sessionName, "sessionName");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(count, "count");
        return Gauge.builder(SESSIONS_ACTIVE, source, s -> count.applyAsLong(s))
                .tags(Tags.of("session", sessionName))
                .baseUnit(BaseUnits.SESSIONS)
                .description("Sessions in the store, as the store or the application counts them")
                .register(registry);
    }

    /**
     * Registers the gauge {@code cookies.sessions.active} for a session, read from a function the
     * application keeps up to date: for example the size of its own table of sessions, or a count it
     * refreshes in the background from a store that is slow to count. The function is held strongly
     * for as long as the registry keeps the gauge.
     *
     * @param sessionName the manager's name, the value of the {@code session} tag
     * @param count the number of sessions, read when the registry publishes
     * @return the gauge
     * @throws NullPointerException if an argument is null
     */
    public Gauge gaugeActive(String sessionName, LongSupplier count) {
        Objects.requireNonNull(sessionName, "sessionName");
        Objects.requireNonNull(count, "count");
        return Gauge.builder(SESSIONS_ACTIVE, count, c -> c.getAsLong())
                .strongReference(true)
                .tags(Tags.of("session", sessionName))
                .baseUnit(BaseUnits.SESSIONS)
                .description("Sessions in the store, as the store or the application counts them")
                .register(registry);
    }

    /**
     * Counts the event in {@code cookies.sessions.<kind>}.
     *
     * @param event what happened
     */
    @Override
    public void onEvent(SessionEvent event) {
        try {
            session(event.sessionName()).events[event.kind().ordinal()].increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /**
     * Records the call in {@code cookies.store.calls}.
     *
     * @param sessionName the manager's name
     * @param store the store's description
     * @param operation the store operation
     * @param time how long it took
     * @param failed whether it threw
     */
    @Override
    public void storeCall(String sessionName, String store, String operation, Duration time, boolean failed) {
        try {
            session(sessionName).storeTimer(store, operation, failed).record(time);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /**
     * Records the wait in {@code cookies.lock.wait}.
     *
     * @param sessionName the manager's name
     * @param waited how long
     * @param acquired whether the lock was had
     */
    @Override
    public void lockWait(String sessionName, Duration waited, boolean acquired) {
        try {
            PerSession s = session(sessionName);
            (acquired ? s.lockAcquired : s.lockTimeout).record(waited);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /**
     * Counts the failure in {@code cookies.sessions.too.large}.
     *
     * @param sessionName the manager's name
     */
    @Override
    public void tooLarge(String sessionName) {
        try {
            session(sessionName).tooLarge.increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /**
     * Counts the request in {@code cookies.requests.unavailable}, once, whichever of its sessions failed.
     *
     * @param sessionNames the managers of the request
     */
    @Override
    public void unavailable(List<String> sessionNames) {
        try {
            unavailable.increment();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private PerSession session(String sessionName) {
        PerSession s = sessions.get(sessionName);
        return s != null ? s : sessions.computeIfAbsent(sessionName, PerSession::new);
    }

    /** The meters of one session manager, registered when it is first seen. */
    private final class PerSession {
        final String name;
        final Counter[] events = new Counter[KINDS.length];
        final Counter tooLarge;
        final Timer lockAcquired;
        final Timer lockTimeout;
        /** By store description, then by operation: the success and the failure timer. */
        final Map<String, Map<String, Timer[]>> storeCalls = new ConcurrentHashMap<>();

        PerSession(String name) {
            this.name = name;
            Tags tags = Tags.of("session", name);
            for (SessionEvent.Kind kind : KINDS) {
                events[kind.ordinal()] = counter(eventName(kind), tags, BaseUnits.SESSIONS, eventDescription(kind));
            }
            tooLarge = counter(SESSIONS_TOO_LARGE, tags, BaseUnits.SESSIONS,
                    "Requests that failed with 500 because a session was too large to save or to fit in its cookie");
            lockAcquired = timer(LOCK_WAIT, tags.and("outcome", "acquired"), "Waits for a session's lock");
            lockTimeout = timer(LOCK_WAIT, tags.and("outcome", "timeout"), "Waits for a session's lock");
        }

        Timer storeTimer(String store, String operation, boolean failed) {
            Map<String, Timer[]> byOperation = storeCalls.get(store);
            if (byOperation == null) {
                byOperation = storeCalls.computeIfAbsent(store, k -> new ConcurrentHashMap<>());
            }
            Timer[] pair = byOperation.get(operation);
            if (pair == null) {
                pair = byOperation.computeIfAbsent(operation, op -> new Timer[] {
                    storeTimer(store, op, "success"), storeTimer(store, op, "failure")});
            }
            return pair[failed ? 1 : 0];
        }

        private Timer storeTimer(String store, String operation, String outcome) {
            return timer(STORE_CALLS, Tags.of("session", name, "store", store, "operation", operation, "outcome", outcome),
                    "Calls to a session store");
        }
    }

    static String eventName(SessionEvent.Kind kind) {
        switch (kind) {
            case CREATED:
                return SESSIONS_CREATED;
            case INVALIDATED:
                return SESSIONS_INVALIDATED;
            case EXPIRED:
                return SESSIONS_EXPIRED;
            case LOGGED_IN:
                return SESSIONS_LOGGED_IN;
            case LOGGED_OUT:
                return SESSIONS_LOGGED_OUT;
            case ID_CHANGED:
                return SESSIONS_ID_CHANGED;
            default:
                // A kind added to the core later gets a name by the same rule.
                return "cookies.sessions." + kind.name().toLowerCase(Locale.ROOT).replace('_', '.');
        }
    }

    private static String eventDescription(SessionEvent.Kind kind) {
        switch (kind) {
            case CREATED:
                return "Sessions saved for the first time";
            case INVALIDATED:
                return "Sessions deleted by the application: invalidated, emptied, logged out or signed out everywhere";
            case EXPIRED:
                return "Sessions that ended by their idle timeout or absolute lifetime, where the core or the store saw it";
            case LOGGED_IN:
                return "Logins";
            case LOGGED_OUT:
                return "Logouts of a logged-in session";
            case ID_CHANGED:
                return "Sessions moved to a new id";
            default:
                return "Session events: " + kind;
        }
    }

    private Counter counter(String name, Tags tags, String baseUnit, String description) {
        try {
            return Counter.builder(name).tags(tags).baseUnit(baseUnit).description(description).register(registry);
        } catch (RuntimeException e) {
            refuse(name, e);
            return new NoopCounter(new Meter.Id(name, tags, baseUnit, description, Meter.Type.COUNTER));
        }
    }

    private Timer timer(String name, Tags tags, String description) {
        try {
            return Timer.builder(name).tags(tags).description(description).register(registry);
        } catch (RuntimeException e) {
            refuse(name, e);
            return new NoopTimer(new Meter.Id(name, tags, null, description, Meter.Type.TIMER));
        }
    }

    private void refuse(String name, RuntimeException e) {
        if (refused.add(name)) {
            LOG.warn("Cookies: the meter registry refused the meter '{}'; it records nothing: {}", name, e.toString());
        }
    }

    private void failed(RuntimeException e) {
        if (failureLogged.compareAndSet(false, true)) {
            LOG.warn("Cookies: recording a session metric failed; this is logged once", e);
        }
    }
}
