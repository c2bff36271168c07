package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.StoreUnavailableException;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.RedisServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Logging in with an ACL user, and TLS with host-name verification, on servers this test starts. */
class SecurityTest {

    private static final String PASSWORD = "correct-Horse-7";
    private static final Duration TTL = Duration.ofMinutes(1);

    private static String text(Optional<byte[]> b) {
        return b.map(x -> new String(x, StandardCharsets.UTF_8)).orElse(null);
    }

    private static String trace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    @Test
    @DisplayName("an ACL user logs in from the URI or from settings; a wrong or missing password fails without showing it")
    void aclUser() {
        try (RedisServer server = RedisServer.localProcess("--user", "default", "off",
                "--user", "app", "on", ">" + PASSWORD, "~*", "+@all")) {
            String hostPort = server.uri().substring("redis://".length());
            try (RedisSessionStore store = RedisSessionStore.create("redis://app:" + PASSWORD + "@" + hostPort)) {
                store.save("acl", "v".getBytes(StandardCharsets.UTF_8), TTL);
                assertEquals("v", text(store.load("acl", TTL)));
                assertFalse(store.description().contains(PASSWORD));
            }

            try (SessionManager manager = SessionManager.builder("session").store("redis://" + hostPort)
                    .setting(RedisStoreProvider.USER_SETTING, "app").setting(RedisStoreProvider.PASSWORD_SETTING, PASSWORD)
                    .build()) {
                FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
                browser.request("POST", open -> open.session("session").update(s -> s.put("n", 1)));
                assertTrue(browser.cookie("SESSION").isPresent(), "the password from settings did not log in");
            }

            try (RedisSessionStore wrong = RedisSessionStore.create("redis://app:not-" + PASSWORD + "@" + hostPort + "?timeout=1s")) {
                StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> wrong.load("acl", TTL));
                assertFalse(trace(e).contains(PASSWORD), trace(e));
            }
            try (RedisSessionStore none = RedisSessionStore.create("redis://" + hostPort + "?timeout=1s")) {
                assertThrows(StoreUnavailableException.class, () -> none.load("acl", TTL));
            }
        }
    }

    @Test
    @DisplayName("rediss:// talks TLS, with the given trust store, and refuses a certificate for another host name")
    void tls() throws Exception {
        Path dir = Files.createTempDirectory("cookies-redis-tls-");
        try {
            KeyStore keys = selfSigned(dir);
            int tlsPort = freePort();
            try (RedisServer server = RedisServer.localProcess("--tls-port", Integer.toString(tlsPort),
                    "--tls-cert-file", dir.resolve("cert.pem").toString(),
                    "--tls-key-file", dir.resolve("key.pem").toString(),
                    "--tls-ca-cert-file", dir.resolve("cert.pem").toString(),
                    "--tls-auth-clients", "no")) {
                assertTrue(server.controllable());
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(keys);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);

                try (RedisSessionStore store = RedisSessionStore.builder().uri("rediss://127.0.0.1:" + tlsPort)
                        .sslSocketFactory(context.getSocketFactory()).build()) {
                    store.save("tls", "secret".getBytes(StandardCharsets.UTF_8), TTL);
                    assertEquals("secret", text(store.load("tls", TTL)));
                }
                // The JVM's default trust store does not know the certificate.
                try (RedisSessionStore untrusted = RedisSessionStore.create("rediss://127.0.0.1:" + tlsPort + "?timeout=2s")) {
                    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> untrusted.load("tls", TTL));
                    assertTrue(hasCause(e, SSLException.class), trace(e));
                }
                // The certificate names 127.0.0.1 only: connecting as "localhost" must fail verification.
                Assumptions.assumeTrue(Arrays.stream(InetAddress.getAllByName("localhost"))
                        .anyMatch(a -> a.getHostAddress().equals("127.0.0.1")), "localhost is not 127.0.0.1 here");
                try (RedisSessionStore wrongName = RedisSessionStore.builder().uri("rediss://localhost:" + tlsPort + "?timeout=2s")
                        .sslSocketFactory(context.getSocketFactory()).build()) {
                    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> wrongName.load("tls", TTL));
                    assertTrue(hasCause(e, SSLException.class), trace(e));
                }
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Makes a self-signed certificate for IP 127.0.0.1 with the JDK's keytool, and writes it and its key as PEM. */
    private static KeyStore selfSigned(Path dir) throws Exception {
        Path p12 = dir.resolve("redis.p12");
        char[] pass = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "redis", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool failed: " + out);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            store.load(in, pass);
        }
        PrivateKey key = (PrivateKey) store.getKey("redis", pass);
        Certificate cert = store.getCertificate("redis");
        Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("redis", cert);
        return trusted;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (hasCause(s, type)) {
                    return true;
                }
            }
        }
        return false;
    }
}
