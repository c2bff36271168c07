package dev.cookies.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script, sent as {@code EVALSHA} (its SHA-1 is computed here, so no {@code SCRIPT LOAD} round
 * trip is needed) and as {@code EVAL} only when a server answers {@code NOSCRIPT}: after a restart, a
 * failover, or on a cluster node that has not run it yet. {@code EVAL} also caches it there.
 *
 * <p>Every script names its keys in {@code KEYS}, and a session's keys share one hash tag, so each
 * script runs on one Cluster slot. The index scripts touch only the user's index key: the sessions it
 * lists live in other slots, so their existence is checked from the client.
 */
final class Script {

    /**
     * Takes the lock unless someone else holds it, and reads the session in the same step, sliding its
     * expiry as {@code GETEX} does for a plain read. Holding it already under this token (a retried
     * call whose first reply was lost) counts as taking it. The lock expires after the keep-alive
     * (not the whole lease), so that one this script sets after its caller gave up frees itself soon.
     * KEYS: data, lock. ARGV: token, lock expiry ms, session ttl ms.
     * Returns {1, data or nil} when taken, {0, lock's remaining ms} when held by another.
     */
    static final Script ACQUIRE = new Script(
            "if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) "
            + "or redis.call('GET', KEYS[2]) == ARGV[1] then\n"
            + "  return {1, redis.call('GETEX', KEYS[1], 'PX', ARGV[3])}\n"
            + "end\n"
            + "return {0, redis.call('PTTL', KEYS[2])}\n");

    /**
     * Writes the session and releases the lock, only if the lock is still held under this token.
     * KEYS: data, lock. ARGV: token, data, ttl ms. Returns 1 if written, 0 if the lease was lost.
     */
    static final Script SAVE_AND_RELEASE = new Script(
            "if redis.call('GET', KEYS[2]) == ARGV[1] then\n"
            + "  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])\n"
            + "  redis.call('DEL', KEYS[2])\n"
            + "  return 1\n"
            + "end\n"
            + "return 0\n");

    /**
     * Deletes the session and releases the lock, only if the lock is still held under this token.
     * KEYS: data, lock. ARGV: token. Returns 1 if deleted, 0 if the lease was lost.
     */
    static final Script DELETE_AND_RELEASE = new Script(
            "if redis.call('GET', KEYS[2]) == ARGV[1] then\n"
            + "  redis.call('DEL', KEYS[1], KEYS[2])\n"
            + "  return 1\n"
            + "end\n"
            + "return 0\n");

    /**
     * Writes the session in place of exactly the bytes the caller read, unless its lock is held by
     * anyone: the compare-and-set behind a read followed by an update. The expected bytes come in full,
     * or, for large sessions, as their SHA-1 in hex.
     * KEYS: data, lock. ARGV: expected bytes or their SHA-1, data, ttl ms, "1" if ARGV[1] is a SHA-1.
     * Returns 1 if written, 0 if the session is locked, changed or gone.
     */
    static final Script REPLACE = new Script(
            "if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end\n"
            + "local current = redis.call('GET', KEYS[1])\n"
            + "if not current then return 0 end\n"
            + "if ARGV[4] == '1' then current = redis.sha1hex(current) end\n"
            + "if current ~= ARGV[1] then return 0 end\n"
            + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])\n"
            + "return 1\n");

    /**
     * Releases the lock if it is still held under this token; otherwise does nothing. Also what
     * releases a token whose command timed out (see {@link LockKeeper}).
     * KEYS: lock. ARGV: token. Returns 1 if released.
     */
    static final Script RELEASE = new Script(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
            + "  return redis.call('DEL', KEYS[1])\n"
            + "end\n"
            + "return 0\n");

    /**
     * Extends the lock's expiry, only if it is still held under this token; a lock that was lost or
     * released stays as it is. Sent only for locks held longer than a third of the keep-alive.
     * KEYS: lock. ARGV: token, new expiry ms. Returns 1 if extended.
     */
    static final Script RENEW = new Script(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
            + "  return redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
            + "end\n"
            + "return 0\n");

    /**
     * Records one session in a user's index (a hash of session id to {@code "<created ms> <ttl ms>"}),
     * extends the index key's expiry to at least the given one, and says whether the index has grown
     * past the size at which it is next pruned (the field {@code " prune-at"}, whose leading space no
     * session id can have; {@code ARGV[4]} while it is unset).
     * KEYS: index. ARGV: id, entry, index expiry ms, first prune size.
     * Returns 0, or the hash's field names when it is due for pruning.
     */
    static final Script INDEX = new Script(
            "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
            + "if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then\n"
            + "  redis.call('PEXPIRE', KEYS[1], ARGV[3])\n"
            + "end\n"
            + "local at = redis.call('HGET', KEYS[1], ' prune-at')\n"
            + "local n = redis.call('HLEN', KEYS[1])\n"
            + "if at then n = n - 1 else at = ARGV[4] end\n"
            + "if n > tonumber(at) then\n"
            + "  return redis.call('HKEYS', KEYS[1])\n"
            + "end\n"
            + "return 0\n");

    /**
     * Forgets one session of a user's index, and the whole key once no session is left in it.
     * KEYS: index. ARGV: id. Returns 1 if the session was indexed.
     */
    static final Script UNINDEX = new Script(
            "local removed = redis.call('HDEL', KEYS[1], ARGV[1])\n"
            + "if redis.call('HLEN', KEYS[1]) == 1 then\n"
            + "  redis.call('HDEL', KEYS[1], ' prune-at')\n"
            + "end\n"
            + "return removed\n");

    /**
     * Forgets sessions found gone from a user's index, deleting the key once no session is left, and
     * sets the size at which it is next pruned. Ids are never reused, so an id found gone stays gone.
     * KEYS: index. ARGV: next prune size, then the ids to forget. Returns the sessions left.
     */
    static final Script PRUNE = new Script(
            "for i = 2, #ARGV do\n"
            + "  redis.call('HDEL', KEYS[1], ARGV[i])\n"
            + "end\n"
            + "local n = redis.call('HLEN', KEYS[1])\n"
            + "if redis.call('HEXISTS', KEYS[1], ' prune-at') == 1 then n = n - 1 end\n"
            + "if n <= 0 then\n"
            + "  redis.call('DEL', KEYS[1])\n"
            + "  return 0\n"
            + "end\n"
            + "redis.call('HSET', KEYS[1], ' prune-at', ARGV[1])\n"
            + "return n\n");

    final byte[] source;
    final byte[] sha;

    private Script(String source) {
        this.source = source.getBytes(StandardCharsets.UTF_8);
        this.sha = sha1Hex(this.source);
    }

    /** SHA-1 in lower-case hex, as Redis names scripts and as {@code redis.sha1hex} answers. */
    static byte[] sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes))
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }
}
