package io.dossier.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ceiling on uploads over HTTP, on a Jetty server of its own with one upload slot
 * ({@code http.max-uploads = 1}): {@code /hold} reads its whole body once the test lets it go on.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UploadGateTest {

    /** Larger than {@link HttpServer.WorkGate#SMALL_BODY}: streamed, so it takes an upload slot. */
    private static final byte[] UPLOAD = new byte[HttpServer.WorkGate.SMALL_BODY + 1];

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private final AtomicInteger handled = new AtomicInteger();
    private LocalJetty jetty;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (jetty != null) {
            jetty.close();
        }
    }

    @Test
    void withTheSlotTakenOneUploadWaitsAndTheNextIsAnsweredBusyAtOnce() throws Exception {
        start(1);
        var first = post("/hold", UPLOAD);
        assertThat(holding.await(10, TimeUnit.SECONDS)).as("the first upload reached its handler").isTrue();
        var second = post("/hold", UPLOAD);   // waits for the slot
        awaitWaiting(1);
        var third = post("/hold", UPLOAD).get(20, TimeUnit.SECONDS);

        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(third.body()).contains("too many uploads in flight");
        assertThat(handled).as("the refused upload never reached a handler").hasValue(1);
        assertThat(second).as("the upload before it still waits for the slot").isNotDone();
        assertThat(first).isNotDone();

        // requests without a streamed body pass the gate while the slot is taken
        assertThat(get("/x").get(10, TimeUnit.SECONDS).body()).isEqualTo("done /x 0");
        assertThat(post("/small", new byte[HttpServer.WorkGate.SMALL_BODY]).get(10, TimeUnit.SECONDS).body())
                .isEqualTo("done /small " + HttpServer.WorkGate.SMALL_BODY);

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).body()).isEqualTo("done /hold " + UPLOAD.length);
        // the slot given back, the waiting upload takes it and is read whole
        var waited = second.get(10, TimeUnit.SECONDS);
        assertThat(waited.statusCode()).isEqualTo(200);
        assertThat(waited.body()).isEqualTo("done /hold " + UPLOAD.length);
    }

    @Test
    void aChunkedBodyTakesASlotAsALargeOneDoes() throws Exception {
        start(1);
        var first = post("/hold", UPLOAD);
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        var second = post("/hold", UPLOAD);
        awaitWaiting(1);
        // a body of unknown length: the client sends it chunked
        var chunked = jetty.send("/hold", HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[10])))
                .get(20, TimeUnit.SECONDS);
        assertThat(chunked.statusCode()).isEqualTo(503);
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    /** Waits until the gate counts {@code count} uploads waiting for a slot. */
    private void awaitWaiting(int count) throws InterruptedException {
        var gate = (HttpServer.UploadGate) jetty.handler();
        for (int i = 0; i < 500 && gate.waiting() < count; i++) {
            Thread.sleep(10);
        }
        assertThat(gate.waiting()).as("uploads waiting for a slot").isEqualTo(count);
    }

    private void start(int maxUploads) throws Exception {
        var handler = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                var path = request.getHttpURI().getPath();
                handled.incrementAndGet();
                if (path.equals("/hold")) {
                    holding.countDown();
                    release.await();
                }
                var body = Content.Source.asByteBuffer(request);
                Content.Sink.write(response, true, "done " + path + " " + body.remaining(), callback);
                return true;
            }
        };
        jetty = new LocalJetty(new HttpServer.UploadGate(handler, maxUploads));
    }

    private CompletableFuture<HttpResponse<String>> post(String path, byte[] body) {
        return jetty.send(path, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private CompletableFuture<HttpResponse<String>> get(String path) {
        return jetty.send(path, null);
    }
}
