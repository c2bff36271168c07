package dev.cookies.bench;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.javalin.SessionPlugin;
import dev.cookies.store.memory.MemorySessionStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.session.DefaultSessionCache;
import org.eclipse.jetty.session.NullSessionDataStore;

/**
 * The Javalin server the HTTP-load and memory benchmarks drive, one mode per JVM, so that each mode
 * runs with exactly the same Javalin and Jetty settings (Javalin 7's defaults, on 127.0.0.1) and
 * nothing of the other modes.
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp cookies-bench/target/benchmarks.jar dev.cookies.bench.BenchServer MODE PORT [REDIS_URI]
 * </pre>
 *
 * <table>
 *   <caption>Modes</caption>
 *   <tr><th>mode</th><th>routes</th></tr>
 *   <tr><td>{@code hello}</td><td>{@code GET /hello}: "Hello", no session</td></tr>
 *   <tr><td>{@code memory}</td><td>{@code /hello}, and {@code GET /memory}: our {@link SessionPlugin} on a
 *       {@link MemorySessionStore}; the handler reads the session and rewrites it in a locked update</td></tr>
 *   <tr><td>{@code redis}</td><td>{@code /hello}, and {@code GET /redis}: the same handler, on our Redis store
 *       at {@code REDIS_URI}</td></tr>
 *   <tr><td>{@code jetty}</td><td>{@code /hello}, and {@code GET /jetty}: the same reads and writes through
 *       {@code ctx.sessionAttribute}, on Jetty's in-memory HttpSession (an ee10 {@link SessionHandler} with a
 *       {@link DefaultSessionCache} over a {@link NullSessionDataStore}, as Javalin installs by default,
 *       made explicit here)</td></tr>
 * </table>
 *
 * <p>Each session holds the same two attributes: {@code profile}, a string sized so that our encoded
 * session is exactly 200 bytes, and {@code count}, a one-digit integer each request rewrites. Every
 * mode also answers {@code GET /heap}: it collects garbage until the used heap is stable and answers
 * {@code used=<bytes> sessions=<live sessions>} (the memory benchmark reads it). The process prints
 * {@code READY} once it listens.
 */
public final class BenchServer {

    /** The encoded size of the session every mode stores. */
    static final int SESSION_BYTES = 200;

    private BenchServer() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: BenchServer hello|memory|redis|jetty PORT [REDIS_URI]");
            System.exit(2);
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        String mode = args[0].toLowerCase(Locale.ROOT);
        int port = Integer.parseInt(args[1]);
        String profile = SessionPayload.profileFor(SESSION_BYTES);

        LongSupplier liveSessions;
        Runnable beforeGc = () -> { };
        Sessions sessions = null;
        SessionHandler jettySessions = null;
        switch (mode) {
            case "hello":
                liveSessions = () -> 0;
                break;
            case "memory": {
                MemorySessionStore store = MemorySessionStore.create();
                sessions = Sessions.of(SessionManager.builder(SessionPayload.NAME).store(store).build());
                liveSessions = store::estimatedSize;
                beforeGc = store::cleanUp;
                break;
            }
            case "redis":
                if (args.length < 3) {
                    throw new IllegalArgumentException("mode redis needs a REDIS_URI argument");
                }
                sessions = Sessions.of(SessionManager.builder(SessionPayload.NAME).store(args[2]).build());
                liveSessions = () -> -1;
                break;
            case "jetty": {
                jettySessions = new SessionHandler();
                jettySessions.setHttpOnly(true);
                jettySessions.setSameSite(HttpCookie.SameSite.LAX);
                DefaultSessionCache cache = new DefaultSessionCache(jettySessions);
                cache.setSessionDataStore(new NullSessionDataStore());
                jettySessions.setSessionCache(cache);
                liveSessions = cache::getSessionsCurrent;
                break;
            }
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }

        Sessions plugged = sessions;
        SessionHandler jetty = jettySessions;
        Runnable gcHook = beforeGc;
        Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = port;
            config.routes.get("/hello", ctx -> ctx.result("Hello"));
            config.routes.get("/heap", ctx -> {
                gcHook.run();
                long used = settledHeapUsed();
                ctx.result("used=" + used + " sessions=" + liveSessions.getAsLong());
            });
            if (plugged != null) {
                config.registerPlugin(new SessionPlugin(plugged));
                config.routes.get("/" + mode, ctx -> ours(ctx, profile));
            }
            if (jetty != null) {
                config.jetty.modifyServletContextHandler(handler -> handler.setSessionHandler(jetty));
                config.routes.get("/jetty", ctx -> jettys(ctx, profile));
            }
        }).start();
        System.out.println("READY " + mode + " on 127.0.0.1:" + port);
        System.out.flush();
    }

    /** Our session: read both keys and rewrite the count, under the session's lock. */
    private static void ours(Context ctx, String profile) {
        int count = SessionPlugin.session(ctx, SessionPayload.NAME).compute(d -> {
            SessionPayload.readWrite(d, profile);
            return d.get(SessionPayload.COUNT, Integer.class).orElseThrow();
        });
        ctx.result(Integer.toString(count));
    }

    /** Jetty's HttpSession: the same reads and writes through Javalin's session attributes. */
    private static void jettys(Context ctx, String profile) {
        if (ctx.sessionAttribute(SessionPayload.PROFILE) == null) {
            // A string of its own, as a value read from a request would be: sharing one instance
            // between all sessions would hide its size from the memory benchmark.
            ctx.sessionAttribute(SessionPayload.PROFILE, new String(profile.toCharArray()));
        }
        Integer previous = ctx.sessionAttribute(SessionPayload.COUNT);
        int count = ((previous == null ? 0 : previous) + 1) % 10;
        ctx.sessionAttribute(SessionPayload.COUNT, count);
        ctx.result(Integer.toString(count));
    }

    /**
     * Collects garbage until two readings of the used heap agree within 0.1% (at most 20 tries), and
     * returns the last.
     */
    static long settledHeapUsed() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = -1;
        for (int i = 0; i < 20; i++) {
            System.gc();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long used = memory.getHeapMemoryUsage().getUsed();
            if (previous >= 0 && Math.abs(used - previous) <= used / 1000) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
