package io.dossier.server.http;

import io.dossier.api.http.CaseInsensitivePaths;
import io.dossier.api.http.Dialect;
import io.dossier.api.http.Responses;
import io.dossier.api.http.Routes;
import io.dossier.core.ComputeTurn;
import io.dossier.core.Failure;
import io.dossier.server.config.Settings;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side of the process: one Javalin (Jetty) server on the main port with every dialect
 * under {@code /<name>}, plus one server per dialect that has a port of its own, where that dialect
 * answers at {@code /}. Operations endpoints live on the main port.
 */
public final class HttpServer implements AutoCloseable {

    /**
     * Platform threads per server: selectors, the acceptor and short non-blocking tasks (handlers
     * run on virtual threads). Jetty reserves some for itself; 16 leave room on any machine.
     */
    private static final int PLATFORM_THREADS = 16;

    /**
     * The most a connection reads from its socket at once: Jetty's default, 8 KiB, made a 1 GiB
     * upload 131,072 reads, whose system calls were a fifth of the server's CPU on a paravirtualized
     * guest. 64 KiB is the largest buffer Jetty's pool keeps for reuse (larger ones would be allocated
     * per read). Only a connection with unread bytes holds one: an idle connection returns its
     * buffer; a small body read ahead ({@link SmallBodies}) keeps it, as a slice, until its request
     * has read it (copying such bodies out changed nothing measurable: 1,500 OWS calls sent at once
     * at one turn peaked at the same direct memory either way). A 1 GiB OWS upload,
     * 3 runs each on a 2-core guest: server CPU 2.36 s with 8 KiB, 1.97 s with 64 KiB, 1.91 s with 256 KiB.
     */
    static final int INPUT_BUFFER_SIZE = 64 * 1024;
    /**
     * Connections the kernel completes and holds for the server to accept (the listen backlog;
     * Linux caps it at {@code net.core.somaxconn}). Jetty's default, 0, gives the JDK's 50: when a
     * burst of clients connected faster than the server accepted, or over {@code http.max-connections}
     * (where it stops accepting), the kernel dropped the rest of their handshakes and they waited on
     * retries: 1,500 clients connecting at once to a {@code dossier dev} took 10-20 s, 0.1 s with this.
     */
    static final int ACCEPT_QUEUE = 4096;
    /** How long a request over {@code http.max-requests} waits for a slot before it gets 503. */
    private static final Duration WAIT_FOR_SLOT = Duration.ofSeconds(5);

    private final List<Javalin> servers = new ArrayList<>();
    private final Javalin main;

    public HttpServer(Settings settings, List<Dialect> dialects, Operations operations) {
        var mainPaths = new CaseInsensitivePaths();
        this.main = start(settings, settings.httpPort(), mainPaths, config -> {
            operations.routes(config);
            for (var dialect : dialects) {
                dialect.routes(new Routes(config.routes, "/" + dialect.name(), dialect, mainPaths));
            }
            config.routes.error(404, ctx -> notFound(ctx, dialects, true));
            config.routes.error(405, ctx -> notFound(ctx, dialects, true));
        }, operations);
        servers.add(main);
        for (var dialect : dialects) {
            var port = settings.dialectPorts().get(dialect.name());
            if (port != null) {
                var paths = new CaseInsensitivePaths();
                servers.add(start(settings, port, paths, config -> {
                    dialect.routes(new Routes(config.routes, "", dialect, paths));
                    config.routes.error(404, ctx -> notFound(ctx, List.of(dialect), false));
                    config.routes.error(405, ctx -> notFound(ctx, List.of(dialect), false));
                }, operations));
            }
        }
    }

    /**
     * Loads and links the classes every server start needs (Javalin, Jetty, the JSON mapper) without
     * starting anything, so that another thread can do it while storage opens.
     */
    public static void loadClasses() {
        Javalin.create(config -> config.startup.showJavalinBanner = false);
        io.dossier.api.http.Json.MAPPER.getClass();
        new org.eclipse.jetty.server.Server(threadPool());
    }

    private static Javalin start(Settings settings, int port, CaseInsensitivePaths paths,
                                 java.util.function.Consumer<JavalinConfig> routes, Operations operations) {
        var limits = settings.httpLimits();
        var app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.router.ignoreTrailingSlashes = true;
            config.router.treatMultipleSlashesAsSingleSlash = true;
            config.http.maxRequestSize = Long.MAX_VALUE;
            config.jetty.threadPool = threadPool();
            config.jetty.addConnector((server, httpConfiguration) -> {
                var http = new HttpConnectionFactory(httpConfiguration);
                http.setInputBufferSize(INPUT_BUFFER_SIZE);
                var connector = new ServerConnector(server, http);
                connector.setHost(settings.httpHost());
                connector.setPort(port);
                connector.setIdleTimeout(limits.idleTimeout().toMillis());
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                return connector;
            });
            // no dialect keeps state in servlet sessions (their sessions are tokens in core): without
            // Jetty's session handler a request skips looking for a session cookie and its wrapper
            config.jetty.modifyServletContextHandler(handler -> {
                handler.getSessionHandler().setHandler((Handler) null);   // else Jetty cannot take it out (NPE)
                handler.setSessionHandler(null);
            });
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(settings.shutdownGrace().toMillis());
                server.setStopAtShutdown(false);
                // Outermost first: stop accepting on shutdown, then the ceiling on uploads, then the request ceiling, then the pace of
                // bodies, then the turn of work, then the spelling of paths for dialects whose clients may use any case.
                // a small body is read in full, without a thread, before the request is handled; then
                // it waits for one of the node's slots of work (WorkGate)
                var eager = new EagerContentHandler(new WorkGate(paths.handler(server.getHandler()), limits.maxActive()),
                        new SmallBodies());
                var paced = new SlowBodyHandler(eager, limits.bodyMinBytesPerSecond(), limits.bodyGrace(), limits.bodyDeadline());
                var ceiling = new RequestCeiling(paced, limits.maxRequests());
                server.setHandler(new GracefulHandler(new UploadGate(ceiling, limits.maxUploads())));
                // Beyond the ceiling Jetty stops accepting: new connections wait in the kernel's accept queue.
                server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
            });
            config.requestLogger.http(operations::record);
            routes.accept(config);
        });
        app.start();
        return app;
    }

    /**
     * Handlers run on virtual threads; the platform threads only select, accept and parse.
     *
     * <p>Why: Javalin handlers read request bodies with blocking reads, so every request whose body is
     * still arriving holds the thread that runs it. With Javalin's default pool (at most 250 platform
     * threads) 250 clients sending bodies slowly held every thread and all other requests queued
     * behind them until they were released. A virtual thread parked in a read costs a few KB of heap,
     * so slow bodies now cost memory bounded by {@code http.max-connections}, not the pool; what a
     * body may cost in time is bounded by {@link SlowBodyHandler}. Measured with {@code SlowClientsIT}
     * (500 slow bodies open): with Javalin's pool a health check got no answer for over 15 s, until
     * the slow bodies were cut, and the JVM ran 270 platform threads; with this pool it answered in
     * milliseconds with 39. (On JDK 21-23 a virtual thread blocking inside {@code synchronized} pins
     * its carrier; JDK 24+ does not.)
     */
    private static QueuedThreadPool threadPool() {
        var pool = new QueuedThreadPool(PLATFORM_THREADS, 2);
        pool.setName("http");
        pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("http-v"));
        return pool;
    }

    /**
     * The ceiling on requests in flight: one over it waits up to {@link #WAIT_FOR_SLOT} for a slot,
     * in arrival order (its virtual thread parked, holding no carrier), then is answered 503 with
     * {@code Retry-After}, in plain text: it never reached a dialect, so there is no dialect's error
     * shape to give it. A slot is given back when the request completes, however it completes.
     *
     * <p>Why not Jetty's {@code QoSHandler}: when a request completes it resumes a waiting one, and
     * if that one has been counted but not yet queued it spins until it is. Handlers run on virtual
     * threads here, and a virtual thread that spins keeps its carrier: with the two carriers of a
     * 2-core machine spinning, the request they waited for never ran and the node stopped
     * answering (16 clients over a ceiling of 4 hung it within seconds). A fair semaphore parks.
     */
    private static final class RequestCeiling extends Handler.Wrapper {

        private final Semaphore slots;

        RequestCeiling(Handler handler, int maxRequests) {
            super(handler);
            slots = new Semaphore(maxRequests, true);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            return takeSlot(slots, request, response, callback, "requests") == null || super.handle(request, response, callback);
        }
    }

    /**
     * The ceiling on bodies streamed in at once ({@code http.max-uploads}): a request whose body is
     * larger than {@link WorkGate#SMALL_BODY} or chunked takes one of its slots before anything else,
     * waiting up to {@link #WAIT_FOR_SLOT} in arrival order; when as many are waiting as there are
     * slots, one more is answered the busy 503 at once, and Jetty closes its connection with the body
     * unread. Other requests pass.
     *
     * <p>Why: an upload in flight holds the multipart reader's and the blob store's buffers on the
     * heap and, while its client's bytes wait to be read, a 64 KiB socket buffer in direct memory;
     * one waiting here holds that socket buffer. Bounded only by {@code http.max-requests}, 4,000
     * uploads stalled after 80 KB of 200 KB took the heap to 200 of 256 MB, ran direct memory out
     * (answers failed to allocate their buffers) and kept {@code /health/ready} from answering for
     * three minutes. It sits outside the request ceiling so that no upload waits there holding memory
     * without having been counted here.
     */
    static final class UploadGate extends Handler.Wrapper {

        private final Semaphore slots;
        private final int maxWaiting;
        private final AtomicInteger waiting = new AtomicInteger();

        UploadGate(Handler handler, int maxUploads) {
            super(handler);
            slots = new Semaphore(maxUploads, true);
            maxWaiting = maxUploads;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!streamsBody(request)) {
                return super.handle(request, response, callback);
            }
            Runnable giveBack;
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                busy(response, callback, "uploads");
                return true;
            }
            try {
                giveBack = takeSlot(slots, request, response, callback, "uploads");
            } finally {
                waiting.decrementAndGet();
            }
            return giveBack == null || super.handle(request, response, callback);
        }

        /** Uploads waiting for a slot now, or just taking one. */
        int waiting() {
            return waiting.get();
        }

        static boolean streamsBody(Request request) {
            var headers = request.getHeaders();
            return headers.contains(HttpHeader.TRANSFER_ENCODING) || headers.getLongField(HttpHeader.CONTENT_LENGTH) > WorkGate.SMALL_BODY;
        }
    }

    /**
     * Takes one of {@code slots} for {@code request}, waiting up to {@link #WAIT_FOR_SLOT} in arrival
     * order, and returns what gives it back: once, when the request completes or when that runs
     * first. Null when none came free in time, after answering 503 with {@code Retry-After}.
     */
    private static Runnable takeSlot(Semaphore slots, Request request, Response response, Callback callback, String what)
            throws InterruptedException {
        if (!slots.tryAcquire(WAIT_FOR_SLOT.toNanos(), TimeUnit.NANOSECONDS)) {
            busy(response, callback, what);
            return null;
        }
        var held = new AtomicBoolean(true);
        Runnable giveBack = () -> {
            if (held.compareAndSet(true, false)) {
                slots.release();
            }
        };
        try {
            Request.addCompletionListener(request, failure -> giveBack.run());
        } catch (RuntimeException | Error e) {
            giveBack.run();
            throw e;
        }
        return giveBack;
    }

    /** The busy 503: {@code what} (plural) the node holds as many of as it can. */
    private static void busy(Response response, Callback callback, String what) {
        if (response.isCommitted()) {
            callback.failed(new IllegalStateException("response already committed"));
            return;
        }
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(WAIT_FOR_SLOT.toSeconds()));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        Content.Sink.write(response, true, "Dossier is busy: too many " + what + " in flight; retry in "
                + WAIT_FOR_SLOT.toSeconds() + " s\n", callback);
    }

    /**
     * At most {@code http.max-active} requests of a node are handled at once; the others wait their
     * turn in arrival order (parked, holding no carrier), up to {@link #WAIT_FOR_SLOT}, then get the
     * ceiling's 503. A request takes its turn once its body has arrived: none, or a small one
     * ({@link #SMALL_BODY}, read beforehand by Jetty's {@link EagerContentHandler}); it gives it back
     * as it starts to send its answer or ends, or once it waits for its writes to reach the disk
     * ({@link ComputeTurn}; it goes on without one). Uploads (larger or chunked bodies) and health
     * checks do not wait: a slow client never holds a turn, neither sending nor reading.
     *
     * <p>Why: with every request handled as it came, a node on 2 cores ran 16 clients' searches, 16
     * PostgreSQL backends and the JIT at once, and which of them the scheduler starved was luck: an
     * OWS keyword search had p99 166 ms at 867 a second ({@code bench/ows.sh search}, quiet machine);
     * taking turns, eight at once, p99 68 ms at 1,134 a second.
     */
    static final class WorkGate extends Handler.Wrapper {

        static final int SMALL_BODY = 64 * 1024;

        private final Semaphore turns;

        WorkGate(Handler handler, int maxActive) {
            super(handler);
            turns = new Semaphore(maxActive, true);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!takesTurn(request)) {
                return super.handle(request, response, callback);
            }
            var giveBack = takeSlot(turns, request, response, callback, "requests");
            if (giveBack == null) {
                return true;
            }
            // a request that waits for its writes to reach the disk gives its turn back (ComputeTurn.giveBackToWait)
            return ComputeTurn.holding(giveBack::run, () -> super.handle(request, new Response.Wrapper(request, response) {
                @Override
                public void write(boolean last, java.nio.ByteBuffer byteBuffer, Callback written) {
                    giveBack.run();   // computing is done; sending, however slowly it goes, needs no turn
                    super.write(last, byteBuffer, written);
                }
            }, callback));
        }

        static boolean takesTurn(Request request) {
            var path = request.getHttpURI().getPath();
            if (path != null && (path.startsWith("/health/") || path.equals("/metrics"))) {
                return false;
            }
            var headers = request.getHeaders();
            if (headers.contains(HttpHeader.TRANSFER_ENCODING)) {
                return false;   // chunked: a stream of unknown length
            }
            long length = headers.getLongField(HttpHeader.CONTENT_LENGTH);
            return length <= SMALL_BODY;   // -1: no body
        }
    }

    /**
     * Reads beforehand only the bodies that take a turn at {@link WorkGate}: a declared length of at most
     * {@link WorkGate#SMALL_BODY}. Any other request goes to its handler at once, which may refuse it on
     * its headers alone (a token request declaring 5 MiB: 413) or stream it; read beforehand, a client
     * that waits for the answer before it sends a body it declared large would wait until a timeout.
     */
    static final class SmallBodies implements EagerContentHandler.ContentLoaderFactory {

        private final EagerContentHandler.RetainedContentLoaderFactory retained =
                new EagerContentHandler.RetainedContentLoaderFactory(WorkGate.SMALL_BODY + 4096, -1, false);

        @Override
        public String getApplicableMimeType() {
            return null;
        }

        @Override
        public EagerContentHandler.ContentLoader newContentLoader(String contentType, String mimeType, Handler handler,
                                                                  Request request, Response response, Callback callback) {
            return WorkGate.takesTurn(request)
                    ? retained.newContentLoader(contentType, mimeType, handler, request, response, callback)
                    : null;
        }
    }

    /** An unknown path under a dialect's base answers in that dialect's shape; elsewhere plain 404. */
    private static void notFound(Context ctx, List<Dialect> dialects, boolean prefixed) {
        if (ctx.attribute(Routes.DIALECT_ATTRIBUTE) != null) {
            return; // a dialect route already answered (its own 404 or 405)
        }
        for (var dialect : dialects) {
            var base = "/" + dialect.name();
            var path = dialect.caseInsensitivePaths() ? ctx.path().toLowerCase(java.util.Locale.ROOT) : ctx.path();
            if (!prefixed || path.equals(base) || path.startsWith(base + "/")) {
                ctx.attribute(Routes.DIALECT_ATTRIBUTE, dialect.name());
                Routes.guard(ctx, dialect, c -> {
                    throw Failure.notFound("no such endpoint: " + c.method() + " " + c.path());
                });
                return;
            }
        }
        Responses.send(ctx, 404, "text/plain", "Not found\n");
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
