package dev.cookies.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

    private final JsonCodec codec = JsonCodec.DEFAULT;

    record User(String name, int age) {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
    static class Gadget {
        public String value = "x";
    }

    @Test
    @DisplayName("records and maps become plain JSON types and convert back, typed")
    void roundTrip() {
        Object plain = codec.toPlain(new User("alice", 30));
        assertEquals(Map.of("name", "alice", "age", 30), plain);
        assertEquals(new User("alice", 30), codec.fromPlain(plain, User.class));
    }

    @Test
    @DisplayName("toPlain is a deep copy: changing the original afterwards changes nothing")
    void deepCopy() {
        List<String> list = new ArrayList<>(List.of("a"));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("list", list);
        Object plain = codec.toPlain(map);
        list.add("b");
        assertEquals(Map.of("list", List.of("a")), plain);
    }

    @Test
    @DisplayName("decoding accepts only a JSON object")
    void onlyObjects() {
        for (String bad : new String[] {"[]", "1", "\"s\"", "null", "{", "{} {}", "", "{\"a\":1,\"a\":2}", "\u0000"}) {
            assertThrows(IllegalArgumentException.class, () -> codec.decode(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertEquals(Map.of("a", 1), codec.decode("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @DisplayName("nesting 10 000 deep is refused without a stack overflow, when decoding and when storing")
    void deepNesting() {
        String deep = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertThrows(IllegalArgumentException.class, () -> codec.decode(deep.getBytes(StandardCharsets.UTF_8)));
        Object nested = "x";
        for (int i = 0; i < 10_000; i++) {
            nested = List.of(nested);
        }
        Object tooDeep = nested;
        assertThrows(IllegalArgumentException.class, () -> codec.toPlain(tooDeep));
    }

    @Test
    @DisplayName("a class name in the data is never used to pick a type")
    void noPolymorphicTyping() {
        // Serializing such a type would write its class name; the codec refuses to act on it when reading.
        Object plain = Map.of("@class", Gadget.class.getName(), "value", "x");
        assertThrows(IllegalArgumentException.class, () -> codec.fromPlain(plain, Gadget.class));
        Map<String, Object> decoded = codec.decode(
                "{\"@class\":\"java.net.URL\",\"x\":[\"java.util.HashMap\",{}]}".getBytes(StandardCharsets.UTF_8));
        assertTrue(decoded.get("x") instanceof List, "decoded values stay plain JSON types");
    }

    @Test
    @DisplayName("a value that is not serializable is refused with a message naming its type")
    void unserializable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.toPlain(new Object() {
            public Object getSelf() {
                return this;
            }
        }));
        assertTrue(e.getMessage().contains("cannot be written as JSON"), e.getMessage());
    }

    @Test
    @DisplayName("a document over the size bound is refused before parsing")
    void sizeBound() {
        JsonCodec small = new JsonCodec(16, 1024);
        byte[] big = ("{\"a\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> small.decode(big));
        assertThrows(IllegalArgumentException.class, () -> small.toPlain(Map.of("a", "x".repeat(2000))));
    }

    enum Colour { RED, GREEN }

    record Inner(String name, Colour colour) {
    }

    record Everything(Instant instant, LocalDate date, LocalDateTime dateTime, Duration duration, ZonedDateTime zoned,
                      Optional<String> present, Optional<String> absent, UUID uuid, BigDecimal money, Colour colour,
                      Inner inner, List<Instant> instants, Map<String, LocalDate> dates, List<Map<String, Inner>> nested) {
    }

    static Everything everything() {
        return new Everything(Instant.parse("2026-11-30T10:15:30.123456789Z"), LocalDate.of(2026, 2, 28),
                LocalDateTime.of(2026, 11, 30, 23, 59, 1), Duration.ofHours(36).plusMillis(5),
                ZonedDateTime.of(2026, 3, 29, 1, 30, 0, 0, ZoneId.of("Europe/Paris")), Optional.of("here"), Optional.empty(),
                UUID.fromString("3f1c8a64-2d5e-4f3b-9a7c-0e1d2c3b4a59"), new BigDecimal("12345678901234567890.000000001"),
                Colour.GREEN, new Inner("in", Colour.RED), List.of(Instant.EPOCH, Instant.parse("2000-01-01T00:00:00Z")),
                Map.of("a", LocalDate.of(1999, 12, 31)), List.of(Map.of("k", new Inner("deep", Colour.GREEN))));
    }

    /** Stores a value as a session would (put, encode, decode) and reads it back typed. */
    private static <T> T throughASession(SessionCodec codec, Object value, Class<T> type) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("v", codec.toPlain("v", value));
        Map<String, Object> loaded = codec.decode(codec.encode(session));
        return codec.fromPlain(loaded.get("v"), type);
    }

    @Test
    @DisplayName("java.time, Optional, UUID, BigDecimal, enums, records and nested lists and maps round-trip, typed")
    void appTypesRoundTrip() {
        assertEquals(everything(), throughASession(codec, everything(), Everything.class));
    }

    @Test
    @DisplayName("java.time values are stored as readable ISO-8601 strings, not numbers or arrays")
    void isoStrings() {
        Map<?, ?> plain = (Map<?, ?>) codec.toPlain(everything());
        assertEquals("2026-11-30T10:15:30.123456789Z", plain.get("instant"));
        assertEquals("2026-02-28", plain.get("date"));
        assertEquals("2026-11-30T23:59:01", plain.get("dateTime"));
        assertEquals("PT36H0.005S", plain.get("duration"));
        assertEquals("2026-03-29T01:30:00+01:00[Europe/Paris]", plain.get("zoned"));
        assertEquals("12345678901234567890.000000001", plain.get("money").toString());
    }

    @Test
    @DisplayName("a number that does not fit a double keeps its exact value through load and save")
    void exactNumbers() {
        for (String number : new String[] {"1e999", "-1e999", "12345678901234567890.000000000001", "1e-999",
                "9".repeat(300), "0.1", "1.5", "1e5", "-0.0"}) {
            byte[] stored = ("{\"x\":" + number + "}").getBytes(StandardCharsets.UTF_8);
            Object once = codec.decode(stored).get("x");
            Object twice = codec.decode(codec.encode(codec.decode(stored))).get("x");
            assertEquals(once, twice, number);
            assertEquals(0, new BigDecimal(number).compareTo(new BigDecimal(once.toString())), number + " became " + once);
        }
        assertEquals(1.5, codec.decode("{\"x\":1.5}".getBytes(StandardCharsets.UTF_8)).get("x"), "a double stays a Double");
        assertTrue(codec.decode("{\"x\":1e999}".getBytes(StandardCharsets.UTF_8)).get("x") instanceof BigDecimal);
    }

    @Test
    @DisplayName("what put accepts, decode reads back: depth, number, string and key lengths are refused at put, naming the limit")
    void symmetricLimits() {
        Object nested = "x";
        for (int i = 0; i < 63; i++) {
            nested = List.of(nested);
        }
        Object deepest = nested;
        assertEquals(deepest, throughASession(codec, deepest, Object.class), "64 levels: the session's own object plus 63");
        Object tooDeep = List.of(deepest);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> codec.toPlain("v", tooDeep)).getMessage().contains("maxDepth"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> codec.toPlain("v", new BigInteger("9".repeat(1001))))
                .getMessage().contains("maxNumberLength"));
        assertEquals(new BigInteger("9".repeat(1000)), throughASession(codec, new BigInteger("9".repeat(1000)), BigInteger.class));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> codec.toPlain("k".repeat(64 * 1024 + 1), 1))
                .getMessage().contains("maxNameLength"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> codec.toPlain("v", Map.of("k".repeat(64 * 1024 + 1), 1)))
                .getMessage().contains("read back"));
        JsonCodec small = new JsonCodec(16, 1024);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> small.toPlain("v", "x".repeat(1025)))
                .getMessage().contains("maxBytes"));
        assertThrows(IllegalArgumentException.class, () -> codec.toPlain("v", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> codec.toPlain("v", Double.POSITIVE_INFINITY));
    }

    static final class Secret {
        public String value = "s";
    }

    @Test
    @DisplayName("the application's own mapper: its modules and naming apply, on a copy with the core's limits; the original is untouched")
    void applicationMapper() {
        ObjectMapper app = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        StreamReadConstraints before = app.getFactory().streamReadConstraints();
        SessionCodec own = SessionCodec.json(app);
        record Stamp(Instant createdAt) {
        }
        Stamp stamp = new Stamp(Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(Map.of("created_at", "2026-01-01T00:00:00Z"), own.toPlain(stamp));
        assertEquals(stamp, throughASession(own, stamp, Stamp.class));
        assertTrue(app.getFactory().streamReadConstraints() == before, "the application's mapper was changed");
        assertEquals(1000, app.getFactory().streamReadConstraints().getMaxNestingDepth());

        String deep = "{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}";
        assertThrows(IllegalArgumentException.class, () -> own.decode(deep.getBytes(StandardCharsets.UTF_8)),
                "65 levels on the application's mapper");
        assertEquals(Map.of(), app.convertValue(app.createObjectNode(), Map.class), "the original still works as before");
    }

    @Test
    @DisplayName("a mapper with default typing is refused")
    void defaultTypingRefused() {
        ObjectMapper typed = JsonMapper.builder().build();
        typed.activateDefaultTyping(typed.getPolymorphicTypeValidator(), ObjectMapper.DefaultTyping.NON_FINAL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SessionCodec.json(typed));
        assertTrue(e.getMessage().contains("default typing"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SessionCodec.json(b -> b.activateDefaultTypingAsProperty(
                BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(),
                ObjectMapper.DefaultTyping.EVERYTHING, "@type")));
    }
}
