package dev.cookies.store.redis;

import dev.cookies.LockPolicy;
import dev.cookies.OpenSessions;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.FakeExchange;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A second application instance for {@link CrossInstanceLockTest}: its own JVM, so its own in-process
 * lock table and its own connection pool. It builds its session manager from the store URI (through
 * the provider), says "ready", waits for "go" on stdin, runs its share of locked increments of one
 * session on several threads, and exits 0 when all succeeded.
 *
 * <p>Arguments: store URI, Cookie header, threads, increments in all.
 */
public final class IncrementWorker {
    private IncrementWorker() {
    }

    /**
     * Runs the worker.
     *
     * @param args store URI, Cookie header, threads, increments
     * @throws Exception on any failure, which makes the exit status non-zero
     */
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String cookie = args[1];
        int threads = Integer.parseInt(args[2]);
        int increments = Integer.parseInt(args[3]);
        try (SessionManager manager = SessionManager.builder("session").store(uri)
                .lockWait(Duration.ofSeconds(60)).lockPolicy(LockPolicy.STRICT).build()) {
            Sessions sessions = Sessions.of(manager);
            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"go".equals(in.readLine())) {
                throw new IllegalStateException("expected go");
            }
            run(sessions, cookie, threads, increments);
            System.out.println("done");
            System.out.flush();
        }
        System.exit(0);
    }

    /** Runs {@code increments} locked increments of the session, spread over {@code threads} threads. */
    static void run(Sessions sessions, String cookie, int threads, int increments) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int mine = increments / threads + (t < increments % threads ? 1 : 0);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < mine; i++) {
                        OpenSessions open = sessions.open(FakeExchange.request("POST").header("Cookie", cookie));
                        open.session("session").update(s -> s.put("count", s.get("count", Integer.class).orElse(0) + 1));
                        open.end(null);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
