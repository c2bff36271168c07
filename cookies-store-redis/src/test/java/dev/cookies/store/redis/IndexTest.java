package dev.cookies.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cookies.spi.SessionIndex;
import dev.cookies.testkit.MutableClock;
import dev.cookies.testkit.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-user index as Redis holds it: the key and its expiry, last use from {@code PTTL} without
 * sliding, dead sessions forgotten lazily, and the bound on a user's index. The store is driven
 * directly, as the core drives it; what Redis holds is checked on a separate connection.
 */
class IndexTest {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final Duration IDLE = Duration.ofMinutes(10);
    private static final byte[] DATA = "{}".getBytes(StandardCharsets.UTF_8);

    private final String prefix = "cookies:index-test:" + UUID.randomUUID() + ":";
    private MutableClock clock;
    private RedisSessionStore store;

    @BeforeEach
    void setUp() {
        clock = MutableClock.now();
        store = build(Duration.ofDays(400));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private RedisSessionStore build(Duration maxSessionLifetime) {
        return RedisSessionStore.builder().uri(REDIS.server().uri()).keyPrefix(prefix).clock(clock)
                .maxSessionLifetime(maxSessionLifetime).build();
    }

    private static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }

    private Object redis(String... command) {
        return REDIS.server().command(command);
    }

    private long pttl(byte[] key) {
        return (Long) redis("PTTL", text(key));
    }

    /** Saves a session and indexes it, as a login does. */
    private String login(String principal) {
        return login(principal, now());
    }

    private String login(String principal, Instant created) {
        String id = UUID.randomUUID().toString();
        store.save(id, DATA, IDLE);
        store.index(principal, id, created, IDLE);
        return id;
    }

    /** The manager's time to the second, as the core gives it ({@code Meta.created} is in seconds). */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** The sessions in a user's index, without the bookkeeping field. */
    @SuppressWarnings("unchecked")
    private List<String> indexed(String principal) {
        return ((List<Object>) redis("HKEYS", text(store.userKey(principal)))).stream().map(Object::toString)
                .filter(f -> !f.equals(RedisSessionStore.PRUNE_AT_FIELD)).collect(Collectors.toList());
    }

    @Test
    @DisplayName("a user's index is one hash under <prefix>user:{sha256 of the principal}; no user name shows in any key")
    void keyLayout() {
        String principal = "Alice Ünïcode {admin} " + UUID.randomUUID() + "@example.com";
        String id = login(principal);
        String key = text(store.userKey(principal));
        assertTrue(key.matches(java.util.regex.Pattern.quote(prefix) + "user:\\{[A-Za-z0-9_-]{43}\\}"), key);
        assertEquals("hash", redis("TYPE", key));
        assertEquals(List.of(id), indexed(principal));
        @SuppressWarnings("unchecked")
        List<Object> keys = (List<Object>) redis("KEYS", prefix + "*");
        assertEquals(2, keys.size(), keys::toString);
        assertFalse(keys.toString().contains("Alice") || keys.toString().contains("example"), keys::toString);
        List<SessionIndex.Entry> listed = store.sessions(principal);
        assertEquals(1, listed.size());
        assertEquals(id, listed.get(0).id());
        assertEquals(now(), listed.get(0).created());
    }

    @Test
    @DisplayName("listing reads each session's PTTL, which does not slide its expiry; last use is now - (idle timeout - PTTL)")
    void lastUseWithoutSliding() {
        String principal = "bob-" + UUID.randomUUID();
        String used = login(principal, now().minus(Duration.ofMinutes(5)));
        String fresh = login(principal);
        // As if the last read of `used` was 90 s ago: 90 s of its idle timeout are gone.
        store.touch(used, IDLE.minusSeconds(90));
        long before = pttl(store.dataKey(used));
        List<SessionIndex.Entry> listed = store.sessions(principal);
        long after = pttl(store.dataKey(used));
        assertTrue(after <= before, "listing slid the expiry: PTTL " + before + " then " + after);

        assertEquals(List.of(used, fresh), listed.stream().map(SessionIndex.Entry::id).collect(Collectors.toList()),
                "not oldest first");
        SessionIndex.Entry entry = listed.get(0);
        Instant expected = clock.instant().minusSeconds(90);
        long off = Math.abs(Duration.between(expected, entry.lastUsed()).toMillis());
        assertTrue(off < 2_000, "last use " + entry.lastUsed() + ", expected about " + expected);
        SessionIndex.Entry other = listed.stream().filter(e -> e.id().equals(fresh)).findFirst().orElseThrow();
        assertTrue(other.lastUsed().isAfter(entry.lastUsed()), listed::toString);
        assertFalse(other.lastUsed().isAfter(clock.instant()), "last use in the future");
    }

    @Test
    @DisplayName("sessions Redis no longer has are left out of the list and forgotten; the last one takes the key with it")
    void deadDropOut() {
        String principal = "carol-" + UUID.randomUUID();
        String a = login(principal);
        String b = login(principal);
        String c = login(principal);
        store.delete(b);
        assertEquals(Set.of(a, c), store.sessions(principal).stream().map(SessionIndex.Entry::id).collect(Collectors.toSet()));
        assertEquals(2, indexed(principal).size(), "the gone session was not forgotten");
        store.delete(a);
        store.delete(c);
        assertEquals(List.of(), store.sessions(principal));
        assertEquals(0L, redis("EXISTS", text(store.userKey(principal))));
    }

    @Test
    @DisplayName("unindex forgets one session, and the user's key with the last one")
    void unindex() {
        String principal = "dave-" + UUID.randomUUID();
        String a = login(principal);
        String b = login(principal);
        store.unindex(principal, a);
        store.unindex(principal, "never-indexed");
        store.unindex("nobody-" + UUID.randomUUID(), b);
        assertEquals(List.of(b), indexed(principal));
        store.unindex(principal, b);
        assertEquals(0L, redis("EXISTS", text(store.userKey(principal))));
    }

    @Test
    @DisplayName("a user who logs in again and again without logging out keeps an index of about twice the live sessions, or 64")
    void bounded() {
        String principal = "mallory-" + UUID.randomUUID();
        for (int i = 0; i < 500; i++) {
            store.delete(login(principal)); // each session dies at once, as if it had expired
        }
        int size = indexed(principal).size();
        assertTrue(size <= RedisSessionStore.FIRST_PRUNE + 1, "500 dead logins left " + size + " entries");

        List<String> live = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            live.add(login(principal));
        }
        for (int i = 0; i < 500; i++) {
            store.delete(login(principal));
        }
        List<String> left = indexed(principal);
        assertTrue(left.containsAll(live), "a live session was forgotten");
        assertTrue(left.size() <= 2 * live.size() + 1, "100 live and 500 dead logins left " + left.size() + " entries");
        assertEquals(100, store.sessions(principal).size());
    }

    @Test
    @DisplayName("the index key expires when its longest-lived session can no longer be alive: maxSessionLifetime, or a longer login's own")
    void keyExpiry() {
        store.close();
        store = build(Duration.ofHours(12));
        String principal = "erin-" + UUID.randomUUID();
        login(principal);
        long twelveHours = Duration.ofHours(12).toMillis();
        long ttl = pttl(store.userKey(principal));
        assertTrue(ttl > twelveHours - 5_000 && ttl <= twelveHours, "index key PTTL " + ttl);

        // A session logged in 4 hours ago (its rotation is indexed now) lives at most 8 more hours:
        // the key keeps its 12 hours from the first login.
        String rotated = UUID.randomUUID().toString();
        store.save(rotated, DATA, IDLE);
        store.index(principal, rotated, now().minus(Duration.ofHours(4)), IDLE);
        assertTrue(pttl(store.userKey(principal)) > twelveHours - 5_000);

        // A remember-me login of 30 days lasts longer than the manager's lifetime; the key follows it.
        String remembered = UUID.randomUUID().toString();
        Duration thirtyDays = Duration.ofDays(30);
        store.save(remembered, DATA, thirtyDays);
        store.index(principal, remembered, now(), thirtyDays);
        ttl = pttl(store.userKey(principal));
        assertTrue(ttl > thirtyDays.toMillis() - 5_000 && ttl <= thirtyDays.toMillis(), "index key PTTL " + ttl);
    }
}
