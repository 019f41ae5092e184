package io.dossier.core.access;

import io.dossier.core.query.Condition;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** Port: the record filters set on clients, and who may see the tombstones of filtered records. */
public interface RecordFilterRepository {

    /** The client's filters in its tenant, by record type name. */
    Map<String, Condition> filters(long tenantId, long clientId);

    /** A client with its filters in its own tenant and the stored text of one of that tenant's settings (null when none is stored). */
    record KeyedClient(io.dossier.core.identity.Client client, Map<String, Condition> filters, String tenantSettingText) {
    }

    /**
     * The client whose secret has this hash (revoked or not), with its filters in its own tenant and
     * the stored text of the tenant setting {@code tenantSettingKey}, in one read: what every request
     * made with an API key needs.
     */
    java.util.Optional<KeyedClient> clientByKey(String secretHash, String tenantSettingKey);

    /** Sets the client's filter on a record type, or removes it when {@code condition} is null. */
    void put(long tenantId, long clientId, String recordType, Condition condition);

    /** Each client of the tenant with a filter on any of {@code recordTypes}: client id → its filters on those types. */
    Map<Long, Map<String, Condition>> filtersOn(long tenantId, Set<String> recordTypes);

    /** A deleted entity at the version it had: what a tombstone in the change feed names. */
    record Tombstone(String entityId, long version) {
    }

    /**
     * Records, in the caller's transaction, that these clients may see the tombstone of an entity
     * deleted {@code at}: their filter held it when it was deleted.
     */
    void keepAudience(long tenantId, String entityType, Tombstone tombstone, Set<Long> clientIds, Instant at);

    /** Which of the tombstones of these entities the client may see. */
    Set<Tombstone> audience(long tenantId, long clientId, String entityType, Collection<String> entityIds);
}
