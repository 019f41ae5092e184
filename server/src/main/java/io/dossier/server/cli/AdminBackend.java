package io.dossier.server.cli;

import io.dossier.core.Failure;
import io.dossier.core.delivery.DeliveryRole;
import io.dossier.core.identity.ClientKind;
import io.dossier.server.DevServerFile;
import io.dossier.server.Dossier;
import io.dossier.server.config.ConfigException;
import io.dossier.server.config.Settings;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the admin commands do, whichever way they reach the data: the database directly, or the
 * admin API of the {@code dossier dev} that holds a dev data folder (only that process may open its
 * embedded database). Both give the same answers, so each command prints the same either way.
 * Failures are {@link io.dossier.core.Failure}s, as the core raises them.
 */
interface AdminBackend extends AutoCloseable {

    /**
     * For a dev data folder with a running server, that server's admin API; else the database. A
     * {@code server.json} left by a killed server is ignored: its process is gone or no longer
     * accepts its token.
     */
    static AdminBackend open(Settings settings) {
        var serverFile = settings.dataFolder().flatMap(DevServerFile::read);
        var server = serverFile.flatMap(AdminApiBackend::ifAnswering);
        if (server.isPresent()) {
            return server.get();
        }
        try {
            // a command builds no search index: the next server start does (searches check every row until then)
            return new DatabaseBackend(Dossier.open(settings, true));
        } catch (ConfigException e) {
            // a server that lives but did not answer in time still holds the database: name it, not a locked file
            var holder = serverFile.filter(DevServerFile::processAlive);
            if (holder.isPresent()) {
                throw Failure.unavailable("the dossier dev at " + holder.get().url() + " (pid " + holder.get().pid()
                        + ") holds this data folder but did not answer; try again", e);
            }
            throw e;
        }
    }

    record TenantView(long id, String slug, String name, List<String> contentLanguages) {
    }

    record UserView(long id, String username, String email) {
    }

    /** A user just created; {@code password} is the one generated or given. */
    record CreatedUser(UserView user, String password) {
    }

    record ClientView(long id, ClientKind kind, String clientId, String name, boolean revoked) {
    }

    record CreatedClient(ClientView client, String secret) {
    }

    record AdminTokenView(long id, String name, boolean revoked) {
    }

    record CreatedAdminToken(long id, String token) {
    }

    /** One business type a client may publish or subscribe to in a tenant. */
    record Authorization(DeliveryRole role, long businessType) {
    }

    /** A container named by its kind and id ({@code Candidate} and a uid), for its settings. */
    record ContainerRef(String kind, String id) {
    }

    /**
     * A setting where it was read: its value as text ({@code true}, {@code 42}, {@code PT15M}) and
     * where the value comes from ({@code container}, {@code tenant} or {@code default}).
     */
    record SettingView(String key, String type, String scope, String value, String source) {
    }

    List<TenantView> tenants();

    TenantView createTenant(String slug, String name, List<String> contentLanguages);

    List<UserView> users(String tenant);

    CreatedUser createUser(String tenant, String username, String email, String displayName, String password);

    List<ClientView> clients(String tenant);

    CreatedClient createClient(String tenant, ClientKind kind, String name, Long userId, Set<String> scopes);

    void revokeClient(String tenant, long id);

    /** The client's record filters by record type, each as the JSON of its condition. */
    Map<String, String> recordFilters(String tenant, long clientId);

    /** Sets the client's filter on a record type from the JSON of a condition, or removes it when that is null. */
    void setRecordFilter(String tenant, long clientId, String recordType, String conditionJson);

    /** A client's limits in one dialect; {@code source} is {@code default} or {@code client}; 0 is no limit. */
    record RateLimitView(String dialect, int perMinute, int concurrent, String source) {
    }

    List<RateLimitView> rateLimits(String tenant, long clientId);

    /** Gives the client its own limits in the dialect; a null value keeps the default's. */
    List<RateLimitView> setRateLimit(String tenant, long clientId, String dialect, Integer perMinute, Integer concurrent);

    List<RateLimitView> resetRateLimit(String tenant, long clientId, String dialect);

    /** Lets an OAuth client (of any tenant) publish or subscribe to business types in {@code tenant}. */
    void authorize(String tenant, String clientId, DeliveryRole role, Set<Long> businessTypes);

    /** The client's File API authorizations in {@code tenant}, by role and then business type. */
    List<Authorization> authorizations(String tenant, String clientId);

    /** The tenant's settings, or ({@code container} not null) the container settings of a container. */
    List<SettingView> settings(String tenant, ContainerRef container);

    SettingView setting(String tenant, ContainerRef container, String key);

    /** Sets a value typed as text; INVALID when the key is unknown or the text is not of the setting's type. */
    SettingView setSetting(String tenant, ContainerRef container, String key, String value);

    /** Removes a value, so the tenant's value (for a container) or the default applies again. */
    SettingView resetSetting(String tenant, ContainerRef container, String key);

    /** A job as the commands print it; times as ISO-8601 text, {@code next} the next attempt or, while running, the lease's end. */
    /** What an HR import did: lines applied, lines refused, and the first refusals as "line N: message". */
    record ImportView(long applied, long failed, List<String> errors) {
    }

    /** Loads HR records from a JSON lines file into the tenant (the admin API's {@code hr/import}). */
    ImportView importHr(String tenant, java.nio.file.Path file);

    record JobView(long id, Long tenantId, String kind, String state, int attempts, String next, String node, String lastError) {
    }

    /** Jobs newest first: of one tenant when {@code tenant} is given, else of all and Dossier's own; state and kind filter when given. */
    List<JobView> jobs(String tenant, String state, String kind, int limit);

    JobView job(long id);

    /** Queues a failed or dead job again, due now. */
    JobView retryJob(long id);

    /** Makes a job that has not finished dead, so no node runs it again. */
    JobView cancelJob(long id);

    CreatedAdminToken createAdminToken(String name);

    List<AdminTokenView> adminTokens();

    void revokeAdminToken(long id);

    @Override
    void close();

    // ---- webhooks

    /** A webhook as the commands print it; {@code condition} as JSON text, or null. */
    record WebhookView(long id, String url, List<String> recordTypes, List<String> events, String condition, String createdAt) {
    }

    /** A webhook just registered, with its secret (shown this once). */
    record CreatedWebhook(WebhookView webhook, String secret) {
    }

    /** A delivery as the commands print it; {@code next} the next attempt or, while running, the lease's end. */
    record WebhookDeliveryView(long id, String event, String record, String state, int attempts, Integer lastResponseCode, String next,
                               String node, String lastError) {
    }

    /** Registers a webhook; {@code secret} null for a random one, {@code condition} a JSON condition or null. */
    CreatedWebhook createWebhook(String tenant, String url, String secret, List<String> recordTypes, List<String> events, String condition);

    List<WebhookView> webhooks(String tenant);

    void deleteWebhook(String tenant, long id);

    /** A webhook's deliveries, newest first, of {@code state} when given. */
    List<WebhookDeliveryView> webhookDeliveries(String tenant, long webhookId, String state, int limit);

    /** Sends a finished or failed delivery again, due now. */
    WebhookDeliveryView redeliver(String tenant, long webhookId, long deliveryId);
}
