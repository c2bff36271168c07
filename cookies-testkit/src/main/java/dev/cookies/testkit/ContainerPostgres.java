package dev.cookies.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link PostgresServer}'s Testcontainers fallback. Testcontainers is an optional dependency of the
 * test kit: this class is touched only after {@link PostgresServer} found the library on the classpath,
 * so that nothing else in the kit links against it.
 */
final class ContainerPostgres implements AutoCloseable {
    private final GenericContainer<?> container;
    private final String image;

    private ContainerPostgres(GenericContainer<?> container, String image) {
        this.container = container;
        this.image = image;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource")
    static ContainerPostgres start(String image, String password) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(5432)
                .withEnv("POSTGRES_PASSWORD", password)
                .withCommand("postgres", "-c", "fsync=off")
                // The image's entry point starts the server once to initialise it, then for real.
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2));
        c.start();
        return new ContainerPostgres(c, image);
    }

    String host() {
        return container.getHost();
    }

    int port() {
        return container.getMappedPort(5432);
    }

    String image() {
        return image;
    }

    @Override
    public void close() {
        container.stop();
    }
}
