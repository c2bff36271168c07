package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cookies.LockPolicy;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.testkit.Await;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.RedisServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The {@code redis-sentinel://} form against a real Sentinel: a local redis-server as master and one
 * {@code redis-server --sentinel} watching it. Sentinel needs a config file it can rewrite, which the
 * test kit's fixture does not offer, so this test starts the sentinel itself.
 */
class SentinelTest {

    @Test
    @DisplayName("redis-sentinel:// finds the master through Sentinel and serves sessions from it")
    void throughSentinel() throws Exception {
        try (RedisServer master = RedisServer.localProcess()) {
            int masterPort = master.nodes().get(0).getPort();
            Path dir = Files.createTempDirectory("cookies-sentinel-");
            int port = freePort();
            Path conf = dir.resolve("sentinel.conf");
            Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n"
                    + "sentinel monitor mymaster 127.0.0.1 " + masterPort + " 1\n");
            Process sentinel = new ProcessBuilder("redis-server", conf.toString(), "--sentinel")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sentinel.log").toFile()).start();
            try {
                Await.until(Duration.ofSeconds(20), "Sentinel to know the master", () -> {
                    try (Jedis j = new Jedis("127.0.0.1", port)) {
                        return List.of("127.0.0.1", Integer.toString(masterPort)).equals(j.sentinelGetMasterAddrByName("mymaster"));
                    } catch (RuntimeException notYet) {
                        return false;
                    }
                });
                String uri = "redis-sentinel://127.0.0.1:" + port + "/0?master=mymaster&timeout=1s";
                try (SessionManager manager = SessionManager.builder("session").store(uri)
                        .lockPolicy(LockPolicy.STRICT).build()) {
                    FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
                    browser.request("POST", open -> open.session("session").update(s -> s.put("n", 41)));
                    browser.request("POST", open -> open.session("session").update(s -> s.put("n", s.get("n", Integer.class).orElseThrow() + 1)));
                    String id = browser.cookie("SESSION").orElseThrow();
                    assertEquals(1L, master.command("EXISTS", "cookies:session:{" + id + "}"), "not stored on the master");
                    int[] n = new int[1];
                    browser.request("GET", open -> n[0] = open.session("session").get("n", Integer.class).orElseThrow());
                    assertEquals(42, n[0]);
                }
            } finally {
                sentinel.destroy();
                if (!sentinel.waitFor(10, TimeUnit.SECONDS)) {
                    sentinel.destroyForcibly();
                }
                try (Stream<Path> files = Files.list(dir)) {
                    files.forEach(p -> p.toFile().delete());
                }
                Files.deleteIfExists(dir);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
