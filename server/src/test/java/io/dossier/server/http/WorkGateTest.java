package io.dossier.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.ComputeTurn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node's turns over HTTP, on a Jetty server of its own with one turn ({@code http.max-active = 1}). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkGateTest {

    /**
     * A request that waits for the disk ({@link ComputeTurn#whileWaiting}, as a commit on the
     * embedded database does) lends its turn: another request is answered meanwhile, where it would
     * otherwise wait for the turn and get the busy 503 after 5 s.
     */
    @Test
    void aRequestWaitingForTheDiskLetsAnotherBeAnsweredMeanwhile() throws Exception {
        var diskDone = new CountDownLatch(1);
        var waiting = new CountDownLatch(1);
        var handler = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (request.getHttpURI().getPath().equals("/write")) {
                    ComputeTurn.whileWaiting(() -> {
                        waiting.countDown();
                        try {
                            diskDone.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
                Content.Sink.write(response, true, "done " + request.getHttpURI().getPath(), callback);
                return true;
            }
        };
        var server = new Server();
        var connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new HttpServer.WorkGate(handler, 1));
        server.start();
        var client = HttpClient.newHttpClient();
        try {
            var base = "http://127.0.0.1:" + connector.getLocalPort();
            var write = client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/write")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
            var read = client.send(HttpRequest.newBuilder(URI.create(base + "/read")).timeout(java.time.Duration.ofSeconds(4)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("done /read");
            assertThat(write).isNotDone();
            diskDone.countDown();
            var written = write.get(10, TimeUnit.SECONDS);
            assertThat(written.statusCode()).isEqualTo(200);
            assertThat(written.body()).isEqualTo("done /write");
        } finally {
            diskDone.countDown();   // a failed check leaves no request waiting
            client.shutdownNow();
            server.stop();
        }
    }
}
