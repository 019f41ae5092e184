package io.dossier.store.sql;

import static io.dossier.store.sql.Tables.CLIENT;
import static io.dossier.store.sql.Tables.CLIENT_RECORD_FILTER;
import static io.dossier.store.sql.Tables.TOMBSTONE_AUDIENCE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dossier.core.Failure;
import io.dossier.core.access.RecordFilterRepository;
import io.dossier.core.query.Condition;
import io.dossier.core.query.ConditionValues;
import io.dossier.core.settings.SettingsRepository;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** Record filters as rows: one per client and record type, the condition as JSON in core's plain form. */
public final class SqlRecordFilterRepository implements RecordFilterRepository {

    /** Room for a condition of a few dozen comparisons; a longer one is refused, not cut. */
    static final int MAX_CONDITION_CHARS = 8000;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final Database db;

    public SqlRecordFilterRepository(Database db) {
        this.db = db;
    }

    @Override
    public Map<String, Condition> filters(long tenantId, long clientId) {
        var out = new LinkedHashMap<String, Condition>();
        db.sql().select(CLIENT_RECORD_FILTER.RECORD_TYPE, CLIENT_RECORD_FILTER.CONDITION)
                .from(CLIENT_RECORD_FILTER.T)
                .where(CLIENT_RECORD_FILTER.TENANT_ID.eq(tenantId), CLIENT_RECORD_FILTER.CLIENT_ID.eq(clientId))
                .orderBy(CLIENT_RECORD_FILTER.RECORD_TYPE)
                .forEach(r -> out.put(r.value1(), read(r.value2())));
        return out;
    }

    @Override
    public Optional<KeyedClient> clientByKey(String secretHash, String tenantSettingKey) {
        // every request with an API key sends it: rendered once, read over plain JDBC
        var client = new io.dossier.core.identity.Client[1];
        var setting = new String[1];
        var filters = new LinkedHashMap<String, Condition>();
        db.read(Database.Plan.REUSED, "client by key", SqlRecordFilterRepository::clientByKeyQuery,
                Map.of("scope", SettingsRepository.TENANT_LEVEL, "setting", tenantSettingKey, "secretHash", secretHash),
                "reading a client by its key", rs -> {
                    while (rs.next()) {
                        if (client[0] == null) {
                            client[0] = SqlIdentityRepository.client(rs);
                            setting[0] = rs.getString(SqlIdentityRepository.CLIENT_COLUMNS.size() + 1);
                        }
                        var recordType = rs.getString(SqlIdentityRepository.CLIENT_COLUMNS.size() + 2);
                        if (recordType != null) {
                            filters.put(recordType, read(rs.getString(SqlIdentityRepository.CLIENT_COLUMNS.size() + 3)));
                        }
                    }
                });
        return client[0] == null ? Optional.empty() : Optional.of(new KeyedClient(client[0], filters, setting[0]));
    }

    private static org.jooq.ResultQuery<?> clientByKeyQuery() {
        // the client's columns named with their table: the filter and setting tables have a tenant_id too
        var tenantId = DSL.field(DSL.name("client", "tenant_id"), Long.class);
        var columns = new java.util.ArrayList<org.jooq.SelectField<?>>();
        for (var column : SqlIdentityRepository.CLIENT_COLUMNS) {
            columns.add(DSL.field(DSL.name("client", column.getName()), column.getType()));
        }
        columns.add(SqlSettingsRepository.stored(tenantId, DSL.param("scope", String.class), DSL.param("setting", String.class))
                .as("tenant_setting"));
        columns.add(CLIENT_RECORD_FILTER.RECORD_TYPE);
        columns.add(CLIENT_RECORD_FILTER.CONDITION);
        return DSL.select(columns)
                .from(CLIENT.T)
                .leftJoin(CLIENT_RECORD_FILTER.T).on(CLIENT_RECORD_FILTER.TENANT_ID.eq(tenantId),
                        CLIENT_RECORD_FILTER.CLIENT_ID.eq(DSL.field(DSL.name("client", "id"), Long.class)))
                .where(DSL.field(DSL.name("client", "secret_hash"), String.class).eq(DSL.param("secretHash", String.class)))
                .orderBy(CLIENT_RECORD_FILTER.RECORD_TYPE);
    }

    @Override
    public void put(long tenantId, long clientId, String recordType, Condition condition) {
        db.inTransaction(() -> {
            db.sql().deleteFrom(CLIENT_RECORD_FILTER.T)
                    .where(CLIENT_RECORD_FILTER.TENANT_ID.eq(tenantId), CLIENT_RECORD_FILTER.CLIENT_ID.eq(clientId),
                            CLIENT_RECORD_FILTER.RECORD_TYPE.eq(recordType))
                    .execute();
            if (condition != null) {
                var text = write(condition);
                try {
                    db.sql().insertInto(CLIENT_RECORD_FILTER.T)
                            .set(CLIENT_RECORD_FILTER.TENANT_ID, tenantId)
                            .set(CLIENT_RECORD_FILTER.CLIENT_ID, clientId)
                            .set(CLIENT_RECORD_FILTER.RECORD_TYPE, recordType)
                            .set(CLIENT_RECORD_FILTER.CONDITION, text)
                            .execute();
                } catch (IntegrityConstraintViolationException setMeanwhile) {
                    throw Failure.conflict("the filter of this client on " + recordType + " was set at the same time; try again");
                }
            }
            return null;
        });
    }

    @Override
    public Map<Long, Map<String, Condition>> filtersOn(long tenantId, Set<String> recordTypes) {
        var out = new LinkedHashMap<Long, Map<String, Condition>>();
        if (recordTypes.isEmpty()) {
            return out;
        }
        db.sql().select(CLIENT_RECORD_FILTER.CLIENT_ID, CLIENT_RECORD_FILTER.RECORD_TYPE, CLIENT_RECORD_FILTER.CONDITION)
                .from(CLIENT_RECORD_FILTER.T)
                .where(CLIENT_RECORD_FILTER.TENANT_ID.eq(tenantId), CLIENT_RECORD_FILTER.RECORD_TYPE.in(recordTypes))
                .orderBy(CLIENT_RECORD_FILTER.CLIENT_ID, CLIENT_RECORD_FILTER.RECORD_TYPE)
                .forEach(r -> out.computeIfAbsent(r.value1(), k -> new LinkedHashMap<>()).put(r.value2(), read(r.value3())));
        return out;
    }

    @Override
    public void keepAudience(long tenantId, String entityType, Tombstone tombstone, Set<Long> clientIds, Instant at) {
        if (clientIds.isEmpty()) {
            return;
        }
        var insert = db.sql().insertInto(TOMBSTONE_AUDIENCE.T, TOMBSTONE_AUDIENCE.TENANT_ID, TOMBSTONE_AUDIENCE.CLIENT_ID,
                TOMBSTONE_AUDIENCE.ENTITY_TYPE, TOMBSTONE_AUDIENCE.ENTITY_ID, TOMBSTONE_AUDIENCE.VERSION, TOMBSTONE_AUDIENCE.DELETED_AT);
        for (var client : clientIds) {
            insert = insert.values(tenantId, client, entityType, tombstone.entityId(), tombstone.version(), at.atOffset(ZoneOffset.UTC));
        }
        insert.execute();
    }

    @Override
    public Set<Tombstone> audience(long tenantId, long clientId, String entityType, Collection<String> entityIds) {
        var out = new HashSet<Tombstone>();
        if (entityIds.isEmpty()) {
            return out;
        }
        db.sql().select(TOMBSTONE_AUDIENCE.ENTITY_ID, TOMBSTONE_AUDIENCE.VERSION).from(TOMBSTONE_AUDIENCE.T)
                .where(TOMBSTONE_AUDIENCE.TENANT_ID.eq(tenantId), TOMBSTONE_AUDIENCE.CLIENT_ID.eq(clientId),
                        TOMBSTONE_AUDIENCE.ENTITY_TYPE.eq(entityType), TOMBSTONE_AUDIENCE.ENTITY_ID.in(entityIds))
                .forEach(r -> out.add(new Tombstone(r.value1(), r.value2())));
        return out;
    }

    private static String write(Condition condition) {
        try {
            var text = JSON.writeValueAsString(ConditionValues.toPlain(condition));
            if (text.length() > MAX_CONDITION_CHARS) {
                throw Failure.invalid("a filter may take at most " + MAX_CONDITION_CHARS + " characters as JSON");
            }
            return text;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a condition did not serialise", e);
        }
    }

    private static Condition read(String text) {
        try {
            return ConditionValues.fromPlain(JSON.readValue(text, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored record filter is not JSON", e);
        }
    }
}
