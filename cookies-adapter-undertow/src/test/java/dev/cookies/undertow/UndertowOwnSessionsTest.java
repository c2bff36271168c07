package dev.cookies.undertow;

import dev.cookies.SessionManager;
import dev.cookies.testkit.ContractStore;
import io.undertow.Undertow;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.session.InMemorySessionManager;
import io.undertow.server.session.SessionCookieConfig;
import java.util.function.Consumer;

/**
 * The same app and expectations on Undertow's own {@link InMemorySessionManager} and its JSESSIONID
 * cookie, without Cookies: what the bridge must match.
 */
class UndertowOwnSessionsTest extends SessionApiContract {

    @Override
    protected ContractStore store() {
        throw new UnsupportedOperationException("Undertow's own sessions live in its manager");
    }

    @Override
    protected String sessionCookie() {
        return "JSESSIONID";
    }

    @Override
    protected Running start(Consumer<RoutingHandler> extra, Consumer<SessionManager.Builder> tune) {
        ShopApp.Counts counts = new ShopApp.Counts();
        // Dispatched to a worker, as the SessionHandler does for the bridge: the race routes block.
        Undertow server = serve(new BlockingHandler(
                ShopApp.handler(new InMemorySessionManager("shop"), new SessionCookieConfig(), counts, extra)));
        return new Running(base(server), counts, null, server::stop);
    }
}
