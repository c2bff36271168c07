package dev.cookies.store.cookie;

import static dev.cookies.store.cookie.Fixtures.KEY1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every plaintext length from 0 to 300 bytes, across the padding's block boundaries, seals to the
 * layout of the specification, checked field by field with the JDK's own Cipher and Mac rather than
 * with {@link Fernet}: version, timestamp, IV, AES-128-CBC ciphertext of the plaintext, and the
 * HMAC-SHA256 of everything before it.
 */
class FernetLayoutTest {

    private static final long TIMESTAMP = 1_772_366_400L;

    @Test
    @DisplayName("seal at every length 0..300: the token's fields decrypt and verify with the bare JDK, and it opens")
    void everyLength() throws Exception {
        byte[] key = Fixtures.decode(KEY1);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, 0, 16, "HmacSHA256"));
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        Fernet fernet = Fernet.fromKey(KEY1);
        Random random = new Random(0xF3A7L);
        Set<String> ivs = new HashSet<>();
        for (int length = 0; length <= 300; length++) {
            byte[] plaintext = new byte[length];
            random.nextBytes(plaintext);
            String token = fernet.encrypt(plaintext, TIMESTAMP);
            byte[] raw = Fixtures.decode(token);
            String at = "length " + length;

            int ciphertextLength = (length / 16 + 1) * 16;
            assertEquals(1 + 8 + 16 + ciphertextLength + 32, raw.length, at);
            assertEquals((byte) 0x80, raw[0], at);
            assertEquals(TIMESTAMP, ByteBuffer.wrap(raw, 1, 8).getLong(), at);
            byte[] iv = Arrays.copyOfRange(raw, 9, 25);
            ivs.add(Fixtures.encode(iv));

            mac.update(raw, 0, raw.length - 32);
            assertArrayEquals(mac.doFinal(), Arrays.copyOfRange(raw, raw.length - 32, raw.length), at + ": HMAC");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, 16, 16, "AES"), new IvParameterSpec(iv));
            assertArrayEquals(plaintext, cipher.doFinal(raw, 25, ciphertextLength), at + ": ciphertext");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 16, 16, "AES"), new IvParameterSpec(iv));
            assertArrayEquals(cipher.doFinal(plaintext), Arrays.copyOfRange(raw, 25, 25 + ciphertextLength), at);

            assertEquals(Fixtures.encode(raw), token, at + ": canonical url-safe base64 with padding");
            assertArrayEquals(plaintext, fernet.open(raw).orElseThrow(), at + ": opens");
        }
        assertEquals(301, ivs.size(), "every seal drew a fresh IV");
        assertNotEquals(fernet.encrypt(new byte[0], TIMESTAMP), fernet.encrypt(new byte[0], TIMESTAMP));
    }
}
