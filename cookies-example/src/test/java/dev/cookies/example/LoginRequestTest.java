package dev.cookies.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.LoginOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoginRequestTest {

    /** A body of 300 MB that counts what is read from it, and never holds more than one buffer. */
    private static final class Endless extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return ' ';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = Math.min(len, 8192);
            java.util.Arrays.fill(b, off, off + n, (byte) ' ');
            read += n;
            return n;
        }
    }

    @Test
    @DisplayName("a body without a declared length is read to 64 KiB + 1 byte and no further")
    void readsAtMostOneByteOverTheLimit() {
        Endless body = new Endless();
        ProblemException e = assertThrows(ProblemException.class, () -> LoginRequest.read(LoginRequest.Limits.DEFAULT, "application/json", -1, body));
        assertEquals(Problem.BODY_TOO_LARGE, e.problem());
        assertEquals(LoginRequest.MAX_BODY_BYTES + 1, body.read);
    }

    @Test
    @DisplayName("a body declared longer than 64 KiB + 1 MiB is refused without reading a byte")
    void declaredTooLongIsNotRead() {
        Endless body = new Endless();
        assertEquals(Problem.BODY_TOO_LARGE, assertThrows(ProblemException.class,
                () -> LoginRequest.read(LoginRequest.Limits.DEFAULT, "application/json", 300L << 20, body)).problem());
        assertEquals(0, body.read);
        Endless justOver = new Endless();
        assertEquals(Problem.BODY_TOO_LARGE, assertThrows(ProblemException.class, () -> LoginRequest.read(
                LoginRequest.Limits.DEFAULT, "application/json", LoginRequest.MAX_BODY_BYTES + LoginRequest.DRAIN_BYTES + 1L,
                justOver)).problem());
        assertEquals(0, justOver.read);
    }

    @Test
    @DisplayName("a body declared a little over 64 KiB is read to its declared end, discarded, then refused")
    void declaredSlightlyTooLongIsDrained() {
        Endless body = new Endless();
        long declared = LoginRequest.MAX_BODY_BYTES + 1L;
        assertEquals(Problem.BODY_TOO_LARGE, assertThrows(ProblemException.class,
                () -> LoginRequest.read(LoginRequest.Limits.DEFAULT, "application/json", declared, body)).problem());
        assertEquals(declared, body.read);
    }

    @Test
    @DisplayName("a body that is not JSON by its Content-Type is refused before it is read")
    void contentTypeFirst() {
        Endless body = new Endless();
        assertEquals(Problem.UNSUPPORTED_MEDIA_TYPE, assertThrows(ProblemException.class,
                () -> LoginRequest.read(LoginRequest.Limits.DEFAULT, "text/plain", -1, body)).problem());
        assertEquals(0, body.read);
    }

    @Test
    @DisplayName("a client that breaks off is a 400, not an exception to log")
    void brokenBody() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset by peer");
            }
        };
        assertEquals(Problem.BODY_UNREADABLE, assertThrows(ProblemException.class,
                () -> LoginRequest.read(LoginRequest.Limits.DEFAULT, "application/json", -1, broken)).problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "Application/JSON", "application/json; charset=utf-8", " application/json ;x=y"})
    @DisplayName("JSON is recognised with any case and parameters")
    void json(String type) {
        assertTrue(LoginRequest.isJson(type));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
        "application/json-patch+json", "text/json", "application/jsonp"})
    @DisplayName("anything else is not JSON")
    void notJson(String type) {
        assertFalse(LoginRequest.isJson(type));
    }

    @Test
    @DisplayName("options are read into LoginOptions; users keep their JSON shape and exact numbers")
    void parses() {
        LoginRequest all = parse("{\"user\":{\"name\":\"alice\",\"roles\":[\"admin\"]},\"rememberMe\":true,"
                + "\"durationSeconds\":7200,\"reset\":true}");
        assertEquals(Map.of("name", "alice", "roles", List.of("admin")), all.user());
        assertEquals(new LoginOptions(true, Duration.ofHours(2), true), all.options());
        assertEquals(LoginOptions.defaults(), parse("{\"user\":\"bob\"}").options());
        assertEquals(new BigInteger("9".repeat(300)), parse("{\"user\":" + "9".repeat(300) + "}").user());
    }

    @Test
    @DisplayName("limits: up to 64 KiB of body the user stays at 1 KiB; above, it may fill the body and a session holds it twice")
    void limits() {
        assertEquals(LoginRequest.Limits.DEFAULT, LoginRequest.Limits.of(64 * 1024));
        assertEquals(new LoginRequest.Limits(64 * 1024, 1024, 0), LoginRequest.Limits.DEFAULT);
        assertEquals(new LoginRequest.Limits(4096, 1024, 0), LoginRequest.Limits.of(4096));
        assertEquals(new LoginRequest.Limits(1 << 20, 1 << 20, (2 << 20) + 64 * 1024), LoginRequest.Limits.of(1 << 20));
    }

    @Test
    @DisplayName("with a 1 MiB limit, a 990 KB user is read, and a body of 1 MiB + 1 byte is refused after reading that much")
    void raisedLimit() {
        LoginRequest.Limits limits = LoginRequest.Limits.of(1 << 20);
        String user = "u".repeat(990_000);
        byte[] json = ("{\"user\":\"" + user + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals(user, LoginRequest.read(limits, "application/json", json.length, new ByteArrayInputStream(json)).user());
        Endless body = new Endless();
        assertEquals(Problem.BODY_TOO_LARGE, assertThrows(ProblemException.class,
                () -> LoginRequest.read(limits, "application/json", -1, body)).problem());
        assertEquals((1 << 20) + 1, body.read);
        byte[] tooLong = ("{\"user\":\"" + "u".repeat(1100) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals(Problem.USER_TOO_LONG, assertThrows(ProblemException.class, () -> LoginRequest.read(
                LoginRequest.Limits.DEFAULT, "application/json", tooLong.length, new ByteArrayInputStream(tooLong))).problem());
    }

    private static LoginRequest parse(String json) {
        return LoginRequest.read(LoginRequest.Limits.DEFAULT, "application/json", json.length(),
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
