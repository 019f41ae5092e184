package io.dossier.store.sql;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.dossier.core.settings.SettingsRepository;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** Setting values in {@code setting_value} (V10), one row per tenant, scope key and setting key. */
public final class SqlSettingsRepository implements SettingsRepository {

    private static final Table<Record> SETTING_VALUE = table(name("setting_value"));
    private static final Field<Long> TENANT_ID = field(name("setting_value", "tenant_id"), Long.class);
    private static final Field<String> SCOPE_KEY = field(name("setting_value", "scope_key"), String.class);
    private static final Field<String> SETTING_KEY = field(name("setting_value", "setting_key"), String.class);
    private static final Field<String> VALUE_TEXT = field(name("setting_value", "value_text"), String.class);
    private static final Field<OffsetDateTime> UPDATED_AT = field(name("setting_value", "updated_at"), OffsetDateTime.class);

    private final Database db;

    public SqlSettingsRepository(Database db) {
        this.db = db;
    }

    /**
     * The stored text of a setting (null when none is stored) as a scalar subquery, for a read that
     * takes a setting along with what it is about in one statement; the rule that makes a value of it
     * is {@link io.dossier.core.settings.Setting#inForce}.
     */
    static Field<String> stored(Field<Long> tenantId, String scopeKey, String key) {
        return stored(tenantId, DSL.val(scopeKey), DSL.val(key));
    }

    /** {@link #stored(Field, String, String)} with its scope and key as fields (named parameters, say). */
    static Field<String> stored(Field<Long> tenantId, Field<String> scopeKey, Field<String> key) {
        return DSL.field(DSL.select(VALUE_TEXT).from(SETTING_VALUE).where(TENANT_ID.eq(tenantId), SCOPE_KEY.eq(scopeKey), SETTING_KEY.eq(key)));
    }

    @Override
    public Map<String, String> values(long tenantId, Collection<String> scopeKeys, String key) {
        var out = new HashMap<String, String>();
        db.sql().select(SCOPE_KEY, VALUE_TEXT).from(SETTING_VALUE)
                .where(TENANT_ID.eq(tenantId), SCOPE_KEY.in(scopeKeys), SETTING_KEY.eq(key))
                .forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    @Override
    public Map<String, String> all(long tenantId, String scopeKey) {
        var out = new HashMap<String, String>();
        db.sql().select(SETTING_KEY, VALUE_TEXT).from(SETTING_VALUE)
                .where(TENANT_ID.eq(tenantId), SCOPE_KEY.eq(scopeKey))
                .forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    @Override
    public void put(long tenantId, String scopeKey, String key, String text, Instant at) {
        try {
            upsert(tenantId, scopeKey, key, text, at);
        } catch (IntegrityConstraintViolationException insertedMeanwhile) {
            upsert(tenantId, scopeKey, key, text, at);   // H2's MERGE lets two first puts both insert: now it updates
        }
    }

    private void upsert(long tenantId, String scopeKey, String key, String text, Instant at) {
        var when = SqlFileRepository.utc(at);
        db.sql().insertInto(SETTING_VALUE)
                .set(TENANT_ID, tenantId)
                .set(SCOPE_KEY, SqlFileRepository.fit("container", scopeKey, 300))
                .set(SETTING_KEY, key)
                .set(VALUE_TEXT, text)
                .set(UPDATED_AT, when)
                .onConflict(TENANT_ID, SCOPE_KEY, SETTING_KEY)
                .doUpdate().set(VALUE_TEXT, text).set(UPDATED_AT, when)
                .execute();
    }

    @Override
    public boolean remove(long tenantId, String scopeKey, String key) {
        return db.sql().deleteFrom(SETTING_VALUE)
                .where(TENANT_ID.eq(tenantId), SCOPE_KEY.eq(scopeKey), SETTING_KEY.eq(key))
                .execute() > 0;
    }
}
