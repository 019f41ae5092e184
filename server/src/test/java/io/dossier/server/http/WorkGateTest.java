package io.dossier.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dossier.core.ComputeTurn;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The node's turns over HTTP, on a Jetty server of its own with one turn ({@code http.max-active = 1}):
 * {@code /write} gives its turn back as a commit on the embedded database does before it waits for
 * the disk ({@link ComputeTurn#giveBackToWait}), then waits until the test lets it go on.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkGateTest {

    private final CountDownLatch diskDone = new CountDownLatch(1);
    private final CountDownLatch waiting = new CountDownLatch(1);
    /** A lock both paths take, as requests of one rate limit's bucket do. */
    private final ReentrantLock shared = new ReentrantLock();
    private LocalJetty jetty;

    @AfterEach
    void stop() throws Exception {
        diskDone.countDown();   // a failed check leaves no request waiting
        if (jetty != null) {
            jetty.close();
        }
    }

    /** Another request is answered while one waits for the disk, where it would otherwise wait for the turn and get the busy 503 after 5 s. */
    @Test
    void aRequestWaitingForTheDiskLetsAnotherBeAnsweredMeanwhile() throws Exception {
        start(false);
        var write = send("/write");
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(send("/read").get(4, TimeUnit.SECONDS).body()).isEqualTo("done /read");
        assertThat(write).isNotDone();
        diskDone.countDown();
        assertThat(write.get(10, TimeUnit.SECONDS).body()).isEqualTo("done /write");
    }

    /**
     * A request that holds a lock across its wait for the disk goes on without a turn: the request
     * that took its turn waits for that lock, so waiting for a turn again would never end.
     */
    @Test
    void aRequestHoldingALockAcrossItsWaitNeverWaitsForATurnAgain() throws Exception {
        start(true);
        var write = send("/write");
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        var read = send("/read");   // takes the turn, then waits for the lock /write holds
        Thread.sleep(200);
        assertThat(read).isNotDone();
        diskDone.countDown();
        assertThat(write.get(10, TimeUnit.SECONDS).body()).isEqualTo("done /write");
        assertThat(read.get(10, TimeUnit.SECONDS).body()).isEqualTo("done /read");
    }

    private void start(boolean lockAcrossTheWait) throws Exception {
        var handler = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                var path = request.getHttpURI().getPath();
                if (lockAcrossTheWait) {
                    shared.lockInterruptibly();
                }
                try {
                    if (path.equals("/write")) {
                        ComputeTurn.giveBackToWait();
                        waiting.countDown();
                        diskDone.await();
                    }
                } finally {
                    if (lockAcrossTheWait) {
                        shared.unlock();
                    }
                }
                Content.Sink.write(response, true, "done " + path, callback);
                return true;
            }
        };
        jetty = new LocalJetty(new HttpServer.WorkGate(handler, 1));
    }

    private CompletableFuture<HttpResponse<String>> send(String path) {
        return jetty.send(path, null);
    }
}
