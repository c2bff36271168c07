package dev.cookies.bench;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.store.jdbc.JdbcSessionStore;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.FakeExchange;
import dev.cookies.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request's whole session cycle on the JDBC store over PostgreSQL, beside raw JDBC on the same
 * server and the same table.
 *
 * <ul>
 *   <li>{@code cycle}: open the sessions from a {@code Cookie} header carrying a known id, read the
 *       session (one statement that reads and slides the expiry), change it in a locked update (one
 *       statement that takes the lease and re-reads, one that writes and releases), commit into a
 *       cookie jar: three statements, on the store's own pool.</li>
 *   <li>{@code jdbcSelectUpdate}: the limit: a prepared {@code SELECT data ... WHERE id = ?} and an
 *       {@code UPDATE ... SET data = ?, expires_at = ... WHERE id = ?} of the same bytes, in auto-commit
 *       mode on one connection held by the benchmark: two statements, no lock, no pool.</li>
 * </ul>
 *
 * <p>The server is {@code JDBC_URL} if set (the documented command, {@code run-jdbc.sh}, starts one
 * PostgreSQL for all forks and sets it), else one the test kit's {@link PostgresServer} finds or
 * starts per fork. {@code size} is the encoded session in bytes.
 *
 * <pre>
 * java -jar cookies-bench/target/benchmarks.jar JdbcStoreCycle
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JdbcStoreCycle {

    static final String TABLE = "bench_sessions";

    @Param({"200", "2048"})
    public int size;

    private PostgresServer postgres;
    private JdbcSessionStore store;
    private Sessions sessions;
    private String cookieHeader;
    private Connection raw;
    private PreparedStatement select;
    private PreparedStatement update;
    private byte[] bytes;

    @Setup
    public void setUp() throws SQLException {
        postgres = PostgresServer.find();
        Duration ttl = Duration.ofMinutes(30);
        store = JdbcSessionStore.create(postgres.uri() + "&table=" + TABLE + "&createTable=true");
        sessions = Sessions.of(SessionManager.builder(SessionPayload.NAME).store(store).idleTimeout(ttl).build());
        int profileChars = SessionPayload.calibrate(size, length -> {
            FakeBrowser b = new FakeBrowser(sessions);
            SessionPayload.seed(b, length);
            return store.load(b.cookie("SESSION").orElseThrow(), ttl).orElseThrow().length;
        });
        FakeBrowser browser = new FakeBrowser(sessions);
        SessionPayload.seed(browser, profileChars);
        cookieHeader = browser.cookieHeader().orElseThrow();
        bytes = store.load(browser.cookie("SESSION").orElseThrow(), ttl).orElseThrow();

        String rawId = "bench-raw-" + UUID.randomUUID();
        store.save(rawId, bytes, ttl);
        raw = DriverManager.getConnection(postgres.uri());
        select = raw.prepareStatement("SELECT data FROM " + TABLE + " WHERE id = ?");
        select.setString(1, rawId);
        update = raw.prepareStatement("UPDATE " + TABLE + " SET data = ?, expires_at = CURRENT_TIMESTAMP"
                + " + INTERVAL '30 minutes' WHERE id = ?");
        update.setBytes(1, bytes);
        update.setString(2, rawId);

        FakeExchange jar = cycle();
        int count = Checks.count(sessions, cookieHeader);
        Checks.require(count == 1 && jar.responseHeaders("Set-Cookie").isEmpty(),
                "a cycle should write count 1 and send no cookie; got count " + count + ", " + jar.responseHeaders("Set-Cookie"));
        Checks.require(Arrays.equals(jdbcSelectUpdate(), bytes), "SELECT should return the bytes UPDATE wrote");
    }

    @TearDown
    public void tearDown() throws SQLException {
        sessions.close();
        store.close();
        raw.close();
        postgres.close();
    }

    @Benchmark
    public FakeExchange cycle() {
        return SessionPayload.cycle(sessions, cookieHeader);
    }

    @Benchmark
    public byte[] jdbcSelectUpdate() throws SQLException {
        byte[] read;
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            read = rs.getBytes(1);
        }
        update.executeUpdate();
        return read;
    }
}
