package dev.cookies;

import dev.cookies.spi.Exchange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of one request, and the life of that request as the core runs it. An adapter gets one
 * from {@link Sessions#open(Exchange)} when the request arrives, calls {@link #beforeCommit()} at
 * every point where its framework can commit the response, and {@link #end(Throwable)} once when the
 * handler is done:
 *
 * <pre>{@code
 * OpenSessions open = sessions.open(exchange);    // nothing is loaded yet
 * try {
 *     handler.handle(request);                    // every commit path calls open.beforeCommit() first
 * } catch (Exception e) {
 *     if (!open.end(e)) throw e;                  // the core answered, or the framework answers
 *     return;
 * }
 * open.end(null);
 * }</pre>
 *
 * <p>Handlers reach each session with {@link #session(String)}, or as the request attribute under the
 * session's name; this object is the attribute {@value #ATTRIBUTE}.
 *
 * <h2>One rule for every adapter</h2>
 * <ul>
 *   <li><b>Commit.</b> {@link #beforeCommit()} saves what the request changed without the lock (only
 *       the keys it changed, onto a fresh copy under the lock) and adds the response headers the
 *       sessions need: a {@code Set-Cookie} for a new, rotated, changed or deleted session or a due
 *       expiry refresh; {@code Cache-Control: private} when a session cookie is sent and the handler set
 *       no {@code Cache-Control} of its own; {@code Vary: Cookie} when the handler read a session. It
 *       runs once; later calls do nothing.</li>
 *   <li><b>A failed handler</b> keeps its unlocked writes: they are saved and the cookie is sent, as
 *       Jetty, Undertow and Spring Session do. The failure itself is the framework's to answer, unless
 *       it is one of the library's own below.</li>
 *   <li><b>A store outage</b> (a {@link SessionUnavailableException}: the store unreachable, or a lock
 *       not had within the wait) is answered {@code 503} with {@value #UNAVAILABLE_BODY}, logged at most
 *       every ten seconds without a stack trace.</li>
 *   <li><b>A session too large</b> to save or to fit in its cookie ({@link SessionTooLargeException})
 *       is answered {@code 500} with {@value #TOO_LARGE_BODY}, logged once with the session's name;
 *       nothing is saved and the client keeps its previous cookie.</li>
 *   <li><b>A commit after the response committed</b> (the handler wrote to the framework's own
 *       response behind the adapter's back) still saves; the cookie it could not send is logged
 *       once.</li>
 * </ul>
 * Answers are written through {@link Exchange#respond} only while the response is not committed, and
 * never carry exception text.
 *
 * <p>Thread-safe: an asynchronous request may commit on another thread than the one that opened it.
 *
 * @since 0.1
 */
public final class OpenSessions {

    /** The request-attribute key this object is kept under. */
    public static final String ATTRIBUTE = "dev.cookies.OpenSessions";

    /** The content type of the core's own answers. */
    public static final String JSON = "application/json";

    /** The body of a 503 answered because a session store or lock was unavailable. */
    public static final String UNAVAILABLE_BODY = "{\"error\":\"session store unavailable\"}";

    /** The body of a 500 answered because a session was too large to save or to fit in its cookie. */
    public static final String TOO_LARGE_BODY = "{\"error\":\"session too large\"}";

    /** The body of a 500 answered because saving a session failed in an unexpected way. */
    public static final String FAILED_BODY = "{\"error\":\"session could not be saved\"}";

    /** The body of the login-required guard's default 401. */
    public static final String LOGIN_REQUIRED_BODY = "{\"error\":\"login required\"}";

    /** The body of the cross-site guard's 403. */
    public static final String CROSS_SITE_BODY = "{\"error\":\"cross-site request refused\"}";

    static final Logger LOG = LoggerFactory.getLogger(OpenSessions.class);

    private final Sessions owner;
    private final Exchange exchange;
    private final List<AbstractSession> sessions;
    private final ReentrantLock lock = new ReentrantLock();
    /** Whether the commit step ran. */
    private boolean committed;
    /** What the commit step threw, if anything. */
    private RuntimeException commitFailure;
    /** Whether the core answered the request itself (503, 500, 401). */
    private boolean answered;
    private boolean ended;
    /** Work to do just before the sessions commit, in the order added; none until a task is added. */
    private List<Runnable> beforeCommitTasks = List.of();

    private OpenSessions(Sessions owner, Exchange exchange, List<AbstractSession> sessions) {
        this.owner = owner;
        this.exchange = exchange;
        this.sessions = sessions;
    }

    /** Opens every manager's session on a request, reading its {@code Cookie} headers once. */
    static OpenSessions open(Sessions owner, List<SessionManager> managers, Exchange exchange) {
        List<String> headers = exchange.requestHeaders("Cookie");
        List<String>[] values = CookieHeaders.values(headers == null ? List.of() : headers, owner.cookieNames,
                64, SessionManager.MAX_COOKIE_VALUE);
        List<AbstractSession> sessions = new ArrayList<>(managers.size());
        for (int i = 0; i < managers.size(); i++) {
            SessionManager m = managers.get(i);
            IdTransport transport = m.config().transport();
            List<String> fromHeader = transport.headerName().isPresent()
                    ? headerValues(exchange.requestHeaders(transport.headerName().get())) : null;
            List<String> mine = values[owner.cookieIndex[i]];
            if (fromHeader != null) {
                sessions.add(m.open(fromHeader, true, AbstractSession.Via.HEADER));
            } else if (transport.acceptsCookie()) {
                AbstractSession.Via via = transport.headerName().isPresent() && mine == null
                        ? AbstractSession.Via.BOTH : AbstractSession.Via.COOKIE;
                sessions.add(m.open(mine == null ? List.of() : mine, mine != null, via));
            } else {
                sessions.add(m.open(List.of(), false, AbstractSession.Via.HEADER));
            }
        }
        OpenSessions open = new OpenSessions(owner, exchange, sessions); // never changed from here on
        for (AbstractSession s : sessions) {
            exchange.setAttribute(s.name(), s);
        }
        exchange.setAttribute(ATTRIBUTE, open);
        return open;
    }

    /**
     * The ids a session-id header carries: each line's comma-separated values, trimmed; at most a few,
     * each of bounded length. {@code null} when the request has no such header.
     */
    private static List<String> headerValues(List<String> lines) {
        if (lines == null || lines.isEmpty()) {
            return null;
        }
        List<String> values = new ArrayList<>(1);
        for (String line : lines) {
            if (line == null) {
                continue;
            }
            for (String value : line.split(",", 65)) {
                String v = value.strip();
                if (!v.isEmpty() && v.length() <= SessionManager.MAX_COOKIE_VALUE && values.size() < 64) {
                    values.add(v);
                }
            }
        }
        return values;
    }

    Sessions owner() {
        return owner;
    }

    /**
     * Returns a session by name.
     *
     * @param name the session manager's name
     * @return the session
     * @throws IllegalArgumentException if no manager has that name
     * @throws NullPointerException if {@code name} is null
     */
    public Session session(String name) {
        Objects.requireNonNull(name, "name");
        for (AbstractSession s : sessions) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no session named '" + name + "' is open on this request");
    }

    /**
     * Returns every session, in the order of the managers.
     *
     * @return the sessions
     */
    public List<Session> all() {
        return List.copyOf(sessions);
    }

    /**
     * Commits the sessions, just before the response commits: saves what the request changed and adds
     * the response headers the sessions need (see the class description). Adapters call it at every
     * point where the response can commit; only the first call does anything.
     *
     * <p>If saving fails, the core answers the request itself while it still can (503 for a store
     * outage, 500 for a session too large), then throws the failure, so that whatever was about to
     * commit the response stops: let it propagate and give it to {@link #end(Throwable)}, which knows it
     * was answered. When the response was already committed, a failure is logged instead and nothing is
     * thrown.
     *
     * @throws SessionException the failure to save, after the core answered the request
     */
    public void beforeCommit() {
        lock.lock();
        try {
            if (committed) {
                return;
            }
            committed = true;
            commit();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the request after the handler returned or threw (for an asynchronous request: when its
     * cycle completes). Only the first call acts; later calls change nothing and answer as the first
     * would have for the failure they are given, so an adapter whose framework reports a failure
     * twice (an exception handler, then the filter) may call it twice. Commits the sessions if no commit path did, so a failed handler's unlocked
     * writes are saved and their cookie sent while the response is still open, then decides who
     * answers a failure.
     *
     * @param failure what the handler threw, or {@code null} if it returned normally
     * @return {@code true} if the adapter must not pass {@code failure} on: the core answered the
     *     request (503, 500) or logged the failure; {@code false} if {@code failure} is the
     *     application's own, for the framework to answer as it answers any failed handler
     */
    public boolean end(Throwable failure) {
        lock.lock();
        try {
            if (ended) {
                return failure == null || answered || isOwn(failure);
            }
            ended = true;
            if (!committed) {
                try {
                    beforeCommit();
                } catch (RuntimeException alreadyAnswered) {
                    if (failure != null && failure != alreadyAnswered) {
                        alreadyAnswered.addSuppressed(failure);
                    }
                }
            }
            if (failure == null) {
                return true;
            }
            if (answered) {
                if (failure != commitFailure && !isOwn(failure)) {
                    LOG.error("The handler failed, then its sessions could not be saved; the request was answered "
                            + "for the session failure. The handler's failure:", failure);
                }
                return true;
            }
            return answerFailure(failure);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds work to run just before the sessions commit, once, on the thread that commits: for a layer
     * over the sessions that keeps its own copies to write back (the {@code HttpSession} view writes back
     * attribute values changed in place). A task that throws fails the commit like a store would.
     *
     * @param task the work
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the sessions were already committed
     */
    public void beforeCommit(Runnable task) {
        Objects.requireNonNull(task, "task");
        lock.lock();
        try {
            if (committed) {
                throw new IllegalStateException("the request's sessions were already committed");
            }
            if (beforeCommitTasks.isEmpty()) {
                beforeCommitTasks = new ArrayList<>(1);
            }
            beforeCommitTasks.add(task);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Decides the login-required guard for this request: OPTIONS requests (CORS preflight) pass, others
     * pass only when the named auth session holds a user ({@link AuthSession#permits}).
     *
     * @param sessionName the auth session manager's name, for example {@code "auth"}
     * @return {@code true} to let the request through
     * @throws IllegalArgumentException if no manager has that name
     * @throws StoreUnavailableException if the session had to be loaded and the store failed; give it to
     *     {@link #end(Throwable)}, which answers 503
     */
    public boolean permitsLogin(String sessionName) {
        return AuthSession.permits(session(sessionName), exchange.method());
    }

    /**
     * Answers an anonymous request with the login-required guard's default: {@code 401} with
     * {@value #LOGIN_REQUIRED_BODY}. The sessions are committed first.
     *
     * @throws SessionException if committing the sessions failed (the request was then answered for
     *     that failure)
     */
    public void answerLoginRequired() {
        beforeCommit();
        answer(401, LOGIN_REQUIRED_BODY);
    }

    /**
     * Runs the cross-site request guard on this request: a state-changing request that another site
     * made is answered {@code 403} with {@value #CROSS_SITE_BODY}, and must go no further.
     *
     * @param guard the guard's settings
     * @return {@code true} to let the request through; {@code false} if it was refused and answered
     * @throws NullPointerException if {@code guard} is null
     * @throws SessionException if committing the sessions before the answer failed (the request was
     *     then answered for that failure)
     */
    public boolean checkCrossSite(CrossSiteGuard guard) {
        Objects.requireNonNull(guard, "guard");
        if (guard.permits(exchange)) {
            return true;
        }
        owner.refusedLog.warn("Cookies: refused a cross-site " + exchange.method() + " request (403)");
        beforeCommit();
        answer(403, CROSS_SITE_BODY);
        return false;
    }

    // ---- inside

    private void commit() {
        RuntimeException failure = null;
        for (Runnable task : beforeCommitTasks) {
            try {
                task.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        List<String[]> headers = new ArrayList<>(2);
        BiConsumer<String, String> sink = (name, value) -> headers.add(new String[] {name, value});
        List<String> cacheControl = List.of();
        List<String> vary = List.of();
        for (AbstractSession s : sessions) {
            int before = headers.size();
            try {
                s.commit(sink);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            ManagerConfig config = s.manager.config();
            if (headers.size() > before && !config.cacheControl().isEmpty()) {
                cacheControl = withDistinct(cacheControl, config.cacheControl());
            }
            if (config.vary() && s.touched()) {
                if (config.transport().acceptsCookie()) {
                    vary = withDistinct(vary, "Cookie");
                }
                if (config.transport().headerName().isPresent()) {
                    vary = withDistinct(vary, config.transport().headerName().get());
                }
            }
        }
        boolean late = exchange.isCommitted();
        if (late) {
            if (!headers.isEmpty()) {
                owner.lateLog.warn("Cookies: the response was committed before its sessions (the handler wrote to the "
                        + "framework's own response, behind the adapter); their changes were saved, but the "
                        + "headers " + names(headers) + " could not be sent");
            }
        } else {
            writeHeaders(headers, cacheControl, vary);
        }
        if (failure == null) {
            return;
        }
        commitFailure = failure;
        if (late) {
            logFailure(failure, false);
            return;
        }
        answerFailure(failure);
        throw failure;
    }

    /** {@code list} with {@code value} added at its end unless it holds it: a set of the few headers' values. */
    private static List<String> withDistinct(List<String> list, String value) {
        if (list.contains(value)) {
            return list;
        }
        List<String> grown = list instanceof ArrayList ? list : new ArrayList<>(list);
        grown.add(value);
        return grown;
    }

    private void writeHeaders(List<String[]> headers, List<String> cacheControl, List<String> vary) {
        for (String[] header : headers) {
            exchange.addResponseHeader(header[0], header[1]);
        }
        if (!cacheControl.isEmpty() && exchange.responseHeaders("Cache-Control").isEmpty()) {
            exchange.addResponseHeader("Cache-Control", String.join(", ", cacheControl));
        }
        if (vary.isEmpty()) {
            return;
        }
        List<String> present = exchange.responseHeaders("Vary");
        List<String> missing = vary;
        if (!present.isEmpty()) {
            missing = new ArrayList<>(vary.size());
            for (String name : vary) {
                if (!varies(present, name)) {
                    missing.add(name);
                }
            }
        }
        if (!missing.isEmpty()) {
            exchange.addResponseHeader("Vary", missing.size() == 1 ? missing.get(0) : String.join(", ", missing));
        }
    }

    private static boolean varies(List<String> values, String name) {
        for (String value : values) {
            for (String field : value.split(",")) {
                String f = field.trim();
                if (f.equals("*") || f.equalsIgnoreCase(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Answers a failure that is the library's own; returns whether it was one. */
    private boolean answerFailure(Throwable failure) {
        if (!isOwn(failure) && !(failure == commitFailure)) {
            return false;
        }
        int status = logFailure(failure, true);
        answer(status, status == 503 ? UNAVAILABLE_BODY : status == 500 && tooLarge(failure) ? TOO_LARGE_BODY : FAILED_BODY);
        return true;
    }

    /** Logs a failure the core answers, and returns the status it gets. */
    private int logFailure(Throwable failure, boolean answering) {
        String outcome = answering && !exchange.isCommitted() ? "answering " : "the response was already committed; ";
        if (SessionUnavailableException.find(failure).isPresent()) {
            owner.unavailableLog.warn("Cookies: session store unavailable, " + outcome + "503: " + failure);
            observe(o -> o.unavailable(sessionNames()));
            return 503;
        }
        SessionTooLargeException tooLarge = tooLargeIn(failure);
        if (tooLarge != null) {
            observe(o -> o.tooLarge(tooLarge.sessionName()));
            owner.tooLargeLog.warn("Cookies: session '" + tooLarge.sessionName() + "' is too large (" + tooLarge.size()
                    + " bytes, limit " + tooLarge.limit() + "); nothing was saved and its previous cookie stays; "
                    + outcome + "500");
            return 500;
        }
        LOG.error("Cookies: saving the request's sessions failed; " + outcome + "500", failure);
        return 500;
    }

    private List<String> sessionNames() {
        List<String> names = new ArrayList<>(sessions.size());
        for (AbstractSession s : sessions) {
            names.add(s.name());
        }
        return names;
    }

    /** Tells each distinct observer of the request's managers, ignoring one that throws. */
    private void observe(java.util.function.Consumer<dev.cookies.spi.SessionObserver> call) {
        Set<dev.cookies.spi.SessionObserver> seen = new LinkedHashSet<>();
        for (AbstractSession s : sessions) {
            dev.cookies.spi.SessionObserver o = s.manager.observer();
            if (o != SessionManager.NO_OBSERVER && seen.add(o)) {
                try {
                    call.accept(o);
                } catch (RuntimeException e) {
                    LOG.warn("a SessionObserver failed; ignored", e);
                }
            }
        }
    }

    private void answer(int status, String body) {
        if (answered) {
            return;
        }
        if (exchange.isCommitted()) {
            owner.lateLog.warn("Cookies: could not answer " + status + " because the response was already committed");
            return;
        }
        answered = true;
        exchange.respond(status, JSON, body);
    }

    private static boolean isOwn(Throwable failure) {
        return SessionUnavailableException.find(failure).isPresent() || tooLargeIn(failure) != null;
    }

    private static boolean tooLarge(Throwable failure) {
        return tooLargeIn(failure) != null;
    }

    private static SessionTooLargeException tooLargeIn(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof SessionTooLargeException) {
                return (SessionTooLargeException) t;
            }
        }
        return null;
    }

    /** Names what could not be sent: each cookie by its name, each id header by its own. */
    private static String names(List<String[]> headers) {
        Set<String> names = new LinkedHashSet<>();
        for (String[] h : headers) {
            int eq = h[1].indexOf('=');
            names.add(h[0].equalsIgnoreCase("Set-Cookie") && eq > 0 ? h[1].substring(0, eq) : h[0]);
        }
        return names.toString();
    }
}
