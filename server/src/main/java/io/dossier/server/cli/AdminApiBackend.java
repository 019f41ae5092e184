package io.dossier.server.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.Failure;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.settings.Settings;
import io.dossier.server.DevServerFile;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.StreamSupport;

/**
 * The admin commands through the admin REST API of the {@code dossier dev} that holds the data
 * folder, with the token it wrote to {@code server.json}.
 */
final class AdminApiBackend implements AdminBackend {

    /**
     * How long a server whose process lives may take to answer its token. Generous, because giving up
     * on a live but busy server means opening a database that it holds, which fails; a server that is
     * gone costs nothing here (its pid is dead, or its port refuses the connection at once).
     */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final DevServerFile server;
    private final HttpClient http;

    private AdminApiBackend(DevServerFile server) {
        this.server = server;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PROBE_TIMEOUT).build();
    }

    /**
     * The backend for the server named in {@code file}, if that server still runs and accepts the
     * file's token. A file left behind by a killed server names a dead pid, a closed port (connection
     * refused), or a port that another process took since (which refuses the token with 401).
     */
    static Optional<AdminApiBackend> ifAnswering(DevServerFile file) {
        if (!file.processAlive()) {
            return Optional.empty();
        }
        var backend = new AdminApiBackend(file);
        try {
            // a cheap call that needs the token: only the server that wrote the file accepts it
            var probe = backend.http.send(backend.request("/admin-tokens", PROBE_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (probe.statusCode() == 200) {
                return Optional.of(backend);
            }
        } catch (IOException e) {
            // nobody answers: the server is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backend.close();
        return Optional.empty();
    }

    @Override
    public List<TenantView> tenants() {
        return each(get("/tenants").path("tenants"), AdminApiBackend::tenant);
    }

    @Override
    public TenantView createTenant(String slug, String name, List<String> contentLanguages) {
        var body = body("slug", slug, "name", name, "contentLanguages", contentLanguages, "defaultLanguage", contentLanguages.getFirst());
        return tenant(post("/tenants", body));
    }

    @Override
    public List<UserView> users(String tenant) {
        return each(get("/tenants/" + segment(tenant) + "/users").path("users"), AdminApiBackend::user);
    }

    @Override
    public CreatedUser createUser(String tenant, String username, String email, String displayName, String password) {
        var created = post("/tenants/" + segment(tenant) + "/users",
                body("username", username, "email", email, "displayName", displayName, "password", password));
        // the API shows a password only when it generated one
        return new CreatedUser(user(created), password != null ? password : text(created, "password"));
    }

    @Override
    public List<ClientView> clients(String tenant) {
        return each(get("/tenants/" + segment(tenant) + "/clients").path("clients"), AdminApiBackend::client);
    }

    @Override
    public CreatedClient createClient(String tenant, ClientKind kind, String name, Long userId, Set<String> scopes) {
        var created = post("/tenants/" + segment(tenant) + "/clients",
                body("kind", kind.wireName(), "name", name, "userId", userId, "scopes", scopes));
        return new CreatedClient(client(created), text(created, "secret"));
    }

    @Override
    public void revokeClient(String tenant, long id) {
        post("/tenants/" + segment(tenant) + "/clients/" + id + "/revoke", null);
    }

    @Override
    public Map<String, String> recordFilters(String tenant, long clientId) {
        var answer = get("/tenants/" + segment(tenant) + "/clients/" + clientId + "/filters");
        var out = new java.util.TreeMap<String, String>();
        answer.path("filters").properties().forEach(e -> out.put(e.getKey(), e.getValue().toString()));
        return out;
    }

    @Override
    public void setRecordFilter(String tenant, long clientId, String recordType, String conditionJson) {
        var path = "/tenants/" + segment(tenant) + "/clients/" + clientId + "/filters/" + segment(recordType);
        var request = request(path, COMMAND_TIMEOUT);
        send(conditionJson == null ? request.DELETE()
                : request.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(conditionJson)));
    }

    @Override
    public void authorize(String tenant, String clientId, DeliveryRole role, Set<Long> businessTypes) {
        post("/tenants/" + segment(tenant) + "/fileapi/authorizations",
                body("clientId", clientId, "role", role.name().toLowerCase(Locale.ROOT), "businessTypes", businessTypes));
    }

    @Override
    public List<Authorization> authorizations(String tenant, String clientId) {
        var answer = get("/tenants/" + segment(tenant) + "/fileapi/authorizations/" + segment(clientId));
        var out = new ArrayList<Authorization>();
        for (var role : DeliveryRole.values()) { // the API lists each role's business types in ascending order
            answer.path(role.name().toLowerCase(Locale.ROOT)).forEach(type -> out.add(new Authorization(role, type.asLong())));
        }
        return out;
    }

    @Override
    public List<SettingView> settings(String tenant, ContainerRef container) {
        return each(get(settingsPath(tenant, container)).path("settings"), AdminApiBackend::setting);
    }

    @Override
    public SettingView setting(String tenant, ContainerRef container, String key) {
        return setting(get(settingsPath(tenant, container) + "/" + segment(key)));
    }

    /** The text is typed by core's rules here, so the API gets the JSON value of the setting's type. */
    @Override
    public SettingView setSetting(String tenant, ContainerRef container, String key, String value) {
        var typed = Settings.byKey(key).type().parse(key, value);
        return setting(send("PUT", settingsPath(tenant, container) + "/" + segment(key),
                body("value", typed instanceof java.time.Duration d ? d.toString() : typed)));
    }

    @Override
    public SettingView resetSetting(String tenant, ContainerRef container, String key) {
        return setting(send(request(settingsPath(tenant, container) + "/" + segment(key), COMMAND_TIMEOUT).DELETE()));
    }

    private static String settingsPath(String tenant, ContainerRef container) {
        return "/tenants/" + segment(tenant) + (container == null ? ""
                : "/containers/" + segment(container.kind()) + "/" + segment(container.id())) + "/settings";
    }

    private static SettingView setting(JsonNode s) {
        return new SettingView(text(s, "key"), text(s, "type"), text(s, "scope"), text(s, "value"), text(s, "source"));
    }

    @Override
    public CreatedAdminToken createAdminToken(String name) {
        var created = post("/admin-tokens", body("name", name));
        return new CreatedAdminToken(created.path("id").asLong(), text(created, "token"));
    }

    @Override
    public List<AdminTokenView> adminTokens() {
        return each(get("/admin-tokens").path("adminTokens"),
                t -> new AdminTokenView(t.path("id").asLong(), text(t, "name"), t.path("revoked").asBoolean()));
    }

    @Override
    public void revokeAdminToken(long id) {
        post("/admin-tokens/" + id + "/revoke", null);
    }

    // ---- rate limits

    @Override
    public List<RateLimitView> rateLimits(String tenant, long clientId) {
        return rateLimits(get("/tenants/" + segment(tenant) + "/clients/" + clientId + "/rate-limits"));
    }

    @Override
    public List<RateLimitView> setRateLimit(String tenant, long clientId, String dialect, Integer perMinute, Integer concurrent) {
        return rateLimits(send("PUT", "/tenants/" + segment(tenant) + "/clients/" + clientId + "/rate-limits/" + segment(dialect),
                body("perMinute", perMinute, "concurrent", concurrent)));
    }

    @Override
    public List<RateLimitView> resetRateLimit(String tenant, long clientId, String dialect) {
        return rateLimits(send(request("/tenants/" + segment(tenant) + "/clients/" + clientId + "/rate-limits/" + segment(dialect),
                COMMAND_TIMEOUT).DELETE()));
    }

    private static List<RateLimitView> rateLimits(JsonNode answer) {
        var out = new ArrayList<RateLimitView>();
        answer.path("rateLimits").properties().forEach(e -> out.add(new RateLimitView(e.getKey(), e.getValue().path("perMinute").asInt(),
                e.getValue().path("concurrent").asInt(), text(e.getValue(), "source"))));
        return out;
    }

    // ---- HR import

    @Override
    public ImportView importHr(String tenant, java.nio.file.Path file) {
        try {
            // streamed from the file; a large file may take a while to apply
            var answer = send(request("/tenants/" + segment(tenant) + "/hr/import", Duration.ofHours(2))
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofFile(file)));
            var errors = new java.util.ArrayList<String>();
            answer.path("errors").forEach(e -> errors.add("line " + e.path("line").asLong() + ": " + e.path("message").asText()));
            return new ImportView(answer.path("applied").asLong(), answer.path("failed").asLong(), errors);
        } catch (java.io.FileNotFoundException e) {
            throw Failure.invalid("no file " + file);
        }
    }

    // ---- jobs

    @Override
    public List<JobView> jobs(String tenant, String state, String kind, int limit) {
        var query = new StringBuilder("/jobs?limit=").append(limit);
        if (tenant != null) {
            query.append("&tenant=").append(segment(tenant));
        }
        if (state != null) {
            query.append("&state=").append(segment(state));
        }
        if (kind != null) {
            query.append("&kind=").append(segment(kind));
        }
        return each(get(query.toString()).path("jobs"), AdminApiBackend::job);
    }

    @Override
    public JobView job(long id) {
        return job(get("/jobs/" + id));
    }

    @Override
    public JobView retryJob(long id) {
        return job(post("/jobs/" + id + "/retry", null));
    }

    @Override
    public JobView cancelJob(long id) {
        return job(post("/jobs/" + id + "/cancel", null));
    }

    private static JobView job(JsonNode j) {
        var next = text(j, "leaseUntil") != null ? text(j, "leaseUntil") : text(j, "nextAttemptAt");
        return new JobView(j.path("id").asLong(), j.hasNonNull("tenantId") ? j.get("tenantId").asLong() : null, text(j, "kind"),
                text(j, "state"), j.path("attempts").asInt(), next, text(j, "node"), text(j, "lastError"));
    }

    // ---- webhooks

    @Override
    public CreatedWebhook createWebhook(String tenant, String url, String secret, List<String> recordTypes, List<String> events,
                                        String condition) {
        var body = new LinkedHashMap<String, Object>();
        body.put("url", url);
        body.put("secret", secret);
        body.put("recordTypes", recordTypes);
        body.put("events", events);
        if (condition != null) {
            body.put("condition", ConditionValuesJson.plain(condition));
        }
        var created = post("/tenants/" + segment(tenant) + "/webhooks", body);
        return new CreatedWebhook(webhook(created), text(created, "secret"));
    }

    @Override
    public List<WebhookView> webhooks(String tenant) {
        return each(get("/tenants/" + segment(tenant) + "/webhooks").path("webhooks"), AdminApiBackend::webhook);
    }

    @Override
    public void deleteWebhook(String tenant, long id) {
        send("DELETE", "/tenants/" + segment(tenant) + "/webhooks/" + id, null);
    }

    @Override
    public List<WebhookDeliveryView> webhookDeliveries(String tenant, long webhookId, String state, int limit) {
        var query = new StringBuilder("/tenants/" + segment(tenant) + "/webhooks/" + webhookId + "/deliveries?limit=").append(limit);
        if (state != null) {
            query.append("&state=").append(segment(state));
        }
        return each(get(query.toString()).path("deliveries"), AdminApiBackend::webhookDelivery);
    }

    @Override
    public WebhookDeliveryView redeliver(String tenant, long webhookId, long deliveryId) {
        return webhookDelivery(post("/tenants/" + segment(tenant) + "/webhooks/" + webhookId + "/deliveries/" + deliveryId + "/redeliver", null));
    }

    private static WebhookView webhook(JsonNode w) {
        var types = new ArrayList<String>();
        w.path("recordTypes").forEach(t -> types.add(t.asText()));
        var events = new ArrayList<String>();
        w.path("events").forEach(e -> events.add(e.asText()));
        return new WebhookView(w.path("id").asLong(), text(w, "url"), types, events,
                w.hasNonNull("condition") ? w.get("condition").toString() : null, text(w, "createdAt"));
    }

    private static WebhookDeliveryView webhookDelivery(JsonNode d) {
        var next = text(d, "leaseUntil") != null ? text(d, "leaseUntil") : text(d, "nextAttemptAt");
        return new WebhookDeliveryView(d.path("id").asLong(), text(d, "event"), text(d, "record"), text(d, "state"), d.path("attempts").asInt(),
                d.hasNonNull("lastResponseCode") ? d.get("lastResponseCode").asInt() : null, next, text(d, "node"), text(d, "lastError"));
    }

    /** A condition typed as JSON, sent on as the JSON value it is. */
    private static final class ConditionValuesJson {
        static Object plain(String condition) {
            try {
                return JSON.readValue(condition, Object.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw Failure.invalid("the condition is not JSON: " + e.getOriginalMessage());
            }
        }
    }

    @Override
    public void close() {
        http.close();
    }

    // ---- the wire

    private JsonNode get(String path) {
        return send(request(path, COMMAND_TIMEOUT).GET());
    }

    private JsonNode post(String path, Map<String, Object> body) {
        return send("POST", path, body);
    }

    private JsonNode send(String method, String path, Map<String, Object> body) {
        try {
            var publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
            return send(request(path, COMMAND_TIMEOUT).header("Content-Type", "application/json").method(method, publisher));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("request body not serialisable", e);
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(server.url() + "/admin/api" + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + server.token());
    }

    /** The answer's JSON; an error answer becomes the failure it reports, so the command says what the server said. */
    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // the server stopped between the probe and now: say so in one line, as for any refusal
            throw Failure.unavailable("the dossier dev at " + server.url() + " stopped answering: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode answer;
        try {
            answer = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("the server at " + server.url() + " answered " + response.statusCode() + " with no JSON", e);
        }
        if (response.statusCode() >= 400) {
            var error = answer.path("error");
            var kind = Arrays.stream(Failure.Kind.values())
                    .filter(k -> k.name().equalsIgnoreCase(error.path("code").asText()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the server at " + server.url() + " answered "
                            + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8)));
            throw new Failure(kind, error.path("message").asText());
        }
        return answer;
    }

    private static Map<String, Object> body(Object... namesAndValues) {
        var out = new LinkedHashMap<String, Object>();
        for (var i = 0; i < namesAndValues.length; i += 2) {
            out.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return out;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static <T> List<T> each(JsonNode array, Function<JsonNode, T> view) {
        return StreamSupport.stream(array.spliterator(), false).map(view).toList();
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static TenantView tenant(JsonNode t) {
        return new TenantView(t.path("id").asLong(), text(t, "slug"), text(t, "name"),
                each(t.path("contentLanguages"), JsonNode::asText));
    }

    private static UserView user(JsonNode u) {
        return new UserView(u.path("id").asLong(), text(u, "username"), text(u, "email"));
    }

    private static ClientView client(JsonNode c) {
        var kind = ClientKind.fromWireName(text(c, "kind"))
                .orElseThrow(() -> new IllegalStateException("unknown client kind " + c.path("kind")));
        return new ClientView(c.path("id").asLong(), kind, text(c, "clientId"), text(c, "name"), c.path("revoked").asBoolean());
    }
}
