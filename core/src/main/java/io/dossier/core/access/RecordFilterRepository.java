package io.dossier.core.access;

import io.dossier.core.query.Condition;
import java.util.Map;

/** Port: the record filters set on clients. */
public interface RecordFilterRepository {

    /** The client's filters in its tenant, by record type name. */
    Map<String, Condition> filters(long tenantId, long clientId);

    /** Sets the client's filter on a record type, or removes it when {@code condition} is null. */
    void put(long tenantId, long clientId, String recordType, Condition condition);
}
