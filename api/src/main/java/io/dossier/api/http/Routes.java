package io.dossier.api.http;

import com.fasterxml.jackson.core.JacksonException;
import io.dossier.core.Failure;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
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

    public Routes(JavalinDefaultRoutingApi target, String basePath, Dialect dialect) {
        this.target = target;
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        this.dialect = dialect;
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
        return this;
    }

    private void handle(Context ctx, String route, Handler handler) {
        ctx.attribute(DIALECT_ATTRIBUTE, dialect.name());
        ctx.attribute(ROUTE_ATTRIBUTE, route);
        try {
            handler.handle(ctx);
        } catch (Failure failure) {
            refuse(ctx, failure);
        } catch (JacksonException malformed) {
            refuse(ctx, Failure.invalid("malformed JSON: " + malformed.getOriginalMessage()));
        } catch (Exception unexpected) {
            if (bodyEndedEarly(unexpected)) {
                // bad input, not a failure of ours: one line without a stack trace (anyone could
                // flood the log with these), and an answer in case the client is still listening
                LOG.info("{} {}: the request body ended early ({})", ctx.method(), ctx.path(), unexpected.toString());
                refuse(ctx, Failure.invalid("the request body ended before its announced end (Content-Length or chunked encoding)"));
                return;
            }
            var reference = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            LOG.error("{} {} failed, reference {}", ctx.method(), ctx.path(), reference, unexpected);
            refuse(ctx, Failure.internal(reference));
        } finally {
            Bodies.release(ctx);
        }
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

    private void refuse(Context ctx, Failure failure) {
        if (ctx.res().isCommitted()) {
            return;   // headers are out (a download cut off mid-way); nothing more can be said
        }
        ctx.res().reset();
        dialect.errors().write(ctx, failure);
    }
}
