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
            if (clientWentAway(unexpected)) {
                // not our fault and nobody to answer: one line, no stack trace, or anyone could flood the log
                LOG.info("{} {}: the client went away or stopped sending mid-request ({})", ctx.method(), ctx.path(), unexpected.toString());
                ctx.status(400);
                return;
            }
            var reference = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            LOG.error("{} {} failed, reference {}", ctx.method(), ctx.path(), reference, unexpected);
            refuse(ctx, Failure.internal(reference));
        }
    }

    /**
     * Whether {@code e} comes from the client's connection rather than from us: Jetty reports a
     * client that closed the connection (mid-body, or before reading our answer) as an
     * {@link EofException}, and one that stopped sending as its idle timeout. A timeout raised
     * elsewhere (storage, say) is ours, and stays an error.
     */
    static boolean clientWentAway(Throwable e) {
        var cause = e;
        for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) {   // causes may form a cycle
            if (cause instanceof EofException || cause instanceof TimeoutException && raisedByJetty(cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean raisedByJetty(Throwable e) {
        var trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("org.eclipse.jetty.");
    }

    private void refuse(Context ctx, Failure failure) {
        if (ctx.res().isCommitted()) {
            return;   // headers are out (a download cut off mid-way); nothing more can be said
        }
        ctx.res().reset();
        dialect.errors().write(ctx, failure);
    }
}
