package io.dossier.api.admin;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.dossier.api.http.Bodies;
import io.dossier.api.http.Credentials;
import io.dossier.api.http.Dialect;
import io.dossier.api.http.ErrorShape;
import io.dossier.api.http.FailureStatus;
import io.dossier.api.http.Json;
import io.dossier.api.http.Routes;
import io.dossier.core.Failure;
import io.dossier.core.content.BlobScrub;
import io.dossier.core.mail.MailService;
import io.dossier.core.mail.OutboxMail;
import io.dossier.core.access.Resource;
import io.dossier.core.settings.SettingValue;
import io.dossier.core.settings.SettingsService;
import io.dossier.core.access.Callers;
import io.dossier.core.query.ConditionValues;
import io.dossier.core.identity.Client;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.IdentityService;
import io.dossier.core.identity.User;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.core.delivery.DeliveryService;
import io.dossier.core.token.TokenService;
import io.dossier.core.tenant.Tenant;
import io.dossier.core.tenant.TenantService;
import io.dossier.core.job.Job;
import io.dossier.core.job.JobState;
import io.dossier.core.job.Jobs;
import io.dossier.core.ratelimit.RateLimiter;
import io.dossier.core.webhook.DeliveryState;
import io.dossier.core.webhook.Webhook;
import io.dossier.core.webhook.WebhookDelivery;
import io.dossier.core.webhook.Webhooks;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator's REST API under {@code /admin/api/}: tenants, users, groups and clients, behind a
 * bearer admin token. Secrets appear in a creation response and never again.
 */
public final class AdminApi implements Dialect {

    /** The shared mapper, also refusing null items in lists ({@code "scopes":[null]}), which no field takes. */
    private static final ObjectMapper BODIES = Json.MAPPER.copy()
            .setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));

    private final TenantService tenants;
    private final IdentityService identities;
    private final TokenService tokens;
    private final DeliveryService deliveries;
    private final SettingsService settings;
    private final Callers callers;
    private final Jobs jobs;
    private final RateLimiter rateLimits;
    private final MailService mail;
    private final Webhooks webhooks;
    private BlobScrub blobScrub;
    private HrAdmin hr;

    public AdminApi(TenantService tenants, IdentityService identities, TokenService tokens, DeliveryService deliveries, Callers callers,
                    SettingsService settings, Jobs jobs, RateLimiter rateLimits, MailService mail, Webhooks webhooks) {
        this.webhooks = webhooks;
        this.mail = mail;
        this.jobs = jobs;
        this.rateLimits = rateLimits;
        this.tenants = tenants;
        this.identities = identities;
        this.tokens = tokens;
        this.deliveries = deliveries;
        this.callers = callers;
        this.settings = settings;
    }

    /** Adds the HR routes: the import and personal files (without them those routes answer 404). */
    public AdminApi withHr(HrAdmin hr) {
        this.hr = hr;
        return this;
    }

    /** Adds the blob integrity routes: damaged blobs and the scrub's position. */
    public AdminApi withBlobScrub(BlobScrub scrub) {
        this.blobScrub = scrub;
        return this;
    }

    @Override
    public String name() {
        return "admin";
    }

    @Override
    public ErrorShape errors() {
        return AdminApi::writeError;
    }

    @Override
    public void routes(Routes routes) {
        routes.get("/api/tenants", this::listTenants)
                .post("/api/tenants", this::createTenant)
                .get("/api/tenants/{tenant}", this::getTenant)
                .get("/api/tenants/{tenant}/users", this::listUsers)
                .post("/api/tenants/{tenant}/users", this::createUser)
                .get("/api/tenants/{tenant}/groups", this::listGroups)
                .post("/api/tenants/{tenant}/groups", this::createGroup)
                .post("/api/tenants/{tenant}/groups/{group}/members", this::addMember)
                .get("/api/tenants/{tenant}/clients", this::listClients)
                .post("/api/tenants/{tenant}/clients", this::createClient)
                .post("/api/tenants/{tenant}/clients/{client}/revoke", this::revokeClient)
                .delete("/api/tenants/{tenant}/clients/{client}", this::revokeClient)
                .get("/api/tenants/{tenant}/clients/{client}/filters", this::recordFilters)
                .put("/api/tenants/{tenant}/clients/{client}/filters/{recordType}", this::setRecordFilter)
                .delete("/api/tenants/{tenant}/clients/{client}/filters/{recordType}", this::removeRecordFilter)
                .get("/api/tenants/{tenant}/clients/{client}/rate-limits", this::rateLimits)
                .put("/api/tenants/{tenant}/clients/{client}/rate-limits/{dialect}", this::setRateLimit)
                .delete("/api/tenants/{tenant}/clients/{client}/rate-limits/{dialect}", this::resetRateLimit)
                .post("/api/tenants/{tenant}/fileapi/authorizations", this::authorizeClient)
                .get("/api/tenants/{tenant}/fileapi/authorizations/{clientId}", this::authorizations)
                .get("/api/tenants/{tenant}/settings", this::listSettings)
                .put("/api/tenants/{tenant}/settings", this::putSettings)
                .get("/api/tenants/{tenant}/settings/{key}", this::getSetting)
                .put("/api/tenants/{tenant}/settings/{key}", this::putSetting)
                .delete("/api/tenants/{tenant}/settings/{key}", this::resetSetting)
                .get("/api/tenants/{tenant}/containers/{kind}/{id}/settings", this::listContainerSettings)
                .put("/api/tenants/{tenant}/containers/{kind}/{id}/settings", this::putContainerSettings)
                .get("/api/tenants/{tenant}/containers/{kind}/{id}/settings/{key}", this::getContainerSetting)
                .put("/api/tenants/{tenant}/containers/{kind}/{id}/settings/{key}", this::putContainerSetting)
                .delete("/api/tenants/{tenant}/containers/{kind}/{id}/settings/{key}", this::resetContainerSetting)
                .get("/api/tenants/{tenant}/outbox", this::listOutbox)
                .get("/api/jobs", this::listAllJobs)
                .get("/api/jobs/{job}", ctx -> jobAction(ctx, null, "show"))
                .post("/api/jobs/{job}/retry", ctx -> jobAction(ctx, null, "retry"))
                .post("/api/jobs/{job}/cancel", ctx -> jobAction(ctx, null, "cancel"))
                .get("/api/tenants/{tenant}/jobs", this::listTenantJobs)
                .post("/api/tenants/{tenant}/jobs", this::enqueueJob)
                .get("/api/tenants/{tenant}/jobs/{job}", ctx -> jobAction(ctx, tenantOf(ctx), "show"))
                .post("/api/tenants/{tenant}/jobs/{job}/retry", ctx -> jobAction(ctx, tenantOf(ctx), "retry"))
                .post("/api/tenants/{tenant}/jobs/{job}/cancel", ctx -> jobAction(ctx, tenantOf(ctx), "cancel"))
                .get("/api/blobs/damaged", this::damagedBlobs)
                .get("/api/admin-tokens", this::listAdminTokens)
                .post("/api/admin-tokens", this::createAdminToken)
                .post("/api/admin-tokens/{token}/revoke", this::revokeAdminToken)
                .delete("/api/admin-tokens/{token}", this::revokeAdminToken)
                .get("/api/tenants/{tenant}/webhooks", this::listWebhooks)
                .post("/api/tenants/{tenant}/webhooks", this::registerWebhook)
                .get("/api/tenants/{tenant}/webhooks/{webhook}", this::getWebhook)
                .delete("/api/tenants/{tenant}/webhooks/{webhook}", this::deleteWebhook)
                .get("/api/tenants/{tenant}/webhooks/{webhook}/deliveries", this::listWebhookDeliveries)
                .get("/api/tenants/{tenant}/webhooks/{webhook}/deliveries/{delivery}", this::getWebhookDelivery)
                .post("/api/tenants/{tenant}/webhooks/{webhook}/deliveries/{delivery}/redeliver", this::redeliverWebhook)
                .post("/api/tenants/{tenant}/hr/import", this::hrImport)
                .get("/api/tenants/{tenant}/hr/persons/{person}/documents", this::personalFile)
                .get("/api/tenants/{tenant}/hr/documents/{document}/content", this::personalFileDocument);
    }

    // ---- HR data (read by the Youforce dialect)

    private HrAdmin hr() {
        if (hr == null) {
            throw Failure.notFound("HR data is not available here");
        }
        return hr;
    }

    /** JSON lines, one record a line ({@link HrAdmin}); answers how many were applied and the bad lines by number. */
    private void hrImport(Context ctx) throws IOException {
        authorize(ctx);
        var tenant = tenant(ctx);
        var result = hr().importLines(tenant, ctx.req().getInputStream());
        var out = new LinkedHashMap<String, Object>();
        out.put("applied", result.applied());
        out.put("failed", result.failed());
        out.put("errors", result.errors());
        Json.write(ctx, 200, out);
    }

    private void personalFile(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, Map.of("documents", hr().personalFile(tenant(ctx), ctx.pathParam("person"))));
    }

    private void personalFileDocument(Context ctx) throws IOException {
        authorize(ctx);
        hr().download(ctx, tenant(ctx), id(ctx, "document"));
    }

    // ---- request bodies: unknown fields are refused by the shared mapper

    record NewTenant(String slug, String name, List<String> contentLanguages, String defaultLanguage) {
    }

    record NewUser(String username, String email, String displayName, String password) {
    }

    record NewGroup(String name) {
    }

    record NewMember(Long userId) {
    }

    record NewClient(String kind, String name, Long userId, Set<String> scopes) {
    }

    record NewAuthorization(String clientId, String role, Set<Long> businessTypes) {
    }

    record NewAdminToken(String name) {
    }

    // ---- handlers

    private void listTenants(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, Map.of("tenants", tenants.list().stream().map(AdminApi::tenant).toList()));
    }

    private void createTenant(Context ctx) throws Exception {
        authorize(ctx);
        var body = body(ctx, NewTenant.class);
        var languages = body.contentLanguages();
        if (languages != null && languages.isEmpty()) {
            throw Failure.invalid("contentLanguages must name at least one language");
        }
        var created = languages == null
                ? tenants.create(body.slug(), body.name())
                : tenants.create(body.slug(), body.name(), languages,
                        body.defaultLanguage() == null ? languages.getFirst() : body.defaultLanguage());
        Json.write(ctx, 201, tenant(created));
    }

    private void getTenant(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, tenant(tenant(ctx)));
    }

    private void listUsers(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, Map.of("users", identities.listUsers(tenant(ctx).id()).stream().map(AdminApi::user).toList()));
    }

    private void createUser(Context ctx) throws Exception {
        authorize(ctx);
        var tenant = tenant(ctx);
        var body = body(ctx, NewUser.class);
        var issued = identities.createUser(tenant.id(), body.username(), body.email(), body.displayName(), body.password());
        var out = user(issued.user());
        if (body.password() == null) {
            out.put("password", issued.password());
        }
        Json.write(ctx, 201, out);
    }

    private void listGroups(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, Map.of("groups", identities.listGroups(tenant(ctx).id())));
    }

    private void createGroup(Context ctx) throws Exception {
        authorize(ctx);
        var tenant = tenant(ctx);
        Json.write(ctx, 201, identities.createGroup(tenant.id(), body(ctx, NewGroup.class).name()));
    }

    private void addMember(Context ctx) throws Exception {
        authorize(ctx);
        var tenant = tenant(ctx);
        var body = body(ctx, NewMember.class);
        if (body.userId() == null) {
            throw Failure.invalid("userId is required");
        }
        Json.write(ctx, 200, identities.addMember(tenant.id(), id(ctx, "group"), body.userId()));
    }

    private void listClients(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, Map.of("clients", identities.listClients(tenant(ctx).id()).stream().map(AdminApi::client).toList()));
    }

    private void createClient(Context ctx) throws Exception {
        authorize(ctx);
        var tenant = tenant(ctx);
        var body = body(ctx, NewClient.class);
        var kind = ClientKind.fromWireName(body.kind() == null ? "" : body.kind())
                .orElseThrow(() -> Failure.invalid("kind must be one of ows-api-key, oauth, api-token"));
        var issued = identities.createClient(tenant.id(), kind, body.name(), body.userId(),
                body.scopes() == null ? Set.of() : body.scopes());
        var out = client(issued.client());
        out.put("secret", issued.secret());
        Json.write(ctx, 201, out);
    }

    private void revokeClient(Context ctx) {
        authorize(ctx);
        identities.revokeClient(tenant(ctx).id(), id(ctx, "client"));
        callers.forget(tenant(ctx).id(), id(ctx, "client"));
        ctx.status(204);
    }

    /** A client's record filters: {@code {"filters":{"Candidate":{"field":…,"op":…,"value":…}}}}. */
    private void recordFilters(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, recordFiltersOf(tenant(ctx).id(), id(ctx, "client")));
    }

    /** Sets the client's filter on a record type; the body is the condition ({@code and}/{@code or}/{@code not}/comparison). */
    private void setRecordFilter(Context ctx) throws Exception {
        authorize(ctx);
        var tenant = tenant(ctx);
        var bytes = Bodies.read(ctx, Bodies.MAX_JSON_BYTES);
        if (bytes.length == 0) {
            throw Failure.invalid("a JSON body is required: the condition");
        }
        var condition = ConditionValues.fromPlain(BODIES.readValue(bytes, Object.class));
        callers.setFilter(tenant.id(), id(ctx, "client"), ctx.pathParam("recordType"), condition);
        Json.write(ctx, 200, recordFiltersOf(tenant.id(), id(ctx, "client")));
    }

    private void removeRecordFilter(Context ctx) {
        authorize(ctx);
        callers.setFilter(tenant(ctx).id(), id(ctx, "client"), ctx.pathParam("recordType"), null);
        ctx.status(204);
    }

    private Map<String, Object> recordFiltersOf(long tenantId, long clientId) {
        var filters = new java.util.TreeMap<String, Object>();
        callers.filters(tenantId, clientId).forEach((type, condition) -> filters.put(type, ConditionValues.toPlain(condition)));
        return Map.of("clientId", clientId, "filters", filters);
    }

    // ---- rate limits: per client and dialect, the dialect's default unless the client has its own

    record NewRateLimit(Integer perMinute, Integer concurrent) {
    }

    private void rateLimits(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, rateLimitsOf(tenant(ctx).id(), id(ctx, "client")));
    }

    private void setRateLimit(Context ctx) throws Exception {
        authorize(ctx);
        var tenant = tenant(ctx);
        var body = body(ctx, NewRateLimit.class);
        rateLimits.set(tenant.id(), id(ctx, "client"), ctx.pathParam("dialect"), body.perMinute(), body.concurrent());
        Json.write(ctx, 200, rateLimitsOf(tenant.id(), id(ctx, "client")));
    }

    private void resetRateLimit(Context ctx) {
        authorize(ctx);
        var tenant = tenant(ctx);
        rateLimits.reset(tenant.id(), id(ctx, "client"), ctx.pathParam("dialect"));
        Json.write(ctx, 200, rateLimitsOf(tenant.id(), id(ctx, "client")));
    }

    /** {@code {"clientId":3,"rateLimits":{"ows":{"perMinute":350,"concurrent":0,"source":"default"},…}}}; 0 is no limit. */
    private Map<String, Object> rateLimitsOf(long tenantId, long clientId) {
        var limits = new LinkedHashMap<String, Object>();
        for (var e : rateLimits.limits(tenantId, clientId)) {
            var out = new LinkedHashMap<String, Object>();
            out.put("perMinute", e.limit().perMinute());
            out.put("concurrent", e.limit().concurrent());
            out.put("source", e.perMinuteOverridden() || e.concurrentOverridden() ? "client" : "default");
            limits.put(e.dialect(), out);
        }
        return Map.of("clientId", clientId, "rateLimits", limits);
    }

    /** Lets an OAuth client (of this or another tenant) publish or subscribe to business types in this tenant. */
    private void authorizeClient(Context ctx) throws Exception {
        authorize(ctx);
        var tenant = tenant(ctx);
        var body = body(ctx, NewAuthorization.class);
        if (body.clientId() == null) {
            throw Failure.invalid("clientId is required");
        }
        var client = identities.clientByPublicId(body.clientId())
                .filter(c -> c.kind() == ClientKind.OAUTH)
                .orElseThrow(() -> Failure.notFound("no OAuth client '" + body.clientId() + "'"));
        var role = body.role() == null ? null : switch (body.role().toLowerCase(java.util.Locale.ROOT)) {
            case "publisher" -> DeliveryRole.PUBLISHER;
            case "subscriber" -> DeliveryRole.SUBSCRIBER;
            default -> null;
        };
        if (role == null) {
            throw Failure.invalid("role must be publisher or subscriber");
        }
        if (body.businessTypes() == null || body.businessTypes().isEmpty()) {
            throw Failure.invalid("businessTypes must name at least one business type");
        }
        tokens.grantTenant(client, tenant.id());
        deliveries.authorize(tenant.id(), client.id(), role, body.businessTypes());
        Json.write(ctx, 201, authorizationsOf(tenant.id(), client));
    }

    private void authorizations(Context ctx) {
        authorize(ctx);
        var tenant = tenant(ctx);
        var client = identities.clientByPublicId(ctx.pathParam("clientId"))
                .orElseThrow(() -> Failure.notFound("no client '" + ctx.pathParam("clientId") + "'"));
        Json.write(ctx, 200, authorizationsOf(tenant.id(), client));
    }

    private Map<String, Object> authorizationsOf(long tenantId, Client client) {
        var out = new LinkedHashMap<String, Object>();
        out.put("clientId", client.publicId());
        for (var role : DeliveryRole.values()) {
            out.put(role.name().toLowerCase(java.util.Locale.ROOT), new TreeSet<>(deliveries.authorizations(tenantId, client.id()).stream()
                    .filter(a -> a.role() == role).map(a -> a.businessType()).toList()));
        }
        return out;
    }

    // ---- settings: on a tenant, and on a container named by its kind and id (core's rule of fallback applies)

    private void listSettings(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, Map.of("settings", settings.list(tenant(ctx).id()).stream().map(AdminApi::setting).toList()));
    }

    private void putSettings(Context ctx) throws IOException {
        authorize(ctx);
        var tenant = tenant(ctx);
        var values = settingValues(ctx);
        Json.write(ctx, 200, Map.of("settings", settings.setAll(tenant.id(), values).stream().map(AdminApi::setting).toList()));
    }

    private void getSetting(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, setting(settings.get(tenant(ctx).id(), ctx.pathParam("key"))));
    }

    private void putSetting(Context ctx) throws IOException {
        authorize(ctx);
        var tenant = tenant(ctx);
        Json.write(ctx, 200, setting(settings.set(tenant.id(), ctx.pathParam("key"), settingValue(ctx))));
    }

    private void resetSetting(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, setting(settings.reset(tenant(ctx).id(), ctx.pathParam("key"))));
    }

    private void listContainerSettings(Context ctx) {
        authorize(ctx);
        var tenant = tenant(ctx);
        Json.write(ctx, 200, Map.of("settings", settings.list(tenant.id(), container(ctx)).stream().map(AdminApi::setting).toList()));
    }

    private void putContainerSettings(Context ctx) throws IOException {
        authorize(ctx);
        var tenant = tenant(ctx);
        var container = container(ctx);
        var values = settingValues(ctx);
        Json.write(ctx, 200, Map.of("settings", settings.setAll(tenant.id(), container, values).stream().map(AdminApi::setting).toList()));
    }

    private void getContainerSetting(Context ctx) {
        authorize(ctx);
        var tenant = tenant(ctx);
        Json.write(ctx, 200, setting(settings.get(tenant.id(), container(ctx), ctx.pathParam("key"))));
    }

    private void putContainerSetting(Context ctx) throws IOException {
        authorize(ctx);
        var tenant = tenant(ctx);
        var container = container(ctx);
        Json.write(ctx, 200, setting(settings.set(tenant.id(), container, ctx.pathParam("key"), settingValue(ctx))));
    }

    private void resetContainerSetting(Context ctx) {
        authorize(ctx);
        var tenant = tenant(ctx);
        Json.write(ctx, 200, setting(settings.reset(tenant.id(), container(ctx), ctx.pathParam("key"))));
    }

    private static Resource container(Context ctx) {
        return Resource.container(ctx.pathParam("kind"), ctx.pathParam("id"));
    }

    /** The body of a PUT of one setting: {@code {"value": …}}, the value a JSON boolean, number or string. */
    private static Object settingValue(Context ctx) throws IOException {
        var tree = object(ctx);
        var names = new java.util.ArrayList<String>();
        tree.fieldNames().forEachRemaining(names::add);
        for (var name : names) {
            if (!name.equals("value")) {
                throw Failure.invalid("unknown field '" + name + "'");
            }
        }
        if (!tree.has("value")) {
            throw Failure.invalid("value is required");
        }
        return scalar("value", tree.get("value"));
    }

    /** The body of a PUT of several settings: {@code {"key": value, …}}. */
    private static Map<String, Object> settingValues(Context ctx) throws IOException {
        var tree = object(ctx);
        var out = new LinkedHashMap<String, Object>();
        tree.fields().forEachRemaining(e -> out.put(e.getKey(), scalar(e.getKey(), e.getValue())));
        if (out.isEmpty()) {
            throw Failure.invalid("name at least one setting");
        }
        return out;
    }

    private static Object scalar(String name, com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        throw Failure.invalid("'" + name + "' must be a boolean, a number or a string");
    }

    private static Map<String, Object> setting(SettingValue v) {
        var s = v.setting();
        var out = new LinkedHashMap<String, Object>();
        out.put("key", s.key());
        out.put("type", s.type().wireName());
        out.put("scope", s.scope().name().toLowerCase(java.util.Locale.ROOT));
        out.put("value", json(v.value()));
        out.put("source", v.source().name().toLowerCase(java.util.Locale.ROOT));
        out.put("default", json(s.defaultValue()));
        out.put("description", s.description());
        return out;
    }

    private static Object json(Object value) {
        return value instanceof java.time.Duration d ? d.toString() : value;
    }

    // ---- jobs: under a tenant, that tenant's only; under /api/jobs, every tenant's and Dossier's own

    /** {@code {"damagedBlobs":[…],"scrub":{…}}}: what reads and the scrub found damaged, and where the scrub is. */
    private void damagedBlobs(Context ctx) {
        authorize(ctx);
        if (blobScrub == null) {
            throw Failure.notFound("no blob integrity on this server");
        }
        var limit = (int) Math.min(1000, Math.max(1, query(ctx, "limit", 100)));
        var damaged = blobScrub.damaged(limit).stream().map(d -> {
            var item = new LinkedHashMap<String, Object>();
            item.put("blobId", d.blobId());
            item.put("firstFoundAt", d.firstFoundAt().toString());
            item.put("lastFoundAt", d.lastFoundAt().toString());
            item.put("foundBy", d.foundBy());
            item.put("reason", d.reason());
            item.put("files", d.files().stream().map(f -> Map.of("tenant", f.tenant(), "ouid", f.ouid(), "name", f.name())).toList());
            return item;
        }).toList();
        var position = blobScrub.position();
        var scrub = new LinkedHashMap<String, Object>();
        scrub.put("passStartedAt", position.passStartedAt().toString());
        scrub.put("lastPassEndedAt", position.lastPassEndedAt().map(Object::toString).orElse(null));
        var body = new LinkedHashMap<String, Object>();
        body.put("damagedBlobs", damaged);
        body.put("scrub", scrub);
        Json.write(ctx, 200, body);
    }

    private void listAllJobs(Context ctx) {
        authorize(ctx);
        var tenant = ctx.queryParam("tenant");
        listJobs(ctx, tenant == null ? null : tenants.bySlug(tenant).id());
    }

    private void listTenantJobs(Context ctx) {
        authorize(ctx);
        listJobs(ctx, tenant(ctx).id());
    }

    /** {@code ?state=&kind=&before=&limit=}: newest first; {@code next} is the {@code before} of the next page. */
    private void listJobs(Context ctx, Long tenantId) {
        var stateName = ctx.queryParam("state");
        JobState state = null;
        if (stateName != null) {
            state = java.util.Arrays.stream(JobState.values()).filter(s -> s.name().equalsIgnoreCase(stateName)).findFirst()
                    .orElseThrow(() -> Failure.invalid("state must be one of queued, running, done, failed, dead"));
        }
        var limit = (int) query(ctx, "limit", 100);
        var before = ctx.queryParam("before") == null ? null : query(ctx, "before", 0);
        var page = jobs.list(tenantId, state, ctx.queryParam("kind"), before, limit);
        var out = new LinkedHashMap<String, Object>();
        out.put("jobs", page.stream().map(AdminApi::job).toList());
        if (page.size() == limit) {
            out.put("next", page.getLast().id());
        }
        Json.write(ctx, 200, out);
    }

    record NewJob(String kind, com.fasterxml.jackson.databind.JsonNode payload) {
    }

    /** An operator's job: only kinds that allow it ({@code noop}); the payload is any JSON value. */
    private void enqueueJob(Context ctx) throws Exception {
        authorize(ctx);
        var tenant = tenant(ctx);
        var body = body(ctx, NewJob.class);
        var payload = body.payload() == null || body.payload().isNull() ? "" : Json.MAPPER.writeValueAsString(body.payload());
        Json.write(ctx, 201, job(jobs.enqueueByOperator(tenant.id(), body.kind(), payload)));
    }

    private Long tenantOf(Context ctx) {
        return tenant(ctx).id();
    }

    private void jobAction(Context ctx, Long tenantId, String action) {
        authorize(ctx);
        var id = id(ctx, "job");
        var job = switch (action) {
            case "retry" -> jobs.retry(tenantId, id);
            case "cancel" -> jobs.cancel(tenantId, id);
            default -> jobs.find(tenantId, id);
        };
        Json.write(ctx, 200, job(job));
    }

    private static Map<String, Object> job(Job j) {
        var out = new LinkedHashMap<String, Object>();
        out.put("id", j.id());
        out.put("tenantId", j.tenantId());
        out.put("kind", j.kind());
        out.put("payload", j.payload());
        out.put("state", j.state().name().toLowerCase(java.util.Locale.ROOT));
        out.put("attempts", j.attempts());
        out.put(j.state() == JobState.RUNNING ? "leaseUntil" : "nextAttemptAt", j.state().finished() ? null : j.nextAttemptAt());
        out.put("deadlineAt", j.deadlineAt());
        out.put("lastError", j.lastError());
        out.put("node", j.node());
        out.put("createdAt", j.createdAt());
        out.put("finishedAt", j.finishedAt());
        return out;
    }

    // ---- admin tokens: each spans every tenant; the secret is in the creation response only

    private void listAdminTokens(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, Map.of("adminTokens", identities.listAdminTokens().stream().map(AdminApi::adminToken).toList()));
    }

    private void createAdminToken(Context ctx) throws Exception {
        authorize(ctx);
        var issued = identities.createAdminToken(body(ctx, NewAdminToken.class).name());
        var out = adminToken(issued.token());
        out.put("token", issued.secret());
        Json.write(ctx, 201, out);
    }

    private void revokeAdminToken(Context ctx) {
        authorize(ctx);
        identities.revokeAdminToken(id(ctx, "token"));
        ctx.status(204);
    }

    /** The tenant's outbox, oldest first: {@code ?after=<id>} continues after a message, {@code ?limit=} (1–500, 100). */
    private void listOutbox(Context ctx) {
        authorize(ctx);
        var tenant = tenant(ctx);
        long after = query(ctx, "after", 0);
        int limit = (int) query(ctx, "limit", 100);
        var mails = mail.outbox(tenant.id(), after, limit).stream().map(AdminApi::outboxMail).toList();
        var out = new LinkedHashMap<String, Object>();
        out.put("mails", mails);
        out.put("next", mails.size() < limit ? null : mails.getLast().get("id"));
        Json.write(ctx, 200, out);
    }

    private static long query(Context ctx, String name, long fallback) {
        var raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw Failure.invalid("'" + name + "' must be a whole number");
        }
    }

    private static Map<String, Object> outboxMail(OutboxMail m) {
        var out = new LinkedHashMap<String, Object>();
        out.put("id", m.id());
        out.put("status", m.status().name().toLowerCase(java.util.Locale.ROOT));
        out.put("createdAt", m.createdAt());
        out.put("userId", m.userId());
        out.put("clientId", m.clientId());
        out.put("from", m.message().fromAddress());
        out.put("fromName", m.message().fromName());
        out.put("to", m.message().to());
        out.put("cc", m.message().cc());
        out.put("bcc", m.message().bcc());
        out.put("subject", m.message().subject());
        out.put("htmlBody", m.message().htmlBody());
        out.put("aboutType", m.message().aboutType());
        out.put("aboutUid", m.message().aboutUid());
        out.put("attempts", m.attempts());
        out.put("sentAt", m.sentAt());
        out.put("lastError", m.lastError());
        return out;
    }

    // ---- helpers

    private void authorize(Context ctx) {
        identities.authenticateAdmin(Credentials.bearer(ctx).orElse(null));
    }

    private Tenant tenant(Context ctx) {
        return tenants.bySlug(ctx.pathParam("tenant"));
    }

    private static long id(Context ctx, String param) {
        try {
            return Long.parseLong(ctx.pathParam(param));
        } catch (NumberFormatException e) {
            throw Failure.notFound("no " + param + " '" + ctx.pathParam(param) + "'");
        }
    }

    /** A request body: one JSON object of {@code type}'s fields, at most {@link Bodies#MAX_JSON_BYTES}. */
    private static <T> T body(Context ctx, Class<T> type) throws IOException {
        var tree = object(ctx);
        try {
            return BODIES.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw Failure.invalid("unknown field '" + e.getPropertyName() + "'");
        } catch (InvalidNullException e) {
            throw Failure.invalid(field(e) + " may not contain null");
        } catch (MismatchedInputException e) {
            throw Failure.invalid("wrong type for " + field(e));
        }
    }

    /** A request body that must be one JSON object, at most {@link Bodies#MAX_JSON_BYTES}. */
    private static com.fasterxml.jackson.databind.JsonNode object(Context ctx) throws IOException {
        var bytes = Bodies.read(ctx, Bodies.MAX_JSON_BYTES);
        if (bytes.length == 0) {
            throw Failure.invalid("a JSON body is required");
        }
        var tree = BODIES.readTree(bytes);
        if (tree == null || !tree.isObject()) {
            throw Failure.invalid("the body must be a JSON object");
        }
        return tree;
    }

    /** The body field a mapping error is about, as the client wrote it: {@code 'scopes'}. */
    private static String field(JsonMappingException e) {
        return e.getPath().stream().map(JsonMappingException.Reference::getFieldName).filter(Objects::nonNull)
                .findFirst().map(name -> "'" + name + "'").orElse("the body");
    }

    private static Map<String, Object> tenant(Tenant t) {
        var out = new LinkedHashMap<String, Object>();
        out.put("id", t.id());
        out.put("slug", t.slug());
        out.put("name", t.name());
        out.put("contentLanguages", t.contentLanguages());
        out.put("defaultLanguage", t.defaultLanguage());
        out.put("createdAt", t.createdAt());
        return out;
    }

    private static Map<String, Object> user(User u) {
        var out = new LinkedHashMap<String, Object>();
        out.put("id", u.id());
        out.put("username", u.username());
        out.put("email", u.email());
        out.put("displayName", u.displayName());
        out.put("createdAt", u.createdAt());
        return out;
    }

    private static Map<String, Object> client(Client c) {
        var out = new LinkedHashMap<String, Object>();
        out.put("id", c.id());
        out.put("kind", c.kind().wireName());
        out.put("name", c.name());
        out.put("clientId", c.publicId());
        if (c.userId() != null) {
            out.put("userId", c.userId());
        }
        out.put("scopes", new TreeSet<>(c.scopes()));
        out.put("createdAt", c.createdAt());
        out.put("revoked", c.revoked());
        if (c.revokedAt() != null) {
            out.put("revokedAt", c.revokedAt());
        }
        return out;
    }

    private static Map<String, Object> adminToken(io.dossier.core.identity.AdminToken t) {
        var out = new LinkedHashMap<String, Object>();
        out.put("id", t.id());
        out.put("name", t.name());
        out.put("createdAt", t.createdAt());
        out.put("revoked", t.revokedAt() != null);
        if (t.revokedAt() != null) {
            out.put("revokedAt", t.revokedAt());
        }
        return out;
    }

    static void writeError(Context ctx, Failure failure) {
        var status = FailureStatus.of(failure);
        if (status == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"dossier-admin\"");
        }
        var code = failure.kind().name().toLowerCase(java.util.Locale.ROOT);
        Json.write(ctx, status, Map.of("error", Map.of("code", code, "message", failure.getMessage())));
    }

    // ---- webhooks: always under their tenant; another tenant's webhook or delivery is not found

    record NewWebhook(String url, String secret, List<String> recordTypes, List<String> events, com.fasterxml.jackson.databind.JsonNode condition) {
    }

    private void listWebhooks(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, Map.of("webhooks", webhooks.list(tenant(ctx).id()).stream().map(AdminApi::webhook).toList()));
    }

    /** Registers a webhook; the answer carries its secret, the only time it is shown. */
    private void registerWebhook(Context ctx) throws Exception {
        authorize(ctx);
        var tenant = tenant(ctx);
        var body = body(ctx, NewWebhook.class);
        var condition = body.condition() == null || body.condition().isNull() ? null
                : ConditionValues.fromPlain(BODIES.treeToValue(body.condition(), Object.class));
        var registered = webhooks.register(tenant.id(), body.url(), body.secret(),
                body.recordTypes() == null ? null : new java.util.LinkedHashSet<>(body.recordTypes()),
                body.events() == null ? null : new java.util.LinkedHashSet<>(body.events()), condition);
        var out = webhook(registered.webhook());
        out.put("secret", registered.secret());
        Json.write(ctx, 201, out);
    }

    private void getWebhook(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, webhook(webhooks.find(tenant(ctx).id(), id(ctx, "webhook"))));
    }

    private void deleteWebhook(Context ctx) {
        authorize(ctx);
        webhooks.delete(tenant(ctx).id(), id(ctx, "webhook"));
        ctx.status(204);
    }

    /** {@code ?state=&before=&limit=}: newest first; {@code next} is the {@code before} of the next page. */
    private void listWebhookDeliveries(Context ctx) {
        authorize(ctx);
        var tenant = tenant(ctx);
        var stateName = ctx.queryParam("state");
        DeliveryState state = null;
        if (stateName != null) {
            state = java.util.Arrays.stream(DeliveryState.values()).filter(s -> s.name().equalsIgnoreCase(stateName)).findFirst()
                    .orElseThrow(() -> Failure.invalid("state must be one of queued, running, done, failed, dead"));
        }
        var limit = (int) query(ctx, "limit", 100);
        var before = ctx.queryParam("before") == null ? null : query(ctx, "before", 0);
        var page = webhooks.deliveries(tenant.id(), id(ctx, "webhook"), state, before, limit);
        var out = new LinkedHashMap<String, Object>();
        out.put("deliveries", page.stream().map(AdminApi::webhookDelivery).toList());
        if (page.size() == limit) {
            out.put("next", page.getLast().id());
        }
        Json.write(ctx, 200, out);
    }

    private void getWebhookDelivery(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, webhookDelivery(webhooks.delivery(tenant(ctx).id(), id(ctx, "webhook"), id(ctx, "delivery"))));
    }

    private void redeliverWebhook(Context ctx) {
        authorize(ctx);
        Json.write(ctx, 200, webhookDelivery(webhooks.redeliver(tenant(ctx).id(), id(ctx, "webhook"), id(ctx, "delivery"))));
    }

    private static Map<String, Object> webhook(Webhook w) {
        var out = new LinkedHashMap<String, Object>();
        out.put("id", w.id());
        out.put("url", w.url());
        out.put("recordTypes", new TreeSet<>(w.recordTypes()));
        out.put("events", w.events().stream().map(e -> e.wireName()).sorted().toList());
        out.put("condition", w.condition() == null ? null : ConditionValues.toPlain(w.condition()));
        out.put("createdAt", w.createdAt());
        return out;
    }

    private static Map<String, Object> webhookDelivery(WebhookDelivery d) {
        var out = new LinkedHashMap<String, Object>();
        out.put("id", d.id());
        out.put("webhookId", d.webhookId());
        out.put("event", d.event());
        out.put("record", d.recordKey());
        out.put("state", d.state().name().toLowerCase(java.util.Locale.ROOT));
        out.put("attempts", d.attempts());
        out.put("lastResponseCode", d.lastStatus());
        out.put("lastError", d.lastError());
        out.put(d.state() == DeliveryState.RUNNING ? "leaseUntil" : "nextAttemptAt", d.state().finished() ? null : d.nextAttemptAt());
        out.put("deadlineAt", d.deadlineAt());
        out.put("node", d.node());
        out.put("changedAt", d.changedAt());
        out.put("createdAt", d.createdAt());
        out.put("finishedAt", d.finishedAt());
        out.put("body", d.body());
        return out;
    }

}
