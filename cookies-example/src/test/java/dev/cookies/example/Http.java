package dev.cookies.example;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
 * Requests with any header a browser or an attacker sends ({@code Sec-Fetch-Site}, {@code Origin}, any
 * {@code Content-Type}), through {@link HttpClient}, which sets {@code Host} from the URI; and raw
 * requests over a socket for what the client will not send (a huge declared length, a body that never
 * ends).
 */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private Http() {
    }

    /**
     * A response.
     *
     * @param status the status
     * @param headers the headers, names in any case
     * @param body the body, as UTF-8
     */
    record Response(int status, Map<String, List<String>> headers, String body) {
        Optional<String> header(String name) {
            List<String> values = headers.getOrDefault(name, List.of());
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        List<String> setCookies() {
            return headers.getOrDefault("Set-Cookie", List.of());
        }

        String mediaType() {
            return header("Content-Type").map(v -> v.split(";")[0].trim().toLowerCase(Locale.ROOT)).orElse("");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + (body.length() > 400 ? body.substring(0, 400) + "…" : body);
        }
    }

    /**
     * Sends a request.
     *
     * @param base the app
     * @param method the method
     * @param path the path
     * @param body the body, or {@code null} for none
     * @param headers name, value, name, value…
     * @return the response
     */
    static Response send(URI base, String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            all.putAll(r.headers().map());
            return new Response(r.statusCode(), all, new String(r.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a POST with a body and a {@code Content-Type}, and more headers. */
    static Response post(URI base, String path, String contentType, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = contentType;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return send(base, "POST", path, body.getBytes(StandardCharsets.UTF_8), all);
    }

    /** Sends {@code POST /login} with a JSON body. */
    static Response login(URI base, String json, String... headers) {
        return post(base, "/login", "application/json", json, headers);
    }

    /**
     * Writes a request's head and the first bytes of its body over a socket, without the rest, then
     * reads the answer: what a server says before the client has sent all it announced.
     *
     * @param base the app
     * @param head the request line and headers, without the blank line that ends them
     * @param body the bytes of the body to send
     * @return the response
     */
    static Response raw(URI base, String head, byte[] body) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException refusedWhileSending) {
                // The server may answer and close before the client is done sending; read its answer.
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("raw request failed: " + head.lines().findFirst().orElse(""), e);
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int end = -1;
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int status = 0;
        long length = -1;
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
                String text = all.toString(StandardCharsets.ISO_8859_1);
                if (end < 0 && (end = text.indexOf("\r\n\r\n")) >= 0) {
                    String[] lines = text.substring(0, end).split("\r\n");
                    status = Integer.parseInt(lines[0].split(" ")[1]);
                    for (int i = 1; i < lines.length; i++) {
                        int colon = lines[i].indexOf(':');
                        headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                                .add(lines[i].substring(colon + 1).trim());
                    }
                    length = headers.containsKey("Content-Length") ? Long.parseLong(headers.get("Content-Length").get(0)) : -1;
                }
                if (end >= 0 && length >= 0 && all.size() - end - 4 >= length) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException stopped) {
            if (end < 0) {
                throw stopped;
            }
        }
        if (end < 0) {
            throw new IOException("no complete response head: " + all.toString(StandardCharsets.ISO_8859_1));
        }
        byte[] bytes = all.toByteArray();
        return new Response(status, headers, new String(bytes, end + 4, bytes.length - end - 4, StandardCharsets.UTF_8));
    }
}
