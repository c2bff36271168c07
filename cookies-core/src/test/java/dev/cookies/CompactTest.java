package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CompactTest {

    private static final Meta META = new Meta(1_764_496_343L, 1_764_496_400L, 7200, 1, 86_400, "alice@example.com", "n0nce");

    @Test
    @DisplayName("every plain type and the bookkeeping come back equal, values frozen")
    void roundTrip() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("s", "plain");
        data.put("unicode", "caf\u00e9 \uD83C\uDF6A \u0000 \"q\"");
        data.put("i", -42);
        data.put("l", 9_007_199_254_740_993L);
        data.put("d", -0.1);
        data.put("nan", Double.MIN_VALUE);
        data.put("bi", new BigInteger("9".repeat(300)));
        data.put("bd", new BigDecimal("1e999"));
        data.put("t", true);
        data.put("f", false);
        data.put("null", null);
        data.put("list", List.of(1, "two", List.of(), Map.of("k", List.of(3L))));
        data.put("map", Map.of("a", Map.of("b", Map.of())));
        Compact.Read read = decode(Compact.encode("auth", data, META));
        assertEquals("auth", read.owner());
        assertEquals(META, read.meta());
        assertEquals(data, read.data());
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) read.data().get("list")).clear());
        assertThrows(UnsupportedOperationException.class, () -> ((Map<?, ?>) read.data().get("map")).clear());
    }

    @Test
    @DisplayName("random trees of plain values survive, and the form is smaller than the JSON")
    void randomTrees() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            Map<String, Object> data = new LinkedHashMap<>();
            int keys = random.nextInt(6);
            for (int k = 0; k < keys; k++) {
                data.put(randomString(random), randomValue(random, 3));
            }
            byte[] compact = Compact.encode("session", data, Meta.fresh(java.time.Instant.EPOCH));
            assertTrue(Compact.isCompact(compact));
            assertEquals(data, decode(compact).data());
        }
        Map<String, Object> typical = new LinkedHashMap<>(Map.of("profile", "x".repeat(120), "count", 3));
        byte[] json = SessionManager.builder("session").store(new NullServerStore()).build()
                .encode(typical, Meta.fresh(java.time.Instant.now()));
        assertTrue(Compact.encode("session", typical, Meta.fresh(java.time.Instant.now())).length < json.length);
    }

    @Test
    @DisplayName("a short ASCII key decodes to one shared string; every other key, and keys that share a slot, come back exact")
    void keys() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("count", 1);
        data.put("", 2);
        data.put("k".repeat(33), 3); // longer than the cached keys
        data.put("cl\u00e9", 4); // not ASCII
        for (int i = 0; i < 600; i++) { // more keys than slots: some share one, and replace each other
            data.put("key" + i, i);
        }
        byte[] compact = Compact.encode("session", data, META);
        Map<String, Object> first = decode(compact).data();
        Map<String, Object> second = decode(compact).data();
        assertEquals(data, first);
        assertEquals(List.copyOf(data.keySet()), List.copyOf(second.keySet()));
        String count = decode(Compact.encode("session", Map.of("count", 5), META)).data().keySet().iterator().next();
        assertSame(count, decode(Compact.encode("session", Map.of("count", 6), META)).data().keySet().iterator().next());
    }

    @Test
    @DisplayName("the owner is recognised by its bytes: the expected name itself when it matches, the stored one when not")
    void owner() {
        byte[] compact = Compact.encode("auth", Map.of("a", 1), META);
        String expected = new String("auth");
        assertSame(expected, Compact.decode(compact, expected, expected.getBytes(java.nio.charset.StandardCharsets.UTF_8)).owner());
        String other = Compact.decode(compact, "autH", "autH".getBytes(java.nio.charset.StandardCharsets.UTF_8)).owner();
        assertEquals("auth", other);
        assertNotEquals("autH", other);
        assertEquals("auth", Compact.decode(compact, "au", "au".getBytes(java.nio.charset.StandardCharsets.UTF_8)).owner());
    }

    /** Decodes as a manager named {@code session} does. */
    private static Compact.Read decode(byte[] compact) {
        return Compact.decode(compact, "session", "session".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Object randomValue(Random random, int depth) {
        switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0: return null;
            case 1: return random.nextBoolean();
            case 2: return random.nextInt();
            case 3: return random.nextLong();
            case 4: return random.nextDouble() * 1e6;
            case 5: return randomString(random);
            case 6: return new BigDecimal(random.nextLong()).scaleByPowerOfTen(-random.nextInt(40));
            case 7: {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(randomValue(random, depth - 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(randomString(random), randomValue(random, depth - 1));
                }
                return map;
            }
        }
    }

    private static String randomString(Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(20); i > 0; i--) {
            b.append(random.nextInt(4) == 0 ? (char) random.nextInt(0xD7FF) : (char) (32 + random.nextInt(95)));
        }
        return b.toString();
    }
}
