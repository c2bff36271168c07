package dev.cookies.store.cookie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The base64 rule for tokens and keys ({@link Fernet#decodeStrict}): url-safe alphabet, padding
 * required, and only the one canonical text of any bytes. The reference is the JDK: a text is
 * accepted exactly when {@link Base64#getUrlDecoder()} decodes it and {@link Base64#getUrlEncoder()}
 * writes the same text back for those bytes, and then it decodes to the same bytes.
 */
class StrictBase64Test {

    private static final long SEED = 0xB64_5EEDL;
    private static final int MAX_BYTES = 300;
    /** Characters a mutation puts in: every Latin-1 one, and some beyond it that a header could carry. */
    private static final char[] REPLACEMENTS = replacements();

    private static char[] replacements() {
        StringBuilder b = new StringBuilder();
        for (char c = 0; c < 256; c++) {
            b.append(c);
        }
        b.append("\u0100\u0141\u2028\u20ac\ud800\udc00\ufeff\uffff");
        return b.toString().toCharArray();
    }

    /** What the JDK says: the bytes if the text is the canonical padded url-safe encoding of them. */
    private static Optional<byte[]> reference(String text) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Base64.getUrlEncoder().encodeToString(bytes).equals(text) ? Optional.of(bytes) : Optional.empty();
    }

    private static String show(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            b.append(c >= 0x21 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }

    /** Asserts that decodeStrict agrees with the reference; returns whether the text was accepted. */
    private static boolean agrees(String text) {
        Optional<byte[]> expected = reference(text);
        Optional<byte[]> actual = Fernet.decodeStrict(text);
        assertEquals(expected.isPresent(), actual.isPresent(), () -> (expected.isPresent() ? "rejected " : "accepted ")
                + show(text));
        expected.ifPresent(bytes -> assertArrayEquals(bytes, actual.orElseThrow(), () -> "decoded " + show(text)));
        return actual.isPresent();
    }

    private static List<byte[]> samples(int length, Random random) {
        List<byte[]> list = new ArrayList<>();
        list.add(new byte[length]);
        byte[] ones = new byte[length];
        Arrays.fill(ones, (byte) 0xff);
        list.add(ones);
        for (int i = 0; i < 3; i++) {
            byte[] b = new byte[length];
            random.nextBytes(b);
            list.add(b);
        }
        return list;
    }

    @Test
    @DisplayName("every length from 0 to 300 bytes: the JDK's url-safe encoding decodes to the same bytes")
    void canonicalTextsDecode() {
        Random random = new Random(SEED);
        for (int length = 0; length <= MAX_BYTES; length++) {
            for (byte[] bytes : samples(length, random)) {
                String text = Base64.getUrlEncoder().encodeToString(bytes);
                int n = length;
                assertArrayEquals(bytes, Fernet.decodeStrict(text).orElseThrow(() -> new AssertionError(
                        "rejected the encoding of " + n + " bytes: " + text)), "length " + length);
            }
        }
    }

    @Test
    @DisplayName("every length from 0 to 300 bytes: any one character replaced near each end and in the middle is "
            + "accepted exactly when the JDK would write that text")
    void replacedCharacters() {
        Random random = new Random(SEED + 1);
        int accepted = 0;
        int rejected = 0;
        for (int length = 0; length <= MAX_BYTES; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            char[] text = Base64.getUrlEncoder().encodeToString(bytes).toCharArray();
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < text.length; i++) {
                if (i < 2 || i >= text.length - 5 || i == text.length / 2) {
                    positions.add(i);
                }
            }
            for (int position : positions) {
                for (char c : REPLACEMENTS) {
                    char[] mutant = text.clone();
                    mutant[position] = c;
                    if (agrees(new String(mutant))) {
                        accepted++;
                    } else {
                        rejected++;
                    }
                }
            }
        }
        // Not vacuous: both answers occur many times (other alphabet characters in data positions, and
        // canonical ones in the last data position, are accepted).
        assertTrue(accepted > 50_000, "accepted " + accepted);
        assertTrue(rejected > 300_000, "rejected " + rejected);
    }

    @Test
    @DisplayName("every length from 0 to 300 bytes: padding stripped or added, truncation, whitespace, line breaks "
            + "and the standard alphabet are rejected")
    void structuralEdits() {
        Random random = new Random(SEED + 2);
        for (int length = 0; length <= MAX_BYTES; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String text = Base64.getUrlEncoder().encodeToString(bytes);
            List<String> mutants = new ArrayList<>();
            String unpadded = text.replace("=", "");
            if (!unpadded.equals(text)) {
                mutants.add(unpadded);
            }
            mutants.add(text + "=");
            mutants.add(text + "==");
            mutants.add(text + "====");
            mutants.add(text + "A");
            if (text.endsWith("=")) {
                mutants.add(text + "AAAA");
            }
            mutants.add("=" + text);
            mutants.add(" " + text);
            mutants.add(text + " ");
            mutants.add(text + "\r\n");
            mutants.add("\"" + text + "\"");
            for (int cut = 1; cut <= 3 && cut <= text.length(); cut++) {
                mutants.add(text.substring(0, text.length() - cut));
                mutants.add(text.substring(cut));
            }
            if (text.length() >= 8) {
                int middle = text.length() / 2;
                mutants.add(text.substring(0, middle) + "\n" + text.substring(middle));
                mutants.add(text.substring(0, middle) + "====" + text.substring(middle));
                mutants.add(text.substring(0, 4) + "=" + text.substring(5));
            }
            if (text.length() > 76) {
                // MIME-style line breaks, which a MIME decoder would skip.
                mutants.add(text.substring(0, 76) + "\r\n" + text.substring(76));
            }
            String standard = Base64.getEncoder().encodeToString(bytes);
            if (!standard.equals(text)) {
                mutants.add(standard);
            }
            for (String mutant : mutants) {
                assertTrue(Fernet.decodeStrict(mutant).isEmpty(), () -> "accepted " + show(mutant));
                agrees(mutant);
            }
        }
    }

    @Test
    @DisplayName("named cases: the empty text, padding, the unused bits of the last character, '=' out of place")
    void namedCases() {
        assertArrayEquals(new byte[0], Fernet.decodeStrict("").orElseThrow());
        assertArrayEquals(new byte[] {0}, Fernet.decodeStrict("AA==").orElseThrow());
        assertArrayEquals(new byte[] {0, 0}, Fernet.decodeStrict("AAA=").orElseThrow());
        assertArrayEquals(new byte[] {(byte) 0xfb}, Fernet.decodeStrict("-w==").orElseThrow());
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff}, Fernet.decodeStrict("__8=").orElseThrow());
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, Fernet.decodeStrict("____").orElseThrow());
        for (String text : List.of("AB==", "AAB=", "-_==", "__9=", "AA", "AAA", "AA=", "A===", "====", "AA=A", "AAA=AAAA",
                "AA==AAAA", "+/8=", "/w==", "AAAA\n", " AAAA", "AA AA", "AAAA=", "AAAA==")) {
            assertTrue(Fernet.decodeStrict(text).isEmpty(), "accepted " + show(text));
            assertTrue(reference(text).isEmpty(), "the reference accepts " + show(text));
        }
    }
}
