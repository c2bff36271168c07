package dev.cookies.testkit;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * A JUnit 5 extension that gives a test class one {@link RedisServer}, found or started before its
 * first test and closed after its last, in the order {@link RedisServer} documents (environment,
 * {@code redis-server} on the {@code PATH}, Testcontainers, else skip, or fail when {@code CI=true}).
 *
 * <p>Register it on a {@code static} field, so that it runs once per class:
 *
 * <pre>{@code
 * class RedisSessionStoreContractTest extends SessionStoreContract {
 *     @RegisterExtension
 *     static final RedisExtension REDIS = RedisExtension.standalone();
 *
 *     protected ServerSideStore createStore(MutableClock clock) {
 *         return RedisSessionStore.builder().uri(REDIS.server().uri()).build();
 *     }
 * }
 * }</pre>
 *
 * <p>When no Redis can be had, each test of the class is reported as skipped with the reason (with
 * {@code CI=true}, the class fails instead). Test and lifecycle methods may also take a
 * {@link RedisServer} parameter. {@code @Nested} classes share the outer class's server.
 *
 * @since 0.1
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

    private final Supplier<RedisServer> factory;
    private RedisServer server;
    private TestAbortedException skipped;
    private int depth;

    private RedisExtension(Supplier<RedisServer> factory) {
        this.factory = factory;
    }

    /**
     * Returns an extension giving a standalone server ({@link RedisServer#standalone()}).
     *
     * @return a new extension
     */
    public static RedisExtension standalone() {
        return new RedisExtension(RedisServer::standalone);
    }

    /**
     * Returns an extension giving a three-master cluster ({@link RedisServer#cluster()}).
     *
     * @return a new extension
     */
    public static RedisExtension cluster() {
        return new RedisExtension(RedisServer::cluster);
    }

    /**
     * Returns an extension giving a {@code redis-server} process of its own, which the tests can stop,
     * restart and pause ({@link RedisServer#localProcess(String...)}).
     *
     * @param extraArguments arguments added to the server's command line, for example
     *     {@code "--user", "app", "on", ">secret", "~*", "+@all"}
     * @return a new extension
     */
    public static RedisExtension localProcess(String... extraArguments) {
        List<String> args = List.of(extraArguments);
        return new RedisExtension(() -> RedisServer.localProcess(args.toArray(new String[0])));
    }

    /**
     * Returns the server of the running test class.
     *
     * @return the server
     * @throws TestAbortedException if no Redis could be had (the test is skipped)
     * @throws IllegalStateException outside the class's tests, or if the extension is not registered on
     *     a static field
     */
    public synchronized RedisServer server() {
        if (skipped != null) {
            throw skipped;
        }
        if (server == null) {
            throw new IllegalStateException("no Redis server: register RedisExtension on a static field"
                    + " with @RegisterExtension, and use it from a test");
        }
        return server;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (depth++ == 0) {
            try {
                server = factory.get();
            } catch (TestAbortedException e) {
                // Reported on each test rather than on the class, where build tools show no reason.
                skipped = e;
            } catch (RuntimeException | Error e) {
                depth = 0;
                throw e;
            }
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (skipped != null) {
            throw new TestAbortedException(skipped.getMessage());
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (depth > 0 && --depth == 0) {
            skipped = null;
            if (server != null) {
                RedisServer s = server;
                server = null;
                s.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server();
    }
}
