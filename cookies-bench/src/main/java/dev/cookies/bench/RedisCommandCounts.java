package dev.cookies.bench;

import dev.cookies.AuthSession;
import dev.cookies.OpenSessions;
import dev.cookies.Session;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Jedis;

/**
 * Counts the Redis commands each kind of request costs, as Redis itself sees them, through the real
 * engine ({@link Sessions} driven by the test kit's {@link FakeBrowser}) on our Redis store.
 *
 * <p>For each kind of request: prepare the browser's state (a known session, a logged-in one, ...),
 * then {@code CONFIG RESETSTAT}, run the one request with a {@code MONITOR} connection open, send an
 * {@code ECHO} marker, and read {@code INFO commandstats}.
 * <ul>
 *   <li><b>Round trips</b>: commands the store's client sent, from {@code MONITOR} (lines from a
 *       client address; a script is one).</li>
 *   <li><b>Inside scripts</b>: commands the scripts ran, from {@code MONITOR} (lines marked
 *       {@code lua}).</li>
 *   <li><b>Total</b>: the sum of {@code calls} in {@code INFO commandstats}, which counts both: an
 *       {@code EVALSHA} and every command its script ran.</li>
 * </ul>
 * The control commands ({@code CONFIG}, {@code INFO}, {@code ECHO}) are left out. Each request kind
 * runs three times on fresh state after a warm-up (so no connection set-up is counted); the counts
 * must agree.
 *
 * <p>Redis is {@code REDIS_URL} if set, else a {@code redis-server} from the {@code PATH} started on
 * a free loopback port.
 *
 * <pre>
 * java -cp cookies-bench/target/benchmarks.jar dev.cookies.bench.RedisCommandCounts
 * </pre>
 */
public final class RedisCommandCounts {

    private static final Pattern MONITOR_LINE = Pattern.compile("^\\+\\d+\\.\\d+ \\[\\d+ ([^\\]]+)\\] \"([^\"]+)\"");
    private static final Pattern STAT = Pattern.compile("^cmdstat_([^:]+):calls=(\\d+)");
    private static final Set<String> CONTROL = Set.of("config", "info", "echo", "monitor");

    private RedisCommandCounts() {
    }

    /** A kind of request: how to prepare the browser, the request's method and what its handler does. */
    private record Kind(String name, Supplier<FakeBrowser> prepare, Consumer<OpenSessions> handler) {
    }

    /** What Redis saw for one request. */
    private record Count(List<String> client, List<String> scripted, Map<String, Long> stats) {
        long total() {
            return stats.values().stream().mapToLong(Long::longValue).sum();
        }

        String signature() {
            return client + "|" + scripted + "|" + stats;
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        try (RedisServer redis = RedisServer.standalone();
             Sessions sessions = Sessions.of(SessionManager.builder(SessionPayload.NAME).store(redis.uri()).build())) {
            InetSocketAddress node = redis.nodes().get(0);
            String host = node.getHostString();
            int port = node.getPort();
            String profile = SessionPayload.profileFor(BenchServer.SESSION_BYTES);

            Supplier<FakeBrowser> fresh = () -> new FakeBrowser(sessions);
            Supplier<FakeBrowser> known = () -> {
                FakeBrowser b = new FakeBrowser(sessions);
                SessionPayload.seed(b, profile.length());
                return b;
            };
            // A user of their own for every login: the index script extends a user's key only when its
            // expiry must grow, which for a second login of the same user depends on the clock's second.
            AtomicInteger users = new AtomicInteger();
            Consumer<OpenSessions> login = open -> AuthSession.of(session(open)).login("user-" + users.incrementAndGet());
            Supplier<FakeBrowser> loggedIn = () -> {
                FakeBrowser b = known.get();
                b.request("POST", login);
                return b;
            };
            List<Kind> kinds = List.of(
                    new Kind("untouched: a request that never reads its session", known, open -> { }),
                    new Kind("read-only: get on a known session", known,
                            open -> session(open).get(SessionPayload.COUNT)),
                    new Kind("write: locked update of a known session", known,
                            open -> session(open).update(d -> SessionPayload.readWrite(d, profile))),
                    new Kind("read, then locked update (the JMH cycle)", known, open -> {
                        session(open).get(SessionPayload.PROFILE);
                        session(open).update(d -> SessionPayload.readWrite(d, profile));
                    }),
                    new Kind("unlocked write of a known session (applied at commit)", known,
                            open -> session(open).put(SessionPayload.COUNT, 5)),
                    new Kind("first write: a new session", fresh,
                            open -> session(open).update(d -> SessionPayload.readWrite(d, profile))),
                    new Kind("login, no session before", fresh, login),
                    new Kind("login over an anonymous session", known, login),
                    new Kind("read-only: get on a logged-in session", loggedIn,
                            open -> session(open).get(SessionPayload.COUNT)),
                    new Kind("write: locked update of a logged-in session", loggedIn,
                            open -> session(open).update(d -> SessionPayload.readWrite(d, profile))),
                    new Kind("logout of a logged-in session", loggedIn,
                            open -> AuthSession.of(session(open)).logout()),
                    new Kind("list the user's sessions (1 session)", loggedIn,
                            open -> AuthSession.of(session(open)).sessions()));

            try (Jedis control = new Jedis(host, port)) {
                for (Kind kind : kinds) {
                    // Warm-up: the pool's connection exists before anything is counted.
                    kind.prepare().get().request("POST", kind.handler());
                }
                StringBuilder table = new StringBuilder();
                table.append("| request | round trips | commands inside scripts | total commands (INFO commandstats) | by command |\n");
                table.append("|---|---:|---:|---:|---|\n");
                int marker = 0;
                for (Kind kind : kinds) {
                    Count first = null;
                    for (int run = 0; run < 3; run++) {
                        FakeBrowser browser = kind.prepare().get();
                        Count count = measure(host, port, control, "bench-marker-" + (marker++),
                                () -> browser.request("POST", kind.handler()));
                        if (first == null) {
                            first = count;
                        } else if (!first.signature().equals(count.signature())) {
                            throw new IllegalStateException(kind.name() + ": counts differ between runs: "
                                    + first.signature() + " vs " + count.signature());
                        }
                    }
                    table.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %s |%n", kind.name(),
                            counted(first.client()), counted(first.scripted()), first.total(),
                            byCommand(first.stats())));
                }
                System.out.print(table);
            }
        }
    }

    private static Session session(OpenSessions open) {
        return open.session(SessionPayload.NAME);
    }

    private static String counted(List<String> commands) {
        return commands.isEmpty() ? "0" : commands.size() + " (" + String.join(", ", commands) + ")";
    }

    private static String byCommand(Map<String, Long> stats) {
        List<String> parts = new ArrayList<>();
        stats.forEach((command, calls) -> parts.add(command + " " + calls));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static Count measure(String host, int port, Jedis control, String marker, Runnable request)
            throws IOException, InterruptedException {
        try (Socket monitor = new Socket(host, port)) {
            monitor.setSoTimeout(10_000);
            OutputStream out = monitor.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8));
            out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (!"+OK".equals(in.readLine())) {
                throw new IllegalStateException("MONITOR refused");
            }
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException closed) {
                    // the socket was closed once the marker was seen
                }
            }, "monitor");
            reader.setDaemon(true);
            reader.start();

            control.configResetStat();
            request.run();
            control.echo(marker);

            List<String> client = new ArrayList<>();
            List<String> scripted = new ArrayList<>();
            while (true) {
                String line = lines.poll(10, TimeUnit.SECONDS);
                if (line == null) {
                    throw new IllegalStateException("MONITOR never showed the marker " + marker);
                }
                Matcher m = MONITOR_LINE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                String command = m.group(2).toLowerCase(Locale.ROOT);
                if (command.equals("echo") && line.contains(marker)) {
                    break;
                }
                if (CONTROL.contains(command)) {
                    continue;
                }
                (m.group(1).equals("lua") ? scripted : client).add(command.toUpperCase(Locale.ROOT));
            }
            Map<String, Long> stats = new TreeMap<>();
            for (String line : control.info("commandstats").split("\r?\n")) {
                Matcher m = STAT.matcher(line);
                // Redis 7 names subcommands "config|resetstat".
                if (m.find() && !CONTROL.contains(m.group(1).split("\\|")[0])) {
                    stats.put(m.group(1).toUpperCase(Locale.ROOT), Long.parseLong(m.group(2)));
                }
            }
            return new Count(client, scripted, stats);
        }
    }
}
