package dev.cookies.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory benchmark's client: measures the heap a {@link BenchServer} spends per idle session.
 *
 * <ol>
 *   <li>Warm up: 2 000 {@code GET /hello} and 1 000 session-creating requests (those sessions stay, and
 *       are part of the baseline).</li>
 *   <li>Read the settled used heap from {@code GET /heap} (the server collects garbage until two
 *       readings agree within 0.1%).</li>
 *   <li>Create {@code N} sessions: {@code N} requests without a cookie to the session route, 8 at a
 *       time; each creates a session holding the 200-byte payload and gets a {@code Set-Cookie}.</li>
 *   <li>Read the settled used heap again. Bytes per session = (after &minus; before) / {@code N}.</li>
 * </ol>
 *
 * <pre>
 * java -cp benchmarks.jar dev.cookies.bench.HeapProbe http://127.0.0.1:PORT /memory 100000
 * </pre>
 *
 * <p>Prints one line: {@code subject=<route> sessions=<N> live=<before>-><after> before=<bytes>
 * after=<bytes> bytesPerSession=<n>}.
 */
public final class HeapProbe {

    private static final Pattern HEAP = Pattern.compile("used=(\\d+) sessions=(-?\\d+)");

    private HeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: HeapProbe BASE_URL ROUTE N");
            System.exit(2);
        }
        String base = args[0];
        String route = args[1];
        int n = Integer.parseInt(args[2]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        fire(client, base + "/hello", 2_000, false);
        fire(client, base + route, 1_000, true);
        long[] before = heap(client, base);
        fire(client, base + route, n, true);
        long[] after = heap(client, base);

        long perSession = Math.round((after[0] - before[0]) / (double) n);
        System.out.printf("subject=%s sessions=%d live=%d->%d before=%d after=%d bytesPerSession=%d%n",
                route, n, before[1], after[1], before[0], after[0], perSession);
    }

    /** Sends {@code count} GETs, 8 in flight; with {@code session}, checks each set a cookie. */
    private static void fire(HttpClient client, String url, int count, boolean session) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
        Semaphore inFlight = new Semaphore(8);
        AtomicInteger failures = new AtomicInteger();
        CompletableFuture<?>[] all = new CompletableFuture<?>[count];
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            all[i] = client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                inFlight.release();
                if (e != null || r.statusCode() != 200 || (session && r.headers().firstValue("Set-Cookie").isEmpty())) {
                    failures.incrementAndGet();
                }
            });
        }
        CompletableFuture.allOf(all).exceptionally(e -> null).join();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + count + " requests to " + url + " failed");
        }
    }

    private static long[] heap(HttpClient client, String base) throws IOException, InterruptedException {
        String body = client.send(HttpRequest.newBuilder(URI.create(base + "/heap")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = HEAP.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("unexpected /heap answer: " + body);
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }
}
