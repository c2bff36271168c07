package dev.cookies.store.memory;

import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The memory store's sessions: a map ordered by last use, whose least recently used entries are
 * evicted while the entries together weigh more than the byte bound or number more than the size
 * bound, and an index by expiry for the background clean-up.
 *
 * <p>Every operation takes one lock, held only for a few map and tree operations: arrays are copied
 * by the caller, outside it. Because eviction happens under the same lock as the write that calls
 * for it, the bounds hold at every instant, not after some later maintenance.
 *
 * <p>Times are nanoseconds on the table's own ticker.
 */
final class SessionTable {

    /** The longest time to live kept; longer ones are cut to it (about 146 years). */
    static final long MAX_TTL_NANOS = 1L << 62;

    /** The most entries one background sweep handles before letting other threads have the lock. */
    private static final int SWEEP_CHUNK = 1024;

    private static final class Node {
        final String id;
        /** Replaced by a save, never changed in place: a reader may copy it after the lock is released. */
        byte[] data;
        long weight;
        /** When the entry expires. Only ever moved later without re-filing (see {@link #slide}). */
        long expiresAt;
        /** The expiry the node is filed under in {@code byExpiry}; changed only while not filed. */
        long filedAt;

        Node(String id, byte[] data, long weight, long expiresAt) {
            this.id = id;
            this.data = data;
            this.weight = weight;
            this.expiresAt = expiresAt;
            this.filedAt = expiresAt;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Node> byUse = new LinkedHashMap<>(16, 0.75f, true);
    private final TreeSet<Node> byExpiry = new TreeSet<>(
            Comparator.comparingLong((Node n) -> n.filedAt).thenComparing(n -> n.id));
    private final long maximumBytes;
    private final long maximumSize;
    private final LongSupplier ticker;
    private long usedBytes;

    SessionTable(long maximumBytes, long maximumSize, LongSupplier ticker) {
        this.maximumBytes = maximumBytes;
        this.maximumSize = maximumSize;
        this.ticker = ticker;
    }

    /**
     * Stores an entry, replacing the id's previous one, then evicts least recently used entries
     * (expired ones first) until both bounds hold again. An entry heavier than the whole byte bound
     * is not kept, and an entry with no time to live is already expired; either way the id's
     * previous entry is removed, as a write would have replaced it.
     *
     * @param id the session id
     * @param data the array to keep; the caller hands it over and does not change it
     * @param ttlNanos the time to live, 0 or more
     * @return {@code false} if the entry was too heavy to keep
     */
    boolean put(String id, byte[] data, long ttlNanos) {
        long weight = Footprint.of(id, data.length);
        lock.lock();
        try {
            long now = ticker.getAsLong();
            Node node = byUse.get(id);
            if (weight > maximumBytes || ttlNanos == 0) {
                if (node != null) {
                    byUse.remove(id);
                    unfile(node);
                }
                return weight <= maximumBytes;
            }
            long expiresAt = expiry(now, ttlNanos);
            if (node == null) {
                node = new Node(id, data, weight, expiresAt);
                byUse.put(id, node);
                byExpiry.add(node);
            } else {
                // Replacing in place keeps the node where it is filed by expiry: no tree operation.
                usedBytes -= node.weight;
                node.data = data;
                node.weight = weight;
                slide(node, expiresAt);
            }
            usedBytes += weight;
            if (overBound()) {
                makeRoom(now);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads an entry, marks it most recently used and moves its expiry to {@code ttlNanos} from now.
     *
     * @param id the session id
     * @param ttlNanos the new time to live
     * @return the stored array, which the caller must not change, or {@code null} if absent or expired
     */
    byte[] get(String id, long ttlNanos) {
        lock.lock();
        try {
            Node node = live(id);
            if (node == null) {
                return null;
            }
            slide(node, expiry(ticker.getAsLong(), ttlNanos));
            return node.data;
        } finally {
            lock.unlock();
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
            Node node = live(id);
            if (node != null) {
                slide(node, expiry(ticker.getAsLong(), ttlNanos));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes an entry if present.
     *
     * @param id the session id
     */
    void remove(String id) {
        lock.lock();
        try {
            Node node = byUse.remove(id);
            if (node != null) {
                unfile(node);
            }
        } finally {
            lock.unlock();
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
                while (handled < SWEEP_CHUNK && fileDue(now)) {
                    handled++;
                }
                more = handled == SWEEP_CHUNK;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Removes every entry. */
    void clear() {
        lock.lock();
        try {
            byUse.clear();
            byExpiry.clear();
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
     * Returns the summed weight of the entries.
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
     * Weighs the entries again from scratch and checks the two orders hold the same entries; for tests.
     *
     * @return the summed weight of the entries present
     * @throws IllegalStateException if the bookkeeping disagrees with the contents
     */
    long recount() {
        lock.lock();
        try {
            long sum = 0;
            for (Node node : byUse.values()) {
                if (node.weight != Footprint.of(node.id, node.data.length) || !byExpiry.contains(node)) {
                    throw new IllegalStateException("entry bookkeeping is inconsistent");
                }
                sum += node.weight;
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

    /** Returns the entry if present and not expired, marked most recently used; drops it if expired. */
    private Node live(String id) {
        Node node = byUse.get(id);
        if (node != null && node.expiresAt <= ticker.getAsLong()) {
            byUse.remove(id);
            unfile(node);
            return null;
        }
        return node;
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

    /**
     * Brings the table back within its bounds: expired entries first, then the least recently used.
     * The entry just written is the most recently used and fits the bound alone, so it stays.
     */
    private void makeRoom(long now) {
        while (overBound() && fileDue(now)) {
            // dropping what has expired, or filing what has not under its real expiry
        }
        Iterator<Node> eldest = byUse.values().iterator();
        while (overBound()) {
            Node victim = eldest.next();
            eldest.remove();
            unfile(victim);
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
            usedBytes -= node.weight;
        } else {
            node.filedAt = node.expiresAt;
            byExpiry.add(node);
        }
        return true;
    }

    /** Forgets a node already removed from {@code byUse}. */
    private void unfile(Node node) {
        byExpiry.remove(node);
        usedBytes -= node.weight;
    }

    private static long expiry(long now, long ttlNanos) {
        long ttl = Math.min(ttlNanos, MAX_TTL_NANOS);
        long at = now + ttl;
        return at < now ? Long.MAX_VALUE : at;
    }
}
