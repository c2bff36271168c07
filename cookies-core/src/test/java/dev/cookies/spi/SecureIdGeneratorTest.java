package dev.cookies.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SecureIdGeneratorTest {

    private final SecureIdGenerator ids = SecureIdGenerator.INSTANCE;

    @Test
    @DisplayName("ids are 43 base64url characters carrying 256 bits, all distinct, all well-formed")
    void ids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = ids.newId();
            assertEquals(43, id.length());
            assertEquals(32, Base64.getUrlDecoder().decode(id).length);
            assertTrue(ids.isWellFormed(id), id);
            assertTrue(seen.add(id));
        }
    }

    @Test
    @DisplayName("the format check refuses anything the generator could not have made")
    void formatCheck() {
        String good = ids.newId();
        assertFalse(ids.isWellFormed(null));
        assertFalse(ids.isWellFormed(""));
        assertFalse(ids.isWellFormed(good.substring(1)));
        assertFalse(ids.isWellFormed(good + "A"));
        assertFalse(ids.isWellFormed("+" + good.substring(1)));
        assertFalse(ids.isWellFormed("/" + good.substring(1)));
        assertFalse(ids.isWellFormed(good.substring(0, 42) + "B"), "the last character carries only 4 bits");
        assertFalse(ids.isWellFormed(good.substring(0, 42) + "="));
        assertFalse(ids.isWellFormed("é" + good.substring(1)));
    }
}
