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
 * A JUnit 5 extension that gives a test class one {@link PostgresServer}, found or started before its
 * first test and closed after its last, in the order {@link PostgresServer} documents
 * ({@code JDBC_URL}, the local server binaries, Testcontainers, else skip, or fail when
 * {@code CI=true}).
 *
 * <p>Register it on a {@code static} field, so that it runs once per class:
 *
 * <pre>{@code
 * class PostgresSessionStoreContractTest extends SessionStoreContract {
 *     @RegisterExtension
 *     static final PostgresExtension POSTGRES = PostgresExtension.find();
 *
 *     protected ServerSideStore createStore(MutableClock clock) {
 *         return JdbcSessionStore.create(POSTGRES.server().uri() + "&createTable=true");
 *     }
 * }
 * }</pre>
 *
 * <p>When no PostgreSQL can be had, each test of the class is reported as skipped with the reason (with
 * {@code CI=true}, the class fails instead). Test and lifecycle methods may also take a
 * {@link PostgresServer} parameter. {@code @Nested} classes share the outer class's server.
 *
 * @since 0.1
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        ParameterResolver {

    private final Supplier<PostgresServer> factory;
    private PostgresServer server;
    private TestAbortedException skipped;
    private int depth;

    private PostgresExtension(Supplier<PostgresServer> factory) {
        this.factory = factory;
    }

    /**
     * Returns an extension giving whichever server {@link PostgresServer#find()} finds or starts.
     *
     * @return a new extension
     */
    public static PostgresExtension find() {
        return new PostgresExtension(PostgresServer::find);
    }

    /**
     * Returns an extension giving a server of its own from the local binaries, which the tests can
     * stop, restart and pause ({@link PostgresServer#localProcess(String...)}).
     *
     * @param settings server settings, each {@code name=value}
     * @return a new extension
     */
    public static PostgresExtension localProcess(String... settings) {
        List<String> s = List.of(settings);
        return new PostgresExtension(() -> PostgresServer.localProcess(s.toArray(new String[0])));
    }

    /**
     * Returns the server of the running test class.
     *
     * @return the server
     * @throws TestAbortedException if no PostgreSQL could be had (the test is skipped)
     * @throws IllegalStateException outside the class's tests, or if the extension is not registered on
     *     a static field
     */
    public synchronized PostgresServer server() {
        if (skipped != null) {
            throw skipped;
        }
        if (server == null) {
            throw new IllegalStateException("no PostgreSQL server: register PostgresExtension on a static field"
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
                PostgresServer s = server;
                server = null;
                s.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server();
    }
}
