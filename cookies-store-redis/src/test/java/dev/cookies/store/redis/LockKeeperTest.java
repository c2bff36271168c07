package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.StoreUnavailableException;
import dev.cookies.testkit.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The keeper's own bounds, against a Redis that is down (a loopback port nobody listens on): what a
 * red team can make it hold and how long it keeps trying.
 */
class LockKeeperTest {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    @DisplayName("while Redis is down, at most 1024 stranded tokens are kept, retried with backoff, and dropped after the lease: then the keeper stops")
    void boundedAndStopsByItself() throws IOException {
        Duration lease = Duration.ofSeconds(2);
        AtomicInteger attempts = new AtomicInteger();
        try (RedisClient down = RedisClient.builder().hostAndPort("127.0.0.1", closedPort())
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(200).socketTimeoutMillis(200).build())
                .build()) {
            LockKeeper keeper = new LockKeeper("redis (down)", Duration.ofSeconds(1).toNanos(), lease.toNanos(),
                    (operation, script, keys, args) -> {
                        attempts.incrementAndGet();
                        try {
                            return down.evalsha(script.sha, keys, args);
                        } catch (JedisException e) {
                            throw StoreUnavailableException.of("redis (down)", operation, e);
                        }
                    });
            try {
                byte[] lockKey = "keeper-test:{id}:lock".getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < LockKeeper.MAX_STRANDED + 500; i++) {
                    keeper.strand(lockKey, ("token-" + i).getBytes(StandardCharsets.US_ASCII));
                }
                assertEquals(LockKeeper.MAX_STRANDED, keeper.strandedCount());

                Await.until(lease.plusSeconds(5), "the tokens to be dropped after the lease", () -> keeper.strandedCount() == 0);
                Await.until(Duration.ofSeconds(2), "the keeper to have nothing scheduled", keeper::idle);
                // One attempt per pass (a pass stops at its first failure), passes 0.5 s, 1 s, 2 s apart.
                assertTrue(attempts.get() >= 1 && attempts.get() <= 5, attempts.get() + " attempts to reach Redis");
            } finally {
                keeper.close();
            }
        }
    }
}
