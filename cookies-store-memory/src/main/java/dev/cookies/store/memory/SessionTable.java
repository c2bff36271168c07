package dev.cookies.store.memory;

import dev.cookies.spi.ServerSideStore.ExpiryListener;
import dev.cookies.spi.SessionIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory store's sessions: a map ordered by last use, whose least recently used entries are
 * evicted while the entries together weigh more than the byte bound or number more than the size
 * bound, an index by expiry for the background clean-up, and an index by user.
 *
 * <p>Every operation takes one lock, held only for a few map and tree operations: arrays are copied
 * by the caller, outside it. Because eviction happens under the same lock as the write that calls
 * for it, the bounds hold at every instant, not after some later maintenance.
 *
 * <p>The index by user hangs off the sessions themselves: a session has at most one membership, which
 * leaves with it however it goes (deleted, expired, evicted, replaced by a write too heavy to keep), and
 * a principal's record exists only while it has a member. The index therefore never holds more entries
 * than the table holds sessions, and its weight is counted in the byte bound with theirs.
 *
 * <p>Sessions removed because they expired are handed to the expiry listeners after the lock is
 * released, by the thread that removed them.
 *
 * <p>Times are nanoseconds on the table's own ticker; {@code origin} is the instant at tick 0.
 */
final class SessionTable {

    /** The longest time to live kept; longer ones are cut to it (about 146 years). */
    static final long MAX_TTL_NANOS = 1L << 62;

    /** The most entries one background sweep handles before letting other threads have the lock. */
    private static final int SWEEP_CHUNK = 1024;

    /**
     * The most bytes of expired sessions one sweep holds for the listeners before telling them: what
     * a sweep removed no longer counts in the bound, but stays reachable until reported.
     */
    private static final long SWEEP_CHUNK_BYTES = 8L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(MemorySessionStore.class);

    private static final class Node {
        final String id;
        /** Replaced by a save, never changed in place: a reader may copy it after the lock is released. */
        byte[] data;
        /** Whether {@link #data} is the core's own value ({@code saveObject}), handed back as it is. */
        boolean opaque;
        /** When the entry expires. Only ever moved later without re-filing (see {@link #slide}). */
        long expiresAt;
        /** The expiry the node is filed under in {@code byExpiry}; changed only while not filed. */
        long filedAt;
        /** Its place in the index by user, or {@code null} if not indexed. */
        Member member;

        Node(String id, byte[] data, long expiresAt) {
            this.id = id;
            this.data = data;
            this.expiresAt = expiresAt;
            this.filedAt = expiresAt;
        }

        /** The heap the entry holds; computed, not kept, to spare a field in every entry. */
        long weight() {
            return Footprint.of(id, data.length);
        }
    }

    /** A session's membership in its principal's record. */
    private static final class Member {
        final Principal owner;
        final Instant created;
        /** The tick of the session's latest use: the time of its place in the order by use. */
        long usedAt;

        Member(Principal owner, Instant created, long usedAt) {
            this.owner = owner;
            this.created = created;
            this.usedAt = usedAt;
        }
    }

    /** A principal with at least one indexed session. */
    private static final class Principal {
        final String name;
        /** By id, in the order they were indexed; never reordered by a lookup. */
        final LinkedHashMap<String, Node> sessions = new LinkedHashMap<>();

        Principal(String name) {
            this.name = name;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Node> byUse = new LinkedHashMap<>(16, 0.75f, true);
    private final TreeSet<Node> byExpiry = new TreeSet<>(
            Comparator.comparingLong((Node n) -> n.filedAt).thenComparing(n -> n.id));
    private final HashMap<String, Principal> byPrincipal = new HashMap<>();
    private final List<ExpiryListener> listeners = new CopyOnWriteArrayList<>();
    private final long maximumBytes;
    private final long maximumSize;
    private final LongSupplier ticker;
    private final Instant origin;
    private long usedBytes;
    /** Expired nodes removed under the lock, told to the listeners once it is released. */
    private ArrayList<Node> toReport = new ArrayList<>();
    private long toReportBytes;
    /** How often the index by user was worked on; for tests, to show which operations do not. */
    private long indexWork;

    SessionTable(long maximumBytes, long maximumSize, LongSupplier ticker, Instant origin) {
        this.maximumBytes = maximumBytes;
        this.maximumSize = maximumSize;
        this.ticker = ticker;
        this.origin = origin;
    }

    /**
     * Adds a listener told of every entry removed because it expired.
     *
     * @param listener the listener
     */
    void onExpiry(ExpiryListener listener) {
        listeners.add(listener);
    }

    /**
     * Stores an entry, replacing the id's previous one, then evicts least recently used entries
     * (expired ones first) until both bounds hold again. An entry heavier than the whole byte bound
     * (with its index entry and principal's record, if the id is indexed) is not kept, and an entry with
     * no time to live is already expired; either way the id's previous entry is removed, as a write
     * would have replaced it.
     *
     * @param id the session id
     * @param data the array to keep; the caller hands it over and does not change it
     * @param opaque whether it is the core's own value, handed back as it is and read only as such
     * @param ttlNanos the time to live, 0 or more
     * @return {@code false} if the entry was too heavy to keep
     */
    boolean put(String id, byte[] data, boolean opaque, long ttlNanos) {
        long weight = Footprint.of(id, data.length);
        lock.lock();
        try {
            long now = ticker.getAsLong();
            Node node = byUse.get(id);
            boolean fits = node == null || node.member == null ? weight <= maximumBytes
                    : fitsIndexed(weight, node.member.owner.name);
            if (!fits || ttlNanos == 0) {
                if (node != null) {
                    byUse.remove(id);
                    drop(node);
                }
                return fits;
            }
            long expiresAt = expiry(now, ttlNanos);
            if (node == null) {
                node = new Node(id, data, expiresAt);
                node.opaque = opaque;
                byUse.put(id, node);
                byExpiry.add(node);
            } else {
                // Replacing in place keeps the node where it is filed by expiry: no tree operation.
                usedBytes -= node.weight();
                node.data = data;
                node.opaque = opaque;
                slide(node, expiresAt);
                used(node, now);
            }
            usedBytes += weight;
            if (overBound()) {
                makeRoom(now, node);
            }
            return true;
        } finally {
            unlockAndReport();
        }
    }

    /**
     * Reads an entry, marks it most recently used and moves its expiry to {@code ttlNanos} from now.
     *
     * @param id the session id
     * @param ttlNanos the new time to live
     * @param evenOpaque whether the core's own values are wanted too (by {@code loadObject}); a plain
     *     {@code load} finds nothing for them
     * @return the stored array, which the caller must not change, or {@code null} if absent or expired
     */
    byte[] get(String id, long ttlNanos, boolean evenOpaque) {
        lock.lock();
        try {
            long now = ticker.getAsLong();
            Node node = live(id, now);
            if (node == null) {
                return null;
            }
            slide(node, expiry(now, ttlNanos));
            used(node, now);
            return node.opaque && !evenOpaque ? null : node.data;
        } finally {
            unlockAndReport();
        }
    }

    /**
     * Moves an entry's expiry to {@code ttlNanos} from now and marks it most recently used.
     *
     * @param id the session id
     * @param ttlNanos the new time to live
     */
    void touch(String id, long ttlNanos) {
        lock.lock();
        try {
            long now = ticker.getAsLong();
            Node node = live(id, now);
            if (node != null) {
                slide(node, expiry(now, ttlNanos));
                used(node, now);
            }
        } finally {
            unlockAndReport();
        }
    }

    /**
     * Removes an entry if present, with its place in the index by user.
     *
     * @param id the session id
     */
    void remove(String id) {
        lock.lock();
        try {
            Node node = byUse.remove(id);
            if (node != null) {
                drop(node);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records that a live entry belongs to a principal, moving it from another principal if it was
     * indexed under one, and marks it most recently used. Evicts other entries if the index entry takes
     * the table over its byte bound. Does nothing for an id that is absent or expired: it was removed
     * between its save and this call, and will not be found.
     *
     * @param principal the principal
     * @param id the session id
     * @param created when the session was created or logged in
     * @return {@code false} if the entry was not indexed because, with its index entry and its
     *     principal's record, it would weigh more than the whole byte bound
     */
    boolean index(String principal, String id, Instant created) {
        lock.lock();
        try {
            indexWork++;
            long now = ticker.getAsLong();
            // A lookup in the order by use counts as a use; the login that calls this has just saved
            // the session, so it moves nothing that was not already at the end.
            Node node = live(id, now);
            if (node == null) {
                return true;
            }
            Principal owner = byPrincipal.get(principal);
            if (node.member != null && node.member.owner == owner) {
                node.member = new Member(owner, created, now);
                return true;
            }
            if (!fitsIndexed(node.weight(), principal)) {
                return false;
            }
            forget(node);
            if (owner == null) {
                owner = new Principal(principal);
                byPrincipal.put(principal, owner);
                usedBytes += Footprint.principal(principal);
            }
            owner.sessions.put(node.id, node);
            node.member = new Member(owner, created, now);
            usedBytes += Footprint.INDEX_ENTRY;
            if (overBound()) {
                makeRoom(now, node);
            }
            return true;
        } finally {
            unlockAndReport();
        }
    }

    /**
     * Forgets that an entry belongs to a principal. Does nothing if it is not indexed under that
     * principal. Neither reads nor reorders the entry.
     *
     * @param principal the principal
     * @param id the session id
     */
    void unindex(String principal, String id) {
        lock.lock();
        try {
            indexWork++;
            Principal owner = byPrincipal.get(principal);
            Node node = owner == null ? null : owner.sessions.get(id);
            if (node != null) {
                forget(node);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lists a principal's live entries, in the order they were indexed, removing the expired ones as
     * expired. Neither slides their expiry nor reorders them by use.
     *
     * @param principal the principal
     * @return the live entries, with their last use as an instant
     */
    List<SessionIndex.Entry> sessions(String principal) {
        lock.lock();
        try {
            indexWork++;
            Principal owner = byPrincipal.get(principal);
            if (owner == null) {
                return List.of();
            }
            long now = ticker.getAsLong();
            List<SessionIndex.Entry> live = new ArrayList<>(owner.sessions.size());
            List<Node> dead = new ArrayList<>(0);
            for (Node node : owner.sessions.values()) {
                if (node.expiresAt <= now) {
                    dead.add(node);
                } else {
                    live.add(new SessionIndex.Entry(node.id, node.member.created, origin.plusNanos(node.member.usedAt)));
                }
            }
            for (Node node : dead) {
                byUse.remove(node.id);
                drop(node);
                expired(node);
            }
            return live;
        } finally {
            unlockAndReport();
        }
    }

    /** Removes every expired entry, a chunk at a time so that requests are not held up behind it. */
    void sweep() {
        boolean more = true;
        while (more) {
            lock.lock();
            try {
                long now = ticker.getAsLong();
                int handled = 0;
                while (handled < SWEEP_CHUNK && toReportBytes < SWEEP_CHUNK_BYTES && fileDue(now)) {
                    handled++;
                }
                more = handled == SWEEP_CHUNK || toReportBytes >= SWEEP_CHUNK_BYTES;
            } finally {
                unlockAndReport();
            }
        }
    }

    /** Removes every entry and the whole index, telling no listener. */
    void clear() {
        lock.lock();
        try {
            byUse.clear();
            byExpiry.clear();
            byPrincipal.clear();
            usedBytes = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the number of entries, including expired ones not yet removed.
     *
     * @return the count
     */
    long size() {
        lock.lock();
        try {
            return byUse.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the summed weight of the entries and the index by user.
     *
     * @return bytes, at most the byte bound
     */
    long usedBytes() {
        lock.lock();
        try {
            return usedBytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the number of principals with at least one indexed entry.
     *
     * @return the count
     */
    long principals() {
        lock.lock();
        try {
            return byPrincipal.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the number of indexed entries, counting every principal's; for tests.
     *
     * @return the count
     */
    long indexedEntries() {
        lock.lock();
        try {
            long count = 0;
            for (Principal p : byPrincipal.values()) {
                count += p.sessions.size();
            }
            return count;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the weight of the index by user: its entries and principals' records; for tests.
     *
     * @return bytes, counted in {@link #usedBytes()}
     */
    long indexBytes() {
        lock.lock();
        try {
            long sum = 0;
            for (Principal p : byPrincipal.values()) {
                sum += Footprint.principal(p.name) + (long) Footprint.INDEX_ENTRY * p.sessions.size();
            }
            return sum;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns how many times the index by user has been worked on; for tests.
     *
     * @return a count that only grows
     */
    long indexWork() {
        lock.lock();
        try {
            return indexWork;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Weighs the entries and the index again from scratch and checks that the orders and the index
     * agree with each other; for tests.
     *
     * @return the summed weight of the entries and the index
     * @throws IllegalStateException if the bookkeeping disagrees with the contents
     */
    long recount() {
        lock.lock();
        try {
            long sum = 0;
            long members = 0;
            for (Node node : byUse.values()) {
                if (!byExpiry.contains(node)) {
                    throw new IllegalStateException("entry bookkeeping is inconsistent");
                }
                if (node.member != null) {
                    members++;
                    if (byPrincipal.get(node.member.owner.name) != node.member.owner
                            || node.member.owner.sessions.get(node.id) != node) {
                        throw new IllegalStateException("an indexed entry is missing from its principal's record");
                    }
                }
                sum += node.weight();
            }
            for (Principal p : byPrincipal.values()) {
                if (p.sessions.isEmpty()) {
                    throw new IllegalStateException("a principal's record outlived its last session");
                }
                for (Node node : p.sessions.values()) {
                    if (byUse.get(node.id) != node || node.member == null || node.member.owner != p) {
                        throw new IllegalStateException("the index holds an entry the table does not");
                    }
                }
                members -= p.sessions.size();
                sum += Footprint.principal(p.name) + (long) Footprint.INDEX_ENTRY * p.sessions.size();
            }
            if (members != 0) {
                throw new IllegalStateException("indexed entries and principals' records disagree");
            }
            if (byExpiry.size() != byUse.size() || sum != usedBytes) {
                throw new IllegalStateException("counted " + sum + " bytes in " + byUse.size() + " entries ("
                        + byExpiry.size() + " by expiry), kept " + usedBytes);
            }
            return sum;
        } finally {
            lock.unlock();
        }
    }

    /** Returns the entry if present and not expired, marked most recently used; removes it if expired. */
    private Node live(String id, long now) {
        Node node = byUse.get(id);
        if (node != null && node.expiresAt <= now) {
            byUse.remove(id);
            drop(node);
            expired(node);
            return null;
        }
        return node;
    }

    /** Records the latest use of an indexed entry; nothing at all for an entry that is not indexed. */
    private void used(Node node, long now) {
        if (node.member != null) {
            indexWork++;
            node.member.usedAt = now;
        }
    }

    /**
     * Sets a node's expiry. A later expiry is only recorded: the node stays filed under the earlier
     * one, and the sweep files it again when it gets there, so the common case (a read sliding the
     * expiry forward) costs no tree operation. An earlier expiry re-files it at once.
     */
    private void slide(Node node, long expiresAt) {
        if (expiresAt >= node.filedAt) {
            node.expiresAt = expiresAt;
        } else {
            byExpiry.remove(node);
            node.expiresAt = expiresAt;
            node.filedAt = expiresAt;
            byExpiry.add(node);
        }
    }

    private boolean overBound() {
        return usedBytes > maximumBytes || byUse.size() > maximumSize;
    }

    /** Whether an entry fits the byte bound alone together with its index entry and its principal's record. */
    private boolean fitsIndexed(long weight, String principal) {
        indexWork++;
        return weight + Footprint.INDEX_ENTRY + Footprint.principal(principal) <= maximumBytes;
    }

    /**
     * Brings the table back within its bounds: expired entries first, then the least recently used,
     * never {@code keep}. {@code keep} fits the bound alone with its index entry and principal's record,
     * and every other principal's record goes with its last entry, so this ends with {@code keep} kept.
     */
    private void makeRoom(long now, Node keep) {
        while (overBound() && fileDue(now)) {
            // dropping what has expired, or filing what has not under its real expiry
        }
        Iterator<Node> eldest = byUse.values().iterator();
        while (overBound()) {
            Node victim = eldest.next();
            if (victim != keep) {
                eldest.remove();
                drop(victim);
            }
        }
    }

    /**
     * Handles the first node by expiry if its filed expiry has passed: removes it if it has expired,
     * or files it under its real, later expiry.
     *
     * @return {@code false} if no node was due
     */
    private boolean fileDue(long now) {
        if (byExpiry.isEmpty() || byExpiry.first().filedAt > now) {
            return false;
        }
        Node node = byExpiry.pollFirst();
        if (node.expiresAt <= now) {
            byUse.remove(node.id);
            usedBytes -= node.weight();
            forget(node);
            expired(node);
        } else {
            node.filedAt = node.expiresAt;
            byExpiry.add(node);
        }
        return true;
    }

    /** Forgets a node already removed from {@code byUse}: its filing by expiry, its weight, its membership. */
    private void drop(Node node) {
        byExpiry.remove(node);
        usedBytes -= node.weight();
        forget(node);
    }

    /** Takes a node out of its principal's record, and the record out of the index once it is empty. */
    private void forget(Node node) {
        Member member = node.member;
        if (member == null) {
            return;
        }
        indexWork++;
        node.member = null;
        member.owner.sessions.remove(node.id);
        usedBytes -= Footprint.INDEX_ENTRY;
        if (member.owner.sessions.isEmpty()) {
            byPrincipal.remove(member.owner.name);
            usedBytes -= Footprint.principal(member.owner.name);
        }
    }

    /** Keeps a node removed as expired for the listeners, if there are any. */
    private void expired(Node node) {
        if (!listeners.isEmpty()) {
            toReport.add(node);
            toReportBytes += node.data.length;
        }
    }

    /** Releases the lock, then tells the listeners of the entries that expired while it was held. */
    private void unlockAndReport() {
        List<Node> due = List.of();
        if (!toReport.isEmpty()) {
            due = toReport;
            toReport = new ArrayList<>();
            toReportBytes = 0;
        }
        lock.unlock();
        for (Node node : due) {
            for (ExpiryListener listener : listeners) {
                try {
                    if (node.opaque) {
                        listener.expiredObject(node.id, node.data);
                    } else {
                        listener.expired(node.id, Optional.of(node.data.clone()));
                    }
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("memory store: an expiry listener ({}) failed; the store and the other listeners go on",
                            listener.getClass().getName(), e);
                }
            }
        }
    }

    private static long expiry(long now, long ttlNanos) {
        long ttl = Math.min(ttlNanos, MAX_TTL_NANOS);
        long at = now + ttl;
        return at < now ? Long.MAX_VALUE : at;
    }
}
