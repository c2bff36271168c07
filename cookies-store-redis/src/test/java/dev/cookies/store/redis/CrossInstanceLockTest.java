package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.LockPolicy;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.StoreLock;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.RedisExtension;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The distributed lock between application instances. In one JVM the core's in-process lock table is
 * shared by every session manager, so two managers in this JVM would exclude each other without
 * Redis. Hence two forms: the store's own lock driven directly by two store instances (only Redis
 * excludes them), and the whole engine in two JVMs.
 */
class CrossInstanceLockTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final Duration TTL = Duration.ofMinutes(10);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    @DisplayName("two store instances with separate pools, 16 threads each, 1000 locked increments end at exactly 1000")
    void twoStoresSixteenThreadsEach() throws Exception {
        String id = "cross-" + System.nanoTime();
        try (RedisSessionStore a = RedisSessionStore.create(REDIS.server().uri());
             RedisSessionStore b = RedisSessionStore.create(REDIS.server().uri())) {
            a.save(id, bytes(0), TTL);
            int threads = 32;
            int total = 1000;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    RedisSessionStore store = t % 2 == 0 ? a : b;
                    int mine = total / threads + (t < total % threads ? 1 : 0);
                    futures.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < mine; i++) {
                            try (StoreLock lock = store.lock(id, TTL, WAIT)) {
                                int n = Integer.parseInt(new String(lock.data().orElseThrow(), StandardCharsets.US_ASCII));
                                lock.save(bytes(n + 1), TTL);
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : futures) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals("1000", new String(a.load(id, TTL).orElseThrow(), StandardCharsets.US_ASCII));
            assertEquals(0L, REDIS.server().command("EXISTS", new String(a.lockKey(id), StandardCharsets.UTF_8)),
                    "the lock was left behind");
        }
    }

    @Test
    @DisplayName("the whole engine in two JVMs, 16 threads each, 1000 locked increments end at exactly 1000")
    void twoApplicationInstances() throws Exception {
        String uri = REDIS.server().uri();
        try (SessionManager manager = SessionManager.builder("session").store(uri).lockWait(WAIT)
                .lockPolicy(LockPolicy.STRICT).build()) {
            Sessions sessions = Sessions.of(manager);
            FakeBrowser creator = new FakeBrowser(sessions);
            creator.request("POST", open -> open.session("session").update(s -> s.put("count", 0)));
            String cookie = creator.cookieHeader().orElseThrow();

            Path log = Files.createTempFile("increment-worker", ".log");
            Process other = new ProcessBuilder(javaBinary(), "-cp", testClassPath(), IncrementWorker.class.getName(),
                    uri, cookie, "16", "500").redirectError(log.toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine(), () -> "the other instance did not start: " + read(log));
                OutputStream in = other.getOutputStream();
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
                IncrementWorker.run(sessions, cookie, 16, 500);
                assertTrue(other.waitFor(2, TimeUnit.MINUTES), "the other instance did not finish");
                assertEquals(0, other.exitValue(), () -> "the other instance failed: " + read(log));
                assertEquals("done", out.readLine());
            } finally {
                other.destroyForcibly();
                Files.deleteIfExists(log);
            }
            int[] count = new int[1];
            creator.request("GET", open -> count[0] = open.session("session").get("count", Integer.class).orElseThrow());
            assertEquals(1000, count[0]);
        }
    }

    private static byte[] bytes(int n) {
        return Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String testClassPath() {
        // Surefire runs tests from a manifest-only jar; it publishes the real class path here.
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path").replace(";", File.pathSeparator);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }
}
