package io.dossier.core.access;

import io.dossier.core.Failure;
import io.dossier.core.cache.BoundedCache;
import io.dossier.core.identity.Client;
import io.dossier.core.identity.ClientKind;
import io.dossier.core.identity.IdentityRepository;
import io.dossier.core.identity.Secrets;
import io.dossier.core.query.Condition;
import io.dossier.core.query.QueryCheck;
import io.dossier.core.schema.RecordType;
import io.dossier.core.settings.Settings;
import io.dossier.core.settings.SettingsService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves callers from what a dialect authenticated (a user, a client, a session of either), with
 * the client's scopes and record filters, and lets an administrator set those filters.
 *
 * <p>A session's or an access token's client and its filters are kept in memory for at most
 * {@code cacheTtl} (as sessions are), so a request costs no extra query; a revocation or a filter change made on
 * another node reaches this one within that time, one made here at once.
 */
public final class Callers {

    private final IdentityRepository identities;
    private final RecordFilterRepository filters;
    private final Function<String, Optional<RecordType>> recordTypes;
    private final BoundedCache<ClientKey, Caller.AsClient> sessionClients;

    private record ClientKey(long tenantId, long clientId) {
    }

    /** @param recordTypes a record type by its qualified or storage name, to check filters against */
    public Callers(IdentityRepository identities, RecordFilterRepository filters, Function<String, Optional<RecordType>> recordTypes,
                   Duration cacheTtl) {
        this.identities = identities;
        this.filters = filters;
        this.recordTypes = recordTypes;
        this.sessionClients = new BoundedCache<>(10_000, cacheTtl);
    }

    /** A user acting as themselves. */
    public Caller user(long tenantId, long userId) {
        return new Caller.AsUser(tenantId, userId);
    }

    /** A client acting in {@code tenantId} (its own tenant, or one it was granted). */
    public Caller.AsClient client(Client client, long tenantId) {
        return new Caller.AsClient(tenantId, client.id(), client.publicId(), client.userId(), client.scopes(),
                new RecordFilters(filters.filters(tenantId, client.id())));
    }

    /** The caller of an API key, and whether its tenant's {@link Settings#API_ACCESS_ALLOWED} is on. */
    public record KeyCaller(Caller.AsClient caller, boolean apiAccessAllowed) {

        /** The caller, refused (FORBIDDEN) when its tenant's API access is off. */
        public Caller.AsClient requireApiAccess() {
            SettingsService.requireApiAccess(apiAccessAllowed);
            return caller;
        }
    }

    /**
     * The caller of a live API key of {@code kind} (UNAUTHENTICATED when the secret is missing,
     * unknown, revoked or of another kind) acting in its own tenant, with its record filters and its
     * tenant's API access read in the same statement. Nothing of it is kept: a revocation, a filter
     * or a setting changed on any node holds at the next request.
     */
    public KeyCaller byKey(ClientKind kind, String secret) {
        if (secret == null || secret.isEmpty()) {
            throw Failure.unauthenticated("no credential");
        }
        var found = filters.clientByKey(Secrets.hash(secret), Settings.API_ACCESS_ALLOWED.key())
                .filter(k -> k.client().kind() == kind && !k.client().revoked())
                .orElseThrow(() -> Failure.unauthenticated("unknown or revoked credential"));
        var client = found.client();
        var caller = new Caller.AsClient(client.tenantId(), client.id(), client.publicId(), client.userId(), client.scopes(),
                new RecordFilters(found.filters()));
        return new KeyCaller(caller, Settings.API_ACCESS_ALLOWED.inForce(null, found.tenantSettingText()));
    }

    /** The caller of a session: its client when one opened it, else its user. */
    public Caller session(long tenantId, Long userId, Long clientId) {
        if (clientId != null) {
            return kept(tenantId, clientId, () -> identities.findClient(tenantId, clientId), "the client of this session is revoked");
        }
        if (userId == null) {
            throw Failure.unauthenticated("this session has neither a user nor a client");
        }
        return user(tenantId, userId);
    }

    /**
     * The caller of an access token's client acting in {@code tenantId} (its own tenant or one it
     * was granted), kept as a session's client is; UNAUTHENTICATED when the client is revoked.
     */
    public Caller.AsClient tokenClient(long clientId, long tenantId) {
        return kept(tenantId, clientId, () -> identities.findClientById(clientId), "the client of this token is revoked");
    }

    /** The kept caller of a client in a tenant, else the one {@code client} finds, kept from now on. */
    private Caller.AsClient kept(long tenantId, long clientId, java.util.function.Supplier<Optional<Client>> client, String revoked) {
        var key = new ClientKey(tenantId, clientId);
        return sessionClients.get(key).orElseGet(() -> {
            var caller = client(client.get().filter(c -> !c.revoked()).orElseThrow(() -> Failure.unauthenticated(revoked)), tenantId);
            sessionClients.put(key, caller);
            return caller;
        });
    }

    /**
     * Sets (or, with a null condition, removes) a client's filter on a record type. The condition
     * must name filterable fields of that type with values of their types.
     */
    public void setFilter(long tenantId, long clientId, String recordType, Condition condition) {
        requireClient(tenantId, clientId);
        var type = recordTypes.apply(recordType == null ? "" : recordType)
                .orElseThrow(() -> Failure.invalid("no record type " + recordType));
        if (condition != null) {
            QueryCheck.checkCondition(type, condition);
        }
        filters.put(tenantId, clientId, type.storageName(), condition);   // stable and unique across namespaces
        sessionClients.remove(new ClientKey(tenantId, clientId));
    }

    /** Forgets what this node holds about a client (it was revoked or changed here). */
    public void forget(long tenantId, long clientId) {
        sessionClients.remove(new ClientKey(tenantId, clientId));
    }

    public Map<String, Condition> filters(long tenantId, long clientId) {
        requireClient(tenantId, clientId);
        return filters.filters(tenantId, clientId);
    }

    private void requireClient(long tenantId, long clientId) {
        if (identities.findClient(tenantId, clientId).isEmpty()) {
            throw Failure.notFound("no client " + clientId);
        }
    }
}
