/**
 * The Redis session store, on Jedis: standalone, TLS, Sentinel and Cluster, with locks that hold across
 * application instances. Chosen by the URIs {@code redis://}, {@code rediss://},
 * {@code redis-sentinel://} and {@code redis-cluster://}.
 */
module dev.cookies.store.redis {
    requires transitive dev.cookies;
    requires transitive redis.clients.jedis;
    requires org.slf4j;

    exports dev.cookies.store.redis;

    provides dev.cookies.spi.SessionStoreProvider with dev.cookies.store.redis.RedisStoreProvider;
}
