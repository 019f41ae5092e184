package io.dossier.api.http;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes of dialects whose clients may spell paths in any case ({@link Dialect#caseInsensitivePaths()}).
 * Javalin matches paths exactly, and its own switch is for a whole server, where OWS and the File
 * API must keep their exact paths. So {@link Routes} records an opted-in dialect's route templates
 * here, and {@link #handler(Handler)} rewrites a request path that matches one of them but for case
 * into the template's spelling before Javalin routes it. Only literal segments are rewritten: path
 * parameters ({@code {fileId}}) keep the client's case.
 */
public final class CaseInsensitivePaths {

    private final List<String[]> templates = new CopyOnWriteArrayList<>();

    /** Records a route template, e.g. {@code /youforce/v1.0/persons/{id}}. */
    public void add(String template) {
        templates.add(segments(template));
    }

    /** Whether any template is recorded (else the handler is not worth installing). */
    public boolean isEmpty() {
        return templates.isEmpty();
    }

    /**
     * {@code path} (raw, percent-encoded as sent) in the spelling of the template it matches but for
     * the case of literal segments; {@code path} itself when it matches one exactly or none.
     */
    public String canonical(String path) {
        if (path == null || templates.isEmpty()) {
            return path;
        }
        var trailingSlash = path.length() > 1 && path.endsWith("/");
        var segments = segments(path);
        String[] candidate = null;
        for (var template : templates) {
            var match = match(template, segments);
            if (match == Match.EXACT) {
                return path;
            }
            if (match == Match.IGNORING_CASE && candidate == null) {
                candidate = template;
            }
        }
        if (candidate == null) {
            return path;
        }
        var out = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            out.append('/').append(isParameter(candidate[i]) ? segments[i] : candidate[i]);
        }
        if (out.isEmpty()) {
            out.append('/');
        }
        return trailingSlash ? out.append('/').toString() : out.toString();
    }

    /** A Jetty handler that rewrites request paths per {@link #canonical(String)} before {@code next} sees them. */
    public Handler handler(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                var uri = request.getHttpURI();
                var path = uri.getPath();
                var canonical = canonical(path);
                if (canonical == null || canonical.equals(path)) {
                    return super.handle(request, response, callback);
                }
                var rewritten = HttpURI.build(uri).path(canonical).asImmutable();
                return super.handle(new Request.Wrapper(request) {
                    @Override
                    public HttpURI getHttpURI() {
                        return rewritten;
                    }
                }, response, callback);
            }
        };
    }

    private enum Match { NONE, EXACT, IGNORING_CASE }

    private static Match match(String[] template, String[] segments) {
        if (template.length != segments.length) {
            return Match.NONE;
        }
        var exact = true;
        for (int i = 0; i < template.length; i++) {
            if (isParameter(template[i])) {
                if (segments[i].isEmpty()) {
                    return Match.NONE;
                }
            } else if (!template[i].equals(segments[i])) {
                if (!template[i].toLowerCase(Locale.ROOT).equals(segments[i].toLowerCase(Locale.ROOT))) {
                    return Match.NONE;
                }
                exact = false;
            }
        }
        return exact ? Match.EXACT : Match.IGNORING_CASE;
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}") || segment.startsWith("<") && segment.endsWith(">");
    }

    /** The non-empty segments of a path (so {@code //a/b/} is {@code a, b}, as the router treats it). */
    private static String[] segments(String path) {
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
