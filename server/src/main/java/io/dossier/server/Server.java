package io.dossier.server;

import io.dossier.core.schema.Schemas;
import io.dossier.server.config.Settings;
import io.dossier.server.http.HttpServer;
import io.dossier.server.http.Operations;
import java.util.LinkedHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Dossier: storage opened, demo data seeded when asked, HTTP serving. Closing it stops
 * HTTP first (in-flight requests finish) and then closes the pools.
 */
public final class Server implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private final Dossier dossier;
    private final HttpServer http;
    private final DemoCredentials demo;
    private final BackgroundWork background;
    private final Thread searchIndexes;

    private Server(Dossier dossier, HttpServer http, DemoCredentials demo, BackgroundWork background, Thread searchIndexes) {
        this.dossier = dossier;
        this.http = http;
        this.demo = demo;
        this.background = background;
        this.searchIndexes = searchIndexes;
    }

    public static Server start(Settings settings) {
        // Opening the database (connections, migrations, recovery after a crash) and loading the
        // HTTP stack's classes (and reading the record definitions) each take a few hundred ms of
        // one core: they run side by side.
        // a new demo's passwords are hashed meanwhile too (a few hundred ms of a core each)
        var demoPasswords = settings.seedDemo() ? DemoSeed.hashPasswordsAhead(settings.dataFolder().orElseThrow()) : null;
        // a new demo's records are indexed for search once they are all in (Dossier#buildSearchIndexes)
        var opening = new FutureTask<>(() -> Dossier.open(settings, demoPasswords != null));
        Thread.ofPlatform().name("dossier-open").start(opening);
        var readiness = new LinkedHashMap<String, BooleanSupplier>();
        Operations operations;
        try {
            operations = new Operations(readiness);
            HttpServer.loadClasses();
            Schemas.builtIn();
        } catch (RuntimeException | Error e) {
            opened(opening).close();
            throw e;
        }
        var dossier = opened(opening);
        HttpServer http = null;
        FutureTask<DemoCredentials> seeding = null;
        try {
            readiness.put("database", dossier.database()::reachable);
            readiness.put("blobs", dossier.blobs()::reachable);
            // The demo tenant is read (or, on a new data folder, seeded) while the HTTP server
            // starts: both take a few hundred ms of one core. Until it is there, /health/ready
            // answers 503.
            if (settings.seedDemo()) {
                var folder = settings.dataFolder().orElseThrow();
                seeding = new FutureTask<>(() -> DemoSeed.ensure(dossier, folder, demoPasswords));
                readiness.put("demo", seeding::isDone);
                Thread.ofPlatform().name("dossier-demo").start(seeding);
            }
            dossier.jobs().listener(operations::jobAttempted);
            dossier.content().onDamagedBlob(operations::damagedBlobFound);
            http = new HttpServer(settings, dossier.dialects(), operations);
            var demo = seeding == null ? null : opened(seeding);
            var searchIndexes = Thread.ofPlatform().name("dossier-search-indexes").start(() -> {
                try {
                    dossier.buildSearchIndexes();
                } catch (RuntimeException e) {
                    LOG.warn("building the search indexes failed; searches read every row until the next start builds them", e);
                }
            });
            LOG.info("Dossier listening on http://{}:{} (blobs: {})", settings.httpHost(), http.port(), dossier.blobs().describe());
            return new Server(dossier, http, demo, BackgroundWork.start(dossier), searchIndexes);
        } catch (RuntimeException | Error e) {
            if (http != null) {
                http.close();
            }
            if (seeding != null) {
                try {
                    seeding.get(); // before the pools close under it
                } catch (InterruptedException | ExecutionException ignored) {
                    // closing anyway; what failed first is thrown below
                }
            }
            dossier.close();
            throw e;
        }
    }

    /** What {@code task} gave, or what it threw. */
    private static <T> T opened(FutureTask<T> opening) {
        try {
            return opening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException cause -> throw cause;
                case Error cause -> throw cause;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    public int port() {
        return http.port();
    }

    public HttpServer http() {
        return http;
    }

    public Dossier dossier() {
        return dossier;
    }

    /** The demo tenant's credentials, when this server seeded (or found) them. */
    public DemoCredentials demo() {
        return demo;
    }

    @Override
    public void close() {
        try {
            http.close();
            background.close();
            searchIndexes.join();   // not interrupted: an interrupt closes H2's file under it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dossier.close();
        }
    }
}
