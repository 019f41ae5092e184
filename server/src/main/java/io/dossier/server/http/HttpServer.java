package io.dossier.server.http;

import io.dossier.api.http.Dialect;
import io.dossier.api.http.Routes;
import io.dossier.core.Failure;
import io.dossier.server.config.Settings;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The HTTP side of the process: one Javalin (Jetty) server on the main port with every dialect
 * under {@code /<name>}, plus one server per dialect that has a port of its own, where that dialect
 * answers at {@code /}. Operations endpoints live on the main port.
 */
public final class HttpServer implements AutoCloseable {

    private final List<Javalin> servers = new ArrayList<>();
    private final Javalin main;

    public HttpServer(Settings settings, List<Dialect> dialects, Operations operations) {
        this.main = start(settings, settings.httpPort(), config -> {
            operations.routes(config);
            for (var dialect : dialects) {
                dialect.routes(new Routes(config.routes, "/" + dialect.name(), dialect));
            }
            config.routes.error(404, ctx -> notFound(ctx, dialects, true));
            config.routes.error(405, ctx -> notFound(ctx, dialects, true));
        }, operations);
        servers.add(main);
        for (var dialect : dialects) {
            var port = settings.dialectPorts().get(dialect.name());
            if (port != null) {
                servers.add(start(settings, port, config -> {
                    dialect.routes(new Routes(config.routes, "", dialect));
                    config.routes.error(404, ctx -> notFound(ctx, List.of(dialect), false));
                    config.routes.error(405, ctx -> notFound(ctx, List.of(dialect), false));
                }, operations));
            }
        }
    }

    private static Javalin start(Settings settings, int port, java.util.function.Consumer<JavalinConfig> routes,
                                 Operations operations) {
        var app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.router.ignoreTrailingSlashes = true;
            config.router.treatMultipleSlashesAsSingleSlash = true;
            config.http.maxRequestSize = Long.MAX_VALUE;
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(settings.shutdownGrace().toMillis());
                server.setStopAtShutdown(false);
                var graceful = new GracefulHandler();
                graceful.setHandler(server.getHandler());
                server.setHandler(graceful);
            });
            config.requestLogger.http(operations::record);
            routes.accept(config);
        });
        app.start(settings.httpHost(), port);
        return app;
    }

    /** An unknown path under a dialect's base answers in that dialect's shape; elsewhere plain 404. */
    private static void notFound(Context ctx, List<Dialect> dialects, boolean prefixed) {
        if (ctx.attribute(Routes.DIALECT_ATTRIBUTE) != null) {
            return; // a dialect route already answered (its own 404 or 405)
        }
        for (var dialect : dialects) {
            var base = "/" + dialect.name();
            if (!prefixed || ctx.path().equals(base) || ctx.path().startsWith(base + "/")) {
                ctx.attribute(Routes.DIALECT_ATTRIBUTE, dialect.name());
                dialect.errors().write(ctx, Failure.notFound("no such endpoint: " + ctx.method() + " " + ctx.path()));
                return;
            }
        }
        ctx.status(404).contentType("text/plain").result("Not found\n");
    }

    public int port() {
        return main.port();
    }

    /** Ports of every server, main first. */
    public List<Integer> ports() {
        return servers.stream().map(Javalin::port).toList();
    }

    /** Stops accepting, lets in-flight requests finish (up to the grace period), then returns. */
    @Override
    public void close() {
        for (var server : servers.reversed()) {
            server.stop();
        }
    }

}
