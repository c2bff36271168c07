package dev.cookies.store.cookie;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The keygen entry point. */
class KeyGenTest {

    private static String runKeyGen(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KeyGen.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("prints one fresh key per run, on one line, that a store accepts")
    void printsAKey() {
        String first = runKeyGen();
        String second = runKeyGen();
        assertTrue(first.matches("[A-Za-z0-9_-]{43}=" + System.lineSeparator()), first);
        assertNotEquals(first, second);
        CookieSessionStore store = CookieSessionStore.builder().keys(first.strip(), second.strip())
                .clock(MutableClock.now()).build();
        assertTrue(store.open(store.seal(new byte[] {'{', '}'}, java.time.Instant.now())).isPresent());
    }

    @Test
    @DisplayName("refuses arguments with a usage message and status 2")
    void usage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KeyGen.run(new String[] {"--count", "2"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: java -jar cookies-store-cookie.jar"));
    }

    @Test
    @DisplayName("runs from this module's classes alone, without the core on the class path (java -jar)")
    void runsWithoutTheCore() throws Exception {
        URL classes = KeyGen.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader alone = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> alone.loadClass("dev.cookies.spi.ClientSideStore"),
                    "precondition: the core is not visible");
            Class<?> keyGen = alone.loadClass("dev.cookies.store.cookie.KeyGen");
            Method main = keyGen.getMethod("main", String[].class);
            PrintStream original = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                main.invoke(null, (Object) new String[0]);
            } finally {
                System.setOut(original);
            }
            assertTrue(out.toString(StandardCharsets.UTF_8).strip().matches("[A-Za-z0-9_-]{43}="), out.toString(StandardCharsets.UTF_8));
        }
    }
}
