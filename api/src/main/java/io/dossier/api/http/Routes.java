package io.dossier.api.http;

import com.fasterxml.jackson.core.JacksonException;
import io.dossier.core.Failure;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a dialect declares its routes. Each handler is wrapped once, here, so that every dialect
 * gets the same guarantees: its routes live under its base path, each request is labelled with the
 * dialect and route for the access log and metrics, and whatever a handler throws reaches the
 * client in the dialect's own error shape, never as a stack trace.
 */
public final class Routes {

    public static final String DIALECT_ATTRIBUTE = "dossier.dialect";
    public static final String ROUTE_ATTRIBUTE = "dossier.route";
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

    private final JavalinDefaultRoutingApi target;
    private final String basePath;
    private final Dialect dialect;
    private final CaseInsensitivePaths caseInsensitive;

    public Routes(JavalinDefaultRoutingApi target, String basePath, Dialect dialect) {
        this(target, basePath, dialect, null);
    }

    /**
     * @param caseInsensitive where to record the routes of a dialect with
     *                        {@link Dialect#caseInsensitivePaths()}; the server installs its handler
     */
    public Routes(JavalinDefaultRoutingApi target, String basePath, Dialect dialect, CaseInsensitivePaths caseInsensitive) {
        this.target = target;
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        this.dialect = dialect;
        this.caseInsensitive = caseInsensitive;
        if (dialect.caseInsensitivePaths() && caseInsensitive == null) {
            throw new IllegalArgumentException(dialect.name() + " wants case-insensitive paths: pass a CaseInsensitivePaths");
        }
    }

    public Routes get(String path, Handler handler) {
        return add(HandlerType.GET, path, handler);
    }

    public Routes head(String path, Handler handler) {
        return add(HandlerType.HEAD, path, handler);
    }

    public Routes post(String path, Handler handler) {
        return add(HandlerType.POST, path, handler);
    }

    public Routes put(String path, Handler handler) {
        return add(HandlerType.PUT, path, handler);
    }

    public Routes patch(String path, Handler handler) {
        return add(HandlerType.PATCH, path, handler);
    }

    public Routes delete(String path, Handler handler) {
        return add(HandlerType.DELETE, path, handler);
    }

    public Routes add(HandlerType method, String path, Handler handler) {
        var full = path.isEmpty() || path.equals("/") ? (basePath.isEmpty() ? "/" : basePath) : basePath + path;
        target.addHttpHandler(method, full, ctx -> handle(ctx, path, handler));
        if (dialect.caseInsensitivePaths()) {
            caseInsensitive.add(full);
        }
        return this;
    }

    private void handle(Context ctx, String route, Handler handler) {
        ctx.attribute(DIALECT_ATTRIBUTE, dialect.name());
        ctx.attribute(ROUTE_ATTRIBUTE, route);
        guard(ctx, dialect, handler);
    }

    /**
     * Runs {@code handler} for {@code dialect} with the guarantees of a dialect route: a
     * {@link Failure} is answered in the dialect's shape with its {@link FailureStatus}, malformed
     * JSON and a body cut short as invalid input, anything else (a bug) 500 with a reference that is
     * also in the log. The server's 404 and 405 fallbacks under a dialect's base use it too.
     */
    public static void guard(Context ctx, Dialect dialect, Handler handler) {
        try {
            handler.handle(ctx);
        } catch (Failure failure) {
            if (failure.kind() == Failure.Kind.UNAVAILABLE && failure.getCause() != null) {
                // storage that could not do the work now (a lock wait that ran out, no connection): a
                // lock that is never let go shows here first
                LOG.warn("{} {} answered unavailable: {}", ctx.method(), ctx.path(), failure.getCause().toString());
            }
            drainSmallBody(ctx);
            refuse(ctx, dialect, failure);
        } catch (JacksonException malformed) {
            drainSmallBody(ctx);
            refuse(ctx, dialect, Failure.invalid("malformed JSON: " + malformed.getOriginalMessage()));
        } catch (Exception unexpected) {
            if (bodyEndedEarly(unexpected)) {
                // bad input, not a failure of ours: one line without a stack trace (anyone could
                // flood the log with these), and an answer in case the client is still listening
                LOG.info("{} {}: the request body ended early ({})", ctx.method(), ctx.path(), unexpected.toString());
                refuse(ctx, dialect, Failure.invalid("the request body ended before its announced end (Content-Length or chunked encoding)"));
                return;
            }
            refuse(ctx, dialect, internal(ctx, unexpected));
        } finally {
            Bodies.release(ctx);
            Admission.release(ctx);
        }
    }

    /** The largest unread body {@link #drainSmallBody} reads before a refusal. */
    static final int DRAIN_BYTES = 64 * 1024;

    /**
     * Reads what is left of a small request body (up to {@link #DRAIN_BYTES}, announced by
     * Content-Length or sent chunked) before a refusal is sent. A request refused before its body
     * was read (an upload the caller may not make) left it unread, and Jetty then closed the
     * connection after the answer without saying so: a client that had already put the connection
     * back in its pool sent its next request into a closed socket ("header parser received no
     * bytes"). A body too large to read is not read; the answer says {@code Connection: close}.
     */
    private static void drainSmallBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length == 0) {
            return;
        }
        if (length > DRAIN_BYTES || !drained(ctx)) {
            ctx.header("Connection", "close");
        }
    }

    /** Whether the body ended within {@link #DRAIN_BYTES} more bytes; false too when it cannot be read (then its connection is not reused). */
    private static boolean drained(Context ctx) {
        try {
            var in = ctx.req().getInputStream();
            var buffer = new byte[8192];
            long left = DRAIN_BYTES;
            while (left >= 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left + 1));
                if (n < 0) {
                    return true;
                }
                left -= n;
            }
            return false;
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** Logs {@code unexpected} with its stack trace under a fresh reference, and returns the failure that carries it. */
    public static Failure internal(Context ctx, Throwable unexpected) {
        var reference = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        LOG.error("{} {} failed, reference {}", ctx.method(), ctx.path(), reference, unexpected);
        return Failure.internal(reference);
    }

    /**
     * Whether {@code e} is Jetty failing to read a request body to its announced end: an
     * {@link EofException} when the client hung up or broke its chunked encoding, a
     * {@link TimeoutException} when it stopped sending (the connector's idle timeout) or sent too
     * slowly (the server's body deadline). Storage reports its timeouts with its own exception
     * types (SQLException, the S3 SDK's), so a TimeoutException here is the client's.
     */
    static boolean bodyEndedEarly(Throwable e) {
        var cause = e;
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {   // causes may form a cycle
            if (cause instanceof EofException || cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers {@code failure} in {@code dialect}'s shape: the status from {@link FailureStatus}, the
     * body from the dialect. Should the shape itself fail, the client still gets a 500 with a
     * reference that is in the log, in plain text: there is no other shape left to use.
     */
    public static void refuse(Context ctx, Dialect dialect, Failure failure) {
        if (ctx.res().isCommitted()) {
            return;   // headers are out (a download cut off mid-way); nothing more can be said
        }
        ctx.res().reset();
        ctx.status(FailureStatus.of(failure));
        if (failure.retryAfter() != null) {
            ctx.header("Retry-After", Long.toString(Math.max(1, failure.retryAfter().toSeconds())));
        }
        try {
            dialect.errors().write(ctx, failure);
        } catch (RuntimeException shapeFailed) {
            var internal = internal(ctx, shapeFailed);
            if (!ctx.res().isCommitted()) {
                ctx.res().reset();
                Responses.send(ctx, 500, "text/plain; charset=utf-8", internal.getMessage() + "\n");
            }
        }
    }
}
