package io.dossier.api.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.slf4j.LoggerFactory;

/** A Javalin on a free port serving dialects through {@link Routes}, as the server mounts them, for tests of the plumbing. */
final class TestApp implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final Javalin app;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger routesLogger = (Logger) LoggerFactory.getLogger(Routes.class);

    TestApp(Dialect... dialects) {
        log.start();
        routesLogger.addAppender(log);
        var paths = new CaseInsensitivePaths();
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.router.ignoreTrailingSlashes = true;
            config.jetty.modifyServer(server -> server.setHandler(paths.handler(server.getHandler())));
            for (var dialect : dialects) {
                dialect.routes(new Routes(config.routes, "/" + dialect.name(), dialect, paths));
            }
        }).start("127.0.0.1", 0);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    HttpResponse<String> postForm(String path, String form) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** What {@link Routes} logged so far. */
    List<ILoggingEvent> logged() {
        return List.copyOf(log.list);
    }

    @Override
    public void close() {
        routesLogger.detachAppender(log);
        app.stop();
    }
}
