package dev.cookies.bench;

import dev.cookies.AuthSession;
import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.store.jdbc.JdbcSessionStore;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.PostgresServer;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Counts the SQL statements each kind of request costs on the JDBC store over PostgreSQL, through the
 * real engine ({@link Sessions} driven by the test kit's {@link FakeBrowser}). The store runs on a
 * data source that opens connections with {@link DriverManager} and records each statement executed
 * on them; every statement is one round trip in auto-commit mode. Each request kind runs three times
 * on fresh state after a warm-up; the counts must agree.
 *
 * <p>PostgreSQL is {@code JDBC_URL} if set, else one the test kit's {@link PostgresServer} finds or
 * starts.
 *
 * <pre>
 * java -cp cookies-bench/target/benchmarks.jar dev.cookies.bench.JdbcStatementCounts
 * </pre>
 */
public final class JdbcStatementCounts {

    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate");

    private JdbcStatementCounts() {
    }

    /** A kind of request: how to prepare the browser, and what its handler does. */
    private record Kind(String name, Supplier<FakeBrowser> prepare, Consumer<OpenSessions> handler) {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        try (PostgresServer postgres = PostgresServer.find()) {
            Recorder recorder = new Recorder(postgres.uri());
            try (JdbcSessionStore store = JdbcSessionStore.builder().dataSource(recorder).table("bench_counts")
                    .createTable(true).build();
                 Sessions sessions = Sessions.of(SessionManager.builder(SessionPayload.NAME).store(store).build())) {
                String profile = SessionPayload.profileFor(BenchServer.SESSION_BYTES);
                Supplier<FakeBrowser> fresh = () -> new FakeBrowser(sessions);
                Supplier<FakeBrowser> known = () -> {
                    FakeBrowser b = new FakeBrowser(sessions);
                    SessionPayload.seed(b, profile.length());
                    return b;
                };
                // A user of its own for each browser, so that every run of a kind finds the same sessions.
                AtomicInteger users = new AtomicInteger();
                Supplier<FakeBrowser> loggedIn = () -> {
                    FakeBrowser b = known.get();
                    String user = "user-" + users.incrementAndGet();
                    b.request("POST", open -> AuthSession.of(session(open)).login(user));
                    return b;
                };
                Supplier<FakeBrowser> loggedInTwice = () -> {
                    String user = "user-" + users.incrementAndGet();
                    FakeBrowser other = known.get();
                    other.request("POST", open -> AuthSession.of(session(open)).login(user));
                    FakeBrowser b = known.get();
                    b.request("POST", open -> AuthSession.of(session(open)).login(user));
                    return b;
                };
                List<Kind> kinds = List.of(
                        new Kind("untouched: a request that never reads its session", known, open -> { }),
                        new Kind("read-only: get on a known session", known,
                                open -> session(open).get(SessionPayload.COUNT)),
                        new Kind("write: locked update of a known session", known,
                                open -> session(open).update(d -> SessionPayload.readWrite(d, profile))),
                        new Kind("read, then locked update (the JMH cycle)", known, open -> {
                            session(open).get(SessionPayload.PROFILE);
                            session(open).update(d -> SessionPayload.readWrite(d, profile));
                        }),
                        new Kind("unlocked write of a known session (applied at commit)", known,
                                open -> session(open).put(SessionPayload.COUNT, 5)),
                        new Kind("first write: a new session", fresh,
                                open -> session(open).update(d -> SessionPayload.readWrite(d, profile))),
                        new Kind("login, no session before", fresh,
                                open -> AuthSession.of(session(open)).login("alice")),
                        new Kind("login over an anonymous session", known,
                                open -> AuthSession.of(session(open)).login("alice")),
                        new Kind("logout of a logged-in session", loggedIn,
                                open -> AuthSession.of(session(open)).logout()),
                        new Kind("read-only: get on a logged-in session", loggedIn,
                                open -> session(open).get(SessionPayload.COUNT)),
                        new Kind("write: locked update of a logged-in session", loggedIn,
                                open -> session(open).update(d -> SessionPayload.readWrite(d, profile))),
                        new Kind("login again over a logged-in session", loggedIn,
                                open -> AuthSession.of(session(open)).login("someone else")),
                        new Kind("list the user's sessions (2)", loggedInTwice,
                                open -> AuthSession.of(session(open)).sessions()),
                        new Kind("sign out everywhere (2 sessions)", loggedInTwice,
                                open -> AuthSession.of(session(open)).signOutEverywhere()));
                for (Kind kind : kinds) {
                    kind.prepare().get().request("POST", kind.handler());
                }
                StringBuilder table = new StringBuilder();
                table.append("| request | statements | which |\n|---|---:|---|\n");
                for (Kind kind : kinds) {
                    List<String> first = null;
                    for (int run = 0; run < 3; run++) {
                        FakeBrowser browser = kind.prepare().get();
                        recorder.drain();
                        browser.request("POST", kind.handler());
                        List<String> seen = recorder.drain();
                        if (first == null) {
                            first = seen;
                        } else if (!first.equals(seen)) {
                            throw new IllegalStateException(kind.name() + ": counts differ between runs: " + first + " vs " + seen);
                        }
                    }
                    table.append(String.format(Locale.ROOT, "| %s | %d | %s |%n", kind.name(), first.size(),
                            first.isEmpty() ? "-" : String.join(", ", first)));
                }
                System.out.print(table);
            }
        }
    }

    private static Session session(OpenSessions open) {
        return open.session(SessionPayload.NAME);
    }

    /** Names a statement of the store by what it does. */
    static String label(String sql) {
        String s = sql.replaceAll("\\s+", " ");
        if (s.startsWith("WITH slid")) {
            return "read-and-slide";
        }
        if (s.startsWith("INSERT") && s.contains("lock_token = EXCLUDED")) {
            return "lock-and-read";
        }
        if (s.startsWith("INSERT")) {
            return "upsert";
        }
        if (s.startsWith("UPDATE") && s.contains("SET data = ?") && s.contains("AND data = ?")) {
            return "replace";
        }
        if (s.startsWith("UPDATE") && s.contains("SET data = ?")) {
            return "save-and-release";
        }
        if (s.startsWith("UPDATE") && s.contains("SET principal_hash = NULL")) {
            return "unindex";
        }
        if (s.startsWith("UPDATE") && s.contains("SET principal_hash = ?")) {
            return "index";
        }
        if (s.startsWith("SELECT id, created_at")) {
            return "list";
        }
        if (s.startsWith("UPDATE") && s.contains("SET lock_token = NULL")) {
            return "release";
        }
        if (s.startsWith("UPDATE")) {
            return "touch";
        }
        if (s.startsWith("DELETE") && s.contains("lock_token = ?")) {
            return "delete-and-release";
        }
        if (s.startsWith("DELETE") && s.contains("ANY(ARRAY")) {
            return "clean-up";
        }
        if (s.startsWith("DELETE")) {
            return "delete";
        }
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** A data source over DriverManager that records, in order, every statement executed through it. */
    private static final class Recorder implements DataSource {
        private final String url;
        private final List<String> executed = new ArrayList<>();

        Recorder(String url) {
            this.url = url;
        }

        synchronized List<String> drain() {
            List<String> copy = List.copyOf(executed);
            executed.clear();
            return copy;
        }

        private synchronized void record(String sql) {
            executed.add(label(sql));
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = DriverManager.getConnection(url);
            InvocationHandler h = (proxy, method, a) -> {
                Object result = call(real, method, a);
                if (method.getName().equals("prepareStatement") && result instanceof PreparedStatement) {
                    PreparedStatement ps = (PreparedStatement) result;
                    String sql = (String) a[0];
                    return Proxy.newProxyInstance(Recorder.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                            (p, m, b) -> {
                                if (EXECUTE.contains(m.getName())) {
                                    record(sql);
                                }
                                return call(ps, m, b);
                            });
                }
                return result;
            };
            return (Connection) Proxy.newProxyInstance(Recorder.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
        }

        private static Object call(Object target, java.lang.reflect.Method m, Object[] a) throws Throwable {
            try {
                return m.invoke(target, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("credentials come with the URL");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
