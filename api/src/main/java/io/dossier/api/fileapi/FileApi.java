package io.dossier.api.fileapi;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.dossier.api.http.Credentials;
import io.dossier.api.http.Dialect;
import io.dossier.api.http.Downloads;
import io.dossier.api.http.ErrorShape;
import io.dossier.api.http.Json;
import io.dossier.api.http.MultipartForm;
import io.dossier.api.http.MultipartReader;
import io.dossier.api.http.OAuthTokenEndpoint;
import io.dossier.api.http.RangeHeader;
import io.dossier.api.http.Routes;
import io.dossier.api.http.UtcMillis;
import io.dossier.core.Failure;
import io.dossier.core.content.ContentService;
import io.dossier.core.delivery.Delivery;
import io.dossier.core.delivery.DeliveryService;
import io.dossier.core.delivery.DeliveryState;
import io.dossier.core.settings.SettingsService;
import io.dossier.core.paging.Page;
import io.dossier.core.paging.PageSize;
import io.dossier.core.tenant.TenantService;
import io.dossier.core.access.Caller;
import io.dossier.api.http.Admission;
import io.dossier.core.ratelimit.RateLimit;
import io.dossier.core.ratelimit.RateLimiter;
import io.dossier.core.token.TokenService;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * The Visma YouServe File API under {@code /fileapi}: OAuth tokens, publishers delivering files
 * (whole or resumable), subscribers listing, filtering, downloading (ranges too) and deleting them.
 * The files routes are served under every prefix real clients use.
 */
public final class FileApi implements Dialect {

    /** Prefixes of the files resource seen in clients, relative to {@code /fileapi}. */
    static final List<String> PREFIXES = List.of("/v1.0/files", "/mft/v1.0/files", "/fileapi/v1.0/files");
    static final String TENANT_HEADER = "x-raet-tenant-id";
    /** File API pages: 20 files when a client asks for no pageSize, at most 1000; larger asks are refused. */
    static final PageSize PAGES = new PageSize(20, 1000);
    static final int METADATA_MAX_BYTES = 64 * 1024;
    /** The metadata part is JSON of at most 64 KiB; the parts' headers and count as everywhere. */
    private static final MultipartForm.Limits FORM_LIMITS = new MultipartForm.Limits(MultipartReader.Limits.DEFAULT, METADATA_MAX_BYTES);
    private final TokenService tokens;
    private final DeliveryService deliveries;
    private final ContentService content;
    private final TenantService tenants;
    private final long maxFileBytes;
    private final SettingsService settings;
    private final RateLimiter limiter;

    /** Dossier's default for a File API client (the published API names no number): 6,000 requests per minute, so that a subscriber paging through or a publisher sending a thousand files in a burst is not refused. */
    public static final RateLimit DEFAULT_RATE_LIMIT = RateLimit.perMinute(6000);

    public FileApi(TokenService tokens, DeliveryService deliveries, ContentService content, TenantService tenants, long maxFileBytes,
                   SettingsService settings, RateLimiter limiter) {
        this.settings = settings;
        this.limiter = limiter;
        this.tokens = tokens;
        this.deliveries = deliveries;
        this.content = content;
        this.tenants = tenants;
        this.maxFileBytes = maxFileBytes;
    }

    @Override
    public String name() {
        return "fileapi";
    }

    @Override
    public ErrorShape errors() {
        return FileApiErrors::write;
    }

    @Override
    public void routes(Routes routes) {
        OAuthTokenEndpoint.Issuer issuer = request -> tokens.issue(request.clientId(), request.clientSecret(), request.tenantId(),
                settings::requireApiAccess);
        routes.post("/connect/token", new OAuthTokenEndpoint(issuer, OAuthTokenEndpoint.STANDARD, true))
                .post("/authentication/token", new OAuthTokenEndpoint(issuer, OAuthTokenEndpoint.BEARER_TOKEN_STRING, false));
        for (var prefix : PREFIXES) {
            routes.get(prefix, this::list)
                    .post(prefix, this::publish)
                    .put(prefix, this::resume)
                    .get(prefix + "/{fileId}", this::download)
                    .head(prefix + "/{fileId}", this::download)
                    .delete(prefix + "/{fileId}", this::delete);
        }
    }

    // ---- tokens

    /** The caller of the bearer token, admitted under its client's rate limits (429 with Retry-After over them). */
    private Caller grant(Context ctx) {
        var caller = tokens.resolve(Credentials.bearer(ctx).orElse(null), ctx.header(TENANT_HEADER));
        if (caller instanceof Caller.AsClient client) {
            Admission.admit(ctx, limiter, client.clientId(), name());
        }
        return caller;
    }

    private static void role(Context ctx, String expected) {
        var role = ctx.queryParam("role");
        if (role == null || !role.equalsIgnoreCase(expected)) {
            throw Failure.invalid("role must be '" + expected + "'");
        }
    }

    // ---- subscriber

    private void list(Context ctx) {
        var grant = grant(ctx);
        var role = ctx.queryParam("role");
        if (role != null && role.equalsIgnoreCase("publisher")) {
            listPublished(ctx, grant);
            return;
        }
        role(ctx, "subscriber");
        var pageIndex = integer(ctx, "pageIndex", 0);
        var pageSize = integer(ctx, "pageSize", PAGES.standard());
        var filter = ctx.queryParam("$filter");
        var orderBy = ctx.queryParam("$orderBy");
        if (orderBy == null) {
            orderBy = ctx.queryParam("$orderby");
        }
        io.dossier.core.query.Condition condition;
        List<io.dossier.core.query.SortKey> sort;
        try {
            condition = filter == null || filter.isBlank() ? null : FileFilter.parse(filter);
            sort = orderBy == null || orderBy.isBlank() ? List.of() : FileFilter.parseOrderBy(orderBy);
        } catch (FileFilter.FilterException e) {
            throw Failure.invalid(e.getMessage());
        }
        var page = deliveries.list(grant, condition, sort, page(pageIndex, pageSize));
        var slug = tenants.byId(grant.tenantId()).slug();
        writePage(ctx, page.items(), (g, item) -> writeFile(g, item.delivery(), slug, item.state() == DeliveryState.DOWNLOADED, false),
                pageIndex, pageSize, page.count());
    }

    private void listPublished(Context ctx, Caller grant) {
        var pageIndex = integer(ctx, "pageIndex", 0);
        var pageSize = integer(ctx, "pageSize", PAGES.standard());
        var slug = tenants.byId(grant.tenantId()).slug();
        var published = deliveries.published(grant, page(pageIndex, pageSize));
        long count = deliveries.countPublished(grant);
        writePage(ctx, published, (g, delivery) -> writeFile(g, delivery, slug, null, false), pageIndex, pageSize, count);
    }

    private void download(Context ctx) throws IOException {
        var grant = grant(ctx);
        role(ctx, "subscriber");
        var delivery = deliveries.forSubscriber(grant, ctx.pathParam("fileId"));
        var file = delivery.file();
        var ranges = RangeHeader.parse(ctx.header("Range"));
        if (ranges.isPresent() && ranges.get().size() > 1 && !ctx.method().name().equals("HEAD")) {
            if (ByteRanges.send(ctx, content, file, ranges.get()) == Downloads.Outcome.COMPLETE && ByteRanges.coversEnd(ranges.get(), file.size())) {
                deliveries.markDownloaded(grant, delivery);
            }
            return;
        }
        var outcome = Downloads.send(ctx, content, file, c -> FileApiErrors.write(c, 416, "Range not satisfiable.", null));
        var reachedEnd = ranges.isEmpty() || ranges.get().size() != 1 || ByteRanges.coversEnd(ranges.get(), file.size());
        if (outcome == Downloads.Outcome.COMPLETE && reachedEnd) {
            deliveries.markDownloaded(grant, delivery);
        }
    }

    private void delete(Context ctx) {
        var grant = grant(ctx);
        role(ctx, "subscriber");
        deliveries.delete(grant, ctx.pathParam("fileId"));
        ctx.status(204);
    }

    // ---- publisher

    private void publish(Context ctx) throws IOException {
        var grant = grant(ctx);
        var uploadType = ctx.queryParam("uploadType");
        if (uploadType == null || !(uploadType.equalsIgnoreCase("multipart") || uploadType.equalsIgnoreCase("resumable"))) {
            throw Failure.invalid("uploadType must be multipart or resumable");
        }
        var form = MultipartForm.of(ctx, FORM_LIMITS, "send multipart/related: JSON metadata, then the file");
        var metadata = new Metadata[1];
        var answered = new boolean[1];
        form.read(part -> {
            if (part.index() == 1) {
                metadata[0] = metadata(part.bytes());
                return true;
            }
            if (uploadType.equalsIgnoreCase("multipart")) {
                var delivery = deliveries.publish(grant, metadata[0].businessType(), metadata[0].name(), part.body(), maxFileBytes);
                writePublished(ctx, 201, delivery, tenants.byId(grant.tenantId()).slug());
            } else {
                var token = deliveries.startResumable(grant, metadata[0].businessType(), metadata[0].name(), part.body(), maxFileBytes);
                var out = new LinkedHashMap<String, Object>();
                out.put("uploadToken", token);
                out.put("position", 0);
                Json.write(ctx, 200, out);
            }
            answered[0] = true;
            return false;   // the file is in; what follows it is not read
        });
        if (metadata[0] == null) {
            throw Failure.invalid("the metadata part is missing");
        }
        if (!answered[0]) {
            throw Failure.invalid("the file part is missing");
        }
    }

    private void resume(Context ctx) throws IOException {
        var grant = grant(ctx);
        if (!"resumable".equalsIgnoreCase(ctx.queryParam("uploadType"))) {
            throw Failure.invalid("PUT needs uploadType=resumable");
        }
        var token = ctx.queryParam("uploadToken");
        if (token == null || token.isBlank()) {
            throw Failure.invalid("uploadToken is required");
        }
        var position = integer(ctx, "position", -1);
        var close = "true".equalsIgnoreCase(ctx.queryParam("close"));
        var published = deliveries.appendChunk(grant, token, position, close, ctx.req().getInputStream(), maxFileBytes);
        if (published.isPresent()) {
            writePublished(ctx, 201, published.get(), tenants.byId(grant.tenantId()).slug());
        } else {
            var out = new LinkedHashMap<String, Object>();
            out.put("uploadToken", token);
            out.put("position", position);
            Json.write(ctx, 200, out);
        }
    }

    record Metadata(String name, long businessType) {
    }

    /** The metadata part: keys matched case-insensitively; {@code name} or {@code FileName}, {@code businesstypeid}. */
    static Metadata metadata(byte[] json) throws IOException {
        if (json.length > 64 * 1024) {
            throw Failure.invalid("the metadata part is too large");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw Failure.invalid("the metadata part is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw Failure.invalid("the metadata part must be a JSON object");
        }
        String name = null;
        String businessType = null;
        for (var entry : node.properties()) {
            var key = entry.getKey().toLowerCase(Locale.ROOT);
            if (key.equals("name") || key.equals("filename")) {
                name = entry.getValue().asText();
            } else if (key.equals("businesstypeid") || key.equals("businesstype")) {
                businessType = entry.getValue().asText();
            }
        }
        if (name == null || name.isBlank()) {
            throw Failure.invalid("the metadata needs the file name (name or FileName)");
        }
        if (businessType == null || !businessType.strip().matches("\\d{1,15}")) {
            throw Failure.invalid("the metadata needs a numeric business type (businesstypeid or BusinessTypeId)");
        }
        return new Metadata(name, Long.parseLong(businessType.strip()));
    }

    // ---- shapes

    /** {@code {"data":[…],"pageIndex":…,"pageSize":…,"count":…}}, each item written by {@code item}. */
    private static <T> void writePage(Context ctx, List<T> items, Json.ItemWriter<T> item, int pageIndex, int pageSize, long count) {
        Json.stream(ctx, 200, "application/json", Json.MAPPER, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("data");
            for (var each : items) {
                item.write(g, each);
            }
            g.writeEndArray();
            g.writeNumberField("pageIndex", pageIndex);
            g.writeNumberField("pageSize", pageSize);
            g.writeNumberField("count", count);
            g.writeEndObject();
        });
    }

    /** A publisher's answer: the file as subscribers see it, plus its SHA-256 so the client can check what was stored. */
    private static void writePublished(Context ctx, int status, Delivery delivery, String tenantSlug) {
        Json.write(ctx, status, Json.MAPPER, g -> writeFile(g, delivery, tenantSlug, false, true));
    }

    /**
     * A file as a subscriber sees it: {@code downloaded} first when known (a publisher's list has
     * none), the SHA-256 last when asked for; a field with no value is left out, as everywhere in
     * this dialect's answers.
     */
    private static void writeFile(JsonGenerator g, Delivery delivery, String tenantSlug, Boolean downloaded, boolean sha256) throws IOException {
        g.writeStartObject();
        if (downloaded != null) {
            g.writeBooleanField("downloaded", downloaded);
        }
        g.writeStringField("fileId", delivery.fileId());
        g.writeStringField("fileName", delivery.file().name());
        g.writeNumberField("fileSize", delivery.file().size());
        writeIfPresent(g, "tenantId", tenantSlug);
        g.writeObjectFieldStart("businessType");
        g.writeNumberField("id", delivery.businessType());
        g.writeStringField("name", Long.toString(delivery.businessType()));
        g.writeEndObject();
        writeIfPresent(g, "publisherId", delivery.publisherId());
        g.writeStringField("uploadDate", UtcMillis.format(delivery.uploadDate()));
        if (sha256) {
            writeIfPresent(g, "sha256", delivery.file().sha256());
        }
        g.writeEndObject();
    }

    private static void writeIfPresent(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /**
     * Page {@code pageIndex} of {@code pageSize} files. A size outside 1..1000 is refused, not cut, and
     * so is a page that starts beyond the last addressable row.
     */
    static Page page(int pageIndex, int pageSize) {
        if (!PAGES.allows(pageSize)) {
            throw Failure.invalid("pageSize must be between 1 and " + PAGES.maximum());
        }
        if (pageIndex < 0) {
            throw Failure.invalid("pageIndex must be 0 or more");
        }
        if ((long) pageIndex * pageSize > Integer.MAX_VALUE) {
            throw Failure.invalid("pageIndex is too large: pageIndex × pageSize must stay below " + Integer.MAX_VALUE);
        }
        return Page.number(pageIndex, pageSize, true);
    }

    private static int integer(Context ctx, String name, int fallback) {
        var raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw Failure.invalid(name + " must be a whole number, got '" + raw + "'");
        }
    }

}
