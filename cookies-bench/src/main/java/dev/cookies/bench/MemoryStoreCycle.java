package dev.cookies.bench;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.store.memory.MemorySessionStore;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.FakeExchange;
import java.time.Duration;
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
 * One request's whole session cycle on the memory store, beside the store alone.
 *
 * <ul>
 *   <li>{@code cycle}: open the request's sessions from a {@code Cookie} header carrying a known id,
 *       read the session, change it in a locked update, commit into a cookie jar. On the memory store
 *       that is the engine's work plus two {@code loadObject}s (the read, and the locked re-read) and
 *       one {@code saveObject} of the core's compact form.</li>
 *   <li>{@code storeLoadSave}: the limit: {@code MemorySessionStore.loadObject} and {@code saveObject}
 *       of the same value, no engine (no cookie parsing, decoding, encoding, lock or cookie rendering).</li>
 * </ul>
 *
 * <p>{@code size} is the session's JSON in bytes (including the library's metadata), as the byte
 * stores hold it; the memory store keeps a smaller compact form of the same data.
 *
 * <pre>
 * java -jar cookies-bench/target/benchmarks.jar MemoryStoreCycle
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MemoryStoreCycle {

    @Param({"200", "2048"})
    public int size;

    private MemorySessionStore store;
    private Sessions sessions;
    private String cookieHeader;
    private String id;
    private Object value;
    private long weight;
    private final Duration ttl = Duration.ofMinutes(30);

    @Setup
    public void setUp() {
        store = MemorySessionStore.create();
        sessions = Sessions.of(SessionManager.builder(SessionPayload.NAME).store(store).idleTimeout(ttl).build());
        // Sized as the byte stores see it (SessionPayload.profileFor): the memory store itself keeps
        // the core's compact form, which is smaller.
        String profile = SessionPayload.profileFor(size);
        FakeBrowser browser = new FakeBrowser(sessions);
        SessionPayload.seed(browser, profile.length());
        cookieHeader = browser.cookieHeader().orElseThrow();
        id = browser.cookie("SESSION").orElseThrow();
        value = store.loadObject(id, ttl).orElseThrow();
        weight = value instanceof byte[] ? ((byte[]) value).length : size;

        FakeExchange jar = cycle();
        int count = Checks.count(sessions, cookieHeader);
        Checks.require(count == 1 && jar.responseHeaders("Set-Cookie").isEmpty(),
                "a cycle should write count 1 and send no cookie; got count " + count + ", " + jar.responseHeaders("Set-Cookie"));
    }

    @TearDown
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public FakeExchange cycle() {
        return SessionPayload.cycle(sessions, cookieHeader);
    }

    @Benchmark
    public Object storeLoadSave() {
        Object loaded = store.loadObject(id, ttl).orElseThrow();
        store.saveObject(id, value, weight, ttl);
        return loaded;
    }
}
