package dev.cookies.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.charset.StandardCharsets;
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
        assertTrue(e.getMessage().contains("cannot be stored"), e.getMessage());
    }

    @Test
    @DisplayName("a document over the size bound is refused before parsing")
    void sizeBound() {
        JsonCodec small = new JsonCodec(16, 1024);
        byte[] big = ("{\"a\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> small.decode(big));
        assertThrows(IllegalArgumentException.class, () -> small.toPlain(Map.of("a", "x".repeat(2000))));
    }
}
