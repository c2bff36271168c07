package dev.cookies.store.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Hears Redis expire sessions, through keyspace notifications ({@code __keyevent@<db>__:expired}),
 * and hands each expired session id to the store. Started by the store when the first listener is
 * registered, if expiry events were asked for; stopped by the store's {@code close()}.
 *
 * <p>One subscriber thread per Redis node that expires keys (the one server, the Sentinel's current
 * master, or each Cluster master), each on its own connection, plus one supervisor thread that, every
 * second, starts a subscriber for a node that has none (after a failure, with a jittered backoff
 * doubling from 1 s to 30 s), drops those of nodes that are no longer masters, and every five seconds
 * pings each subscribed connection: one that has not answered the previous ping is taken for dead and
 * replaced. Events published while a node has no subscriber are lost: Redis does not keep them.
 *
 * <p>{@link #close()} never waits on Redis: it closes the sockets, which ends the blocking reads, and
 * waits at most half a second for the threads.
 */
final class ExpiryEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryEvents.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long TICK_MILLIS = 1000;
    private static final int PING_EVERY_TICKS = 5;
    /** How often, in ticks, a Cluster's or Sentinel's masters are looked up again when nothing failed. */
    private static final int DISCOVER_EVERY_TICKS = 10;
    private static final long FIRST_BACKOFF_MILLIS = 1000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final long CLOSE_WAIT_MILLIS = 500;

    private final String description;
    private final JedisClientConfig config;
    private final byte[] channel;
    private final byte[] keyStart;
    private final Supplier<List<HostAndPort>> masters;
    private final Consumer<String> expired;
    private final ScheduledThreadPoolExecutor supervisor;

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final Map<HostAndPort, Subscriber> subscribers = new HashMap<>();
    /** Consecutive failures and the earliest next attempt, by node. Supervisor thread only. */
    private final Map<HostAndPort, long[]> backoff = new HashMap<>();
    /** Nodes whose notification settings were found wanting and reported. Subscriber threads. */
    private final Map<HostAndPort, String> warned = new ConcurrentHashMap<>();
    /** The last refusal reported for each node, so that each is logged once. Subscriber threads. */
    private final Map<HostAndPort, String> refused = new ConcurrentHashMap<>();
    /** Every subscriber thread started and maybe still running, for {@link #stopped()}. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private List<HostAndPort> targets = List.of();
    private long ticks;
    private boolean rediscover = true;
    /** Guarded by {@link #lock}. */
    private boolean closed;

    /**
     * @param description the store, for logs
     * @param config how to connect (RESP2: Jedis' pub/sub reader expects it)
     * @param database the database whose expirations are heard
     * @param keyPrefix the store's key prefix; only keys {@code <prefix>{<id>}} are reported
     * @param masters the nodes to subscribe to; may do I/O and throw, the last answer is kept then
     * @param expired told each expired session's id, on a subscriber thread
     */
    ExpiryEvents(String description, JedisClientConfig config, int database, String keyPrefix,
                 Supplier<List<HostAndPort>> masters, Consumer<String> expired) {
        this.description = description;
        this.config = config;
        this.channel = ("__keyevent@" + database + "__:expired").getBytes(StandardCharsets.US_ASCII);
        this.keyStart = (keyPrefix + "{").getBytes(StandardCharsets.UTF_8);
        this.masters = masters;
        this.expired = expired;
        this.supervisor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(null, task, "cookies-redis-expiry-" + THREADS.incrementAndGet(), 0, false);
            t.setDaemon(true);
            t.setContextClassLoader(ExpiryEvents.class.getClassLoader());
            return t;
        });
        supervisor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts supervising: the first subscribers connect at once. */
    void start() {
        supervisor.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stops every subscriber and the supervisor without waiting on Redis. Idempotent. */
    void close() {
        List<Subscriber> stopping;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            stopping = new ArrayList<>(subscribers.values());
            subscribers.clear();
        } finally {
            lock.unlock();
        }
        supervisor.shutdownNow();
        stopping.forEach(Subscriber::kill);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        for (Subscriber s : stopping) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    s.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** How many nodes have a subscription confirmed by Redis; for tests. */
    int subscribed() {
        lock.lock();
        try {
            return (int) subscribers.values().stream().filter(s -> s.subscribed && !s.finished).count();
        } finally {
            lock.unlock();
        }
    }

    /** Whether every thread this started has ended; for tests. */
    boolean stopped() {
        return supervisor.isTerminated() && threads.stream().noneMatch(Thread::isAlive);
    }

    /** One pass of the supervisor. */
    private void tick() {
        try {
            ticks++;
            if (rediscover || ticks % DISCOVER_EVERY_TICKS == 0) {
                try {
                    targets = List.copyOf(masters.get());
                    rediscover = false;
                } catch (RuntimeException e) {
                    LOG.debug("Could not look up the masters of {} for expiry events; trying again", description, e);
                }
            }
            long now = System.nanoTime();
            List<Subscriber> toPing = new ArrayList<>();
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                for (Iterator<Map.Entry<HostAndPort, Subscriber>> it = subscribers.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<HostAndPort, Subscriber> e = it.next();
                    Subscriber s = e.getValue();
                    if (s.finished) {
                        it.remove();
                        failed(e.getKey(), now);
                        rediscover = true;
                    } else if (!targets.contains(e.getKey())) {
                        it.remove();
                        s.kill();
                    } else if (s.subscribed) {
                        toPing.add(s);
                    }
                }
                for (HostAndPort node : targets) {
                    long[] b = backoff.get(node);
                    if (!subscribers.containsKey(node) && (b == null || now - b[1] >= 0)) {
                        Subscriber s = new Subscriber(node);
                        subscribers.put(node, s);
                        threads.removeIf(t -> !t.isAlive());
                        threads.add(s.thread);
                        s.thread.start();
                    }
                }
            } finally {
                lock.unlock();
            }
            if (ticks % PING_EVERY_TICKS == 0) {
                toPing.forEach(Subscriber::checkAlive);
            }
        } catch (RuntimeException | Error e) {
            // The supervisor must survive whatever happens; a scheduled task that throws is never run again.
            LOG.warn("Expiry events of {}: the supervisor failed once; it goes on", description, e);
        }
    }

    /** Schedules the next attempt on a node whose subscriber ended: 1 s, doubling to 30 s, jittered. */
    private void failed(HostAndPort node, long now) {
        long[] b = backoff.computeIfAbsent(node, n -> new long[2]);
        long delay = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(5, b[0]));
        b[0]++;
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        b[1] = now + TimeUnit.MILLISECONDS.toNanos(delay);
    }

    private void subscribedTo(HostAndPort node) {
        lock.lock();
        try {
            backoff.remove(node);
        } finally {
            lock.unlock();
        }
    }

    /** The session id in an expired key's name, or null if the key is not a session's data key. */
    String sessionId(byte[] key) {
        int end = key.length - 1;
        if (end <= keyStart.length || key[end] != '}') {
            return null;
        }
        for (int i = 0; i < keyStart.length; i++) {
            if (key[i] != keyStart[i]) {
                return null;
            }
        }
        for (int i = keyStart.length; i < end; i++) {
            if (key[i] == '{' || key[i] == '}') {
                return null;
            }
        }
        return new String(key, keyStart.length, end - keyStart.length, StandardCharsets.UTF_8);
    }

    /** Checks that the node publishes expired events (E, and x or A) and says so once if it does not. */
    private void checkNotifications(HostAndPort node, Connection c) {
        String flags;
        try {
            Object reply = c.executeCommand(new CommandArguments(Protocol.Command.CONFIG).add("GET").add("notify-keyspace-events"));
            List<?> pair = (List<?>) reply;
            flags = pair.size() < 2 ? "" : new String((byte[]) pair.get(1), StandardCharsets.UTF_8);
        } catch (JedisException | ClassCastException e) {
            if (warned.put(node, "?") == null) {
                LOG.info("Expiry events of {}: cannot read notify-keyspace-events on {} ({}); make sure it includes"
                        + " E and x, or no expiry is reported", description, node, e.getMessage());
            }
            return;
        }
        boolean ok = flags.indexOf('E') >= 0 && (flags.indexOf('x') >= 0 || flags.indexOf('A') >= 0);
        if (ok) {
            warned.remove(node);
        } else if (!flags.equals(warned.put(node, flags))) {
            LOG.warn("Expiry events of {}: {} has notify-keyspace-events '{}', so it reports no expired session;"
                    + " an operator must enable them: CONFIG SET notify-keyspace-events Ex (or add E and x to"
                    + " what is set)", description, node, flags);
        }
    }

    /** One node's subscription: a connection, a thread reading it, and the time it was last heard from. */
    private final class Subscriber extends BinaryJedisPubSub implements Runnable {
        final HostAndPort node;
        final Thread thread;
        volatile Connection connection;
        volatile boolean stopped;
        volatile boolean subscribed;
        volatile boolean finished;
        volatile long lastHeard;
        volatile long pingSentAt;

        Subscriber(HostAndPort node) {
            this.node = node;
            this.thread = new Thread(null, this, "cookies-redis-expiry-" + node + "-" + THREADS.incrementAndGet(), 0, false);
            thread.setDaemon(true);
            thread.setContextClassLoader(ExpiryEvents.class.getClassLoader());
        }

        @Override
        public void run() {
            Connection c = null;
            try {
                c = new Connection(node, config);
                connection = c;
                if (stopped) {
                    return;
                }
                checkNotifications(node, c);
                proceed(c, channel);
            } catch (JedisDataException e) {
                // Redis refused (NOPERM for an ACL user without the channel, a wrong password): that will
                // not pass by itself, so say it once, then keep trying quietly with the backoff.
                if (!stopped && !String.valueOf(e.getMessage()).equals(refused.put(node, String.valueOf(e.getMessage())))) {
                    LOG.warn("Expiry events of {}: {} refused the subscription to {}; no expiry is reported until it"
                            + " accepts (an ACL user needs the channel, for example &__keyevent@*__:expired)",
                            description, node, new String(channel, StandardCharsets.US_ASCII), e);
                }
            } catch (JedisException | IllegalStateException e) {
                if (!stopped) {
                    LOG.debug("Expiry events of {}: the subscription to {} ended; it is made again", description, node, e);
                }
            } finally {
                finished = true;
                if (c != null) {
                    forceClose(c);
                }
            }
        }

        @Override
        public void onSubscribe(byte[] channel, int subscribedChannels) {
            lastHeard = System.nanoTime();
            subscribed = true;
            refused.remove(node);
            subscribedTo(node);
            LOG.debug("Expiry events of {}: subscribed to {}", description, node);
        }

        @Override
        public void onMessage(byte[] channel, byte[] key) {
            lastHeard = System.nanoTime();
            String id = sessionId(key);
            if (id == null) {
                return;
            }
            try {
                expired.accept(id);
            } catch (RuntimeException e) {
                LOG.warn("Expiry events of {}: a listener failed; the next expiry is reported all the same", description, e);
            }
        }

        @Override
        public void onPong(byte[] pattern) {
            lastHeard = System.nanoTime();
        }

        /** Pings; a connection that did not answer the previous ping within the interval is closed. */
        void checkAlive() {
            long sent = pingSentAt;
            if (sent != 0 && lastHeard - sent < 0) {
                LOG.debug("Expiry events of {}: {} did not answer a ping; reconnecting", description, node);
                kill();
                return;
            }
            pingSentAt = System.nanoTime();
            try {
                ping();
            } catch (JedisException e) {
                kill();
            }
        }

        /** Ends the subscription by closing its socket, which ends the blocking read at once. */
        void kill() {
            stopped = true;
            Connection c = connection;
            if (c != null) {
                forceClose(c);
            }
        }

        private void forceClose(Connection c) {
            try {
                c.forceDisconnect();
            } catch (IOException | RuntimeException e) {
                // closing anyway
            }
        }
    }
}
