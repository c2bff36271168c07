package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.StoreUnavailableException;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.RedisExtension;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** The store configured by URI through the core, and who closes the Jedis client. */
class ProviderTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @Test
    @DisplayName("a session manager configured by URI alone stores under the URI's key prefix")
    void managerFromUri() {
        try (SessionManager manager = SessionManager.builder("session")
                .store(REDIS.server().uri() + "?prefix=app1:&timeout=1s").build()) {
            FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
            browser.request("POST", open -> open.session("session").update(s -> s.put("n", 1)));
            String id = browser.cookie("SESSION").orElseThrow();
            assertEquals(1L, REDIS.server().command("EXISTS", "app1:{" + id + "}"));
            assertTrue(manager.toString().contains(REDIS.server().nodes().get(0).getPort() + ""), manager.toString());
        }
    }

    @Test
    @DisplayName("a store given a client leaves it open; a store built from a URI closes its own")
    void clientOwnership() {
        InetSocketAddress node = REDIS.server().nodes().get(0);
        try (RedisClient client = RedisClient.create(node.getHostString(), node.getPort())) {
            RedisSessionStore given = RedisSessionStore.builder().client(client).keyPrefix("given:").build();
            given.save("x", new byte[] {1}, Duration.ofMinutes(1));
            given.close();
            assertEquals("PONG", client.ping(), "the store closed a client it did not create");
            assertTrue(given.description().startsWith("redis ("), given.description());
        }
        RedisSessionStore owned = RedisSessionStore.create(REDIS.server().uri());
        owned.save("y", new byte[] {1}, Duration.ofMinutes(1));
        owned.close();
        owned.close();
        assertThrows(StoreUnavailableException.class, () -> owned.load("y", Duration.ofMinutes(1)),
                "a closed store's client still answers");
    }
}
