package dev.cookies.testkit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link RedisServer}'s Testcontainers fallback. Testcontainers is an optional dependency of the test
 * kit: this class is touched only after {@link RedisServer} found the library on the classpath, so
 * that nothing else in the kit links against it.
 */
final class ContainerRedis implements AutoCloseable {
    private final GenericContainer<?> container;
    private final String image;

    private ContainerRedis(GenericContainer<?> container, String image) {
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
    static ContainerRedis start(String image) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(6379)
                .withCommand("redis-server", "--save", "", "--appendonly", "no");
        c.start();
        return new ContainerRedis(c, image);
    }

    String host() {
        return container.getHost();
    }

    int port() {
        return container.getMappedPort(6379);
    }

    String image() {
        return image;
    }

    @Override
    public void close() {
        container.stop();
    }
}
