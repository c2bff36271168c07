package dev.cookies.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cookies.LockPolicy;
import dev.cookies.Session;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.HttpTestClient;
import dev.cookies.testkit.MutableClock;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The HttpSession view of a Cookies session on Jetty 12, over HTTP, on the memory store: the
 * {@code HttpSession} contract, values shared with the Cookies API, in-place changes, attribute types,
 * listeners and the filter's settings. No response may carry a {@code JSESSIONID}.
 */
class HttpSessionBridgeTest {

    /** What the application stores; a record, so that what comes back can be compared. */
    record User(String name, List<String> roles) {
    }

    record Item(String sku, int count) {
    }

    /** A value that cannot be written as JSON. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("cannot be read");
        }
    }

    /** Records every event, in order. */
    static final class Recorder implements HttpSessionListener, HttpSessionAttributeListener, HttpSessionIdListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void sessionCreated(HttpSessionEvent se) {
            events.add("created");
        }

        @Override
        public void sessionDestroyed(HttpSessionEvent se) {
            events.add("destroyed " + Collections.list(se.getSession().getAttributeNames()));
        }

        @Override
        public void attributeAdded(HttpSessionBindingEvent e) {
            events.add("added " + e.getName() + "=" + e.getValue());
        }

        @Override
        public void attributeRemoved(HttpSessionBindingEvent e) {
            events.add("removed " + e.getName() + "=" + e.getValue());
        }

        @Override
        public void attributeReplaced(HttpSessionBindingEvent e) {
            events.add("replaced " + e.getName() + "=" + e.getValue() + " by " + e.getSession().getAttribute(e.getName()));
        }

        @Override
        public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
            events.add("id changed from " + (oldSessionId.equals(lastId) ? "the old id" : oldSessionId)
                    + " to " + (event.getSession().getId().equals(oldSessionId) ? "the same" : "a new one"));
        }

        volatile String lastId;
    }

    /** Told when bound and unbound. */
    static final class Tracker implements HttpSessionBindingListener {
        static final List<String> CALLS = new CopyOnWriteArrayList<>();
        public String label = "t";

        @Override
        public void valueBound(HttpSessionBindingEvent event) {
            CALLS.add("bound " + event.getName());
        }

        @Override
        public void valueUnbound(HttpSessionBindingEvent event) {
            CALLS.add("unbound " + event.getName());
        }
    }

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Recorder recorder = new Recorder();

    @AfterEach
    void close() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** The events, with each Tracker shown as the JSON it is stored as. */
    private List<String> events() {
        return recorder.events.stream().map(e -> e.replaceAll("dev\\.cookies\\.servlet\\.HttpSessionBridgeTest\\$Tracker@\\w+", "{label=t}"))
                .toList();
    }

    private Sessions sessions(Consumer<SessionManager.Builder> more) {
        SessionManager.Builder b = SessionManager.builder("session").store("memory:").lockPolicy(LockPolicy.OFF);
        more.accept(b);
        Sessions sessions = Sessions.of(b.build());
        open.add(sessions);
        return sessions;
    }

    /** Starts Jetty with the filter and the routes; the recorder is registered through ServletContext.addListener. */
    private JettyApp start(Sessions sessions, HttpSessionBridge bridge, Routes routes) throws Exception {
        return start(context -> context.addFilter(new FilterHolder(new SessionFilter(sessions, bridge)), "/*",
                EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC)), routes);
    }

    private JettyApp start(Consumer<ServletContextHandler> filters, Routes routes) throws Exception {
        JettyApp app = JettyApp.start(context -> {
            ServletContainerInitializer addListener = (classes, servletContext) -> servletContext.addListener(recorder);
            context.addServletContainerInitializer(addListener);
            filters.accept(context);
            context.addServlet(new ServletHolder(routes), "/*");
        });
        open.add(app);
        return app;
    }

    private static void write(jakarta.servlet.http.HttpServletResponse response, Object body) throws java.io.IOException {
        response.setContentType("text/plain");
        response.getWriter().write(String.valueOf(body));
    }

    @Test
    @DisplayName("attributes set through HttpSession are the session's values, both ways, in the request and after it")
    void attributesAreValues() throws Exception {
        Sessions sessions = sessions(b -> { });
        JettyApp app = start(sessions, HttpSessionBridge.defaults(), new Routes()
                .on("/set", (q, r) -> {
                    HttpSession s = q.getSession();
                    s.setAttribute("name", "alice");
                    s.setAttribute("count", 3);
                    Session cookies = SessionFilter.session(q, "session");
                    write(r, cookies.get("name").orElse(null) + " " + cookies.get("count").orElse(null));
                })
                .on("/put", (q, r) -> {
                    SessionFilter.session(q, "session").put("fromCookies", Map.of("a", 1));
                    write(r, q.getSession(false).getAttribute("fromCookies"));
                })
                .on("/get", (q, r) -> {
                    HttpSession s = q.getSession(false);
                    List<String> names = Collections.list(s.getAttributeNames());
                    Collections.sort(names);
                    write(r, names + " " + s.getAttribute("name") + " " + s.getAttribute("count") + " "
                            + s.getAttribute("fromCookies") + " " + SessionFilter.session(q, "session").get("name").orElse(null));
                })
                .on("/remove", (q, r) -> {
                    q.getSession().removeAttribute("name");
                    q.getSession().setAttribute("count", null);
                    write(r, SessionFilter.session(q, "session").keys().contains("name"));
                }));
        Browser browser = new Browser(app.baseUri());

        assertEquals("alice 3", browser.post("/set").body());
        assertNotNull(browser.cookie("SESSION"));
        assertEquals("{a=1}", browser.post("/put").body());
        assertEquals("[count, fromCookies, name] alice 3 {a=1} alice", browser.get("/get").body());
        assertEquals("false", browser.post("/remove").body());
        assertEquals("[fromCookies] null null {a=1} null", browser.get("/get").body());
    }

    @Test
    @DisplayName("getSession(false) is null until getSession() creates one, which is saved even without attributes; isNew only then")
    void creation() throws Exception {
        Sessions sessions = sessions(b -> { });
        JettyApp app = start(sessions, HttpSessionBridge.defaults(), new Routes()
                .on("/peek", (q, r) -> write(r, q.getSession(false) == null ? "none" : "new=" + q.getSession(false).isNew()))
                .on("/create", (q, r) -> {
                    HttpSession s = q.getSession();
                    write(r, "new=" + s.isNew() + " same=" + (s == q.getSession(false)) + " names="
                            + Collections.list(s.getAttributeNames()) + " id=" + s.getId().equals(SessionFilter.session(q, "session").ensureId()));
                }));
        Browser browser = new Browser(app.baseUri());

        assertEquals("none", browser.get("/peek").body());
        assertEquals(null, browser.cookie("SESSION"), "looking creates nothing");
        assertEquals("new=true same=true names=[] id=true", browser.post("/create").body());
        assertNotNull(browser.cookie("SESSION"), "an empty session is saved, as a container's is");
        assertEquals("new=false", browser.get("/peek").body());
        assertEquals(List.of("created"), recorder.events);
    }

    @Test
    @DisplayName("invalidate tells the listeners while attributes are readable, then every method the spec names throws IllegalStateException")
    void invalidate() throws Exception {
        Sessions sessions = sessions(b -> { });
        Tracker.CALLS.clear();
        JettyApp app = start(sessions, HttpSessionBridge.defaults(), new Routes()
                .on("/login", (q, r) -> {
                    q.getSession().setAttribute("user", "alice");
                    q.getSession().setAttribute("tracker", new Tracker());
                    write(r, "ok");
                })
                .on("/logout", (q, r) -> {
                    HttpSession s = q.getSession(false);
                    s.invalidate();
                    List<String> failures = new ArrayList<>();
                    for (Map.Entry<String, Runnable> call : Map.<String, Runnable>of(
                            "getAttribute", () -> s.getAttribute("user"),
                            "setAttribute", () -> s.setAttribute("x", 1),
                            "removeAttribute", () -> s.removeAttribute("user"),
                            "getAttributeNames", s::getAttributeNames,
                            "getCreationTime", s::getCreationTime,
                            "getLastAccessedTime", s::getLastAccessedTime,
                            "isNew", s::isNew,
                            "invalidate", s::invalidate).entrySet()) {
                        try {
                            call.getValue().run();
                        } catch (IllegalStateException expected) {
                            failures.add(call.getKey());
                        }
                    }
                    Collections.sort(failures);
                    String id = s.getId();
                    boolean none = q.getSession(false) == null;
                    HttpSession fresh = q.getSession();
                    write(r, failures + " none=" + none + " freshNew=" + fresh.isNew() + " newId=" + !fresh.getId().equals(id)
                            + " valid=" + q.isRequestedSessionIdValid());
                })
                .on("/user", (q, r) -> write(r, q.getSession(false) == null ? "none" : q.getSession(false).getAttribute("user"))));
        Browser browser = new Browser(app.baseUri());

        browser.post("/login");
        String before = browser.cookie("SESSION");
        assertEquals("[getAttribute, getAttributeNames, getCreationTime, getLastAccessedTime, invalidate, isNew, "
                + "removeAttribute, setAttribute] none=true freshNew=true newId=true valid=false", browser.post("/logout").body());
        assertNotEquals(before, browser.cookie("SESSION"), "the fresh session has a new id");
        assertEquals("null", browser.get("/user").body(), "the fresh session has none of the old attributes");
        Browser old = new Browser(app.baseUri());
        old.cookie("SESSION", before);
        assertEquals("none", old.get("/user").body(), "the invalidated id loads nothing");
        assertEquals(List.of("created", "added user=alice", "added tracker={label=t}", "destroyed [user, tracker]",
                "removed user=alice", "removed tracker={label=t}", "created"), events());
        assertEquals(List.of("bound tracker"), Tracker.CALLS, "unbound only if the decoded value is a binding listener");
    }

    @Test
    @DisplayName("changeSessionId moves the session to a new id like a login, keeps its attributes, and tells the id listeners")
    void changeSessionId() throws Exception {
        Sessions sessions = sessions(b -> { });
        JettyApp app = start(sessions, HttpSessionBridge.defaults(), new Routes()
                .on("/start", (q, r) -> {
                    q.getSession().setAttribute("cart", List.of("apple"));
                    write(r, q.getSession().getId());
                })
                .on("/login", (q, r) -> {
                    String old = q.getSession().getId();
                    recorder.lastId = old;
                    String requested = q.getRequestedSessionId();
                    String now = q.changeSessionId();
                    write(r, (now.equals(q.getSession().getId()) && !now.equals(old)) + " " + requested.equals(old) + " "
                            + q.isRequestedSessionIdValid() + " " + q.getSession().getAttribute("cart"));
                })
                .on("/cart", (q, r) -> write(r, q.getSession(false) == null ? "none" : q.getSession(false).getAttribute("cart")))
                .on("/nosession", (q, r) -> {
                    try {
                        q.changeSessionId();
                        write(r, "changed");
                    } catch (IllegalStateException expected) {
                        write(r, "refused");
                    }
                }));
        Browser browser = new Browser(app.baseUri());
        assertEquals("refused", browser.post("/nosession").body());
        String id = browser.post("/start").body();
        assertEquals(id, browser.cookie("SESSION"), "getId is the cookie's id");
        assertEquals("true true false [apple]", browser.post("/login").body());
        assertNotEquals(id, browser.cookie("SESSION"));
        assertEquals("[apple]", browser.get("/cart").body());
        Browser old = new Browser(app.baseUri());
        old.cookie("SESSION", id);
        assertEquals("none", old.get("/cart").body(), "the old id loads nothing");
        assertEquals(List.of("created", "added cart=[apple]", "id changed from the old id to a new one"), recorder.events);
    }

    @Test
    @DisplayName("the requested session id: from the cookie, valid while it loads, never from the URL")
    void requestedSessionId() throws Exception {
        Sessions sessions = sessions(b -> { });
        JettyApp app = start(sessions, HttpSessionBridge.defaults(), new Routes()
                .on("/create", (q, r) -> write(r, q.getSession().getId()))
                .on("/requested", (q, r) -> write(r, q.getRequestedSessionId() + " " + q.isRequestedSessionIdValid() + " "
                        + q.isRequestedSessionIdFromCookie() + " " + q.isRequestedSessionIdFromURL())));
        Browser browser = new Browser(app.baseUri());
        assertEquals("null false false false", browser.get("/requested").body());
        String id = browser.post("/create").body();
        assertEquals(id + " true true false", browser.get("/requested").body());
        Browser unknown = new Browser(app.baseUri());
        String made = "A".repeat(id.length());
        unknown.cookie("SESSION", made);
        assertEquals(made + " false true false", unknown.get("/requested").body());
    }

    @Test
    @DisplayName("creation and last-access times, and a per-session max inactive interval that the store keeps")
    void timesAndInterval() throws Exception {
        MutableClock clock = MutableClock.now();
        Sessions sessions = sessions(b -> b.clock(clock).idleTimeout(Duration.ofMinutes(30)).absoluteTimeout(Duration.ofDays(2)));
        JettyApp app = start(sessions, HttpSessionBridge.defaults(), new Routes()
                .on("/create", (q, r) -> {
                    HttpSession s = q.getSession();
                    int before = s.getMaxInactiveInterval();
                    s.setMaxInactiveInterval(7200);
                    write(r, before + " " + s.getMaxInactiveInterval() + " " + s.getCreationTime());
                })
                .on("/times", (q, r) -> {
                    HttpSession s = q.getSession(false);
                    write(r, s.getCreationTime() + " " + s.getLastAccessedTime() + " " + s.getMaxInactiveInterval());
                })
                .on("/forever", (q, r) -> {
                    q.getSession().setMaxInactiveInterval(-1);
                    write(r, q.getSession().getMaxInactiveInterval());
                }));
        Browser browser = new Browser(app.baseUri());
        long created = clock.instant().getEpochSecond() * 1000;
        HttpTestClient.Response r = browser.post("/create");
        assertEquals("1800 7200 " + created, r.body());
        assertEquals("7200", r.cookie("SESSION").attribute("Max-Age").orElse("7200"), r::toString);
        clock.advance(Duration.ofMinutes(45));
        assertEquals(created + " " + created + " 7200", browser.get("/times").body(), "alive after 45 minutes: its own timeout");
        assertEquals(String.valueOf(400L * 24 * 3600), browser.post("/forever").body(), "never means as long as a cookie may live");
    }

    @Test
    @DisplayName("a value that cannot be encoded fails at setAttribute, naming the attribute, and nothing is stored")
    void unencodable() throws Exception {
        Sessions sessions = sessions(b -> { });
        JettyApp app = start(sessions, HttpSessionBridge.defaults(), new Routes()
                .on("/bad", (q, r) -> {
                    try {
                        q.getSession().setAttribute("broken", new Unwritable());
                        write(r, "stored");
                    } catch (IllegalArgumentException e) {
                        write(r, e.getMessage());
                    }
                })
                .on("/names", (q, r) -> write(r, Collections.list(q.getSession().getAttributeNames()))));
        Browser browser = new Browser(app.baseUri());
        String message = browser.post("/bad").body();
        assertTrue(message.startsWith("HttpSession attribute 'broken' cannot be stored"), message);
        assertEquals("[]", browser.get("/names").body());
        assertEquals(List.of("created"), recorder.events, "no attribute event for a value that was refused");
    }

    @Test
    @DisplayName("getAttribute: the object given in the same request; plain JSON afterwards; the registered type for a registered name")
    void types() throws Exception {
        Sessions sessions = sessions(b -> { });
        HttpSessionBridge bridge = HttpSessionBridge.builder()
                .attributeType("user", User.class)
                .attributeType("items", new TypeReference<List<Item>>() { })
                .build();
        User alice = new User("alice", List.of("admin"));
        JettyApp app = start(sessions, bridge, new Routes()
                .on("/set", (q, r) -> {
                    HttpSession s = q.getSession();
                    s.setAttribute("user", alice);
                    s.setAttribute("items", List.of(new Item("a", 1)));
                    s.setAttribute("other", alice);
                    write(r, (s.getAttribute("user") == alice) + " " + (s.getAttribute("other") == alice));
                })
                .on("/get", (q, r) -> {
                    HttpSession s = q.getSession();
                    Object items = s.getAttribute("items");
                    write(r, s.getAttribute("user").equals(alice) + " " + ((List<?>) items).get(0).getClass().getSimpleName()
                            + " " + s.getAttribute("other").getClass().getSimpleName() + " " + s.getAttribute("other"));
                }));
        Browser browser = new Browser(app.baseUri());
        assertEquals("true true", browser.post("/set").body());
        assertEquals("true Item LinkedHashMap {name=alice, roles=[admin]}", browser.get("/get").body());
    }

    @Test
    @DisplayName("values changed in place after getAttribute or setAttribute are written back before commit; values only read are not")
    void writeBack() throws Exception {
        Sessions sessions = sessions(b -> { });
        HttpSessionBridge bridge = HttpSessionBridge.builder().attributeType("user", User.class).build();
        CountDownLatch readerHasRead = new CountDownLatch(1);
        CountDownLatch writerDone = new CountDownLatch(1);
        JettyApp app = start(sessions, bridge, new Routes()
                .on("/start", (q, r) -> {
                    List<String> cart = new ArrayList<>();
                    q.getSession().setAttribute("cart", cart);
                    cart.add("apple");
                    Map<String, Object> prefs = new java.util.HashMap<>();
                    q.getSession().setAttribute("prefs", prefs);
                    q.getSession().setAttribute("user", new User("alice", new ArrayList<>(List.of("a"))));
                    write(r, "ok");
                })
                .on("/add", (q, r) -> {
                    @SuppressWarnings("unchecked")
                    List<String> cart = (List<String>) q.getSession().getAttribute("cart");
                    cart.add(q.getParameter("item"));
                    ((User) q.getSession().getAttribute("user")).roles().add("b");
                    write(r, "ok");
                })
                .on("/read", (q, r) -> {
                    Object cart = q.getSession().getAttribute("cart");
                    q.getSession().getAttribute("user");
                    readerHasRead.countDown();
                    writerDone.await(10, TimeUnit.SECONDS);
                    write(r, cart);
                })
                .on("/replace", (q, r) -> {
                    q.getSession().setAttribute("cart", List.of("replaced"));
                    write(r, "ok");
                })
                .on("/show", (q, r) -> write(r, q.getSession().getAttribute("cart") + " " + q.getSession().getAttribute("user"))));
        Browser browser = new Browser(app.baseUri());
        browser.post("/start");
        assertEquals("[apple] User[name=alice, roles=[a]]", browser.get("/show").body(), "changed after setAttribute");
        browser.post("/add?item=pear");
        assertEquals("[apple, pear] User[name=alice, roles=[a, b]]", browser.get("/show").body(), "changed after getAttribute");

        // A request that only read must not write its stale copy over a concurrent change.
        Browser second = browser.copy(app.baseUri());
        CompletableFuture<HttpTestClient.Response> reader = CompletableFuture.supplyAsync(() -> second.get("/read"));
        assertTrue(readerHasRead.await(10, TimeUnit.SECONDS));
        browser.post("/replace");
        writerDone.countDown();
        assertEquals("[apple, pear]", reader.get(10, TimeUnit.SECONDS).body());
        assertEquals("[replaced] User[name=alice, roles=[a, b]]", browser.get("/show").body());
    }

    @Test
    @DisplayName("writeBackChanges(false): only setAttribute writes")
    void noWriteBack() throws Exception {
        Sessions sessions = sessions(b -> { });
        JettyApp app = start(sessions, HttpSessionBridge.builder().writeBackChanges(false).build(), new Routes()
                .on("/start", (q, r) -> {
                    List<String> cart = new ArrayList<>(List.of("apple"));
                    q.getSession().setAttribute("cart", cart);
                    cart.add("lost");
                    write(r, "ok");
                })
                .on("/show", (q, r) -> write(r, q.getSession().getAttribute("cart"))));
        Browser browser = new Browser(app.baseUri());
        browser.post("/start");
        assertEquals("[apple]", browser.get("/show").body());
    }

    @Test
    @DisplayName("binding listeners are told when bound and unbound, in the request that holds them")
    void bindingListeners() throws Exception {
        Sessions sessions = sessions(b -> { });
        Tracker.CALLS.clear();
        JettyApp app = start(sessions, HttpSessionBridge.defaults(), new Routes()
                .on("/cycle", (q, r) -> {
                    HttpSession s = q.getSession();
                    s.setAttribute("t", new Tracker());
                    s.setAttribute("t", new Tracker());
                    s.removeAttribute("t");
                    write(r, "ok");
                }));
        new Browser(app.baseUri()).post("/cycle");
        assertEquals(List.of("bound t", "bound t", "unbound t", "unbound t"), Tracker.CALLS);
        assertEquals(List.of("created", "added t={label=t}", "replaced t={label=t} by {label=t}", "removed t={label=t}"), events());
    }

    /**
     * An application whose session, created by {@code POST /create} and looked for by {@code GET /peek},
     * expires once {@code clock} is moved 21 minutes on: the store keeps real time and the manager runs
     * on {@code clock}, so the core finds the session past its lifetime when it loads it, and reports
     * the expiry to {@code bridge}'s expiry listener.
     */
    private JettyApp expiringApp(HttpSessionBridge bridge, MutableClock clock) throws Exception {
        dev.cookies.store.memory.MemorySessionStore store = dev.cookies.store.memory.MemorySessionStore.create();
        open.add(store);
        Sessions sessions = Sessions.of(SessionManager.builder("session").store(store).lockPolicy(LockPolicy.OFF).clock(clock)
                .idleTimeout(Duration.ofMinutes(10)).absoluteTimeout(Duration.ofMinutes(20)).listener(bridge.expiryListener()).build());
        open.add(sessions);
        JettyApp app = start(sessions, bridge, new Routes()
                .on("/create", (q, r) -> {
                    q.getSession().setAttribute("a", 1);
                    write(r, "ok");
                })
                .on("/peek", (q, r) -> write(r, q.getSession(false) == null ? "none" : "some")));
        return app;
    }

    @Test
    @DisplayName("expiry the core reports reaches sessionDestroyed through the bridge's expiry listener")
    void expiry() throws Exception {
        MutableClock clock = MutableClock.now();
        HttpSessionBridge bridge = HttpSessionBridge.builder().build();
        JettyApp app = expiringApp(bridge, clock);
        Browser browser = new Browser(app.baseUri());
        browser.post("/create");
        clock.advance(Duration.ofMinutes(21));
        assertEquals("none", browser.get("/peek").body());
        assertEquals(List.of("created", "added a=1", "destroyed []"), recorder.events);
    }

    @Test
    @DisplayName("an expiry reaches the listeners of the application whose default bridge reported it, not another application's")
    void defaultBridgesAreNotShared() throws Exception {
        MutableClock clock = MutableClock.now();
        HttpSessionBridge bridge = HttpSessionBridge.defaults();
        JettyApp app = expiringApp(bridge, clock);
        // Another application in the same JVM, its filter on the default bridge, its session also named "session".
        Recorder other = new Recorder();
        Sessions otherSessions = Sessions.of(SessionManager.builder("session").store("memory:").lockPolicy(LockPolicy.OFF).build());
        open.add(otherSessions);
        JettyApp otherApp = JettyApp.start(context -> {
            context.addServletContainerInitializer((classes, servletContext) -> servletContext.addListener(other));
            context.addFilter(new FilterHolder(new SessionFilter(otherSessions)), "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new Routes()), "/*");
        });
        open.add(otherApp);
        Browser browser = new Browser(app.baseUri());
        browser.post("/create");
        clock.advance(Duration.ofMinutes(21));
        assertEquals("none", browser.get("/peek").body());
        assertEquals(List.of("created", "added a=1", "destroyed []"), recorder.events);
        assertEquals(List.of(), other.events, "the other application's listeners heard of this one's expiry");
    }

    @Test
    @DisplayName("listeners given to the bridge are called too, for containers whose listeners the filter cannot list")
    void ownListeners() throws Exception {
        Sessions sessions = sessions(b -> { });
        Recorder own = new Recorder();
        JettyApp app = start(sessions, HttpSessionBridge.builder().listener(own).build(), new Routes()
                .on("/create", (q, r) -> {
                    q.getSession().setAttribute("a", 1);
                    write(r, "ok");
                }));
        new Browser(app.baseUri()).post("/create");
        assertEquals(List.of("created", "added a=1"), own.events);
        assertEquals(List.of("created", "added a=1"), recorder.events);
    }

    @Test
    @DisplayName("a bridge over another named session; the default refuses to guess among several")
    void choosingTheSession() throws Exception {
        SessionManager cart = SessionManager.builder("cart").store("memory:").lockPolicy(LockPolicy.OFF).build();
        SessionManager auth = SessionManager.builder("auth").store("memory:").build();
        Sessions sessions = Sessions.of(cart, auth);
        open.add(sessions);
        Routes routes = new Routes()
                .on("/set", (q, r) -> {
                    try {
                        q.getSession().setAttribute("a", 1);
                        write(r, SessionFilter.session(q, "cart").get("a").orElse(null));
                    } catch (IllegalStateException e) {
                        write(r, e.getMessage());
                    }
                });
        JettyApp named = start(sessions, HttpSessionBridge.builder().session("cart").build(), routes);
        assertEquals("1", new Browser(named.baseUri()).post("/set").body());
        JettyApp guessing = start(sessions, HttpSessionBridge.defaults(), routes);
        String message = new Browser(guessing.baseUri()).post("/set").body();
        assertTrue(message.contains("none is named 'session'"), message);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SessionFilter(sessions, HttpSessionBridge.builder().session("nope").build()));
    }

    @Test
    @DisplayName("web.xml style: the init parameter names the session, or turns the bridge off and leaves getSession to the container")
    void initParameter() throws Exception {
        Sessions sessions = Sessions.of(SessionManager.builder("cart").store("memory:").lockPolicy(LockPolicy.OFF).build(),
                SessionManager.builder("auth").store("memory:").build());
        open.add(sessions);
        Routes routes = new Routes().on("/set", (q, r) -> {
            q.getSession().setAttribute("a", 1);
            write(r, SessionFilter.session(q, "cart").get("a").orElse(null));
        });
        JettyApp named = start(context -> {
            context.setAttribute(SessionFilter.SESSIONS_ATTRIBUTE, sessions);
            FilterHolder f = context.addFilter(SessionFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
            f.setInitParameter(HttpSessionBridge.SESSION_PARAM, "cart");
        }, routes);
        assertEquals("1", new Browser(named.baseUri()).post("/set").body());

        JettyApp off = JettyApp.start(context -> {
            context.setSessionHandler(new org.eclipse.jetty.ee10.servlet.SessionHandler());
            context.setAttribute(SessionFilter.SESSIONS_ATTRIBUTE, sessions);
            FilterHolder f = context.addFilter(SessionFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
            f.setInitParameter(HttpSessionBridge.SESSION_PARAM, HttpSessionBridge.OFF);
            context.addServlet(new ServletHolder(routes), "/*");
        });
        open.add(off);
        HttpTestClient.Response r = new HttpTestClient(off.baseUri()).post("/set", null);
        assertEquals("null", r.body(), "the attribute went to the container's session");
        assertTrue(r.setsCookie("JSESSIONID"), "off: the container's own session, as before: " + r);

        JettyApp fromAttribute = start(context -> {
            context.setAttribute(SessionFilter.SESSIONS_ATTRIBUTE, sessions);
            context.setAttribute(HttpSessionBridge.CONTEXT_ATTRIBUTE, HttpSessionBridge.builder().session("cart").build());
            context.addFilter(SessionFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
        }, routes);
        assertEquals("1", new Browser(fromAttribute.baseUri()).post("/set").body());
    }

    @Test
    @DisplayName("an error page reached by sendError still sees the Cookies session, never the container's")
    void errorDispatch() throws Exception {
        Sessions sessions = sessions(b -> { });
        Routes routes = new Routes()
                .on("/fail", (q, r) -> {
                    q.getSession().setAttribute("a", "x");
                    r.sendError(409);
                })
                .on("/error-page", (q, r) -> {
                    write(r, "error page sees " + q.getSession().getAttribute("a"));
                });
        JettyApp app = JettyApp.start(context -> {
            context.setSessionHandler(new org.eclipse.jetty.ee10.servlet.SessionHandler());
            context.addFilter(new FilterHolder(new SessionFilter(sessions)), "/*",
                    EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR));
            org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler errors = new org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler();
            errors.addErrorPage(409, "/error-page");
            context.setErrorHandler(errors);
            context.addServlet(new ServletHolder(routes), "/*");
        });
        open.add(app);
        HttpTestClient.Response r = new Browser(app.baseUri()).post("/fail");
        assertEquals(409, r.status());
        assertEquals("error page sees x", r.body());
    }
}
