package dev.cookies.bench;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.store.redis.RedisSessionStore;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.FakeExchange;
import dev.cookies.testkit.RedisServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
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
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * One request's whole session cycle on the Redis store, beside raw Jedis on the same server.
 *
 * <ul>
 *   <li>{@code cycle}: open the sessions from a {@code Cookie} header carrying a known id, read the
 *       session ({@code GETEX}), change it in a locked update (one script that takes the lock and
 *       re-reads, one that writes and releases), commit into a cookie jar: three round trips.</li>
 *   <li>{@code jedisGetSet}: the limit: a {@code GET} and a {@code SET ... PX} of the same bytes with
 *       a Jedis {@link RedisClient} pooled like the store's own: two round trips, no lock.</li>
 * </ul>
 *
 * <p>The server is {@code REDIS_URL} if set (the documented command, {@code run-jmh.sh}, starts one
 * {@code redis-server} for all forks and sets it), else a {@code redis-server} from the {@code PATH}
 * that each fork starts on a free loopback port through the test kit's {@link RedisServer}.
 * {@code size} is the encoded session in bytes.
 *
 * <pre>
 * java -jar cookies-bench/target/benchmarks.jar RedisStoreCycle
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RedisStoreCycle {

    @Param({"200", "2048"})
    public int size;

    private RedisServer redis;
    private RedisSessionStore store;
    private RedisClient raw;
    private Sessions sessions;
    private String cookieHeader;
    private byte[] rawKey;
    private byte[] bytes;
    private SetParams px;

    @Setup
    public void setUp() {
        redis = RedisServer.standalone();
        Duration ttl = Duration.ofMinutes(30);
        store = RedisSessionStore.create(redis.uri());
        InetSocketAddress node = redis.nodes().get(0);
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(RedisSessionStore.DEFAULT_POOL_SIZE);
        pool.setMaxIdle(RedisSessionStore.DEFAULT_POOL_SIZE);
        raw = RedisClient.builder()
                .hostAndPort(new HostAndPort(node.getHostString(), node.getPort()))
                .clientConfig(DefaultJedisClientConfig.builder().build())
                .poolConfig(pool)
                .build();
        sessions = Sessions.of(SessionManager.builder(SessionPayload.NAME).store(store).idleTimeout(ttl).build());
        int profileChars = SessionPayload.calibrate(size, length -> {
            FakeBrowser b = new FakeBrowser(sessions);
            SessionPayload.seed(b, length);
            return raw.get(dataKey(b.cookie("SESSION").orElseThrow())).length;
        });
        FakeBrowser browser = new FakeBrowser(sessions);
        SessionPayload.seed(browser, profileChars);
        cookieHeader = browser.cookieHeader().orElseThrow();
        String id = browser.cookie("SESSION").orElseThrow();
        bytes = raw.get(dataKey(id));
        rawKey = ("bench:raw:{" + id + "}").getBytes(StandardCharsets.UTF_8);
        px = SetParams.setParams().px(ttl.toMillis());
        raw.set(rawKey, bytes, px);

        FakeExchange jar = cycle();
        int count = Checks.count(sessions, cookieHeader);
        Checks.require(count == 1 && jar.responseHeaders("Set-Cookie").isEmpty(),
                "a cycle should write count 1 and send no cookie; got count " + count + ", " + jar.responseHeaders("Set-Cookie"));
        Checks.require(Arrays.equals(jedisGetSet(), bytes), "GET should return the bytes SET");
    }

    private byte[] dataKey(String id) {
        return (store.keyPrefix() + "{" + id + "}").getBytes(StandardCharsets.UTF_8);
    }

    @TearDown
    public void tearDown() {
        sessions.close();
        store.close();
        raw.close();
        redis.close();
    }

    @Benchmark
    public FakeExchange cycle() {
        return SessionPayload.cycle(sessions, cookieHeader);
    }

    @Benchmark
    public byte[] jedisGetSet() {
        byte[] read = raw.get(rawKey);
        raw.set(rawKey, bytes, px);
        return read;
    }
}
