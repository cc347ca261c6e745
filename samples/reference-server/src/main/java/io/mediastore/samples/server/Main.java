package io.mediastore.samples.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the reference server: {@code java -jar mediastore-reference-server.jar [config.properties]}. Without an
 * argument it reads {@code mediastore.properties} in the working directory if present; environment variables
 * ({@code MEDIASTORE_*}) override the file. Prints the HTTPS addresses and, on the first start, the admin's
 * one-time password (once; it must be changed at the first login).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1 || (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help")))) {
            System.out.println("usage: java -jar mediastore-reference-server.jar [config.properties]");
            System.out.println("configuration keys (environment variable in brackets, default after =):");
            ServerConfig.KEYS.forEach((k, v) -> System.out.println("  " + k + " [" + ServerConfig.envName(k) + "] = " + v));
            return;
        }
        Path file = args.length == 1 ? Path.of(args[0]) : Path.of("mediastore.properties");
        if (args.length == 1 && !Files.exists(file)) {
            System.err.println("no such configuration file: " + file);
            System.exit(2);
        }
        ServerConfig config = ServerConfig.load(file, System.getenv());
        ReferenceServer server = ReferenceServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "mediastore-shutdown"));
        System.out.println();
        System.out.println("MediaStore reference server is running.");
        System.out.println("  Web app: " + server.webUri() + "/");
        System.out.println("  API:     " + server.apiUri() + "/api/v1");
        System.out.println("  The TLS certificate is self-signed (" + config.dataDir().resolve("tls") + "): accept it in the browser for both addresses.");
        server.initialAdminPassword().ifPresent(pw -> {
            System.out.println("  First start: log in as '" + ReferenceServer.ADMIN + "' with the one-time password " + new String(pw));
            System.out.println("  (shown only now; you must change it at the first login)");
            Arrays.fill(pw, '\0');
        });
        System.out.println("  Stop with Ctrl+C.");
        System.out.flush();
        stopped.await();
    }
}
