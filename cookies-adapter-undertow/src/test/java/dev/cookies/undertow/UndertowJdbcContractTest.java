package dev.cookies.undertow;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.ContractStore;
import dev.cookies.testkit.PostgresExtension;
import dev.cookies.testkit.ReferenceServer;
import io.undertow.server.handlers.RedirectHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The adapter contract on Undertow with the JDBC store on a real PostgreSQL, each session manager in its
 * own table. The outage scenarios are the JDBC store's own: a port where nothing listens (down), and a
 * socket that is listening but never accepts (hung), each with the store's short timeouts.
 */
class UndertowJdbcContractTest extends AdapterContract {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.find();

    /**
     * The store's timeouts against the live database: generous, since a test machine shared with other
     * builds can take seconds to open a connection; the outage scenarios set their own short ones.
     */
    static final String TIMEOUT = "10s";

    private static final ServerSocket HUNG = listenWithoutAccepting();

    @AfterAll
    static void closeHung() throws IOException {
        HUNG.close();
    }

    @Override
    protected String adapterName() {
        return "undertow";
    }

    @Override
    protected ContractStore store() {
        return ContractStore.perManager("jdbc", (name, b) -> b.store(POSTGRES.server().uri()
                        + "&createTable=true&table=contract_" + name + "&timeout=" + TIMEOUT))
                .down(b -> b.store("jdbc:postgresql://127.0.0.1:" + closedPort() + "/cookies?timeout=500ms"))
                .hung(b -> b.store("jdbc:postgresql://127.0.0.1:" + HUNG.getLocalPort() + "/cookies?timeout=500ms"));
    }

    @Override
    protected ReferenceServer start(Sessions sessions) {
        return UndertowReferenceApp.start(sessions, null, null);
    }

    @Override
    protected ReferenceServer startWithLoginRedirect(Sessions sessions) {
        return UndertowReferenceApp.start(sessions, new RedirectHandler(LOGIN_PAGE), null);
    }

    /** A loopback port that was free a moment ago, so that connecting to it is refused. */
    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServerSocket listenWithoutAccepting() {
        try {
            return new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
