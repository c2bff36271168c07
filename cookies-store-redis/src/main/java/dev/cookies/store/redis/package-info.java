/**
 * The Redis session store, on Jedis 8: standalone, TLS, Sentinel and Cluster, reads in one round trip,
 * a lock that holds across application instances, an index of sessions by user (one round trip per
 * login and logout), and optional expiry events from Redis keyspace notifications.
 *
 * <p>Start with {@link dev.cookies.store.redis.RedisSessionStore#builder()}, or configure a URI such as
 * {@code redis://localhost:6379/0} ({@link dev.cookies.store.redis.RedisStoreProvider} serves
 * {@code redis}, {@code rediss}, {@code redis-sentinel} and {@code redis-cluster}).
 *
 * @since 0.1
 */
package dev.cookies.store.redis;
