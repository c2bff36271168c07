package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.Sessions;
import dev.cookies.testkit.AdapterContract;
import dev.cookies.testkit.RedisExtension;
import dev.cookies.testkit.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "After a 6 s Redis stall, locked writes and logout on the stalled session work within a few seconds
 * of Redis resuming", over HTTP on every adapter: the example app as {@code Main} configures it with
 * {@code --store redis://…} (so with the store's defaults: 2 s timeouts, a 6 s lock keep-alive, a 5 s
 * lock wait), on a {@code redis-server} of this class's own, frozen with {@code SIGSTOP}.
 *
 * <p>While Redis is frozen, a locked increment (the {@code session} session) and a second login of the
 * logged-in user (the {@code auth} session's id rotation, under its lock) are in flight: their lock
 * acquires reach Redis on the stores' pooled connections but get no answer, so both requests are
 * answered 503, and Redis runs the acquires when it wakes, taking both locks under tokens nobody will
 * use. Redis stays frozen for the rest of the {@link #STALL}. After it resumes, a locked increment and
 * a logout must succeed within {@link #BACK_WITHIN}, shorter than the 6 s keep-alive: the locks must
 * have been released by their tokens, not left to expire. Every answer is a 200 or the core's 503,
 * never another status, and none carries exception text.
 */
class RedisStallTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.localProcess();

    /** How long Redis is frozen: the scenario. */
    private static final Duration STALL = Duration.ofSeconds(6);
    /** "Within a few seconds": less than the store's default lock keep-alive of 6 s (three 2 s read timeouts). */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(5);

    private static final List<String> LEAKS = List.of("Exception", "at dev.", "at java.", "\tat ", "redis.clients",
            "Jedis", "Caused by");

    @ParameterizedTest
    @ValueSource(strings = {"javalin", "servlet", "undertow"})
    @DisplayName("after a 6 s stall, a locked increment and logout on the stalled sessions work within 5 s of Redis resuming")
    void stalledSessionsWorkSoonAfterRedisResumes(String adapter) throws Exception {
        RedisServer redis = REDIS.server();
        ExampleConfig config = ExampleConfig.parse(new String[] {"--adapter", adapter, "--store", redis.uri(),
                "--host", "127.0.0.1", "--port", "0"}, Map.of());
        List<Http.Response> answers = new ArrayList<>();
        try (Sessions sessions = ExampleSessions.create(config); ExampleServer server = ExampleServer.start(config, sessions)) {
            URI base = server.baseUri();
            // Before the stall: each session exists, each store has a pooled connection to send on, and
            // Redis knows the lock script. (On a Redis that does not, a stalled EVALSHA fails with
            // NOSCRIPT when Redis wakes and takes no lock: nothing would be stranded.)
            Http.Response login = keep(answers, Http.login(base, "{\"user\":\"alice\"}"));
            assertEquals(200, login.status(), login::toString);
            String auth = cookie(login, "AUTH");
            Http.Response first = keep(answers, Http.send(base, "POST", "/counter/increment", null));
            String session = cookie(first, "SESSION");
            Http.Response locked = keep(answers, Http.send(base, "POST", "/counter/increment", null, "Cookie", session));
            assertEquals("{\"count\":2}", locked.body(), locked::toString);
            assertEquals("{\"user\":\"alice\"}", keep(answers, Http.send(base, "GET", "/me", null, "Cookie", auth)).body());

            long pausedAt = System.nanoTime();
            long resumedAt;
            redis.pause();
            try {
                CompletableFuture<Http.Response> increment = CompletableFuture.supplyAsync(
                        () -> Http.send(base, "POST", "/counter/increment", null, "Cookie", session));
                CompletableFuture<Http.Response> relogin = CompletableFuture.supplyAsync(
                        () -> Http.login(base, "{\"user\":\"alice\"}", "Cookie", auth));
                for (Http.Response stalled : List.of(keep(answers, increment.get(60, TimeUnit.SECONDS)),
                        keep(answers, relogin.get(60, TimeUnit.SECONDS)))) {
                    // Redis cannot have answered: the core's 503.
                    assertEquals(503, stalled.status(), stalled::toString);
                    assertEquals(AdapterContract.UNAVAILABLE_BODY, stalled.body());
                }
                // The stall itself, the condition under test: Redis stays frozen for the whole of it.
                for (long left = pausedAt + STALL.toNanos() - System.nanoTime(); left > 0;
                        left = pausedAt + STALL.toNanos() - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
            } finally {
                resumedAt = System.nanoTime();
                redis.resume();
            }
            long deadline = resumedAt + BACK_WITHIN.toNanos();

            int polledFrom = answers.size();
            Http.Response increment = untilOk(answers, deadline, "a locked increment",
                    () -> Http.send(base, "POST", "/counter/increment", null, "Cookie", session));
            long incrementMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumedAt);
            int count = Integer.parseInt(increment.body().replaceAll("\\D", ""));
            // The stalled increment never saved; a 503 while polling may have (a write that timed out
            // can still be applied), so the count is 3 plus at most one per such 503.
            int retried = (int) answers.subList(polledFrom, answers.size()).stream().filter(r -> r.status() == 503).count();
            assertTrue(count >= 3 && count <= 3 + retried, increment::toString);

            Http.Response logout = untilOk(answers, deadline, "logout", () -> Http.send(base, "POST", "/logout", null, "Cookie", auth));
            long logoutMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumedAt);
            assertEquals("{\"user\":null}", logout.body());
            assertTrue(logout.setCookies().stream().anyMatch(c -> c.startsWith("AUTH=; Max-Age=0")),
                    () -> "logout did not expire the cookie: " + logout);
            Http.Response me = Http.send(base, "GET", "/me", null, "Cookie", auth);
            assertEquals(401, me.status(), me::toString);

            for (Http.Response r : answers) {
                assertTrue(r.status() == 200 || r.status() == 503, () -> "neither 200 nor 503: " + r);
                for (String leak : LEAKS) {
                    assertFalse(r.body().contains(leak), () -> "an answer carries '" + leak + "': " + r);
                }
            }
            System.out.printf("%s: after a %d s stall, a locked increment succeeded %d ms and logout %d ms after Redis"
                    + " resumed; %d answers, %d of them 503%n", adapter, STALL.toSeconds(), incrementMs, logoutMs,
                    answers.size(), answers.stream().filter(r -> r.status() == 503).count());
        }
    }

    /** Sends a request until it is answered 200, keeping every answer; fails if the deadline passes first. */
    private static Http.Response untilOk(List<Http.Response> answers, long deadline, String what, Supplier<Http.Response> request) {
        while (true) {
            Http.Response r = keep(answers, request.get());
            if (r.status() == 200) {
                assertTrue(System.nanoTime() - deadline < 0, () -> what + " succeeded only after the deadline: " + r);
                return r;
            }
            assertEquals(503, r.status(), () -> what + ": " + r);
            assertTrue(System.nanoTime() - deadline < 0, () -> what + " still failed " + BACK_WITHIN
                    + " after Redis resumed: " + r);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static Http.Response keep(List<Http.Response> answers, Http.Response r) {
        answers.add(r);
        return r;
    }

    private static String cookie(Http.Response r, String name) {
        return r.setCookies().stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie: " + r)).split(";")[0];
    }
}
