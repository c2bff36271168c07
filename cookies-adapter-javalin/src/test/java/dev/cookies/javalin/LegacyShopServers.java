package dev.cookies.javalin;

import dev.cookies.Sessions;
import dev.cookies.javalin.legacy.LegacyShop;
import dev.cookies.javalin.legacy.SessionCounter;
import dev.cookies.servlet.SessionFilter;
import dev.cookies.testkit.ReferenceServer;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The two ways the unchanged {@link LegacyShop} is deployed: as a servlet on plain Jetty 12 behind
 * {@link SessionFilter}, and inside Javalin 7 with {@link SessionPlugin}, its routes calling the same
 * servlet with {@code ctx.req()} and {@code ctx.res()}. Either way its listener is registered through
 * {@code ServletContext.addListener} from a {@code ServletContainerInitializer}.
 */
enum LegacyShopServers {

    JETTY {
        @Override
        ReferenceServer start(Sessions sessions, SessionCounter counter) throws Exception {
            Server server = new Server();
            HttpConfiguration http = new HttpConfiguration();
            http.setHeaderCacheCaseSensitive(true);
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServletContainerInitializer(LegacyShop.setup(counter));
            context.addFilter(new FilterHolder(new SessionFilter(sessions)), "/*",
                    EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
            context.addServlet(new ServletHolder(new LegacyShop()), "/*");
            server.setHandler(context);
            server.start();
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
            return new ReferenceServer() {
                @Override
                public URI baseUri() {
                    return base;
                }

                @Override
                public void close() {
                    try {
                        server.stop();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        }
    },

    JAVALIN {
        @Override
        ReferenceServer start(Sessions sessions, SessionCounter counter) {
            LegacyShop shop = new LegacyShop();
            Handler legacy = ctx -> shop.service(ctx.req(), ctx.res());
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.startup.startupWatcherEnabled = false;
                config.registerPlugin(new SessionPlugin(sessions));
                config.jetty.modifyServletContextHandler(h -> h.addServletContainerInitializer(LegacyShop.setup(counter)));
                for (String path : new String[] {"/cart/add", "/login", "/logout", "/prefs"}) {
                    config.routes.post(path, legacy);
                }
                for (String path : new String[] {"/cart", "/whoami", "/prefs"}) {
                    config.routes.get(path, legacy);
                }
            }).start("127.0.0.1", 0);
            URI base = URI.create("http://127.0.0.1:" + app.port());
            return new ReferenceServer() {
                @Override
                public URI baseUri() {
                    return base;
                }

                @Override
                public void close() {
                    app.stop();
                }
            };
        }
    };

    abstract ReferenceServer start(Sessions sessions, SessionCounter counter) throws Exception;
}
