package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.AuthSession;
import dev.cookies.LockPolicy;
import dev.cookies.SessionManager;
import dev.cookies.Sessions;
import dev.cookies.spi.ServerSideStore;
import dev.cookies.testkit.Await;
import dev.cookies.testkit.FakeBrowser;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.RedisExtension;
import dev.cookies.testkit.SessionStoreContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract against a local three-master Redis Cluster, plus what only a cluster can show:
 * a session's two keys share a slot, moving a session to a new id crosses slots and nodes without
 * a cross-slot command, and a user's index, in a slot of its own, reaches sessions on every master.
 */
class RedisClusterContractTest extends SessionStoreContract {

    @RegisterExtension
    static final RedisExtension CLUSTER = RedisExtension.cluster();

    /**
     * A key prefix of this test's own, shared by the stores it creates: the scenarios by user name fixed
     * users (alice, bob), whose sessions would otherwise outlive one test into the next in Redis.
     */
    private final String prefix = "cookies:contract:" + UUID.randomUUID() + ":";

    @Override
    protected ServerSideStore createStore(MutableClock clock) {
        return RedisSessionStore.builder().uri(CLUSTER.server().uri()).keyPrefix(prefix).clock(clock).build();
    }

    @Override
    protected boolean clockDrivesExpiry() {
        return false;
    }

    @Override
    protected boolean locksAcrossInstances() {
        return true;
    }

    private static long slot(byte[] key) {
        return (Long) CLUSTER.server().command("CLUSTER", "KEYSLOT", new String(key, StandardCharsets.UTF_8));
    }

    /** The port of the master serving a slot, from CLUSTER SLOTS. */
    @SuppressWarnings("unchecked")
    private static long owner(long slot) {
        for (Object r : (List<Object>) CLUSTER.server().command("CLUSTER", "SLOTS")) {
            List<Object> range = (List<Object>) r;
            if ((Long) range.get(0) <= slot && slot <= (Long) range.get(1)) {
                return (Long) ((List<Object>) range.get(2)).get(1);
            }
        }
        throw new AssertionError("no master serves slot " + slot);
    }

    /** Sends a command about one key to the master that serves it. */
    private static Object onOwner(String command, String key) {
        long port = owner(slot(key.getBytes(StandardCharsets.UTF_8)));
        List<java.net.InetSocketAddress> nodes = CLUSTER.server().nodes();
        for (int n = 0; n < nodes.size(); n++) {
            if (nodes.get(n).getPort() == port) {
                return CLUSTER.server().command(n, command, key);
            }
        }
        throw new AssertionError("no node listens on port " + port);
    }

    @Test
    @DisplayName("replace runs under the token lock, not the REPLACE script, since the Cluster client sends a failed command again")
    void replaceUnderTheLock() {
        RedisSessionStore store = (RedisSessionStore) newStore();
        int nodes = CLUSTER.server().nodes().size();
        for (int n = 0; n < nodes; n++) {
            CLUSTER.server().command(n, "SCRIPT", "FLUSH");
        }
        String id = UUID.randomUUID().toString();
        store.save(id, "one".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
        assertTrue(store.replace(id, "one".getBytes(StandardCharsets.UTF_8), "two".getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(1)));
        assertFalse(store.replace(id, "one".getBytes(StandardCharsets.UTF_8), "three".getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(1)), "stale bytes");
        assertEquals("two", new String(store.load(id, Duration.ofMinutes(1)).orElseThrow(), StandardCharsets.UTF_8));
        assertEquals(0L, onOwner("EXISTS", new String(store.lockKey(id), StandardCharsets.UTF_8)), "a lock was left behind");
        String replaceSha = new String(Script.REPLACE.sha, StandardCharsets.US_ASCII);
        String acquireSha = new String(Script.ACQUIRE.sha, StandardCharsets.US_ASCII);
        boolean acquired = false;
        for (int n = 0; n < nodes; n++) {
            assertEquals(List.of(0L), CLUSTER.server().command(n, "SCRIPT", "EXISTS", replaceSha), "REPLACE ran on node " + n);
            acquired |= List.of(1L).equals(CLUSTER.server().command(n, "SCRIPT", "EXISTS", acquireSha));
        }
        assertTrue(acquired, "no node ran the lock's ACQUIRE script");
    }

    @Test
    @DisplayName("a session's data and lock keys share one slot, and sessions spread over all three masters")
    void keysShareOneSlot() {
        RedisSessionStore store = (RedisSessionStore) newStore();
        Set<Long> masters = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            String id = UUID.randomUUID().toString();
            long slot = slot(store.dataKey(id));
            assertEquals(slot, slot(store.lockKey(id)), "data and lock keys of one session are in different slots");
            masters.add(owner(slot));
        }
        assertEquals(3, masters.size(), "60 sessions did not spread over the three masters: " + masters);
    }

    @Test
    @DisplayName("a user's index has a slot of its own; listing, forgetting and signing out reach the user's sessions on every master")
    void indexAcrossSlots() {
        RedisSessionStore store = (RedisSessionStore) newStore();
        String user = "zoe-" + UUID.randomUUID();
        try (SessionManager manager = SessionManager.builder("auth").store(store).lockPolicy(LockPolicy.OFF).build()) {
            Sessions sessions = Sessions.of(manager);
            List<FakeBrowser> clients = new ArrayList<>();
            Set<Long> masters = new HashSet<>();
            Set<Long> slots = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                FakeBrowser browser = new FakeBrowser(sessions);
                browser.request("POST", open -> AuthSession.of(open.session("auth")).login(user));
                long slot = slot(store.dataKey(browser.cookie("AUTH").orElseThrow()));
                slots.add(slot);
                masters.add(owner(slot));
                clients.add(browser);
            }
            assertEquals(3, masters.size(), "12 sessions did not spread over the three masters");
            slots.remove(slot(store.userKey(user)));
            assertTrue(slots.size() >= 11, "the index shares its slot with the sessions");

            store.delete(clients.get(0).cookie("AUTH").orElseThrow());
            assertEquals(11, manager.sessions(user).size(), "a session gone from Redis is still listed");

            clients.get(1).request("POST", open -> AuthSession.of(open.session("auth")).signOutEverywhere());
            for (FakeBrowser c : clients) {
                c.request("GET", open -> assertFalse(AuthSession.of(open.session("auth")).isLoggedIn()));
            }
            assertEquals(List.of(), store.sessions(user));
        }
    }

    @Test
    @DisplayName("with expiryEvents, each of the three masters is subscribed, and a session expiring on any of them is heard")
    void expiryEventsFromEveryMaster() {
        Assumptions.assumeTrue(CLUSTER.server().dedicated(), "sets notify-keyspace-events on the cluster's nodes");
        for (int n = 0; n < CLUSTER.server().nodes().size(); n++) {
            CLUSTER.server().command(n, "CONFIG", "SET", "notify-keyspace-events", "Ex");
        }
        try (RedisSessionStore store = RedisSessionStore.builder().uri(CLUSTER.server().uri() + "?expiryEvents=true")
                .keyPrefix(prefix).build()) {
            List<String> heard = new CopyOnWriteArrayList<>();
            store.onExpiry((id, data) -> heard.add(id));
            Await.until(Duration.ofSeconds(20), "a subscription on each master", () -> store.expiryEvents().subscribed() == 3);
            List<String> ids = new ArrayList<>();
            Set<Long> masters = new HashSet<>();
            while (masters.size() < 3) {
                String id = UUID.randomUUID().toString();
                store.save(id, "x".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(1));
                ids.add(id);
                masters.add(owner(slot(store.dataKey(id))));
            }
            // EXISTS on a key past its expiry makes its master expire it, and publish that, at once (a
            // load would not do: its GETEX, if it came within the millisecond, would slide the expiry).
            try {
                Await.until(Duration.ofSeconds(20), "every session's expiry", () -> {
                    ids.forEach(id -> onOwner("EXISTS", new String(store.dataKey(id), StandardCharsets.UTF_8)));
                    return heard.containsAll(ids);
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + ": heard " + heard.size() + " of " + ids.size() + " on masters "
                        + masters + ", " + store.expiryEvents().subscribed() + " subscribed", e);
            }
        } finally {
            for (int n = 0; n < CLUSTER.server().nodes().size(); n++) {
                CLUSTER.server().command(n, "CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    @Test
    @DisplayName("rotating ids and logging in through the engine move the session across slots and nodes")
    void rotationAcrossSlots() {
        RedisSessionStore store = (RedisSessionStore) newStore();
        try (SessionManager manager = SessionManager.builder("session").store(store).lockPolicy(LockPolicy.STRICT).build()) {
            FakeBrowser browser = new FakeBrowser(Sessions.of(manager));
            browser.request("POST", open -> open.session("session").update(s -> s.put("count", 7)));
            int crossedNodes = 0;
            for (int i = 0; i < 12; i++) {
                String before = browser.cookie("SESSION").orElseThrow();
                browser.request("POST", open -> open.session("session").rotateId());
                String after = browser.cookie("SESSION").orElseThrow();
                assertNotEquals(before, after);
                assertTrue(store.load(before, Duration.ofMinutes(1)).isEmpty(), "the old id is still stored");
                assertTrue(store.load(after, Duration.ofMinutes(1)).isPresent(), "the new id is not stored");
                if (owner(slot(store.dataKey(before))) != owner(slot(store.dataKey(after)))) {
                    crossedNodes++;
                }
            }
            assertTrue(crossedNodes > 0, "no rotation moved the session to another node");

            String anonymous = browser.cookie("SESSION").orElseThrow();
            browser.request("POST", open -> AuthSession.of(open.session("session")).login("alice"));
            String loggedIn = browser.cookie("SESSION").orElseThrow();
            assertNotEquals(anonymous, loggedIn);
            assertTrue(store.load(anonymous, Duration.ofMinutes(1)).isEmpty(), "login left the anonymous id behind");

            Object[] seen = new Object[2];
            browser.request("GET", open -> {
                seen[0] = open.session("session").get("count", Integer.class).orElse(null);
                seen[1] = AuthSession.of(open.session("session")).user(String.class).orElse(null);
            });
            assertEquals(7, seen[0]);
            assertEquals("alice", seen[1]);
        }
    }
}
