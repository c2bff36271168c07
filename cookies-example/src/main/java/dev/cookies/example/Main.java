package dev.cookies.example;

import dev.cookies.SessionConfigException;
import dev.cookies.Sessions;
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
            String hint = e.setting().equals("cookies.keys")
                    ? "\nThe cookie store needs SESSION_KEYS=key1[,key2...]; print a key with "
                    + "java -cp cookies-example/target/cookies-example.jar dev.cookies.store.cookie.KeyGen" : "";
            System.err.println("error: " + e.getMessage() + hint);
            System.exit(2);
            return;
        }
        ExampleServer server = ExampleServer.start(config.adapter(), sessions, config.host(), config.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            sessions.close();
            stopped.countDown();
        }, "cookies-example-shutdown"));
        System.out.println("Cookies example (" + config.adapter() + ", store " + config.store()
                + (config.mirror().isEmpty() ? "" : ", mirror " + config.mirror()) + ") running at "
                + server.baseUri() + "/");
        stopped.await();
    }
}
