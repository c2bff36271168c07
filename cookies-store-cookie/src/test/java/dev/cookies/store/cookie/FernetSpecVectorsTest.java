package dev.cookies.store.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cookies.testkit.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The conformance vectors of the Fernet specification (src/test/resources/fernet, from fernet/spec). */
class FernetSpecVectorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> vectors(String file) {
        try (InputStream in = FernetSpecVectorsTest.class.getResourceAsStream("/fernet/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource fernet/" + file);
            }
            List<JsonNode> list = new ArrayList<>();
            JSON.readTree(in).forEach(list::add);
            return list;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long epochSeconds(JsonNode v) {
        return OffsetDateTime.parse(v.get("now").asText()).toEpochSecond();
    }

    @Test
    @DisplayName("the vector files are present and hold the cases the specification lists")
    void vectorsPresent() {
        assertEquals(1, vectors("generate.json").size());
        assertEquals(1, vectors("verify.json").size());
        assertEquals(8, vectors("invalid.json").size());
    }

    @TestFactory
    @DisplayName("generate: the exact token, byte for byte")
    Stream<DynamicTest> generate() {
        return vectors("generate.json").stream().map(v -> DynamicTest.dynamicTest(v.get("token").asText(), () -> {
            byte[] iv = new byte[16];
            for (int i = 0; i < 16; i++) {
                iv[i] = (byte) v.get("iv").get(i).asInt();
            }
            Fernet fernet = Fernet.fromKey(v.get("secret").asText());
            String token = fernet.encrypt(Fixtures.utf8(v.get("src").asText()), epochSeconds(v), iv);
            assertEquals(v.get("token").asText(), token);
        }));
    }

    @TestFactory
    @DisplayName("verify: opens at the given time and TTL, to the given plaintext")
    Stream<DynamicTest> verify() {
        return vectors("verify.json").stream().map(v -> DynamicTest.dynamicTest(v.get("token").asText(), () -> {
            Fernet fernet = Fernet.fromKey(v.get("secret").asText());
            Optional<byte[]> plain = fernet.decrypt(v.get("token").asText(), epochSeconds(v), v.get("ttl_sec").asLong());
            assertEquals(v.get("src").asText(), Fixtures.text(plain.orElseThrow()));
        }));
    }

    @TestFactory
    @DisplayName("verify: the store opens it too, with the token's timestamp")
    Stream<DynamicTest> verifyThroughTheStore() {
        return vectors("verify.json").stream().map(v -> DynamicTest.dynamicTest(v.get("token").asText(), () -> {
            MutableClock clock = MutableClock.at(Instant.ofEpochSecond(epochSeconds(v)));
            CookieSessionStore store = Fixtures.store(clock, Fixtures.KEY1, v.get("secret").asText());
            var opened = store.open(v.get("token").asText()).orElseThrow();
            assertEquals(v.get("src").asText(), Fixtures.text(opened.payload()));
            assertEquals(Instant.parse("1985-10-26T08:20:00Z"), opened.issuedAt());
            assertTrue(opened.reseal() == false, "re-seal on read is off by default");
        }));
    }

    @TestFactory
    @DisplayName("invalid: every token is rejected, for its own reason")
    Stream<DynamicTest> invalid() {
        return vectors("invalid.json").stream().map(v -> DynamicTest.dynamicTest(v.get("desc").asText(), () -> {
            Fernet fernet = Fernet.fromKey(v.get("secret").asText());
            Optional<byte[]> plain = fernet.decrypt(v.get("token").asText(), epochSeconds(v), v.get("ttl_sec").asLong());
            assertTrue(plain.isEmpty(), "rejected token opened");
        }));
    }

    @TestFactory
    @DisplayName("invalid: the store rejects every one except 'expired TTL', whose age the session engine judges")
    Stream<DynamicTest> invalidThroughTheStore() {
        return vectors("invalid.json").stream().map(v -> DynamicTest.dynamicTest(v.get("desc").asText(), () -> {
            MutableClock clock = MutableClock.at(Instant.ofEpochSecond(epochSeconds(v)));
            CookieSessionStore store = Fixtures.store(clock, v.get("secret").asText());
            boolean opened = store.open(v.get("token").asText()).isPresent();
            if (v.get("desc").asText().equals("expired TTL")) {
                // The store has no TTL of its own; the engine applies the idle timeout to issuedAt
                // (SessionLifetimeTest). Without a TTL, the token is otherwise good.
                assertTrue(opened, "the expired-TTL token should be well-formed apart from its age");
            } else {
                assertFalse(opened, "rejected token opened");
            }
        }));
    }
}
