package io.dossier.api.http;

import com.fasterxml.jackson.core.JacksonException;
import io.dossier.core.Failure;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.UUID;
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
        } catch (org.eclipse.jetty.io.EofException endedEarly) {
            // Jetty reading a request body that stopped before its Content-Length or its last chunk
            // (broken chunked encoding, or a client that hung up): bad input, not a failure of ours.
            refuse(ctx, Failure.invalid("the request body ended before its announced end (Content-Length or chunked encoding)"));
        } catch (Exception unexpected) {
            var reference = UUID.randomUUID().toString();
            LOG.error("{} {} failed (reference {})", ctx.method(), ctx.path(), reference, unexpected);
            refuse(ctx, Failure.unavailable("internal error, reference " + reference, unexpected));
        }
    }

    private void refuse(Context ctx, Failure failure) {
        if (ctx.res().isCommitted()) {
            return;   // headers are out (a download cut off mid-way); nothing more can be said
        }
        ctx.res().reset();
        dialect.errors().write(ctx, failure);
    }
}
