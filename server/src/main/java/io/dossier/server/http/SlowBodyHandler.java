package io.dossier.server.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;

/**
 * Cuts a request whose body arrives too slowly: once the reader has waited for the client longer
 * than a grace period, the body must have arrived at a minimum rate over that waiting time, and it
 * must be complete within a deadline of the request's start. Only time spent waiting for the
 * client's bytes counts towards the rate: a handler that reads late (it waited for a database
 * connection under load) must not make its client look slow. The reader then gets a
 * {@link TimeoutException} (inside an {@code IOException}), as for an idle timeout, and the rest of
 * the body is never read, so Jetty closes the connection after the answer. A client that sends
 * nothing at all is closed by the connector's idle timeout.
 *
 * <p>Jetty's own {@code MinimumDataRateHandler} measures from the first byte without a grace period
 * (a client that pauses after its first few bytes is cut at once) and has no overall deadline, so a
 * client trickling just above the rate could hold a request for ever; this handler adds both.
 */
final class SlowBodyHandler extends Handler.Wrapper {

    private final long minBytesPerSecond;
    private final Duration grace;
    private final Duration deadline;

    SlowBodyHandler(Handler handler, long minBytesPerSecond, Duration grace, Duration deadline) {
        super(handler);
        this.minBytesPerSecond = minBytesPerSecond;
        this.grace = grace;
        this.deadline = deadline;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!hasBody(request)) {
            return super.handle(request, response, callback);
        }
        var paced = new PacedRequest(request);
        var timer = request.getComponents().getScheduler().schedule(paced::expire, deadline.toNanos(), TimeUnit.NANOSECONDS);
        Request.addCompletionListener(request, failure -> timer.cancel());
        return super.handle(paced, response, callback);
    }

    private static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    private final class PacedRequest extends Request.Wrapper {

        private final long start = NanoTime.now();
        /** The reader's demand, taken (once) either by arriving content or by the deadline. */
        private final AtomicReference<Runnable> pendingDemand = new AtomicReference<>();
        private volatile TimeoutException cut;
        private volatile boolean complete;
        // Touched only by read() and demand(), which Jetty never runs at the same time for a request.
        private long bytesRead;
        private long waitedNanos;
        private long waitingSince;

        PacedRequest(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            if (complete) {
                return super.read();
            }
            if (waitingSince != 0) {
                waitedNanos += NanoTime.since(waitingSince);
                waitingSince = 0;
            }
            var failure = cut != null ? cut : tooSlow();
            if (failure != null) {
                cut = failure;
                return Content.Chunk.from(failure, true);
            }
            var chunk = super.read();
            if (chunk != null) {
                bytesRead += chunk.remaining();
                complete = chunk.isLast();
            }
            return chunk;
        }

        private TimeoutException tooSlow() {
            if (NanoTime.since(start) > deadline.toNanos()) {
                return new TimeoutException("request body not complete within " + deadline.toSeconds() + " s");
            }
            if (waitedNanos > grace.toNanos() && bytesRead * 1_000_000_000.0 / waitedNanos < minBytesPerSecond) {
                return new TimeoutException("request body arrived slower than " + minBytesPerSecond + " bytes/s");
            }
            return null;
        }

        @Override
        public void demand(Runnable demandCallback) {
            waitingSince = NanoTime.now();
            pendingDemand.set(demandCallback);
            if (cut != null) {
                runPending();
                return;
            }
            super.demand(this::runPending);
        }

        /** At the deadline a reader still waiting for bytes is woken up to read the failure. */
        void expire() {
            if (complete) {
                return;
            }
            cut = new TimeoutException("request body not complete within " + deadline.toSeconds() + " s");
            var demand = pendingDemand.getAndSet(null);
            if (demand != null) {
                getComponents().getExecutor().execute(demand);
            }
        }

        private void runPending() {
            var demand = pendingDemand.getAndSet(null);
            if (demand != null) {
                demand.run();
            }
        }
    }
}
