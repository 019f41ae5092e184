package io.dossier.server.cli;

import io.dossier.core.Failure;
import io.dossier.core.access.Resource;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.core.identity.AdminToken;
import io.dossier.core.identity.Client;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.User;
import io.dossier.core.settings.SettingValue;
import io.dossier.core.tenant.Tenant;
import io.dossier.server.Dossier;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The admin commands on the database itself: production, or a dev data folder no server holds. */
final class DatabaseBackend implements AdminBackend {

    private final Dossier dossier;

    DatabaseBackend(Dossier dossier) {
        this.dossier = dossier;
    }

    @Override
    public List<TenantView> tenants() {
        return dossier.tenants().list().stream().map(DatabaseBackend::view).toList();
    }

    @Override
    public TenantView createTenant(String slug, String name, List<String> contentLanguages) {
        return view(dossier.tenants().create(slug, name, contentLanguages, contentLanguages.getFirst()));
    }

    @Override
    public List<UserView> users(String tenant) {
        return dossier.identities().listUsers(tenantId(tenant)).stream().map(DatabaseBackend::view).toList();
    }

    @Override
    public CreatedUser createUser(String tenant, String username, String email, String displayName, String password) {
        var issued = dossier.identities().createUser(tenantId(tenant), username, email, displayName, password);
        return new CreatedUser(view(issued.user()), issued.password());
    }

    @Override
    public List<ClientView> clients(String tenant) {
        return dossier.identities().listClients(tenantId(tenant)).stream().map(DatabaseBackend::view).toList();
    }

    @Override
    public CreatedClient createClient(String tenant, ClientKind kind, String name, Long userId, Set<String> scopes) {
        var issued = dossier.identities().createClient(tenantId(tenant), kind, name, userId, scopes);
        return new CreatedClient(view(issued.client()), issued.secret());
    }

    @Override
    public void revokeClient(String tenant, long id) {
        dossier.identities().revokeClient(tenantId(tenant), id);
    }

    @Override
    public Map<String, String> recordFilters(String tenant, long clientId) {
        var out = new java.util.TreeMap<String, String>();
        dossier.callers().filters(tenantId(tenant), clientId).forEach((type, condition) -> out.put(type, ConditionJson.write(condition)));
        return out;
    }

    @Override
    public void setRecordFilter(String tenant, long clientId, String recordType, String conditionJson) {
        dossier.callers().setFilter(tenantId(tenant), clientId, recordType, conditionJson == null ? null : ConditionJson.read(conditionJson));
    }

    @Override
    public void authorize(String tenant, String clientId, DeliveryRole role, Set<Long> businessTypes) {
        var tenantId = tenantId(tenant);
        var client = dossier.identities().clientByPublicId(clientId)
                .filter(c -> c.kind() == ClientKind.OAUTH)
                .orElseThrow(() -> Failure.notFound("no OAuth client '" + clientId + "'"));
        dossier.tokens().grantTenant(client, tenantId);
        dossier.deliveries().authorize(tenantId, client.id(), role, businessTypes);
    }

    @Override
    public List<Authorization> authorizations(String tenant, String clientId) {
        var tenantId = tenantId(tenant);
        var client = dossier.identities().clientByPublicId(clientId)
                .orElseThrow(() -> Failure.notFound("no client '" + clientId + "'"));
        return dossier.deliveries().authorizations(tenantId, client.id()).stream()
                .map(a -> new Authorization(a.role(), a.businessType()))
                .sorted(Comparator.comparing(Authorization::role).thenComparingLong(Authorization::businessType))
                .toList();
    }

    @Override
    public List<SettingView> settings(String tenant, ContainerRef container) {
        var tenantId = tenantId(tenant);
        var values = container == null ? dossier.tenantSettings().list(tenantId)
                : dossier.tenantSettings().list(tenantId, resource(container));
        return values.stream().map(DatabaseBackend::view).toList();
    }

    @Override
    public SettingView setting(String tenant, ContainerRef container, String key) {
        var tenantId = tenantId(tenant);
        return view(container == null ? dossier.tenantSettings().get(tenantId, key)
                : dossier.tenantSettings().get(tenantId, resource(container), key));
    }

    @Override
    public SettingView setSetting(String tenant, ContainerRef container, String key, String value) {
        var tenantId = tenantId(tenant);
        return view(container == null ? dossier.tenantSettings().setText(tenantId, key, value)
                : dossier.tenantSettings().setText(tenantId, resource(container), key, value));
    }

    @Override
    public SettingView resetSetting(String tenant, ContainerRef container, String key) {
        var tenantId = tenantId(tenant);
        return view(container == null ? dossier.tenantSettings().reset(tenantId, key)
                : dossier.tenantSettings().reset(tenantId, resource(container), key));
    }

    private static Resource resource(ContainerRef container) {
        return Resource.container(container.kind(), container.id());
    }

    private static SettingView view(SettingValue v) {
        return new SettingView(v.setting().key(), v.setting().type().wireName(), v.setting().scope().name().toLowerCase(Locale.ROOT),
                v.value().toString(), v.source().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public CreatedAdminToken createAdminToken(String name) {
        var issued = dossier.identities().createAdminToken(name);
        return new CreatedAdminToken(issued.token().id(), issued.secret());
    }

    @Override
    public List<AdminTokenView> adminTokens() {
        return dossier.identities().listAdminTokens().stream().map(DatabaseBackend::view).toList();
    }

    @Override
    public void revokeAdminToken(long id) {
        dossier.identities().revokeAdminToken(id);
    }

    @Override
    public void close() {
        dossier.close();
    }

    private long tenantId(String slug) {
        return dossier.tenants().bySlug(slug).id();
    }

    private static TenantView view(Tenant t) {
        return new TenantView(t.id(), t.slug(), t.name(), t.contentLanguages());
    }

    private static UserView view(User u) {
        return new UserView(u.id(), u.username(), u.email());
    }

    private static ClientView view(Client c) {
        return new ClientView(c.id(), c.kind(), c.publicId(), c.name(), c.revoked());
    }

    private static AdminTokenView view(AdminToken t) {
        return new AdminTokenView(t.id(), t.name(), t.revokedAt() != null);
    }

    // ---- jobs

    @Override
    public List<JobView> jobs(String tenant, String state, String kind, int limit) {
        io.dossier.core.job.JobState jobState = null;
        if (state != null) {
            jobState = java.util.Arrays.stream(io.dossier.core.job.JobState.values()).filter(s -> s.name().equalsIgnoreCase(state)).findFirst()
                    .orElseThrow(() -> Failure.invalid("state must be one of queued, running, done, failed, dead"));
        }
        return dossier.jobs().list(tenant == null ? null : tenantId(tenant), jobState, kind, null, limit).stream()
                .map(DatabaseBackend::view).toList();
    }

    @Override
    public JobView job(long id) {
        return view(dossier.jobs().find(null, id));
    }

    @Override
    public JobView retryJob(long id) {
        return view(dossier.jobs().retry(null, id));
    }

    @Override
    public JobView cancelJob(long id) {
        return view(dossier.jobs().cancel(null, id));
    }

    private static JobView view(io.dossier.core.job.Job j) {
        return new JobView(j.id(), j.tenantId(), j.kind(), j.state().name().toLowerCase(Locale.ROOT), j.attempts(),
                j.state().finished() ? null : j.nextAttemptAt().toString(), j.node(), j.lastError());
    }

    // ---- rate limits

    @Override
    public List<RateLimitView> rateLimits(String tenant, long clientId) {
        return dossier.rateLimits().limits(tenantId(tenant), clientId).stream()
                .map(e -> new RateLimitView(e.dialect(), e.limit().perMinute(), e.limit().concurrent(),
                        e.perMinuteOverridden() || e.concurrentOverridden() ? "client" : "default"))
                .toList();
    }

    @Override
    public List<RateLimitView> setRateLimit(String tenant, long clientId, String dialect, Integer perMinute, Integer concurrent) {
        dossier.rateLimits().set(tenantId(tenant), clientId, dialect, perMinute, concurrent);
        return rateLimits(tenant, clientId);
    }

    @Override
    public List<RateLimitView> resetRateLimit(String tenant, long clientId, String dialect) {
        dossier.rateLimits().reset(tenantId(tenant), clientId, dialect);
        return rateLimits(tenant, clientId);
    }

    // ---- webhooks

    @Override
    public CreatedWebhook createWebhook(String tenant, String url, String secret, List<String> recordTypes, List<String> events,
                                        String condition) {
        var registered = dossier.webhooks().register(tenantId(tenant), url, secret,
                recordTypes == null ? null : new java.util.LinkedHashSet<>(recordTypes), events == null ? null : new java.util.LinkedHashSet<>(events),
                condition == null ? null : ConditionJson.read(condition));
        return new CreatedWebhook(view(registered.webhook()), registered.secret());
    }

    @Override
    public List<WebhookView> webhooks(String tenant) {
        return dossier.webhooks().list(tenantId(tenant)).stream().map(DatabaseBackend::view).toList();
    }

    @Override
    public void deleteWebhook(String tenant, long id) {
        dossier.webhooks().delete(tenantId(tenant), id);
    }

    @Override
    public List<WebhookDeliveryView> webhookDeliveries(String tenant, long webhookId, String state, int limit) {
        io.dossier.core.webhook.DeliveryState deliveryState = null;
        if (state != null) {
            deliveryState = java.util.Arrays.stream(io.dossier.core.webhook.DeliveryState.values()).filter(s -> s.name().equalsIgnoreCase(state))
                    .findFirst().orElseThrow(() -> Failure.invalid("state must be one of queued, running, done, failed, dead"));
        }
        return dossier.webhooks().deliveries(tenantId(tenant), webhookId, deliveryState, null, limit).stream().map(DatabaseBackend::view).toList();
    }

    @Override
    public WebhookDeliveryView redeliver(String tenant, long webhookId, long deliveryId) {
        return view(dossier.webhooks().redeliver(tenantId(tenant), webhookId, deliveryId));
    }

    private static WebhookView view(io.dossier.core.webhook.Webhook w) {
        return new WebhookView(w.id(), w.url(), w.recordTypes().stream().sorted().toList(),
                w.events().stream().map(io.dossier.core.webhook.WebhookEvent::wireName).sorted().toList(),
                w.condition() == null ? null : ConditionJson.write(w.condition()), w.createdAt().toString());
    }

    private static WebhookDeliveryView view(io.dossier.core.webhook.WebhookDelivery d) {
        return new WebhookDeliveryView(d.id(), d.event(), d.recordKey(), d.state().name().toLowerCase(Locale.ROOT), d.attempts(), d.lastStatus(),
                d.state().finished() || d.nextAttemptAt() == null ? null : d.nextAttemptAt().toString(), d.node(), d.lastError());
    }

    @Override
    public ImportView importHr(String tenant, java.nio.file.Path file) {
        var t = dossier.tenants().bySlug(tenant);
        var hr = new io.dossier.api.admin.HrAdmin(dossier.records(), dossier.schemas(), dossier.documents(), dossier.content());
        try (var in = java.nio.file.Files.newInputStream(file)) {
            var result = hr.importLines(t, in);
            return new ImportView(result.applied(), result.failed(),
                    result.errors().stream().map(e -> "line " + e.get("line") + ": " + e.get("message")).toList());
        } catch (java.nio.file.NoSuchFileException e) {
            throw Failure.invalid("no file " + file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
