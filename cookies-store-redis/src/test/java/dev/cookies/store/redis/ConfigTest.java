package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.SessionConfigException;
import dev.cookies.spi.SessionStoreProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/** URI forms, settings and their errors, and the provider's registration; no Redis needed. */
class ConfigTest {

    @Test
    @DisplayName("redis:// and rediss:// take user, password, host, port, database; the description has no credentials")
    void standaloneForms() {
        RedisUri plain = RedisUri.parse("redis://localhost");
        assertEquals(RedisUri.Kind.STANDALONE, plain.kind);
        assertEquals(List.of(new HostAndPort("localhost", 6379)), plain.nodes);
        assertEquals(0, plain.database);
        assertFalse(plain.ssl);
        assertNull(plain.password);
        assertEquals("redis://localhost:6379/0", plain.description());

        RedisUri tls = RedisUri.parse("rediss://app:p%40ss+word@cache.internal:6380/3?prefix=shop:");
        assertTrue(tls.ssl);
        assertEquals("app", tls.user);
        assertEquals("p@ss+word", tls.password);
        assertEquals(3, tls.database);
        assertEquals("rediss://cache.internal:6380/3", tls.description());

        RedisUri passwordOnly = RedisUri.parse("redis://:secret@h");
        assertNull(passwordOnly.user);
        assertEquals("secret", passwordOnly.password);
        assertEquals("secret", RedisUri.parse("redis://secret@h").password);
    }

    @Test
    @DisplayName("redis-cluster:// and redis-sentinel:// take several hosts; Sentinel needs the master's name")
    void clusterAndSentinelForms() {
        RedisUri cluster = RedisUri.parse("redis-cluster://:pw@a:7000,b:7001,[::1]:7002?ssl=true");
        assertEquals(RedisUri.Kind.CLUSTER, cluster.kind);
        assertEquals(List.of(new HostAndPort("a", 7000), new HostAndPort("b", 7001), new HostAndPort("::1", 7002)),
                cluster.nodes);
        assertTrue(cluster.ssl);
        assertEquals("redis-cluster://a:7000,b:7001,[::1]:7002", cluster.description());

        RedisUri sentinel = RedisUri.parse("redis-sentinel://s1,s2:26380/2?master=mymaster");
        assertEquals(RedisUri.Kind.SENTINEL, sentinel.kind);
        assertEquals(List.of(new HostAndPort("s1", 26379), new HostAndPort("s2", 26380)), sentinel.nodes);
        assertEquals(2, sentinel.database);
        assertEquals("mymaster", sentinel.master);
        assertEquals("redis-sentinel://s1:26379,s2:26380/2?master=mymaster", sentinel.description());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "http://localhost                              | uri",
        "redis://                                      | uri",
        "redis://u:topsecret@h:99999                   | uri",
        "redis://h/abc                                 | uri",
        "redis://a,b                                   | uri",
        "redis-cluster://a:1/1                         | uri",
        "redis://h?colour=blue                         | uri",
        "redis://h?timeout=soon                        | timeout",
        "redis://h?readTimeout=0                       | readTimeout",
        "redis://h?connectTimeout=10m                  | connectTimeout",
        "redis://h?poolSize=0                          | poolSize",
        "redis://h?lockLease=10ms                      | lockLease",
        "redis://h?lockKeepAlive=10ms                  | lockKeepAlive",
        "redis://h?lockKeepAlive=2h                    | lockKeepAlive",
        "redis://h?prefix=%7Bx%7D                      | keyPrefix",
        "redis://h?ssl=maybe                           | ssl",
        "rediss://h?ssl=false                          | ssl",
        "redis://h?clientName=a%20b                    | clientName",
        "redis://h?maxSessionLifetime=500ms            | maxSessionLifetime",
        "redis://h?maxSessionLifetime=401d             | maxSessionLifetime",
        "redis://h?expiryEvents=yes                    | expiryEvents",
        "redis-sentinel://u:topsecret@s1               | master",
        "redis://h?master=m                            | master",
    })
    @DisplayName("a bad URI or parameter fails with SessionConfigException naming the setting, never the password")
    void badUris(String uri, String setting) {
        SessionConfigException e = assertThrows(SessionConfigException.class, () -> RedisSessionStore.create(uri));
        assertEquals(setting, e.setting(), e.getMessage());
        assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"500ms, 500", "2s, 2000", "1m, 60000", "12h, 43200000", "30d, 2592000000", "1500, 1500", "PT3S, 3000"})
    @DisplayName("durations are written 500ms, 2s, 1m, 12h, 30d, a bare number of milliseconds, or ISO-8601")
    void durations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), RedisUri.duration("timeout", text));
    }

    @Test
    @DisplayName("the builder needs a URI or a client, not both, and keeps URI-only settings away from a given client")
    void builderChecks() {
        assertEquals("uri", assertThrows(SessionConfigException.class, () -> RedisSessionStore.builder().build()).setting());
        try (RedisClient client = RedisClient.create("127.0.0.1", 1)) {
            assertEquals("client", assertThrows(SessionConfigException.class,
                    () -> RedisSessionStore.builder().uri("redis://h").client(client)).setting());
            assertEquals("uri", assertThrows(SessionConfigException.class,
                    () -> RedisSessionStore.builder().client(client).uri("redis://h")).setting());
            assertEquals("readTimeout", assertThrows(SessionConfigException.class,
                    () -> RedisSessionStore.builder().client(client).readTimeout(Duration.ofSeconds(1)).build()).setting());
            assertEquals("expiryEvents", assertThrows(SessionConfigException.class,
                    () -> RedisSessionStore.builder().client(client).expiryEvents(true).build()).setting());
            RedisSessionStore.builder().client(client).expiryEvents(true).expiryEvents(false).build().close();
        }
        assertThrows(NullPointerException.class, () -> RedisSessionStore.builder().keyPrefix(null));
        RedisSessionStore store = RedisSessionStore.builder().uri("redis://h?prefix=a:&timeout=1s&lockLease=5s").build();
        assertEquals("a:", store.keyPrefix());
        assertEquals(Duration.ofSeconds(5), store.lockLease());
        assertEquals("a:{id}", new String(store.dataKey("id"), StandardCharsets.UTF_8));
        assertEquals("a:{id}:lock", new String(store.lockKey("id"), StandardCharsets.UTF_8));
        store.close();
    }

    @Test
    @DisplayName("the lock's keep-alive: three read timeouts by default, at least 1 s, never more than the lease")
    void lockKeepAlive() {
        try (RedisSessionStore defaults = RedisSessionStore.create("redis://h");
             RedisSessionStore fast = RedisSessionStore.create("redis://h?timeout=100ms");
             RedisSessionStore shortLease = RedisSessionStore.create("redis://h?lockLease=2s");
             RedisSessionStore set = RedisSessionStore.create("redis://h?lockKeepAlive=4s&timeout=5s");
             RedisClient client = RedisClient.create("127.0.0.1", 1);
             RedisSessionStore given = RedisSessionStore.builder().client(client).lockKeepAlive(Duration.ofMillis(800)).build()) {
            assertEquals(Duration.ofSeconds(6), defaults.lockKeepAlive());
            assertEquals(Duration.ofSeconds(1), fast.lockKeepAlive());
            assertEquals(Duration.ofSeconds(2), shortLease.lockKeepAlive());
            assertEquals(Duration.ofSeconds(4), set.lockKeepAlive());
            assertEquals(Duration.ofMillis(800), given.lockKeepAlive());
        }
    }

    @Test
    @DisplayName("the provider serves redis, rediss, redis-sentinel and redis-cluster, found through ServiceLoader")
    void providerIsRegistered() {
        List<SessionStoreProvider> found = ServiceLoader.load(SessionStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p instanceof RedisStoreProvider).collect(Collectors.toList());
        assertEquals(1, found.size());
        assertEquals(Set.of("redis", "rediss", "redis-sentinel", "redis-cluster"), found.get(0).schemes());
    }
}
