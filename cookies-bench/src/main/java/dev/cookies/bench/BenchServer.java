package dev.cookies.bench;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.javalin.SessionPlugin;
import dev.cookies.store.memory.MemorySessionStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import jakarta.servlet.DispatcherType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.EnumSet;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
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
 * <p>{@code REDIS_URI} is {@code redis://HOST:PORT[/DB][?poolSize=N...]}: our store's URI for
 * {@code redis}, and for {@code spring} the same server, database and pool size (see
 * {@link SpringSessionMode}).
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
 *   <tr><td>{@code spring}</td><td>{@code /hello}, and {@code GET /spring}: the same reads and writes through
 *       {@code ctx.sessionAttribute} as {@code /jetty}, on Spring Session's {@code RedisSessionRepository}
 *       at {@code REDIS_URI}, its {@code SessionRepositoryFilter} in front of Javalin's servlet on the
 *       same Jetty ({@link SpringSessionMode})</td></tr>
 * </table>
 *
 * <p>Every session mode also has a counter for the contended-session benchmark, where all requests
 * share one session: {@code GET /MODE/increment} reads the profile and the count and writes count + 1
 * (ours in a locked update; Jetty's and Spring's through {@code ctx.sessionAttribute}, which takes
 * no lock), never wrapping; {@code GET /MODE/count} only reads it, and answers
 * {@code count=<count> ok=<200 answers of /MODE/increment so far>} (counted by {@link OkCounter}).
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
            System.err.println("usage: BenchServer hello|memory|redis|jetty|spring PORT [REDIS_URI]");
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
        SpringSessionMode spring = null;
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
            case "spring":
                if (args.length < 3) {
                    throw new IllegalArgumentException("mode spring needs a REDIS_URI argument");
                }
                spring = SpringSessionMode.connect(args[2]);
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
        SpringSessionMode springMode = spring;
        OkCounter[] increments = new OkCounter[1];
        Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = port;
            // The measured route first: Javalin's router tries a server's routes in the order they were
            // added, one pattern match each, so every measured route is found on the first try, as
            // /hello is on the baseline server. The other routes serve the script, not the measurement.
            if (plugged != null) {
                config.routes.get("/" + mode, ctx -> ours(ctx, profile));
            } else if (!mode.equals("hello")) {
                config.routes.get("/" + mode, ctx -> httpSession(ctx, profile));
            }
            config.routes.get("/hello", ctx -> ctx.result("Hello"));
            config.routes.get("/heap", ctx -> {
                gcHook.run();
                long used = settledHeapUsed();
                ctx.result("used=" + used + " sessions=" + liveSessions.getAsLong());
            });
            if (mode.equals("hello")) {
                return;
            }
            String increment = "/" + mode + "/increment";
            config.jetty.modifyServletContextHandler(handler -> increments[0] = OkCounter.install(handler, increment));
            config.routes.get("/" + mode + "/count", ctx -> ctx.result(
                    "count=" + (plugged != null ? oursCount(ctx) : httpSessionCount(ctx)) + " ok=" + increments[0].ok()));
            if (plugged != null) {
                config.registerPlugin(new SessionPlugin(plugged));
                config.routes.get(increment, ctx -> oursIncrement(ctx, profile));
            } else {
                if (jetty != null) {
                    config.jetty.modifyServletContextHandler(handler -> handler.setSessionHandler(jetty));
                }
                if (springMode != null) {
                    config.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                            new FilterHolder(springMode.filter()), "/*", EnumSet.of(DispatcherType.REQUEST)));
                }
                config.routes.get(increment, ctx -> httpSessionIncrement(ctx, profile));
            }
        }).start();
        System.out.println("READY " + mode + " on 127.0.0.1:" + port);
        System.out.flush();
    }

    /** Our session: read both keys and rewrite the count, under the session's lock. */
    private static void ours(Context ctx, String profile) {
        int count = SessionPlugin.session(ctx, SessionPayload.NAME).compute(d -> {
            if (d.get(SessionPayload.PROFILE).isEmpty()) {
                d.put(SessionPayload.PROFILE, ownCopy(profile));
            }
            int next = (d.get(SessionPayload.COUNT, Integer.class).orElse(0) + 1) % 10;
            d.put(SessionPayload.COUNT, next);
            return next;
        });
        ctx.result(Integer.toString(count));
    }

    /** Our session, one shared by all requests: read both keys, count + 1 under the lock, no wrap. */
    private static void oursIncrement(Context ctx, String profile) {
        int count = SessionPlugin.session(ctx, SessionPayload.NAME).compute(d -> {
            if (d.get(SessionPayload.PROFILE).isEmpty()) {
                d.put(SessionPayload.PROFILE, ownCopy(profile));
            }
            int next = d.get(SessionPayload.COUNT, Integer.class).orElse(0) + 1;
            d.put(SessionPayload.COUNT, next);
            return next;
        });
        ctx.result(Integer.toString(count));
    }

    private static int oursCount(Context ctx) {
        return SessionPlugin.session(ctx, SessionPayload.NAME).get(SessionPayload.COUNT, Integer.class).orElse(0);
    }

    /**
     * The servlet {@code HttpSession} (Jetty's own, or the one Spring Session's filter puts on the
     * request): the same reads and writes through Javalin's session attributes.
     */
    private static void httpSession(Context ctx, String profile) {
        readProfile(ctx, profile);
        Integer previous = ctx.sessionAttribute(SessionPayload.COUNT);
        int count = ((previous == null ? 0 : previous) + 1) % 10;
        ctx.sessionAttribute(SessionPayload.COUNT, count);
        ctx.result(Integer.toString(count));
    }

    /** The servlet {@code HttpSession}, one shared by all requests: count + 1, no lock, no wrap. */
    private static void httpSessionIncrement(Context ctx, String profile) {
        readProfile(ctx, profile);
        Integer previous = ctx.sessionAttribute(SessionPayload.COUNT);
        int count = (previous == null ? 0 : previous) + 1;
        ctx.sessionAttribute(SessionPayload.COUNT, count);
        ctx.result(Integer.toString(count));
    }

    private static int httpSessionCount(Context ctx) {
        Integer count = ctx.sessionAttribute(SessionPayload.COUNT);
        return count == null ? 0 : count;
    }

    private static void readProfile(Context ctx, String profile) {
        if (ctx.sessionAttribute(SessionPayload.PROFILE) == null) {
            ctx.sessionAttribute(SessionPayload.PROFILE, ownCopy(profile));
        }
    }

    /**
     * A string of its own for each new session, as a value read from a request would be. Jetty's
     * HttpSession and our memory store keep the values as objects, so one instance shared by all
     * sessions would hide its size from the memory benchmark.
     */
    private static String ownCopy(String profile) {
        return new String(profile.toCharArray());
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
