package dev.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CookieHeadersTest {

    private static final String[] NAMES = {"S", "A"};

    /** The parse of {@code headers} for the names S and A, by name (absent names have no entry). */
    private static Map<String, List<String>> parse(String... headers) {
        List<String>[] found = CookieHeaders.values(Arrays.asList(headers), NAMES, 3, 4096);
        Map<String, List<String>> byName = new HashMap<>();
        for (int i = 0; i < NAMES.length; i++) {
            if (found[i] != null) {
                byName.put(NAMES[i], found[i]);
            }
        }
        return byName;
    }

    @Test
    @DisplayName("every value of a name is kept, in order, across headers")
    void duplicates() {
        assertEquals(List.of("1", "2", "3"), parse("S=1; x=y; S=2", "S=3; S=4").get("S"));
    }

    @Test
    @DisplayName("whitespace and surrounding quotes are removed; other names are ignored")
    void lenient() {
        Map<String, List<String>> v = parse("  S = \"abc\" ;A=b=c;;  ;=x; noequals; other=1");
        assertEquals(List.of("abc"), v.get("S"));
        assertEquals(List.of("b=c"), v.get("A"));
        assertEquals(2, v.size());
    }

    @Test
    @DisplayName("a name sent with an empty or oversized value is seen but gives no candidate")
    void emptyAndHuge() {
        Map<String, List<String>> v = parse("S=; A=" + "x".repeat(5000));
        assertTrue(v.get("S").isEmpty());
        assertTrue(v.get("A").isEmpty());
        assertFalse(parse("X=1").containsKey("S"));
    }

    @Test
    @DisplayName("random bytes never throw")
    void randomInput() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[random.nextInt(200)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = random.nextInt(4) == 0 ? "S=;\" \t\r\n\u0000".charAt(random.nextInt(9)) : (char) random.nextInt(0x3000);
            }
            List<String> headers = new ArrayList<>();
            headers.add(new String(chars));
            headers.add(null);
            CookieHeaders.values(headers, new String[] {"S"}, 3, 4096);
        }
        assertNull(parse("").get("S"));
    }

    @Test
    @DisplayName("hostile shapes parse to the right values: a megabyte of separators, of names without '=', of pairs")
    void hostileShapes() {
        // The time this takes is measured in cookies-bench (CookieParsing), not asserted here.
        int mib = 1 << 20;
        assertEquals(List.of("x"), parse(";".repeat(mib) + "S=x").get("S"));
        assertEquals(List.of("y"), parse("ab;".repeat(mib / 3) + " S = y").get("S"));
        assertEquals(List.of("z"), parse("name=value; ".repeat(mib / 12) + "A=z").get("A"));
        assertNull(parse("S" + ";".repeat(mib) + "=x").get("S"), "an = after the separator belongs to another pair");
        assertEquals(List.of("1", "2", "3"), parse("S=1;S=2;S=3;" + "S=4;".repeat(mib / 4)).get("S"));
    }
}
