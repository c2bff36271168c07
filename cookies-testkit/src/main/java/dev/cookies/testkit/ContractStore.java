package dev.cookies.testkit;

import dev.cookies.SessionManager;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The store an {@link AdapterContract} runs against: how to give a session manager that store, and how
 * to give it one that is down.
 *
 * <p>{@link #configure} is called once per session manager the contract builds (each gets its own
 * store); the contract decides from {@link SessionManager#isClientSide()} which scenarios apply.
 *
 * <pre>{@code
 * ContractStore.uri("memory:")
 * ContractStore.uri("cookie:", Map.of("cookies.keys", key)).revocations(b -> b.revocations("memory:"))
 * ContractStore.perManager("redis", (name, b) -> b.store(redis.uri() + "?prefix=cookies:" + name + ":"))
 * ContractStore.of("my store", b -> b.store(new MyStore()))
 * }</pre>
 *
 * <p>Two managers must not share one keyspace: the contract sends the {@code auth} session's id in
 * the {@code SESSION} cookie and expects a fresh session. A store whose instances share their data
 * (Redis: one database, one key prefix) needs a prefix per manager, hence {@link #perManager}.
 *
 * @since 0.1
 */
public final class ContractStore {

    private final String description;
    private final BiConsumer<String, SessionManager.Builder> configure;
    private final Consumer<SessionManager.Builder> down;
    private final Consumer<SessionManager.Builder> hung;
    private final Consumer<SessionManager.Builder> revocations;

    private ContractStore(String description, BiConsumer<String, SessionManager.Builder> configure,
            Consumer<SessionManager.Builder> down) {
        this(description, configure, down, null, null);
    }

    private ContractStore(String description, BiConsumer<String, SessionManager.Builder> configure,
            Consumer<SessionManager.Builder> down, Consumer<SessionManager.Builder> hung,
            Consumer<SessionManager.Builder> revocations) {
        this.description = description;
        this.configure = configure;
        this.down = down;
        this.hung = hung;
        this.revocations = revocations;
    }

    /**
     * A store given by URI, created (and closed) by each session manager.
     *
     * @param uri for example {@code memory:} or {@code redis://127.0.0.1:6379/0}
     * @return the store
     */
    public static ContractStore uri(String uri) {
        return uri(uri, Map.of());
    }

    /**
     * A store given by URI plus store settings, for example the cookie store's keys.
     *
     * @param uri the store URI
     * @param settings passed to {@link SessionManager.Builder#setting(String, String)}
     * @return the store
     */
    public static ContractStore uri(String uri, Map<String, String> settings) {
        Objects.requireNonNull(uri, "uri");
        Map<String, String> copy = Map.copyOf(settings);
        return new ContractStore(uri, (name, b) -> {
            copy.forEach(b::setting);
            b.store(uri);
        }, null);
    }

    /**
     * A store set up by code, for example {@code b -> b.store(new MyStore())}. Called once per session
     * manager: create a new store instance each time.
     *
     * @param description names the store in test output
     * @param configure sets the store on a manager being built
     * @return the store
     */
    public static ContractStore of(String description, Consumer<SessionManager.Builder> configure) {
        Objects.requireNonNull(configure, "configure");
        return new ContractStore(Objects.requireNonNull(description, "description"), (name, b) -> configure.accept(b), null);
    }

    /**
     * A store set up by code that depends on the session manager's name, for example a key prefix per
     * manager on a shared Redis database.
     *
     * @param description names the store in test output
     * @param configure given the manager's name ({@code "session"} or {@code "auth"}) and its builder
     * @return the store
     */
    public static ContractStore perManager(String description, BiConsumer<String, SessionManager.Builder> configure) {
        return new ContractStore(Objects.requireNonNull(description, "description"),
                Objects.requireNonNull(configure, "configure"), null);
    }

    /**
     * Returns a copy that uses {@code down} for the store-down scenario, for a store that can really
     * be taken down (a Redis URI at a closed port, a stopped Redis). Without it the contract uses
     * {@link DeadStores#configureDown}.
     *
     * @param down sets a store that is down on a manager being built
     * @return the copy
     */
    public ContractStore down(Consumer<SessionManager.Builder> down) {
        return new ContractStore(description, configure, Objects.requireNonNull(down, "down"), hung, revocations);
    }

    /**
     * Returns a copy that uses {@code hung} for the hung-store scenario: a store that accepts requests
     * and never answers, with a short timeout of its own. Without it the contract uses
     * {@link DeadStores#configureHung}, and skips the scenario if that has none.
     *
     * @param hung sets a hung store on a manager being built
     * @return the copy
     */
    public ContractStore hung(Consumer<SessionManager.Builder> hung) {
        return new ContractStore(description, configure, down, Objects.requireNonNull(hung, "hung"), revocations);
    }

    /**
     * Returns a copy that gives a client-side store's {@code auth} manager a revocation store for the
     * sign-out-everywhere scenarios, for example {@code b -> b.revocations("memory:")}. Without it those
     * scenarios expect the app's 501: a client-side store alone cannot sign a user out everywhere. A
     * server-side store needs none (the core refuses one).
     *
     * @param revocations sets {@link SessionManager.Builder#revocations(String)} on a manager being built
     * @return the copy
     */
    public ContractStore revocations(Consumer<SessionManager.Builder> revocations) {
        return new ContractStore(description, configure, down, hung, Objects.requireNonNull(revocations, "revocations"));
    }

    /**
     * Sets this store on a session manager being built.
     *
     * @param managerName the manager's name
     * @param builder the builder
     */
    public void configure(String managerName, SessionManager.Builder builder) {
        configure.accept(managerName, builder);
    }

    /**
     * Sets a store that is down on a session manager being built: its own {@link #down} if given, else
     * {@link DeadStores#configureDown}.
     *
     * @param builder the builder
     */
    public void configureDown(SessionManager.Builder builder) {
        if (down != null) {
            down.accept(builder);
        } else {
            DeadStores.configureDown(builder);
        }
    }

    /**
     * Sets a store that never answers on a session manager being built: its own {@link #hung} if given,
     * else {@link DeadStores#configureHung}.
     *
     * @param builder the builder
     * @return whether a hung store was set; {@code false} skips the scenario
     */
    public boolean configureHung(SessionManager.Builder builder) {
        if (hung != null) {
            hung.accept(builder);
            return true;
        }
        return DeadStores.configureHung(builder);
    }

    /**
     * Sets the revocation store given by {@link #revocations(Consumer)} on a manager being built.
     *
     * @param builder the builder
     * @return whether one was given
     */
    public boolean configureRevocations(SessionManager.Builder builder) {
        if (revocations == null) {
            return false;
        }
        revocations.accept(builder);
        return true;
    }

    @Override
    public String toString() {
        return description;
    }

    /**
     * Returns the store's name in test output.
     *
     * @return for example {@code memory:}
     */
    public String description() {
        return description;
    }
}
