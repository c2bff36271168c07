package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "A 1 GiB memory-store app survives 1,300 logins of 990 KB and still answers within a second", on
 * every adapter: the jar as users run it, in a JVM of its own with {@code -Xmx1g}, on the memory store
 * with its default bound (an eighth of the heap per store), with {@code --max-body-bytes 1m} so that
 * such logins are accepted and kept rather than refused at the door. Each login comes from a new client
 * (no cookie sent) with a user of its own, four at a time, as the logins that once held several times
 * the store's bound did. Then the app must be alive, answer ordinary requests within a second, have
 * logged no {@link OutOfMemoryError}, have evicted the oldest sessions and kept the newest.
 *
 * <p>The adapters run one after another through one HTTP client; each run writes the app's output to
 * {@code target/memory-flood-<adapter>.log} and prints what it measured.
 */
class MemoryFloodIT {

    private static final Path JAR = Path.of("target", "cookies-example.jar");
    private static final Pattern URL = Pattern.compile("running at (http://\\S+/)");

    private static final int LOGINS = 1_300;
    private static final int USER_CHARS = 990_000;
    private static final int SENDERS = 4;
    /** The default bound of the auth session's store under {@code -Xmx1g}: an eighth of the heap. */
    private static final long STORE_BOUND = (1L << 30) / 8;
    private static final Duration ANSWERS_WITHIN = Duration.ofSeconds(1);

    /** One client for every run; it keeps no cookies, so each login is a new visitor's. */
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @ParameterizedTest
    @ValueSource(strings = {"javalin", "servlet", "undertow"})
    @DisplayName("-Xmx1g, memory store: 1,300 logins of 990 KB, then alive, answering within 1 s, oldest evicted, newest kept")
    void survivesLargeLogins(String adapter) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "package the example first: " + JAR.toAbsolutePath());
        Path log = Path.of("target", "memory-flood-" + adapter + ".log");
        Process app = new ProcessBuilder(java(), "-Xmx1g", "-jar", JAR.toString(), "--adapter", adapter,
                "--store", "memory:", "--max-body-bytes", "1m", "--host", "127.0.0.1", "--port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URI base = awaitUrl(app, log);

            long started = System.nanoTime();
            String[] auth = flood(base, log);
            Duration flood = Duration.ofNanos(System.nanoTime() - started);

            assertTrue(app.isAlive(), () -> "the app died during the logins: " + tail(log));
            long counter = timed(() -> assertEquals(200, send(base, "GET", "/counter", null).statusCode()));
            long increment = timed(() -> assertEquals(200, send(base, "POST", "/counter/increment", null).statusCode()));
            for (long ms : new long[] {counter, increment}) {
                assertTrue(ms < ANSWERS_WITHIN.toMillis(), "an ordinary request took " + ms + " ms after the logins");
            }

            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < LOGINS; i++) {
                HttpResponse<String> me = send(base, "GET", "/me", auth[i]);
                if (me.statusCode() == 200) {
                    assertTrue(me.body().startsWith("{\"user\":\"" + prefix(i)), () -> "another user: " + shorten(me.body()));
                    kept.add(i);
                } else {
                    assertEquals(401, me.statusCode(), () -> "GET /me: " + shorten(me.body()));
                }
            }
            assertTrue(kept.contains(LOGINS - 1), "the newest login was not kept: " + kept);
            assertFalse(kept.contains(0), "the oldest login outlived 1,299 newer ones of 990 KB");
            // Each session holds its user twice (as the user and as its principal name), so the store's
            // bound keeps at most a bound's worth of 2 x 990 KB; the ones kept are among the newest.
            assertTrue(kept.size() <= STORE_BOUND / (2L * USER_CHARS), "more kept than the bound holds: " + kept.size());
            assertTrue(kept.get(0) >= LOGINS - 200, "an old session outlived newer ones: " + kept);

            assertTrue(app.isAlive(), () -> "the app died: " + tail(log));
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertFalse(output.contains("OutOfMemoryError"), () -> "the app ran out of memory: " + tail(log));
            System.out.printf("%s: %d logins of %d bytes in %.1f s (%.0f ms each, %d at a time); then GET /counter in %d ms,"
                            + " POST /counter/increment in %d ms; %d sessions kept, the newest %s%n", adapter, LOGINS,
                    USER_CHARS, flood.toMillis() / 1000.0, (double) flood.toMillis() * SENDERS / LOGINS, SENDERS, counter,
                    increment, kept.size(), kept.size() > 6 ? "from " + kept.get(0) : kept);
        } finally {
            app.destroy();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    /** Sends the logins, {@link #SENDERS} at a time, and returns each one's {@code AUTH} cookie. */
    private static String[] flood(URI base, Path log) throws InterruptedException, ExecutionException {
        String[] auth = new String[LOGINS];
        AtomicInteger next = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                running.add(senders.submit(() -> {
                    byte[] body = ("{\"user\":\"" + "u".repeat(USER_CHARS) + "\"}").getBytes(StandardCharsets.US_ASCII);
                    for (int i = next.getAndIncrement(); i < LOGINS; i = next.getAndIncrement()) {
                        byte[] id = prefix(i).getBytes(StandardCharsets.US_ASCII);
                        System.arraycopy(id, 0, body, "{\"user\":\"".length(), id.length);
                        HttpResponse<String> r = login(base, body);
                        int n = i;
                        assertEquals(200, r.statusCode(), () -> "login " + n + ": " + r.body() + "; the app said: " + tail(log));
                        auth[i] = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("AUTH="))
                                .findFirst().orElseThrow(() -> new AssertionError("login " + n + " set no AUTH cookie"))
                                .split(";")[0];
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            senders.shutdownNow();
        }
        return auth;
    }

    /** A login; the 990 KB echo of a successful one is discarded unread, a refusal's body is kept. */
    private static HttpResponse<String> login(URI base, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("login")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return CLIENT.send(request, info -> info.statusCode() == 200
                    ? HttpResponse.BodySubscribers.replacing("")
                    : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(URI base, String method, String path, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.substring(1))).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Each user's own first characters, so that a session read back is known to be its own. */
    private static String prefix(int i) {
        return String.format("%04d-", i);
    }

    private static long timed(Runnable request) {
        long start = System.nanoTime();
        request.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static URI awaitUrl(Process app, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0) {
            Matcher m = URL.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return URI.create(m.group(1));
            }
            assertTrue(app.isAlive(), () -> "the app exited: " + tail(log));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new AssertionError("the app printed no URL in 60 s: " + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static String shorten(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
