package dev.cookies.bench;

import jakarta.servlet.Filter;
import java.net.URI;
import java.time.Duration;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettucePoolingClientConfiguration;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.web.http.SessionRepositoryFilter;

/**
 * The {@code spring} mode of {@link BenchServer}: Spring Session 4's {@link RedisSessionRepository}
 * behind its {@link SessionRepositoryFilter}, wired by hand, without Spring Boot or an application
 * context, the way {@code @EnableRedisHttpSession}'s configuration builds them:
 *
 * <ul>
 *   <li>a {@link LettuceConnectionFactory} on the Redis of {@code REDIS_URI} (host, port, database);
 *       with {@code ?poolSize=N} it pools {@code N} dedicated connections
 *       ({@link LettucePoolingClientConfiguration}, native connection not shared), as our store pools
 *       {@code N} Jedis connections; without it, Lettuce's default: one shared, multiplexed
 *       connection;</li>
 *   <li>a {@code RedisTemplate<String, Object>} with string keys and hash keys and the template's
 *       default JDK serialization for values, as Spring Session's own
 *       {@code AbstractRedisHttpSessionConfiguration.createRedisTemplate()} makes it;</li>
 *   <li>the repository with its defaults (30-minute idle timeout, namespace {@code spring:session},
 *       flush on save, save on set-attribute).</li>
 * </ul>
 *
 * <p>The application reads and writes the session through the servlet {@code HttpSession} the filter
 * puts on the request, which is what Javalin's {@code ctx.sessionAttribute} calls.
 */
final class SpringSessionMode {

    private final LettuceConnectionFactory connections;
    private final RedisSessionRepository repository;

    private SpringSessionMode(LettuceConnectionFactory connections, RedisSessionRepository repository) {
        this.connections = connections;
        this.repository = repository;
    }

    /**
     * Connects to Redis and builds the repository.
     *
     * @param redisUri {@code redis://HOST:PORT[/DB][?poolSize=N]}
     * @return the mode, connected
     */
    static SpringSessionMode connect(String redisUri) {
        URI uri = URI.create(redisUri);
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            server.setDatabase(Integer.parseInt(path.substring(1)));
        }
        int poolSize = poolSize(uri.getQuery());
        LettuceConnectionFactory factory;
        if (poolSize > 0) {
            GenericObjectPoolConfig<io.lettuce.core.api.StatefulConnection<?, ?>> pool = new GenericObjectPoolConfig<>();
            pool.setMaxTotal(poolSize);
            pool.setMaxIdle(poolSize);
            pool.setMinIdle(0);
            pool.setJmxEnabled(false);
            LettuceClientConfiguration client = LettucePoolingClientConfiguration.builder()
                    .poolConfig(pool)
                    .clientName("bench-spring-pool" + poolSize)
                    .commandTimeout(Duration.ofSeconds(2))
                    .build();
            factory = new LettuceConnectionFactory(server, client);
            factory.setShareNativeConnection(false);
        } else {
            LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                    .clientName("bench-spring-shared")
                    .commandTimeout(Duration.ofSeconds(2))
                    .build();
            factory = new LettuceConnectionFactory(server, client);
        }
        factory.afterPropertiesSet();
        factory.start();

        RedisTemplate<String, Object> template = new RedisTemplate<>();
        template.setKeySerializer(RedisSerializer.string());
        template.setHashKeySerializer(RedisSerializer.string());
        template.setConnectionFactory(factory);
        template.setBeanClassLoader(SpringSessionMode.class.getClassLoader());
        template.afterPropertiesSet();
        return new SpringSessionMode(factory, new RedisSessionRepository(template));
    }

    private static int poolSize(String query) {
        if (query == null) {
            return 0;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("poolSize=")) {
                return Integer.parseInt(parameter.substring("poolSize=".length()));
            }
        }
        return 0;
    }

    /** The filter to install in front of Javalin's servlet. */
    Filter filter() {
        return new SessionRepositoryFilter<>(repository);
    }

    /** Closes the Redis connections. */
    void close() {
        connections.destroy();
    }
}
