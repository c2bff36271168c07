package dev.cookies.javalin;

import dev.cookies.testkit.HttpTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests with headers a browser sets ({@code Sec-Fetch-Site}, {@code Origin}), which the test kit's
 * {@link HttpTestClient} cannot send; answers in its {@link HttpTestClient.Response}.
 */
final class Fetch {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private Fetch() {
    }

    /**
     * Sends a request without a body.
     *
     * @param base the application's URI, with its context path
     * @param method the method
     * @param path the path within the application
     * @param headers header names and values, alternating
     * @return the response
     */
    static HttpTestClient.Response send(URI base, String method, String path, String... headers) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(HttpTestClient.DEFAULT_TIMEOUT)
                .headers(headers).method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            all.putAll(r.headers().map());
            return new HttpTestClient.Response(r.statusCode(), all, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
