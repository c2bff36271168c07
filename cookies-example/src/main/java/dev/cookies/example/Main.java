package dev.cookies.example;

import dev.cookies.SessionConfigException;
import dev.cookies.Sessions;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the example app: {@code java -jar cookies-example.jar [--adapter ...] [--store ...]}.
 * Prints the URL it serves on, and runs until stopped.
 *
 * @since 0.1
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs the app.
     *
     * @param args see {@link ExampleConfig#USAGE}
     * @throws Exception if the server fails to start
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(ExampleConfig.USAGE);
            return;
        }
        ExampleConfig config;
        Sessions sessions;
        try {
            config = ExampleConfig.parse(args, System.getenv());
            sessions = ExampleSessions.create(config);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "\n\n" + ExampleConfig.USAGE);
            System.exit(2);
            return;
        } catch (SessionConfigException e) {
            String hint = e.setting().equals(ExampleConfig.KEYS_SETTING)
                    ? "\nThe cookie store needs its keys in the environment: " + ExampleConfig.KEYS_ENV
                    + "=key1[,key2...]. Print a new key with java -cp cookies-example.jar dev.cookies.store.cookie.KeyGen"
                    : "";
            System.err.println("error: " + e.getMessage() + hint);
            System.exit(2);
            return;
        }
        ExampleServer server = ExampleServer.start(config, sessions);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } finally {
                try {
                    sessions.close();
                } finally {
                    stopped.countDown();
                }
            }
        }, "cookies-example-shutdown"));
        System.out.println(startupLine(config, server.baseUri()));
        stopped.await();
    }

    /**
     * What the app prints once it listens: the adapter, the stores without their passwords, the
     * transport when it is not the cookie, the URL.
     */
    static String startupLine(ExampleConfig config, URI base) {
        return "Cookies example (" + config.adapter() + ", store " + ExampleConfig.redact(config.store())
                + (config.mirror().isEmpty() ? "" : ", mirror " + ExampleConfig.redact(config.mirror()))
                + (config.revocations().isEmpty() ? "" : ", revocations " + ExampleConfig.redact(config.revocations()))
                + (config.headerTransport() ? ", ids in " + ExampleSessions.SESSION_HEADER + " and "
                        + ExampleSessions.AUTH_HEADER : "")
                + ") running at " + base + "/";
    }
}
