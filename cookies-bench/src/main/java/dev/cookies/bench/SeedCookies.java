package dev.cookies.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Makes the sessions the HTTP load test replays: {@code N} requests without a cookie to a session
 * route, each of which creates a session, and writes the cookie each response set ({@code NAME=value},
 * without attributes), one a line. {@code wrk}'s script ({@code cookies.lua}) then sends them in turn,
 * so every measured request reads and writes an existing session, as a returning user's would.
 *
 * <pre>
 * java -cp benchmarks.jar dev.cookies.bench.SeedCookies URL N FILE       # from a session route
 * java -cp benchmarks.jar dev.cookies.bench.SeedCookies --dummy N FILE   # SESSION=&lt;random id&gt;, for /hello
 * </pre>
 *
 * <p>The dummy cookies have the shape of ours, so the {@code /hello} baseline's requests are as large
 * as the session routes' and cost {@code wrk} the same.
 */
public final class SeedCookies {

    private SeedCookies() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: SeedCookies URL|--dummy N FILE");
            System.exit(2);
        }
        int n = Integer.parseInt(args[1]);
        List<String> cookies = new ArrayList<>(n);
        if (args[0].equals("--dummy")) {
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < n; i++) {
                byte[] id = new byte[32];
                random.nextBytes(id);
                cookies.add("SESSION=" + Base64.getUrlEncoder().withoutPadding().encodeToString(id));
            }
        } else {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(args[0])).GET().build();
            for (int i = 0; i < n; i++) {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow(() ->
                        new IllegalStateException("no Set-Cookie from " + args[0] + " (status " + response.statusCode() + ")"));
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("status " + response.statusCode() + " from " + args[0]);
                }
                cookies.add(setCookie.split(";", 2)[0].trim());
            }
        }
        Files.write(Path.of(args[2]), cookies, StandardCharsets.US_ASCII);
    }
}
