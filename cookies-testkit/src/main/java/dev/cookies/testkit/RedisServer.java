package dev.cookies.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A Redis server for tests: a standalone server or a three-master cluster, found or started in this
 * order.
 *
 * <ol>
 *   <li>The environment: {@code REDIS_URL} (standalone, for example {@code redis://localhost:6379}) or
 *       {@code REDIS_CLUSTER_URL} (cluster, for example
 *       {@code redis-cluster://127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002}).</li>
 *   <li>{@code redis-server} from the {@code PATH}, started on a free loopback port in a temporary
 *       directory with {@code --save '' --appendonly no}, and killed by {@link #close()} (or, failing
 *       that, when the JVM exits). A cluster is three such servers joined with
 *       {@code redis-cli --cluster create ... --cluster-replicas 0 --cluster-yes}, so it also needs
 *       {@code redis-cli}.</li>
 *   <li>A {@code redis} container through Testcontainers, for a standalone server only, when the
 *       optional {@code org.testcontainers:testcontainers} dependency is on the test classpath and a
 *       Docker engine answers. The image is {@code REDIS_IMAGE}, default {@code redis:7.4-alpine}.</li>
 *   <li>Otherwise the calling test is skipped (aborted) with a message saying how to enable it:
 *       install {@code redis-server} or set {@code REDIS_URL}. When the environment variable
 *       {@code CI} is {@code true} a missing Redis fails the test instead, so a CI build can never
 *       pass by silently skipping its Redis tests.</li>
 * </ol>
 *
 * <p>Only a server this fixture started itself as a process ({@link Source#LOCAL_PROCESS}) can be
 * {@linkplain #stop() stopped}, {@linkplain #restart() restarted} and {@linkplain #pause() paused}, for
 * fault tests; on other servers those methods skip (or, with {@code CI=true}, fail) the test.
 * Most tests use it through {@link RedisExtension}.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.standalone()) {
 *     SessionManager m = SessionManager.builder("session").store(redis.uri()).build();
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class RedisServer implements AutoCloseable {

    /** Where a {@link RedisServer} came from. */
    public enum Source {
        /** Given by {@code REDIS_URL} or {@code REDIS_CLUSTER_URL}; shared with whatever else uses it. */
        ENVIRONMENT,
        /** A {@code redis-server} process this fixture started, and owns. */
        LOCAL_PROCESS,
        /** A container this fixture started through Testcontainers, and owns. */
        CONTAINER
    }

    /** The environment variable naming an existing standalone server. */
    public static final String REDIS_URL = "REDIS_URL";
    /** The environment variable naming an existing cluster. */
    public static final String REDIS_CLUSTER_URL = "REDIS_CLUSTER_URL";

    private static final Duration IO_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "redis-server reaper"));
    }

    private final Source source;
    private final boolean cluster;
    private final String uri;
    private final List<InetSocketAddress> nodes;
    private final List<LocalNode> locals;
    private final AutoCloseable container;
    private final Path dir;
    private final String version;

    private RedisServer(Source source, boolean cluster, String uri, List<InetSocketAddress> nodes,
                        List<LocalNode> locals, AutoCloseable container, Path dir, String version) {
        this.source = source;
        this.cluster = cluster;
        this.uri = uri;
        this.nodes = List.copyOf(nodes);
        this.locals = locals;
        this.container = container;
        this.dir = dir;
        this.version = version;
    }

    /**
     * Finds or starts a standalone server, in the order the class documentation gives.
     *
     * @return the server; close it when done
     * @throws org.opentest4j.TestAbortedException if no Redis can be had (the test is skipped)
     * @throws AssertionError instead of skipping, when {@code CI=true}
     */
    public static RedisServer standalone() {
        Optional<String> url = env(REDIS_URL);
        if (url.isPresent()) {
            URI parsed = URI.create(url.get());
            return new RedisServer(Source.ENVIRONMENT, false, url.get(), parseNodes(parsed), List.of(), null, null,
                    "unknown");
        }
        Optional<Path> server = onPath("redis-server");
        if (server.isPresent()) {
            Path dir = tempDir();
            try {
                LocalNode node = LocalNode.startOnFreePort(server.get(), dir, false, List.of());
                return new RedisServer(Source.LOCAL_PROCESS, false, "redis://127.0.0.1:" + node.port,
                        List.of(node.address()), List.of(node), null, dir, version(server.get()));
            } catch (RuntimeException | Error e) {
                deleteTree(dir);
                throw e;
            }
        }
        if (testcontainersPresent() && ContainerRedis.dockerAvailable()) {
            ContainerRedis c = ContainerRedis.start(env("REDIS_IMAGE").orElse("redis:7.4-alpine"));
            return new RedisServer(Source.CONTAINER, false, "redis://" + c.host() + ":" + c.port(),
                    List.of(InetSocketAddress.createUnresolved(c.host(), c.port())), List.of(), c, null, c.image());
        }
        return unavailable("Redis", "no REDIS_URL, no redis-server on the PATH"
                + (testcontainersPresent() ? ", and Docker is not available to Testcontainers" : "")
                + ". Install redis-server (apt-get install redis-server, brew install redis) or set REDIS_URL=redis://host:port");
    }

    /**
     * Starts a standalone {@code redis-server} from the {@code PATH} with extra arguments, for tests
     * that need a particular server: ACL users ({@code --user alice on >secret ~* +@all}), TLS
     * ({@code --tls-port ...}). Unlike {@link #standalone()} it ignores {@code REDIS_URL} and has no
     * container fallback, since neither could take the arguments.
     *
     * @param extraArguments appended to the fixture's own ({@code --port}, {@code --bind 127.0.0.1},
     *     {@code --save ''}, {@code --appendonly no}, {@code --dir})
     * @return the server; close it when done
     * @throws org.opentest4j.TestAbortedException if {@code redis-server} is not on the {@code PATH}
     *     (the test is skipped)
     * @throws AssertionError instead of skipping, when {@code CI=true}
     */
    public static RedisServer localProcess(String... extraArguments) {
        Optional<Path> server = onPath("redis-server");
        if (server.isEmpty()) {
            return unavailable("A local redis-server", "redis-server is not on the PATH. Install redis-server"
                    + " (apt-get install redis-server, brew install redis)");
        }
        Path dir = tempDir();
        try {
            LocalNode node = LocalNode.startOnFreePort(server.get(), dir, false, List.of(extraArguments));
            return new RedisServer(Source.LOCAL_PROCESS, false, "redis://127.0.0.1:" + node.port,
                    List.of(node.address()), List.of(node), null, dir, version(server.get()));
        } catch (RuntimeException | Error e) {
            deleteTree(dir);
            throw e;
        }
    }

    /**
     * Finds or starts a three-master cluster on loopback: {@code REDIS_CLUSTER_URL}, or three
     * {@code redis-server} processes joined by {@code redis-cli --cluster create}. There is no container
     * fallback for a cluster.
     *
     * @return the cluster; close it when done
     * @throws org.opentest4j.TestAbortedException if no cluster can be had (the test is skipped)
     * @throws AssertionError instead of skipping, when {@code CI=true}
     */
    public static RedisServer cluster() {
        Optional<String> url = env(REDIS_CLUSTER_URL);
        if (url.isPresent()) {
            return new RedisServer(Source.ENVIRONMENT, true, url.get(), parseNodes(URI.create(url.get())), List.of(),
                    null, null, "unknown");
        }
        Optional<Path> server = onPath("redis-server");
        Optional<Path> cli = onPath("redis-cli");
        if (server.isEmpty() || cli.isEmpty()) {
            return unavailable("Redis Cluster", "no REDIS_CLUSTER_URL, and " + (server.isEmpty() ? "redis-server" : "redis-cli")
                    + " is not on the PATH. Install redis-server and redis-cli (apt-get install redis-server, brew install redis)"
                    + " or set REDIS_CLUSTER_URL=redis-cluster://host:port,host:port,host:port");
        }
        Path dir = tempDir();
        List<LocalNode> started = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                started.add(LocalNode.startOnFreePort(server.get(), dir, true, List.of()));
            }
            createCluster(cli.get(), dir, started);
            List<InetSocketAddress> addresses = started.stream().map(LocalNode::address).collect(Collectors.toList());
            String clusterUri = "redis-cluster://" + started.stream().map(n -> "127.0.0.1:" + n.port)
                    .collect(Collectors.joining(","));
            return new RedisServer(Source.LOCAL_PROCESS, true, clusterUri, addresses, started, null, dir,
                    version(server.get()));
        } catch (RuntimeException | Error e) {
            started.forEach(LocalNode::kill);
            deleteTree(dir);
            throw e;
        }
    }

    /**
     * Returns the URI to configure a store with: {@code redis://127.0.0.1:port} for a standalone
     * server, {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3} for a cluster, or the
     * environment's URL as given.
     *
     * @return the URI
     */
    public String uri() {
        return uri;
    }

    /**
     * Returns the address of each node: one for a standalone server, each master for a cluster.
     *
     * @return the addresses, in a fixed order
     */
    public List<InetSocketAddress> nodes() {
        return nodes;
    }

    /**
     * Returns where this server came from.
     *
     * @return the source
     */
    public Source source() {
        return source;
    }

    /**
     * Returns whether this is a cluster.
     *
     * @return {@code true} for {@link #cluster()}
     */
    public boolean isCluster() {
        return cluster;
    }

    /**
     * Returns whether nothing but this test run uses the server (it was started here), so that
     * server-wide statistics such as {@code INFO commandstats} describe only the test's own commands.
     *
     * @return {@code false} for a server from the environment
     */
    public boolean dedicated() {
        return source != Source.ENVIRONMENT;
    }

    /**
     * Returns whether {@link #stop()}, {@link #restart()}, {@link #pause()} and {@link #resume()} work:
     * only for a standalone {@code redis-server} process started here.
     *
     * @return whether the server can be stopped and restarted
     */
    public boolean controllable() {
        return source == Source.LOCAL_PROCESS && !cluster;
    }

    /**
     * Shuts the server down as an operator would ({@code SHUTDOWN SAVE}, sent as the default user): it
     * stops answering, and its data is kept in its temporary directory, as a Redis with persistence
     * keeps it. Clients then get "connection refused". A server whose default user may not shut it down
     * is killed instead, after 10 seconds, without its data.
     *
     * @throws org.opentest4j.TestAbortedException if the server is not {@linkplain #controllable()
     *     controllable} (or {@link AssertionError} with {@code CI=true})
     */
    public void stop() {
        requireControl("stop");
        locals.get(0).shutdownSaving();
    }

    /**
     * Starts the server again after {@link #stop()}, on the same port, with the data it had, and waits
     * until it answers.
     *
     * @throws org.opentest4j.TestAbortedException if the server is not {@linkplain #controllable()
     *     controllable} (or {@link AssertionError} with {@code CI=true})
     * @throws IllegalStateException if it does not come back within 20 seconds
     */
    public void restart() {
        requireControl("restart");
        locals.get(0).start();
    }

    /**
     * Freezes the server ({@code SIGSTOP}): connections are still accepted by the operating system but
     * nothing is answered, so clients run into their read timeouts, as with a hung server or a network
     * partition.
     *
     * @throws org.opentest4j.TestAbortedException if the server is not {@linkplain #controllable()
     *     controllable} (or {@link AssertionError} with {@code CI=true})
     */
    public void pause() {
        requireControl("pause");
        locals.get(0).signal("STOP");
    }

    /**
     * Resumes a {@linkplain #pause() paused} server ({@code SIGCONT}); commands sent meanwhile are then
     * executed.
     *
     * @throws org.opentest4j.TestAbortedException if the server is not {@linkplain #controllable()
     *     controllable} (or {@link AssertionError} with {@code CI=true})
     */
    public void resume() {
        requireControl("resume");
        locals.get(0).signal("CONT");
    }

    /**
     * Sends one command to the first node on a new connection, for assertions on the server's own
     * view ({@code INFO commandstats}, {@code PTTL key}, {@code CONFIG RESETSTAT}).
     *
     * @param args the command and its arguments, for example {@code "PTTL", "key"}
     * @return the reply: a {@code String}, a {@code Long}, a {@code List} of replies, or {@code null}
     * @throws IllegalStateException for an error reply
     * @throws UncheckedIOException if the server cannot be reached
     */
    public Object command(String... args) {
        return command(0, args);
    }

    /**
     * Sends one command to one node on a new connection.
     *
     * @param node the node's index in {@link #nodes()}
     * @param args the command and its arguments
     * @return the reply: a {@code String}, a {@code Long}, a {@code List} of replies, or {@code null}
     * @throws IllegalStateException for an error reply
     * @throws UncheckedIOException if the server cannot be reached
     */
    public Object command(int node, String... args) {
        if (source == Source.ENVIRONMENT && uri.contains("@")) {
            throw new IllegalStateException("command() does not authenticate; use your own client for " + this);
        }
        try {
            return Resp.once(resolved(nodes.get(node)), IO_TIMEOUT, args);
        } catch (Resp.ErrorReply e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Stops what this fixture started and deletes its temporary directory. Idempotent. */
    @Override
    public void close() {
        for (LocalNode n : locals) {
            n.kill();
        }
        if (container != null) {
            try {
                container.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop the Redis container", e);
            }
        }
        if (dir != null) {
            deleteTree(dir);
        }
    }

    @Override
    public String toString() {
        String where = source == Source.LOCAL_PROCESS ? "redis-server " + version + " (PATH)"
                : source == Source.CONTAINER ? "container " + version : "environment";
        return (cluster ? "Redis Cluster " : "Redis ") + uri + " from " + where;
    }

    // ---- helpers

    private void requireControl(String what) {
        if (!controllable()) {
            unavailable("A Redis this test can " + what, "the server " + this
                    + " was not started by the fixture as a standalone redis-server process. Unset REDIS_URL and"
                    + " install redis-server so the fixture can start (and stop) its own");
        }
    }

    static boolean ci() {
        return env("CI").map(v -> v.equalsIgnoreCase("true")).orElse(false);
    }

    private static <T> T unavailable(String what, String why) {
        String message = what + " is not available for this test: " + why + ".";
        if (ci()) {
            throw new AssertionError(message + " CI=true, so this fails instead of skipping.");
        }
        return Assumptions.abort(message);
    }

    private static Optional<String> env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static Optional<Path> onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, binary);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean testcontainersPresent() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, RedisServer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static List<InetSocketAddress> parseNodes(URI uri) {
        String authority = uri.getRawAuthority();
        if (authority == null) {
            throw new IllegalArgumentException("no host in " + uri.getScheme() + " URL");
        }
        int at = authority.lastIndexOf('@');
        String hosts = at < 0 ? authority : authority.substring(at + 1);
        List<InetSocketAddress> result = new ArrayList<>();
        for (String hp : hosts.split(",")) {
            int colon = hp.lastIndexOf(':');
            boolean hasPort = colon > hp.lastIndexOf(']');
            String host = hasPort ? hp.substring(0, colon) : hp;
            int port = hasPort ? Integer.parseInt(hp.substring(colon + 1)) : 6379;
            result.add(InetSocketAddress.createUnresolved(host.replace("[", "").replace("]", ""), port));
        }
        return result;
    }

    private static InetSocketAddress resolved(InetSocketAddress a) {
        return a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("cookies-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temporary directory
        }
    }

    private static String version(Path server) {
        try {
            Process p = new ProcessBuilder(server.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("v=(\\S+)").matcher(out);
            return m.find() ? m.group(1) : out.trim();
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static void createCluster(Path cli, Path dir, List<LocalNode> nodes) {
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
        for (LocalNode n : nodes) {
            cmd.add("127.0.0.1:" + n.port);
        }
        cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Path log = dir.resolve("cluster-create.log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create did not finish in 60 s: " + read(log));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed (exit " + p.exitValue() + "): " + read(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
        // redis-cli returns once the nodes agree on the slots; wait until each one also says the
        // cluster is ok and knows every master, so that a client's first CLUSTER SLOTS is complete.
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (LocalNode n : nodes) {
            while (!n.clusterReady(nodes.size())) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("cluster node 127.0.0.1:" + n.port + " not ready in "
                            + START_TIMEOUT + "; redis-cli said: " + read(log));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    private static String read(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /** One {@code redis-server} process on a fixed loopback port. */
    private static final class LocalNode {
        private final Path binary;
        private final Path dir;
        private final boolean clusterMode;
        private final List<String> extraArguments;
        private final int port;
        private Process process;
        private boolean paused;

        private LocalNode(Path binary, Path dir, boolean clusterMode, List<String> extraArguments, int port) {
            this.binary = binary;
            this.dir = dir;
            this.clusterMode = clusterMode;
            this.extraArguments = List.copyOf(extraArguments);
            this.port = port;
        }

        static LocalNode startOnFreePort(Path binary, Path dir, boolean clusterMode, List<String> extraArguments) {
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                LocalNode node = new LocalNode(binary, dir, clusterMode, extraArguments, freePort(clusterMode));
                try {
                    node.start();
                    return node;
                } catch (IllegalStateException e) {
                    // Most likely another process took the port between our probe and the start.
                    node.kill();
                    last = e;
                }
            }
            throw last;
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        synchronized void start() {
            if (process != null && process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " is already running");
            }
            List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                    "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no",
                    "--dir", dir.toString(), "--dbfilename", "dump-" + port + ".rdb",
                    "--daemonize", "no", "--logfile", ""));
            if (clusterMode) {
                cmd.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                        "--cluster-node-timeout", "5000"));
            }
            cmd.addAll(extraArguments);
            Path log = dir.resolve("redis-" + port + ".log");
            try {
                process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + binary, e);
            }
            LIVE.add(process);
            paused = false;
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!answersPing()) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server on port " + port + " exited: " + read(log));
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("redis-server on port " + port + " not ready in "
                            + START_TIMEOUT + ": " + read(log));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }

        private boolean answersPing() {
            try (Resp r = Resp.connect(address(), Duration.ofMillis(500))) {
                return "PONG".equals(r.call("PING"));
            } catch (Resp.ErrorReply e) {
                // NOAUTH, or LOADING: the server is up; a test's own client logs in.
                return !e.getMessage().startsWith("LOADING");
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        boolean clusterReady(int masters) {
            try (Resp r = Resp.connect(address(), IO_TIMEOUT)) {
                String info = (String) r.call("CLUSTER", "INFO");
                if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_assigned:16384")) {
                    return false;
                }
                String nodes = (String) r.call("CLUSTER", "NODES");
                long known = nodes.lines().filter(l -> l.contains("master") && !l.contains("handshake")
                        && !l.contains("fail") && !l.contains("noaddr")).count();
                return known == masters;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        synchronized void shutdownSaving() {
            if (process == null || !process.isAlive()) {
                return;
            }
            if (paused) {
                signal("CONT");
            }
            try (Resp r = Resp.connect(address(), IO_TIMEOUT)) {
                r.call("SHUTDOWN", "SAVE");
            } catch (IOException | RuntimeException expected) {
                // The server closes the connection instead of answering a successful SHUTDOWN.
            }
            awaitExit();
        }

        synchronized void signal(String signal) {
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " is not running");
            }
            try {
                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                        .redirectErrorStream(true).start();
                if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                    throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            paused = signal.equals("STOP");
        }

        synchronized void kill() {
            if (process == null) {
                return;
            }
            if (process.isAlive()) {
                if (paused) {
                    process.destroyForcibly();
                } else {
                    process.destroy();
                }
            }
            awaitExit();
        }

        private void awaitExit() {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            LIVE.remove(process);
            paused = false;
        }

        private static int freePort(boolean clusterMode) {
            if (!clusterMode) {
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    return s.getLocalPort();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            // A cluster node also listens on its bus port, port + 10000.
            for (int i = 0; i < 200; i++) {
                int port = ThreadLocalRandom.current().nextInt(20000, 55000);
                if (free(port) && free(port + 10000)) {
                    return port;
                }
            }
            throw new IllegalStateException("no free pair of loopback ports (p, p + 10000) found");
        }

        private static boolean free(int port) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort() == port;
            } catch (IOException e) {
                return false;
            }
        }
    }

}
