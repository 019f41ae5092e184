package io.dossier.server;

import io.dossier.server.cli.AdminCommands;
import io.dossier.server.config.ConfigException;
import io.dossier.server.config.ConfigFile;
import io.dossier.server.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dossier dev | start | tenant | user | client | admin-token}. */
@Command(name = "dossier", mixinStandardHelpOptions = true, version = "Dossier 0.1.0",
        description = "A self-hosted document exchange server speaking five published APIs.",
        subcommands = {Main.Dev.class, Main.Start.class, AdminCommands.Tenants.class, AdminCommands.Users.class,
                AdminCommands.Clients.class, AdminCommands.AdminTokens.class, AdminCommands.FileApi.class})
public final class Main {

    public static void main(String[] args) {
        var cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof io.dossier.core.Failure) {
                commandLine.getErr().println("dossier: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        var code = cli.execute(args);
        if (code != 0 || !(args.length > 0 && (args[0].equals("dev") || args[0].equals("start")))) {
            System.exit(code);
        }
    }

    @Command(name = "dev", description = "Start in the foreground on embedded H2 and a local blob folder, with a demo tenant.")
    static final class Dev implements Runnable {
        @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--data", defaultValue = "./data", description = "data folder (default ${DEFAULT-VALUE})")
        Path data;

        @Override
        public void run() {
            var started = System.nanoTime();
            var server = Server.start(Settings.dev(data, port, System.getenv()));
            DevBanner.print(server, data.toAbsolutePath().normalize(), (System.nanoTime() - started) / 1_000_000);
            runUntilShutdown(server);
        }
    }

    @Command(name = "start", description = "Start for production: PostgreSQL and a blob folder or S3, from --config and DOSSIER_* variables.")
    static final class Start implements Runnable {
        @Option(names = "--config", description = "config file (key = value lines); every key also as DOSSIER_* variable")
        Path config;

        @Override
        public void run() {
            var file = config == null ? Map.<String, String>of() : ConfigFile.read(config);
            var server = Server.start(Settings.production(file, System.getenv()));
            runUntilShutdown(server);
        }
    }

    /** Blocks until SIGTERM/SIGINT, then stops gracefully: in-flight requests finish, then pools close. */
    static void runUntilShutdown(Server server) {
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "dossier-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
