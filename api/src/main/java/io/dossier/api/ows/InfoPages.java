package io.dossier.api.ows;

import io.dossier.api.http.Credentials;
import io.dossier.api.http.FailureStatus;
import io.dossier.api.http.Responses;
import io.dossier.core.Failure;
import io.dossier.core.cache.BoundedCache;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.identity.Secrets;
import io.dossier.core.schema.FieldDef;
import io.dossier.core.schema.FieldFlags;
import io.dossier.core.schema.RecordType;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code /ows/info/}: the list of data services and, per service, every field with its type, flags
 * and comments (manual §2.4). Generated from the definitions on each request; behind HTTP Basic
 * with a user's username and password.
 */
final class InfoPages {

    private static final Duration LOGIN_CACHE_TTL = Duration.ofMinutes(1);
    private static final long LOGIN_CACHE_ENTRIES = 10_000;
    private static final List<Flag> FLAGS = List.of(
            new Flag("Listable", FieldFlags::listable), new Flag("Filterable", FieldFlags::filterable),
            new Flag("Sortable", FieldFlags::sortable), new Flag("Updatable", FieldFlags::updatable),
            new Flag("Obligatory", FieldFlags::obligatory), new Flag("Deletable", FieldFlags::deletable),
            new Flag("Insertable", FieldFlags::insertable), new Flag("Has options", FieldFlags::hasOptions),
            new Flag("Not empty", FieldFlags::notEmpty), new Flag("Has hints", f -> false),
            new Flag("In list by default", FieldFlags::inListByDefault));

    private record Flag(String label, Predicate<FieldFlags> test) {
    }

    private final OwsBindings bindings;
    private final IdentityService identities;
    /** Recently checked Basic credentials (hash of user:password), so the slow hash runs once a minute, bounded. */
    private final BoundedCache<String, Boolean> recentLogins = new BoundedCache<>(LOGIN_CACHE_ENTRIES, LOGIN_CACHE_TTL);

    InfoPages(OwsBindings bindings, IdentityService identities) {
        this.bindings = bindings;
        this.identities = identities;
    }

    void index(Context ctx) {
        authorize(ctx);
        var html = page("OWS data services");
        html.append("<h1>Data services</h1>\n<ul>\n");
        for (var bound : bindings.all()) {
            var type = bound.type();
            var name = OwsService.SERVICE_PREFIX + bound.name();
            html.append("<li><a href=\"detail.php?service=").append(esc(name)).append("\">").append(esc(name)).append("</a>")
                    .append(type.readOnly() ? " (read-only)" : "").append(" — ").append(esc(type.description())).append("</li>\n");
        }
        html.append("</ul>\n</body></html>\n");
        Responses.send(ctx, ctx.statusCode(), "text/html; charset=utf-8", html.toString());
    }

    void detail(Context ctx) {
        authorize(ctx);
        var service = ctx.queryParam("service");
        var name = service == null ? "" : service.startsWith(OwsService.SERVICE_PREFIX) ? service.substring(OwsService.SERVICE_PREFIX.length()) : service;
        var bound = bindings.byService(name).orElseThrow(() -> Failure.notFound("no data service '" + service + "'"));
        var type = bound.type();
        var html = page(OwsService.SERVICE_PREFIX + bound.name());
        html.append("<h1>").append(esc(OwsService.SERVICE_PREFIX + bound.name())).append("</h1>\n");
        html.append("<p>").append(esc(type.description())).append("</p>\n<p><a href=\"./\">All data services</a></p>\n");
        html.append("<table>\n").append(header()).append('\n');
        fields(html, type, type.fields(), 0);
        html.append("</table>\n");
        if (!type.optionLists().isEmpty()) {
            html.append("<h2>Option lists</h2>\n");
            type.optionLists().values().forEach(list -> {
                html.append("<details><summary>").append(esc(list.name())).append("</summary><ul>");
                list.values().forEach((id, label) -> html.append("<li>").append(esc(id)).append(": ").append(esc(label)).append("</li>"));
                html.append("</ul></details>\n");
            });
        }
        html.append("</body></html>\n");
        Responses.send(ctx, ctx.statusCode(), "text/html; charset=utf-8", html.toString());
    }

    /** One row per field; a container's or collection's fields in a nested table, collapsed by default. */
    private void fields(StringBuilder html, RecordType type, List<FieldDef> fields, int depth) {
        for (var field : fields) {
            html.append("<tr><td>").append(esc(field.name())).append("</td><td>").append(field.type().wireName()).append("</td>");
            for (var flag : FLAGS) {
                html.append("<td><input type=\"checkbox\" disabled").append(flag.test().test(field.flags()) ? " checked" : "").append("></td>");
            }
            var comment = field.comment();
            if (field.optionList() != null) {
                comment = (comment.isEmpty() ? "" : comment + " ") + "Options: " + field.optionList() + " (getOptionLists).";
            }
            if (field.flags().translatable()) {
                comment = (comment.isEmpty() ? "" : comment + " ") + "Stored per content language.";
            }
            html.append("<td>").append(esc(field.dataTypeComment())).append("</td><td>").append(esc(comment)).append("</td></tr>\n");
            if (!field.children().isEmpty()) {
                html.append("<tr><td colspan=\"").append(FLAGS.size() + 4).append("\"><details><summary>")
                        .append(esc(field.path())).append(" (").append(field.children().size()).append(" fields)</summary>\n<table>")
                        .append(header()).append('\n');
                fields(html, type, field.children(), depth + 1);
                html.append("</table></details></td></tr>\n");
            }
        }
    }

    private static String header() {
        var out = new StringBuilder("<thead><tr><th>Name</th><th>Type</th>");
        FLAGS.forEach(f -> out.append("<th>").append(f.label()).append("</th>"));
        return out.append("<th>Data type comment</th><th>Comment</th></tr></thead>").toString();
    }

    private void authorize(Context ctx) {
        var basic = Credentials.basic(ctx).orElse(null);
        if (basic == null) {
            throw Failure.unauthenticated("log in with your username and password");
        }
        var key = Secrets.hash(basic.username() + "\u0000" + basic.password());
        if (recentLogins.get(key).isPresent()) {
            return;
        }
        identities.authenticatePassword(basic.username(), basic.password());
        recentLogins.put(key, Boolean.TRUE);
    }

    void error(Context ctx, Failure failure) {
        var status = FailureStatus.of(failure);
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Basic realm=\"OWS info\", charset=\"UTF-8\"");
        }
        Responses.send(ctx, status, "text/html; charset=utf-8", page("Error").append("<h1>").append(status).append("</h1><p>")
                .append(esc(failure.getMessage())).append("</p></body></html>\n").toString());
    }

    private static StringBuilder page(String title) {
        return new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "th,td{border:1px solid #ccc;padding:2px 6px;font-size:13px;text-align:left}th{background:#eee}"
                        + "summary{cursor:pointer;font-weight:bold}</style></head><body>\n");
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        var out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
