package dev.cookies.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server for tests, found or started in this order.
 *
 * <ol>
 *   <li>The environment: {@code JDBC_URL}, a PostgreSQL JDBC URL with its credentials, for example
 *       {@code jdbc:postgresql://localhost:5432/postgres?user=postgres&password=secret}. It is shared
 *       with whatever else uses it: tests use their own table names and random session ids.</li>
 *   <li>The server binaries of a local installation ({@code initdb}, {@code pg_ctl}, {@code postgres}):
 *       from {@code PG_BIN} if set, else the {@code PATH}, else Debian's
 *       {@code /usr/lib/postgresql/<newest>/bin}. A new cluster is made with {@code initdb} in a
 *       temporary directory and started with {@code pg_ctl} on a free loopback port
 *       ({@code listen_addresses=127.0.0.1}, {@code fsync=off}, its unix socket in that directory), the
 *       superuser {@code postgres} logging in with a random password over TCP. PostgreSQL refuses to
 *       run as root: when the tests run as root, the directory is given to the {@code postgres} user
 *       and {@code initdb} and {@code pg_ctl} run as that user ({@code runuser -u postgres --}). It is
 *       stopped by {@link #close()} (or, failing that, when the JVM exits).</li>
 *   <li>A {@code postgres} container through Testcontainers, when the optional
 *       {@code org.testcontainers:testcontainers} dependency is on the test classpath and a Docker
 *       engine answers. The image is {@code POSTGRES_IMAGE}, default {@code postgres:15-alpine}.</li>
 *   <li>Otherwise the calling test is skipped (aborted) with a message saying how to enable it:
 *       install PostgreSQL's server or set {@code JDBC_URL}. When the environment variable {@code CI}
 *       is {@code true} a missing PostgreSQL fails the test instead.</li>
 * </ol>
 *
 * <p>Only a server this fixture started as a local process ({@link Source#LOCAL_PROCESS}) can be
 * {@linkplain #stop() stopped}, {@linkplain #restart() restarted} and {@linkplain #pause() paused}, for
 * outage tests. The fixture uses no JDBC itself: tests connect with {@link #uri()} (or {@link #url()},
 * {@link #user()} and {@link #password()}) and the driver on their own class path. Most tests use it
 * through {@link PostgresExtension}.
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.find()) {
 *     SessionManager m = SessionManager.builder("session").store(pg.uri() + "&createTable=true").build();
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class PostgresServer implements AutoCloseable {

    /** Where a {@link PostgresServer} came from. */
    public enum Source {
        /** Given by {@code JDBC_URL}; shared with whatever else uses it. */
        ENVIRONMENT,
        /** A cluster this fixture made with {@code initdb} and started, and owns. */
        LOCAL_PROCESS,
        /** A container this fixture started through Testcontainers, and owns. */
        CONTAINER
    }

    /** The environment variable naming an existing server, as a JDBC URL with credentials. */
    public static final String JDBC_URL = "JDBC_URL";
    /** The environment variable naming the directory of the server binaries. */
    public static final String PG_BIN = "PG_BIN";

    private static final String SUPERUSER = "postgres";
    private static final String DATABASE = "postgres";
    private static final long START_SECONDS = 30;
    /** Data directories of clusters started here and not yet stopped, with their bin directory. */
    private static final Map<Path, LocalCluster> LIVE = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.values().forEach(LocalCluster::kill),
                "postgres reaper"));
    }

    private final Source source;
    private final String url;
    private final String user;
    private final String password;
    private final LocalCluster local;
    private final AutoCloseable container;
    private final String version;

    private PostgresServer(Source source, String url, String user, String password, LocalCluster local,
                           AutoCloseable container, String version) {
        this.source = source;
        this.url = url;
        this.user = user;
        this.password = password;
        this.local = local;
        this.container = container;
        this.version = version;
    }

    /**
     * Finds or starts a server, in the order the class documentation gives.
     *
     * @return the server; close it when done
     * @throws org.opentest4j.TestAbortedException if no PostgreSQL can be had (the test is skipped)
     * @throws AssertionError instead of skipping, when {@code CI=true}
     */
    public static PostgresServer find() {
        Optional<String> given = env(JDBC_URL);
        if (given.isPresent()) {
            String text = given.get();
            if (!text.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException(JDBC_URL + " must be a jdbc:postgresql: URL, for example"
                        + " jdbc:postgresql://localhost:5432/postgres?user=postgres&password=secret");
            }
            int q = text.indexOf('?');
            String base = q < 0 ? text : text.substring(0, q);
            String query = q < 0 ? "" : text.substring(q + 1);
            String u = null;
            String p = null;
            List<String> rest = new ArrayList<>();
            for (String pair : query.split("&")) {
                if (pair.startsWith("user=")) {
                    u = URLDecoder.decode(pair.substring(5), StandardCharsets.UTF_8);
                } else if (pair.startsWith("password=")) {
                    p = URLDecoder.decode(pair.substring(9), StandardCharsets.UTF_8);
                } else if (!pair.isEmpty()) {
                    rest.add(pair);
                }
            }
            String url = rest.isEmpty() ? base : base + "?" + String.join("&", rest);
            return new PostgresServer(Source.ENVIRONMENT, url, u, p, null, null, "unknown");
        }
        Optional<Path> bin = binaries();
        if (bin.isPresent()) {
            return startLocal(bin.get(), List.of());
        }
        if (testcontainersPresent() && ContainerPostgres.dockerAvailable()) {
            String pw = randomPassword();
            ContainerPostgres c = ContainerPostgres.start(env("POSTGRES_IMAGE").orElse("postgres:15-alpine"), pw);
            return new PostgresServer(Source.CONTAINER, "jdbc:postgresql://" + c.host() + ":" + c.port() + "/" + DATABASE,
                    SUPERUSER, pw, null, c, c.image());
        }
        return unavailable("PostgreSQL", "no JDBC_URL, no PostgreSQL server binaries (initdb, pg_ctl) in PG_BIN, on the"
                + " PATH or in /usr/lib/postgresql/*/bin" + (testcontainersPresent() ? ", and Docker is not available to"
                + " Testcontainers" : "") + ". Install PostgreSQL's server (apt-get install postgresql, brew install"
                + " postgresql) or set JDBC_URL=jdbc:postgresql://host:5432/db?user=...&password=...");
    }

    /**
     * Starts a cluster of its own from the local binaries, ignoring {@code JDBC_URL} and with no
     * container fallback, for tests that stop, restart or pause the server, or need server settings.
     *
     * @param settings server settings, each {@code name=value}, passed as {@code -c name=value} (for
     *     example {@code "shared_preload_libraries=pg_stat_statements"})
     * @return the server; close it when done
     * @throws org.opentest4j.TestAbortedException if no binaries are found (the test is skipped)
     * @throws AssertionError instead of skipping, when {@code CI=true}
     */
    public static PostgresServer localProcess(String... settings) {
        Optional<Path> bin = binaries();
        if (bin.isEmpty()) {
            return unavailable("A local PostgreSQL server", "no PostgreSQL server binaries (initdb, pg_ctl) in PG_BIN,"
                    + " on the PATH or in /usr/lib/postgresql/*/bin. Install PostgreSQL's server (apt-get install"
                    + " postgresql, brew install postgresql)");
        }
        return startLocal(bin.get(), List.of(settings));
    }

    private static PostgresServer startLocal(Path bin, List<String> settings) {
        String pw = randomPassword();
        Path dir = tempDir();
        try {
            LocalCluster cluster = LocalCluster.create(bin, dir, pw, settings);
            return new PostgresServer(Source.LOCAL_PROCESS, "jdbc:postgresql://127.0.0.1:" + cluster.port + "/" + DATABASE,
                    SUPERUSER, pw, cluster, null, version(bin));
        } catch (RuntimeException | Error e) {
            deleteTree(dir);
            throw e;
        }
    }

    /**
     * Returns the JDBC URL with the credentials as query parameters, for a store URI or
     * {@code DriverManager}: {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres&password=...}.
     * Further parameters are appended with {@code &}.
     *
     * @return the URL with credentials
     */
    public String uri() {
        StringBuilder b = new StringBuilder(url).append(url.contains("?") ? '&' : '?');
        boolean first = true;
        if (user != null) {
            b.append("user=").append(encode(user));
            first = false;
        }
        if (password != null) {
            b.append(first ? "" : "&").append("password=").append(encode(password));
        }
        return b.toString();
    }

    /**
     * Returns the JDBC URL without credentials, for a pool configured with {@link #user()} and
     * {@link #password()}.
     *
     * @return for example {@code jdbc:postgresql://127.0.0.1:PORT/postgres}
     */
    public String url() {
        return url;
    }

    /**
     * Returns the user to log in as.
     *
     * @return the user, or {@code null} if the environment's URL names none
     */
    public String user() {
        return user;
    }

    /**
     * Returns the password to log in with.
     *
     * @return the password, or {@code null} if the environment's URL gives none
     */
    public String password() {
        return password;
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
     * Returns whether nothing but this test run uses the server (it was started here).
     *
     * @return {@code false} for a server from the environment
     */
    public boolean dedicated() {
        return source != Source.ENVIRONMENT;
    }

    /**
     * Returns whether {@link #stop()}, {@link #restart()}, {@link #pause()} and {@link #resume()} work:
     * only for a cluster started here as a local process.
     *
     * @return whether the server can be stopped and restarted
     */
    public boolean controllable() {
        return source == Source.LOCAL_PROCESS;
    }

    /**
     * Returns the server's version.
     *
     * @return for example {@code 15.18}, or {@code unknown} for a server from the environment
     */
    public String version() {
        return version;
    }

    /**
     * Shuts the server down as an operator would ({@code pg_ctl stop -m fast}): open connections are
     * closed, new ones are refused, the data stays in its directory.
     *
     * @throws org.opentest4j.TestAbortedException if the server is not {@linkplain #controllable()
     *     controllable} (or {@link AssertionError} with {@code CI=true})
     */
    public void stop() {
        requireControl("stop");
        local.stop();
    }

    /**
     * Starts the server again after {@link #stop()}, on the same port, with its data, and waits until it
     * accepts connections.
     *
     * @throws org.opentest4j.TestAbortedException if the server is not {@linkplain #controllable()
     *     controllable} (or {@link AssertionError} with {@code CI=true})
     * @throws IllegalStateException if it does not come back within 30 seconds
     */
    public void restart() {
        requireControl("restart");
        local.start();
    }

    /**
     * Freezes the server and every one of its processes ({@code SIGSTOP}): connections are still
     * accepted by the operating system, nothing is answered, so clients run into their timeouts, as with
     * a hung server or a network partition.
     *
     * @throws org.opentest4j.TestAbortedException if the server is not {@linkplain #controllable()
     *     controllable} (or {@link AssertionError} with {@code CI=true})
     */
    public void pause() {
        requireControl("pause");
        local.signalAll("STOP");
    }

    /**
     * Lets a {@linkplain #pause() paused} server run again ({@code SIGCONT}).
     *
     * @throws org.opentest4j.TestAbortedException if the server is not {@linkplain #controllable()
     *     controllable} (or {@link AssertionError} with {@code CI=true})
     */
    public void resume() {
        requireControl("resume");
        local.signalAll("CONT");
    }

    /** Stops a server started here and deletes its directory; leaves a server from the environment alone. */
    @Override
    public void close() {
        if (local != null) {
            local.stop();
            LIVE.remove(local.data);
            deleteTree(local.dir);
        }
        if (container != null) {
            try {
                container.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop the PostgreSQL container", e);
            }
        }
    }

    @Override
    public String toString() {
        String where = source == Source.LOCAL_PROCESS ? "PostgreSQL " + version + " (local binaries)"
                : source == Source.CONTAINER ? "container " + version : "environment";
        return url + " from " + where;
    }

    // ---- helpers

    private void requireControl(String what) {
        if (!controllable()) {
            unavailable("A PostgreSQL this test can " + what, "the server " + this + " was not started by the"
                    + " fixture as a local process. Unset JDBC_URL and install PostgreSQL's server so the fixture can"
                    + " start (and stop) its own");
        }
    }

    private static boolean ci() {
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

    /** The directory holding initdb, pg_ctl and postgres. */
    static Optional<Path> binaries() {
        Optional<String> given = env(PG_BIN);
        if (given.isPresent()) {
            return hasServer(Path.of(given.get())) ? Optional.of(Path.of(given.get())) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(File.pathSeparator)) {
                if (!entry.isEmpty() && hasServer(Path.of(entry))) {
                    return Optional.of(Path.of(entry));
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.map(v -> v.resolve("bin")).filter(PostgresServer::hasServer)
                        .max(Comparator.comparingInt(PostgresServer::majorOf));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static int majorOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean hasServer(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))
                && Files.isExecutable(dir.resolve("postgres"));
    }

    private static boolean testcontainersPresent() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, PostgresServer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String randomPassword() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return "pw-" + HexFormat.of().formatHex(b);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("cookies-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temporary directory
        }
    }

    private static String version(Path bin) {
        String out = LocalCluster.output(List.of(bin.resolve("postgres").toString(), "--version"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+\\.\\d+)").matcher(out);
        return m.find() ? m.group(1) : out.trim();
    }

    /** A cluster made by initdb in a directory of its own, run by pg_ctl on a fixed loopback port. */
    private static final class LocalCluster {
        private final Path bin;
        private final Path dir;
        private final Path data;
        private final int port;
        private final List<String> settings;
        /** Run the server's commands as the postgres user: PostgreSQL refuses to run as root. */
        private final boolean asPostgres;

        private LocalCluster(Path bin, Path dir, int port, List<String> settings, boolean asPostgres) {
            this.bin = bin;
            this.dir = dir;
            this.data = dir.resolve("data");
            this.port = port;
            this.settings = List.copyOf(settings);
            this.asPostgres = asPostgres;
        }

        static LocalCluster create(Path bin, Path dir, String password, List<String> settings) {
            boolean root = ProcessHandle.current().info().user().map("root"::equals).orElse(false);
            if (root) {
                giveToPostgres(dir);
            }
            Path pwfile = dir.resolve("pwfile");
            try {
                Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
                if (root) {
                    giveToPostgres(pwfile);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LocalCluster first = new LocalCluster(bin, dir, 0, settings, root);
            first.run(List.of(bin.resolve("initdb").toString(), "-D", first.data.toString(), "-U", SUPERUSER,
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8",
                    "--no-locale", "--no-sync"), "initdb");
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException ignored) {
                // it holds a random password for a throw-away cluster
            }
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                LocalCluster cluster = new LocalCluster(bin, dir, freePort(), settings, root);
                try {
                    cluster.start();
                    return cluster;
                } catch (IllegalStateException e) {
                    // Most likely another process took the port between our probe and the start.
                    last = e;
                }
            }
            throw last;
        }

        private static void giveToPostgres(Path path) {
            try {
                UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(path, users.lookupPrincipalByName(SUPERUSER));
                GroupPrincipal group = users.lookupPrincipalByGroupName(SUPERUSER);
                Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
            } catch (IOException e) {
                throw new IllegalStateException("running as root, the fixture must give " + path + " to the '"
                        + SUPERUSER + "' user (PostgreSQL refuses to run as root), and could not: " + e, e);
            }
        }

        synchronized void start() {
            List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
                    "-k", dir.toString()));
            for (String s : settings) {
                options.add("-c");
                options.add(s);
            }
            LIVE.put(data, this);
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("postgres.log").toString(),
                    "-w", "-t", Long.toString(START_SECONDS), "-o", String.join(" ", options), "start"), "pg_ctl start");
        }

        synchronized void stop() {
            if (!Files.exists(data.resolve("postmaster.pid"))) {
                return;
            }
            signalAll("CONT");
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t",
                    Long.toString(START_SECONDS), "stop"), "pg_ctl stop");
        }

        /** Immediate shutdown by signal, for the JVM's shutdown hook: no new process is needed. */
        void kill() {
            postmaster().ifPresent(p -> {
                signal(p, "CONT");
                signal(p, "QUIT");
            });
            deleteTree(dir);
        }

        synchronized void signalAll(String signal) {
            Optional<ProcessHandle> postmaster = postmaster();
            if (postmaster.isEmpty()) {
                throw new IllegalStateException("PostgreSQL on port " + port + " is not running");
            }
            List<Long> pids = new ArrayList<>();
            pids.add(postmaster.get().pid());
            postmaster.get().descendants().forEach(d -> pids.add(d.pid()));
            for (long pid : pids) {
                signal(pid, signal);
            }
        }

        private static void signal(long pid, String signal) {
            output(List.of("kill", "-" + signal, Long.toString(pid)));
        }

        private static void signal(ProcessHandle p, String signal) {
            signal(p.pid(), signal);
        }

        private Optional<ProcessHandle> postmaster() {
            try {
                List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
                return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
            } catch (IOException | NumberFormatException e) {
                return Optional.empty();
            }
        }

        /** Runs a server command (as the postgres user when we are root), failing with its output. */
        private void run(List<String> command, String what) {
            List<String> cmd = new ArrayList<>();
            if (asPostgres) {
                cmd.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
            }
            cmd.addAll(command);
            Path log = dir.resolve(what.replace(' ', '-') + ".out");
            try {
                Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                if (!p.waitFor(START_SECONDS + 30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(what + " did not finish: " + read(log));
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(what + " failed (exit " + p.exitValue() + "): " + read(log)
                            + (what.startsWith("pg_ctl start") ? "\nserver log: " + read(dir.resolve("postgres.log")) : ""));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not run " + String.join(" ", cmd), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + what, e);
            }
        }

        static String output(List<String> command) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(10, TimeUnit.SECONDS);
                return out;
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
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

        private static int freePort() {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
