package io.dossier.server.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A Jetty server of a test's own on a free loopback port, with one handler, and an HTTP/1.1 client for it. */
final class LocalJetty implements AutoCloseable {

    private final Server server = new Server();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    LocalJetty(Handler handler) throws Exception {
        var connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    Handler handler() {
        return server.getHandler();
    }

    CompletableFuture<HttpResponse<String>> send(String path, HttpRequest.BodyPublisher body) {
        var request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (body != null) {
            request.POST(body);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        client.shutdownNow();
        server.stop();
    }
}
