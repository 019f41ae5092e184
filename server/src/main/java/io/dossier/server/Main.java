package io.dossier.server;

import io.dossier.server.cli.AdminCommands;
import io.dossier.server.config.ConfigException;
import io.dossier.server.config.ConfigFile;
import io.dossier.server.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dossier dev | start | tenant | user | client | admin-token | fileapi}. */
@Command(name = "dossier", mixinStandardHelpOptions = true, version = "Dossier 0.1.0",
        description = "A self-hosted document exchange server speaking five published APIs.")
public final class Main {

    /** Every command, in help order; in a holder so that a server start, which needs no picocli, never reads their annotations. */
    private static final class Commands {
        static final Map<String, Class<?>> ALL = commands(Dev.class, Start.class, AdminCommands.Tenants.class,
                AdminCommands.Users.class, AdminCommands.Clients.class, AdminCommands.AdminTokens.class, AdminCommands.FileApi.class,
                AdminCommands.JobCommands.class, AdminCommands.WebhookCommands.class, AdminCommands.HrImport.class);
    }

    public static void main(String[] args) {
        var server = serverCommand(args);
        if (server.isPresent()) {
            try {
                server.get().run();
            } catch (ConfigException | io.dossier.core.Failure e) {
                // as picocli's handler below does for every other command: one line, status 2
                System.err.println("dossier: " + e.getMessage());
                System.exit(2);
            }
            return;
        }
        var cli = commandLine(args);
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

    /**
     * The command line for {@code args}. Picocli builds a model of every command it is given, by
     * reflection, before it parses; when the first argument names a command only that one is
     * given, which takes a few hundred milliseconds off every start of the server. Help and
     * unknown commands get them all.
     */
    static CommandLine commandLine(String[] args) {
        var cli = new CommandLine(new Main());
        var named = args.length > 0 ? Commands.ALL.get(args[0]) : null;
        for (var command : named != null ? List.<Class<?>>of(named) : Commands.ALL.values()) {
            cli.addSubcommand(command);
        }
        return cli;
    }

    /**
     * {@code dev} and {@code start} with plain options, read without picocli; anything else (help,
     * an unknown option, a value picocli would refuse) is empty and goes to picocli, which explains.
     * Why by hand: picocli's classes are built for Java 5, and the JVM's class archive (the AOT
     * cache or CDS archive the launcher keeps) cannot hold classes that old, so loading and
     * verifying them costs every server start about a third of a second, a sixth of its budget.
     * The defaults here are the ones the picocli options declare (MainTest checks both agree).
     */
    static java.util.Optional<Runnable> serverCommand(String[] args) {
        if (args.length == 0 || !(args[0].equals("dev") || args[0].equals("start"))) {
            return java.util.Optional.empty();
        }
        var dev = new Dev();
        dev.port = Dev.DEFAULT_PORT;
        dev.data = Path.of(Dev.DEFAULT_DATA);
        var start = new Start();
        var seen = new java.util.HashSet<String>();
        for (int i = 1; i < args.length; i++) {
            String name;
            String value;
            var equals = args[i].indexOf('=');
            if (args[i].startsWith("--") && equals > 0) {
                name = args[i].substring(0, equals);
                value = args[i].substring(equals + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                name = args[i];
                value = args[++i];
            } else {
                return java.util.Optional.empty();
            }
            if (value.isEmpty() || !seen.add(name)) {
                return java.util.Optional.empty();
            }
            switch (args[0] + " " + name) {
                case "dev --port" -> {
                    if (!value.matches("[0-9]{1,5}")) {
                        return java.util.Optional.empty();
                    }
                    dev.port = Integer.parseInt(value);
                }
                case "dev --data" -> dev.data = Path.of(value);
                case "start --config" -> start.config = Path.of(value);
                default -> {
                    return java.util.Optional.empty();
                }
            }
        }
        return java.util.Optional.of(args[0].equals("dev") ? dev : start);
    }

    private static Map<String, Class<?>> commands(Class<?>... classes) {
        var out = new java.util.LinkedHashMap<String, Class<?>>();
        for (var c : classes) {
            out.put(c.getAnnotation(Command.class).name(), c);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    @Command(name = "dev", description = "Start in the foreground on embedded H2 and a local blob folder, with a demo tenant.")
    static final class Dev implements Runnable {
        static final int DEFAULT_PORT = 8080;
        static final String DEFAULT_DATA = "./data";

        @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, description = "HTTP port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--data", defaultValue = DEFAULT_DATA, description = "data folder (default ${DEFAULT-VALUE})")
        Path data;

        @Override
        public void run() {
            var started = System.nanoTime();
            var settings = Settings.dev(data, port, System.getenv());
            runUntilShutdown(() -> Server.start(settings), server -> {
                var folder = settings.dataFolder().orElseThrow();
                // Only this process may open the embedded database now: tell the admin commands where to reach it instead.
                var serverFile = new DevServerFile(URI.create("http://" + connectHost(settings.httpHost()) + ":" + server.port()),
                        server.dossier().identities().issueProcessAdminToken(Instant.now()), ProcessHandle.current().pid());
                serverFile.write(folder);
                DevBanner.print(server, folder, (System.nanoTime() - started) / 1_000_000);
                return () -> {
                    serverFile.delete(folder);
                    server.close();
                };
            });
        }
    }

    @Command(name = "start", description = "Start for production: PostgreSQL and a blob folder or S3, from --config and DOSSIER_* variables.")
    static final class Start implements Runnable {
        @Option(names = "--config", description = "config file (key = value lines); every key also as DOSSIER_* variable")
        Path config;

        @Override
        public void run() {
            var file = config == null ? Map.<String, String>of() : ConfigFile.read(config);
            var settings = Settings.production(file, System.getenv());
            runUntilShutdown(() -> Server.start(settings), server -> server::close);
        }
    }

    /** Where a client on this machine connects to a server listening on {@code host}. */
    static String connectHost(String host) {
        return switch (host) {
            case "0.0.0.0", "::", "" -> "127.0.0.1";
            default -> host.contains(":") ? "[" + host + "]" : host;
        };
    }

    /**
     * Starts a server, then blocks until SIGTERM/SIGINT and stops gracefully: in-flight requests
     * finish, then the pools close ({@code started} answers how to stop what it set up). The signal
     * is listened for from before the start: one that comes while the server is still starting
     * (opening the database, migrating, seeding the demo) abandons the start as a crash would, which
     * storage recovers from (each migration and the demo's seed is one transaction), and says so in
     * one line. Without it the JVM stopped at once and the embedded database closed under the start,
     * whose failure was printed as a stack trace.
     */
    static void runUntilShutdown(Supplier<Server> start, Function<Server, Runnable> started) {
        var stopped = new CountDownLatch(1);
        var stop = new AtomicReference<Runnable>();
        var hook = new Thread(() -> {
            var running = stop.get();
            if (running == null) {
                System.err.println("dossier: stopped while starting; what the start had not finished is not kept");
                return;
            }
            running.run();
            stopped.countDown();
        }, "dossier-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Server server;
        try {
            server = start.get();
        } catch (RuntimeException | Error e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);   // a start that failed says why, and only that
            } catch (IllegalStateException stopping) {
                // the JVM is stopping already: the hook has said so
            }
            throw e;
        }
        // a signal before this is set leaves the hook nothing to stop: the JVM halts wherever the start is
        stop.set(started.apply(server));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
