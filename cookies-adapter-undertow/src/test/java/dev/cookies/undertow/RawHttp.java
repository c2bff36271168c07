package dev.cookies.undertow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain-socket HTTP/1.1 client for what {@link dev.cookies.testkit.HttpTestClient} cannot do: send a
 * request twice over one kept-alive connection, send any request header, send an absolute-form request
 * target. It reads each response exactly (by its Content-Length, or its chunks), so a test sees a
 * response that was cut short, one that never ends, and a server that closed the connection after
 * answering.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** A response: status, headers (names case-insensitive), body as UTF-8. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }
    }

    /** Sends a request twice on one connection; both must be answered. */
    static List<Response> twice(URI base, String method, String path) throws IOException {
        return send(base, 2, method, path);
    }

    /**
     * Sends one request.
     *
     * @param target the request target as sent: a path, or an absolute URI
     * @param headers extra header lines, for example {@code "Sec-Fetch-Site: cross-site"}
     */
    static Response once(URI base, String method, String target, String... headers) throws IOException {
        return send(base, 1, method, target, headers).get(0);
    }

    private static List<Response> send(URI base, int times, String method, String target, String... headers)
            throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                    + base.getPort() + "\r\nContent-Length: 0\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            byte[] bytes = request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
            List<Response> responses = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                out.write(bytes);
                out.flush();
                Response r = read(in);
                if (r == null) {
                    throw new IOException("request " + (i + 1) + ": the server closed the connection without answering"
                            + (responses.isEmpty() ? "" : "; the first answer was " + responses.get(0)));
                }
                responses.add(r);
            }
            return responses;
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return null;
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.computeIfAbsent(h.substring(0, colon).trim(), k -> new ArrayList<>()).add(h.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("Content-Length")) {
            body.write(exactly(in, Integer.parseInt(headers.get("Content-Length").get(0))));
        } else if (headers.containsKey("Transfer-Encoding")) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(exactly(in, size));
                line(in);
            }
            line(in);
        }
        return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
    }

    private static byte[] exactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new IOException("the body was cut short: " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    /** Reads a CRLF-terminated line; null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return s.length() == 0 ? null : s.toString();
            }
            if (b != '\r') {
                s.append((char) b);
            }
        }
        return s.toString();
    }
}
