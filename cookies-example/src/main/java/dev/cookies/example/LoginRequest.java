package dev.cookies.example;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cookies.LoginOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The body of {@code POST /login}, read and checked the same way on every adapter:
 * {@code {"user": …}} with optional {@code "rememberMe": true|false}, {@code "durationSeconds": n}
 * and {@code "reset": true|false}.
 *
 * <p>Hostile bodies are refused before anything reaches a session: anything but
 * {@code Content-Type: application/json} is {@code 415} (a cross-site HTML form cannot send it, so it
 * cannot log a visitor in as someone else), a body over {@link Limits#maxBodyBytes()} (by default
 * {@value #MAX_BODY_BYTES}) bytes is {@code 413} (read and discarded first if it declares a length at
 * most {@value #DRAIN_BYTES} bytes over; see {@link #readBody}), and malformed JSON,
 * a user over {@link Limits#maxUserBytes()} (by default {@value #MAX_USER_BYTES}) bytes of JSON, or bad
 * options are {@code 400}.
 *
 * @param user the user to log in: any JSON value but null, as parsed (maps, lists, strings, numbers)
 * @param options remember-me, duration and reset
 */
record LoginRequest(Object user, LoginOptions options) {

    /** The largest body read by default: 64 KiB, far more than a user name needs. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** How much of a body over the limit is read and discarded before the {@code 413}: 1 MiB. */
    static final int DRAIN_BYTES = 1 << 20;

    /**
     * The largest user, as JSON: a name or a small record. With the cookie store the whole session must
     * fit a 4 KB cookie, and a larger user would fail there as a session too large (500), not as the
     * client's mistake.
     */
    static final int MAX_USER_BYTES = 1024;

    /** Room a session needs beyond its user: the bookkeeping, the owner's name, the keys. */
    static final int SESSION_OVERHEAD_BYTES = 64 * 1024;

    /** The longest login a cookie can carry: browsers cap cookie lifetimes at 400 days. */
    static final long MAX_DURATION_SECONDS = Duration.ofDays(400).toSeconds();

    /**
     * How large a login may be.
     *
     * @param maxBodyBytes the largest body read
     * @param maxUserBytes the largest user, as JSON
     * @param maxSessionBytes the largest session such a login makes, for the auth session's
     *     {@code maxSessionBytes}; 0 for the core's default (1 MiB), which the default limits stay far under
     */
    record Limits(int maxBodyBytes, int maxUserBytes, int maxSessionBytes) {

        /** 64 KiB of body, 1 KiB of user: a login the cookie store's 4 KB cookie can carry. */
        static final Limits DEFAULT = new Limits(MAX_BODY_BYTES, MAX_USER_BYTES, 0);

        /**
         * Returns the limits for a body limit ({@code --max-body-bytes}). Up to the default 64 KiB, the
         * user stays at 1 KiB of JSON. Above it, the user may fill the body, and a session must then hold
         * it twice (a user name is also its principal name, kept for the per-user index) with room to
         * spare: twice the body and {@value LoginRequest#SESSION_OVERHEAD_BYTES} bytes. Every login the
         * app accepts can then be kept, so none becomes the core's 500 "session too large".
         *
         * @param maxBodyBytes the largest body
         * @return the limits
         */
        static Limits of(int maxBodyBytes) {
            if (maxBodyBytes <= MAX_BODY_BYTES) {
                return new Limits(maxBodyBytes, MAX_USER_BYTES, 0);
            }
            return new Limits(maxBodyBytes, maxBodyBytes, 2 * maxBodyBytes + SESSION_OVERHEAD_BYTES);
        }
    }

    /**
     * Reads and checks a login request.
     *
     * @param limits how large a login may be
     * @param contentType the request's {@code Content-Type}, or {@code null}
     * @param declaredLength the request's {@code Content-Length}, or -1 when it has none (chunked)
     * @param body the request body; at most {@link Limits#maxBodyBytes()} + 1 bytes are read from it
     * @return the login request
     * @throws ProblemException for a body that is not JSON, too large, malformed, or with bad options
     */
    static LoginRequest read(Limits limits, String contentType, long declaredLength, InputStream body) {
        if (!isJson(contentType)) {
            throw Problem.UNSUPPORTED_MEDIA_TYPE.exception();
        }
        return parse(limits, readBody(limits.maxBodyBytes(), declaredLength, body));
    }

    /**
     * Reads a body of at most {@code maxBytes} bytes. A body declared longer is refused with {@code 413}:
     * after reading and discarding it when it is at most {@link #DRAIN_BYTES} over the limit, unread
     * when it is longer. Of a body that does not declare its length (chunked), one byte more than allowed
     * is read, never the rest: its end is unknown, and waiting for it would let a client hold the thread.
     *
     * <p>Why read what is refused: a server that closes the connection while part of the request is
     * still unread makes the kernel reset it, and a client still sending its body (a browser, curl,
     * Java's HttpClient) may then lose the {@code 413} it was sent. Reading a modest, declared excess
     * lets the answer arrive; a huge one is not worth it, and the client must cope with the reset.
     *
     * @throws ProblemException {@link Problem#BODY_TOO_LARGE}, or {@link Problem#BODY_UNREADABLE} if
     *     the client broke off or sent a malformed body
     */
    static byte[] readBody(int maxBytes, long declaredLength, InputStream body) {
        if (declaredLength > (long) maxBytes + DRAIN_BYTES) {
            throw Problem.BODY_TOO_LARGE.exception();
        }
        byte[] bytes;
        try {
            if (declaredLength > maxBytes) {
                drain(body, declaredLength);
                throw Problem.BODY_TOO_LARGE.exception();
            }
            bytes = body.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw Problem.BODY_UNREADABLE.exception();
        }
        if (bytes.length > maxBytes) {
            throw Problem.BODY_TOO_LARGE.exception();
        }
        return bytes;
    }

    /** Reads and discards at most {@code max} bytes, stopping at the end of the body. */
    private static void drain(InputStream body, long max) throws IOException {
        byte[] scratch = new byte[8192];
        long left = max;
        while (left > 0) {
            int n = body.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                return;
            }
            left -= n;
        }
    }

    /** Parses and checks the JSON of a login request. */
    static LoginRequest parse(Limits limits, byte[] json) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw Problem.NOT_JSON.exception();
        } catch (IOException e) {
            throw Problem.BODY_UNREADABLE.exception();
        }
        if (body == null || !body.isObject()) {
            throw Problem.NOT_AN_OBJECT.exception();
        }
        JsonNode user = body.get("user");
        if (user == null || user.isNull()) {
            throw Problem.USER_REQUIRED.exception();
        }
        if (Json.write(user).getBytes(StandardCharsets.UTF_8).length > limits.maxUserBytes()) {
            throw Problem.USER_TOO_LONG.exception();
        }
        boolean rememberMe = flag(body.get("rememberMe"), Problem.BAD_REMEMBER_ME);
        boolean reset = flag(body.get("reset"), Problem.BAD_RESET);
        Duration duration = duration(body.get("durationSeconds"));
        return new LoginRequest(Json.MAPPER.convertValue(user, Object.class), new LoginOptions(rememberMe, duration, reset));
    }

    /** Whether a {@code Content-Type} is JSON: {@code application/json}, with or without parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT).equals("application/json");
    }

    private static boolean flag(JsonNode value, Problem problem) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw problem.exception();
        }
        return value.booleanValue();
    }

    /** A whole number of seconds the core accepts; absent means the session's own idle timeout. */
    private static Duration duration(JsonNode value) {
        if (value == null || value.isNull()) {
            return Duration.ZERO;
        }
        // 1e18 and 7200.0 are decimals, -1 and 0 are out of range: all refused here, not deep in the core.
        if (!value.isIntegralNumber() || !value.canConvertToLong()
                || value.longValue() < 1 || value.longValue() > MAX_DURATION_SECONDS) {
            throw Problem.BAD_DURATION.exception();
        }
        return Duration.ofSeconds(value.longValue());
    }
}
