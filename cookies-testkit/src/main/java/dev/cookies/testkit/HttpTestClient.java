package dev.cookies.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A plain HTTP/1.1 client for adapter tests: no cookie handling and no redirect following, so every
 * {@code Cookie} header is sent exactly as given and every {@code Set-Cookie} is seen as sent.
 * {@link #sendRaw} writes bytes the JDK client refuses to send (NUL, control bytes, raw UTF-8) over a
 * plain socket.
 *
 * @since 0.1
 */
public final class HttpTestClient {

    /** The timeout of a request unless one is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient client;

    /**
     * Creates a client for a server.
     *
     * @param base for example {@code http://127.0.0.1:41234}
     */
    public HttpTestClient(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Sends {@code GET}.
     *
     * @param path the path, for example {@code /counter}
     * @param cookieHeaders each becomes one {@code Cookie} header
     * @return the response
     */
    public Response get(String path, String... cookieHeaders) {
        return send("GET", path, null, List.of(cookieHeaders), DEFAULT_TIMEOUT);
    }

    /**
     * Sends {@code POST} with a JSON body.
     *
     * @param path the path
     * @param json the body, or {@code null} for none
     * @param cookieHeaders each becomes one {@code Cookie} header
     * @return the response
     */
    public Response post(String path, String json, String... cookieHeaders) {
        return send("POST", path, json, List.of(cookieHeaders), DEFAULT_TIMEOUT);
    }

    /**
     * Sends a request.
     *
     * @param method the method
     * @param path the path
     * @param json a JSON body, or {@code null} for none
     * @param cookieHeaders each becomes one {@code Cookie} header, sent as given
     * @param timeout how long to wait for the whole response
     * @return the response
     * @throws UncheckedIOException if the request fails or times out
     */
    public Response send(String method, String path, String json, List<String> cookieHeaders, Duration timeout) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String c : cookieHeaders) {
            headers.add(Map.entry("Cookie", c));
        }
        return exchange(method, path, json, headers, timeout);
    }

    /**
     * Sends a request with any headers the JDK client allows ({@code Origin}, {@code Sec-Fetch-Site},
     * a session-id header; not {@code Host}, which it sets from the URI).
     *
     * @param method the method
     * @param path the path
     * @param json a JSON body, or {@code null} for none
     * @param headers name and value of each header line, sent in order
     * @return the response
     * @throws UncheckedIOException if the request fails or times out
     */
    public Response send(String method, String path, String json, List<Map.Entry<String, String>> headers) {
        return exchange(method, path, json, headers, DEFAULT_TIMEOUT);
    }

    private Response exchange(String method, String path, String json, List<Map.Entry<String, String>> headers,
            Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        for (Map.Entry<String, String> h : headers) {
            b.header(h.getKey(), h.getValue());
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, List<String>> received = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            received.putAll(r.headers().map());
            return new Response(r.statusCode(), received, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Sends a request over a plain socket with one {@code Cookie} header made of exactly the given
     * bytes, and reads the response until the server closes the connection.
     *
     * @param method the method
     * @param path the path
     * @param cookieHeader the header value's bytes, sent as they are
     * @return the response; its body is the raw bytes after the headers, decoded as UTF-8
     * @throws UncheckedIOException if the request fails
     */
    public Response sendRaw(String method, String path, byte[] cookieHeader) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nConnection: close\r\nContent-Length: 0\r\nCookie: ";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(cookieHeader);
            out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(all);
            return parseRaw(all.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " (raw) failed: " + e, e);
        }
    }

    private static Response parseRaw(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("incomplete response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * A response.
     *
     * @param status the status code
     * @param headers the headers, names matched case-insensitively
     * @param body the body as text
     * @since 0.1
     */
    public record Response(int status, Map<String, List<String>> headers, String body) {

        /**
         * Returns every value of a header.
         *
         * @param name the header name, any case
         * @return the values, possibly empty
         */
        public List<String> headers(String name) {
            return headers.getOrDefault(name, List.of());
        }

        /**
         * Returns the first value of a header.
         *
         * @param name the header name, any case
         * @return the value, or empty
         */
        public Optional<String> header(String name) {
            return headers(name).stream().findFirst();
        }

        /**
         * Returns every {@code Set-Cookie} header, parsed.
         *
         * @return the cookies, in the order sent
         */
        public List<SetCookie> setCookies() {
            List<SetCookie> list = new ArrayList<>();
            for (String h : headers("Set-Cookie")) {
                list.add(SetCookie.parse(h));
            }
            return list;
        }

        /**
         * Returns the {@code Set-Cookie} for a cookie name.
         *
         * @param name the cookie name
         * @return the cookie
         * @throws AssertionError if none, or more than one, was sent for that name
         */
        public SetCookie cookie(String name) {
            List<SetCookie> found = setCookies().stream().filter(c -> c.name().equals(name)).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one Set-Cookie for " + name + ", got " + headers("Set-Cookie")
                        + " (status " + status + ")");
            }
            return found.get(0);
        }

        /**
         * Returns whether a {@code Set-Cookie} was sent for a cookie name.
         *
         * @param name the cookie name
         * @return {@code true} if one was
         */
        public boolean setsCookie(String name) {
            return setCookies().stream().anyMatch(c -> c.name().equals(name));
        }

        /**
         * Returns the media type of the {@code Content-Type} header, without parameters, in lower case.
         *
         * @return for example {@code application/json}, or {@code ""} if there is none
         */
        public String mediaType() {
            return header("Content-Type").map(v -> v.split(";")[0].trim().toLowerCase(Locale.ROOT)).orElse("");
        }

        @Override
        public String toString() {
            String shown = body.length() > 300 ? body.substring(0, 300) + "…(" + body.length() + " chars)" : body;
            return status + " " + headers + " " + shown;
        }
    }
}
